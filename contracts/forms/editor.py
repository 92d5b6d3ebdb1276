"""Forms of the contract editor: new contracts and clauses.

They validate and lay themselves out (crispy FormHelper); the views call the services.
"""

from __future__ import annotations

import json
from datetime import date

from crispy_forms.bootstrap import FieldWithButtons, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone

from contracts.models import Clause, ClauseTemplate, Contract, Organisation
from contracts.models.clauses import KEY_VALIDATOR
from contracts.selectors import tenancy
from contracts.selectors.agreement_templates import agreement_choices_for, agreement_of_choice
from contracts.selectors.versions import clause_templates_for_user
from contracts.time_zones import time_zone_names
from slaportal.widgets import DateInput, OutlineSubmit

START_BLANK, START_COPY, START_LIBRARY, START_AGREEMENT = "blank", "copy", "library", "agreement"

#: Attributes that make a clause text field ask for a fresh preview as the author types.
PREVIEW_TRIGGER = "keyup changed delay:400ms, change"


def _template_label(template: ClauseTemplate, *, with_owner: bool = False) -> str:
    category = f"{template.category.name}: " if template.category_id else ""
    owner = f" ({template.owner.name})" if with_owner else ""
    return f"{category}{template.heading}{owner}"


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


class ContractCreateForm(forms.Form):
    """A new contract: parties, commercial terms and what version 1 starts from.

    All choices are scoped to what ``user`` may see: their provider organisations, those
    organisations' customers and their own company's departments, their own contracts and
    their providers' clause libraries.
    """

    provider = forms.ModelChoiceField(queryset=Organisation.objects.none(), empty_label=None)
    customer = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="— a new customer (name it below) —",
        help_text="An existing customer of yours, or another department of your own company.",
    )
    new_customer_name = forms.CharField(label="New customer's name", max_length=200, required=False)
    new_customer_email = forms.EmailField(
        label="New customer's contact email",
        required=False,
        help_text="Optional: invited as the new customer's admin; receives the monthly reports.",
    )
    title = forms.CharField(
        max_length=200, required=False, help_text="Left empty, a contract from a template takes its name."
    )
    currency = forms.CharField(
        max_length=3,
        initial="EUR",
        validators=[RegexValidator(r"^[A-Z]{3}\Z", "Use a three-letter ISO 4217 code, e.g. EUR.")],
        help_text="Three-letter code, e.g. EUR.",
    )
    monthly_fee = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, initial=0)
    time_zone = forms.ChoiceField(choices=_time_zone_choices, initial="Europe/Amsterdam")
    start_date = forms.DateField(widget=DateInput())
    end_date = forms.DateField(
        required=False,
        widget=DateInput(),
        help_text="Leave empty for an open-ended contract.",
    )
    auto_renew = forms.BooleanField(label="Renews automatically", required=False)
    notice_period_days = forms.IntegerField(
        label="Notice period (days)",
        min_value=0,
        max_value=730,
        required=False,
        help_text="Notice to end the contract is due this many days before its end date. "
        "Left empty: the agreement template's or copied contract's, else 90.",
    )
    renewal_months = forms.IntegerField(
        label="Renewal term (months)",
        min_value=1,
        max_value=120,
        required=False,
        help_text="How long the term is extended each time the contract renews. "
        "Left empty: the template's or copied contract's, else 12.",
    )
    reports_issued_automatically = forms.BooleanField(
        label="Issue monthly reports without review",
        required=False,
        help_text="Email each month's report to the customer as soon as it is made. Left unticked, "
        "reports wait for your review and are emailed when you issue them.",
    )
    dispute_window_days = forms.IntegerField(
        label="Dispute window (days)",
        min_value=1,
        max_value=365,
        initial=14,
        required=False,
        help_text="Days after a monthly report is issued in which the customer may dispute it.",
    )
    start_from = forms.ChoiceField(
        label="Version 1 starts from",
        choices=[
            (START_AGREEMENT, "An agreement template (clauses and terms ready to use)"),
            (START_BLANK, "A blank draft"),
            (START_COPY, "A copy of one of your contracts"),
            (START_LIBRARY, "Clauses from the library"),
        ],
        initial=START_AGREEMENT,
        widget=forms.RadioSelect,
    )
    agreement = forms.ChoiceField(
        label="Agreement template",
        required=False,
        help_text="Its clauses in order and its terms with their values; you change any of them "
        "in the editor.",
    )
    source = forms.ModelChoiceField(
        label="Contract to copy",
        queryset=Contract.objects.none(),
        required=False,
        help_text="Its latest version's terms and clauses are copied.",
    )
    templates = forms.ModelMultipleChoiceField(
        label="Library clauses",
        queryset=ClauseTemplate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        providers = list(tenancy.provider_organisations_authored_by(user).order_by("name"))
        # With one provider organisation there is nothing to choose: the field is left out.
        self.only_provider = providers[0] if len(providers) == 1 else None
        customers = tenancy.customer_choices_for(user)
        if self.only_provider is not None:
            del self.fields["provider"]
            customers = customers.exclude(pk=self.only_provider.pk)
        else:
            self.fields["provider"].queryset = tenancy.provider_organisations_authored_by(user).order_by(
                "name"
            )
        self.fields["customer"].queryset = customers
        self.fields["source"].queryset = tenancy.contracts_authored_by(user).order_by("reference")
        self.fields["templates"].queryset = clause_templates_for_user(user).order_by(
            "owner__name", "category__position", "heading"
        )
        self.fields["templates"].label_from_instance = lambda t: _template_label(t, with_owner=True)
        self.fields["start_date"].initial = timezone.localdate()
        self.user = user
        self.fields["agreement"].choices = [("", "Choose…"), *agreement_choices_for(user)]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "Parties",
                *(["provider"] if self.only_provider is None else []),
                "customer",
                Row(Column("new_customer_name"), Column("new_customer_email")),
            ),
            Fieldset(
                "Contract",
                "title",
                Row(Column("currency", css_class="col-md-3"), Column("monthly_fee"), Column("time_zone")),
                Row(Column("start_date"), Column("end_date"), Column("dispute_window_days")),
                Row(Column("notice_period_days"), Column("renewal_months")),
                "auto_renew",
                "reports_issued_automatically",
            ),
            Fieldset("Version 1", "start_from", "agreement", "source", "templates"),
            Submit("submit", "Create contract and open the editor"),
        )

    def clean(self):
        cleaned = super().clean()
        if self.only_provider is not None:
            cleaned["provider"] = self.only_provider
        provider = cleaned.get("provider")
        customer = cleaned.get("customer")
        name = (cleaned.get("new_customer_name") or "").strip()
        if customer is not None and name:
            self.add_error("new_customer_name", "Choose an existing customer or name a new one, not both.")
        elif customer is None and not name and "customer" not in self.errors:
            self.add_error("customer", "Choose a customer or name a new one.")
        if cleaned.get("new_customer_email") and customer is not None:
            self.add_error("new_customer_email", "Only a new customer's contact is invited from here.")
        if provider is not None and customer is not None and customer.pk == provider.pk:
            self.add_error("customer", "The customer must be another organisation than the provider.")
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("end_date", "The contract cannot end before it starts.")
        start_from = cleaned.get("start_from")
        source = cleaned.get("source")
        templates = list(cleaned.get("templates") or [])
        if start_from == START_COPY:
            if source is None and "source" not in self.errors:
                self.add_error("source", "Choose the contract to copy.")
            elif source is not None and provider is not None and source.provider_id != provider.pk:
                self.add_error("source", f"Choose a contract that {provider.name} provides.")
        if start_from == START_AGREEMENT:
            agreement = agreement_of_choice(self.user, cleaned.get("agreement"))
            if agreement is None:
                self.add_error("agreement", "Choose the agreement template to start from.")
            elif getattr(agreement, "owner_id", None) not in (None, getattr(provider, "pk", None)):
                self.add_error("agreement", f"Choose a template of {provider.name} or a starter one.")
            cleaned["agreement_choice"] = agreement
        elif not (cleaned.get("title") or "").strip() and "title" not in self.errors:
            self.add_error("title", "Give the contract a title.")
        if start_from == START_LIBRARY:
            if not self.fields["templates"].queryset.exists():
                # An empty checkbox list has nowhere to show a field error.
                self.add_error(None, "The clause library is empty: start from a blank draft or a copy.")
            elif not templates and "templates" not in self.errors:
                self.add_error("templates", "Choose at least one clause.")
            elif provider is not None and any(t.owner_id != provider.pk for t in templates):
                self.add_error("templates", f"Choose clauses from {provider.name}'s library.")
        return cleaned

    def service_arguments(self) -> dict:
        """The cleaned data as keyword arguments of ``contract_start``."""
        data = self.cleaned_data
        start_from = data["start_from"]
        return {
            "provider": data["provider"],
            "customer": data["customer"],
            "new_customer_name": data["new_customer_name"].strip() if data["customer"] is None else "",
            "new_customer_email": data["new_customer_email"] if data["customer"] is None else "",
            "title": data["title"],
            "currency": data["currency"],
            "monthly_fee": data["monthly_fee"],
            "time_zone": data["time_zone"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "auto_renew": data["auto_renew"],
            "reports_issued_automatically": data["reports_issued_automatically"],
            "dispute_window_days": data["dispute_window_days"] or 14,
            "notice_period_days": data["notice_period_days"],
            "renewal_months": data["renewal_months"],
            "source": data["source"] if start_from == START_COPY else None,
            "templates": list(data["templates"]) if start_from == START_LIBRARY else [],
            "agreement": data.get("agreement_choice") if start_from == START_AGREEMENT else None,
        }


class ClauseForm(forms.Form):
    """One clause's heading, key and both texts, laid out side by side.

    The text fields post to ``preview_url`` as the author types; the preview lands in the
    clause's preview region. With ``read_only`` the form shows the texts and offers no save.
    """

    heading = forms.CharField(max_length=200)
    key = forms.CharField(
        max_length=80,
        validators=[KEY_VALIDATOR],
        help_text="Identifies the clause when versions are compared.",
    )
    legal_text = forms.CharField(
        label="Legal text", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    plain_text = forms.CharField(
        label="Plain text", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, clause: Clause, save_url: str, preview_url: str, **kwargs):
        kwargs.setdefault("auto_id", f"cl{clause.pk}-%s")
        kwargs.setdefault(
            "initial",
            {
                "heading": clause.heading,
                "key": clause.key,
                "legal_text": clause.legal_text,
                "plain_text": clause.plain_text,
            },
        )
        super().__init__(*args, **kwargs)
        form_id = f"cl{clause.pk}-form"
        for name in ("legal_text", "plain_text"):
            self.fields[name].widget.attrs.update(
                {
                    "class": "font-monospace",
                    "hx-post": preview_url,
                    "hx-trigger": PREVIEW_TRIGGER,
                    "hx-target": f"#cl{clause.pk}-preview",
                    "hx-include": f"#{form_id}",
                    # Names the clause, so the consistency panel is checked with its texts too.
                    "hx-vals": json.dumps({"clause": clause.pk}),
                    "hx-swap": "innerHTML",
                }
            )
        self.helper = FormHelper()
        self.helper.form_id = form_id
        self.helper.form_action = save_url
        self.helper.attrs = {
            "hx-post": save_url,
            "hx-target": f"#cl{clause.pk}",
            "hx-swap": "outerHTML",
            # static/js/unsaved.js warns before leaving the page with unsaved clause text.
            "data-unsaved-guard": "",
        }
        self.helper.layout = Layout(
            Row(Column("heading", css_class="col-md-8"), Column("key", css_class="col-md-4")),
            Row(Column("legal_text", css_class="col-md-6"), Column("plain_text", css_class="col-md-6")),
            StrictButton(
                "Save clause",
                type="submit",
                css_class="btn-primary",
                aria_label=f"Save clause {clause.heading}",
            ),
        )


class ClauseAddForm(forms.Form):
    """A new blank clause at the end of the draft."""

    heading = forms.CharField(label="Heading of the new clause", max_length=200)

    def __init__(self, *args, action: str, **kwargs):
        kwargs.setdefault("auto_id", "new-clause-%s")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.layout = Layout(
            FieldWithButtons(
                "heading", StrictButton("Add clause", type="submit", css_class="btn-outline-primary")
            )
        )


class ClauseFromTemplateForm(forms.Form):
    """A clause copied from the provider's library, at the end of the draft."""

    template = forms.ModelChoiceField(label="Clause from the library", queryset=ClauseTemplate.objects.none())

    def __init__(self, *args, templates, action: str, **kwargs):
        kwargs.setdefault("auto_id", "new-clause-template-%s")
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["template"].label_from_instance = _template_label
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.layout = Layout(
            FieldWithButtons(
                "template", StrictButton("Add from library", type="submit", css_class="btn-outline-primary")
            )
        )


class ContractReportsForm(forms.Form):
    """The provider's choice of how the contract's monthly reports reach the customer."""

    next = forms.CharField(required=False, widget=forms.HiddenInput)

    reports_issued_automatically = forms.BooleanField(
        label="Issue monthly reports without review",
        required=False,
        help_text="Email each month's report to the customer as soon as it is made. Left unticked, "
        "reports wait for your review and are emailed when you issue them.",
    )

    def __init__(self, *args, action: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.add_input(OutlineSubmit("save", "Save"))
