"""Forms of the provider-wide source pages: adding a source, its settings, and routing a value
to a contract."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from compliance.forms.sources import SourceCreateForm, _parse_pairs


class SharedSourceCreateForm(SourceCreateForm):
    """As a contract's source, with the field that names the contract in each payload."""

    name = forms.CharField(max_length=100, help_text="What sends, e.g. “Central Alertmanager”.")
    route_field = forms.CharField(
        label="Route field",
        max_length=100,
        required=False,
        help_text="Where the payload names the contract: an alert label for Alertmanager and "
        "Grafana (default “contract”), else a dotted path into the body, e.g. "
        "“ticket.organization.name” (Zammad) or “issue.fields.project.key” (Jira). "
        "Empty: the tool's default.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].help_text = ""
        self.helper.attrs = {"aria-label": "Add a provider-wide source"}


class SharedSourceSettingsForm(forms.Form):
    """A provider-wide source's name, route field and rate limit; its URL and secret stay."""

    name = forms.CharField(max_length=100)
    route_field = forms.CharField(
        label="Route field",
        max_length=100,
        help_text=SharedSourceCreateForm.base_fields["route_field"].help_text.removesuffix(
            " Empty: the tool's default."
        ),
    )
    rate_limit = forms.IntegerField(
        label="Rate limit", min_value=1, max_value=100_000, help_text="Deliveries accepted per minute."
    )

    def __init__(self, *args, source, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": source.name,
                "route_field": source.mapping.get("route_field", ""),
                "rate_limit": source.rate_limit,
            },
        )
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"aria-label": "Settings of the source"}
        self.helper.add_input(Submit("save", "Save settings"))


class SourceRouteForm(forms.Form):
    """One route: the value naming a contract, the contract, and its service mapping."""

    match_value = forms.CharField(
        label="Value", max_length=200, help_text="The route field's value for this contract, e.g. “harbour”."
    )
    contract = forms.ModelChoiceField(queryset=None, help_text="A contract your organisation provides.")
    services = forms.CharField(
        label="Services",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "mail-prod = Email"}),
        help_text="One a line: the tool's value = a service of the contract. A value that already "
        "is a service's name needs no line.",
    )
    default_service = forms.CharField(
        required=False, max_length=100, help_text="Used when the tool names no service, or one not mapped."
    )

    def __init__(self, *args, contracts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts
        self.fields["contract"].label_from_instance = lambda c: f"{c.reference} — {c.customer.name}"
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"aria-label": "Route a value to a contract"}
        self.helper.add_input(Submit("route", "Save route"))

    def clean_services(self) -> dict[str, str]:
        return _parse_pairs(self.cleaned_data["services"], None, "a service of the contract")
