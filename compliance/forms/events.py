"""Forms of the event pages. They validate input; the services in ``compliance.services``
check it against the contract's terms and write it.

Times are entered on the contract's local clock (the pages say which zone); they are stored
in UTC.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse
from django.utils.text import Truncator

from compliance.engine.periods import parse_period
from compliance.models import Cause, Priority
from compliance.models.events import EVENT_FIELDS
from compliance.selectors.events import EventTerms
from compliance.services.rows import Invalid, parse_instant
from slaportal.widgets import DateInput

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
FIELD_NAMES = {kind: list(names) for kind, names in EVENT_FIELDS.items()}


class LocalDateTimeField(forms.DateTimeField):
    """A date and time on the contract's local clock (``datetime-local`` input)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 60}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *, tz: tzinfo, **kwargs) -> None:
        self.tz = tz
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(self.tz).replace(tzinfo=None)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = value if isinstance(value, datetime) else str(value).strip()
        try:
            return parse_instant(text, self.tz)
        except Invalid as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


def _helper(label: str, name: str = "save") -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit(name, label))
    return helper


def _event_helper(label: str) -> FormHelper:
    """An event form's helper: leaving the page (or adding a pause) with unsaved changes in
    it asks first (static/js/unsaved.js)."""
    helper = _helper(label)
    helper.form_id = "event-form"
    helper.attrs = {"data-unsaved-guard": ""}
    return helper


def _zone_help(terms: EventTerms) -> str:
    return f"Local time in the contract's time zone ({terms.contract.time_zone}); stored in UTC."


def _cause_fields(form: forms.Form, terms: EventTerms) -> None:
    services = sorted(terms.services)
    form.fields["service"] = forms.ChoiceField(
        choices=[("", "Choose a service")]
        + [(name, name if terms.services[name] else f"{name} (out of scope)") for name in services],
        help_text=f"The services of {terms.version_label}.",
    )
    form.fields["cause"] = forms.ChoiceField(choices=Cause.choices, initial=Cause.PROVIDER)
    form.fields["responsibility"] = forms.ChoiceField(
        required=False,
        choices=[("", "None")]
        + [
            (key, f"{key}: {Truncator(duty).words(12)}")
            for key, duty in sorted(terms.responsibilities.items())
        ],
        help_text="When the cause is the customer: the responsibility it breached.",
    )
    form.fields["summary"] = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _external_id_field() -> forms.CharField:
    return forms.CharField(
        label="External id",
        required=False,
        max_length=100,
        help_text="The ticket or alert id in your tool; left empty, the portal makes one up.",
    )


class IncidentForm(forms.Form):
    """Record or change an incident; pauses are added on the incident's page."""

    def __init__(self, *args, terms: EventTerms, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        tz, zone_help = terms.tz, _zone_help(terms)
        self.fields["external_id"] = _external_id_field()
        _cause_fields(self, terms)
        self.fields["priority"] = forms.ChoiceField(choices=[("", "Choose a priority"), *Priority.choices])
        self.fields["opened_at"] = LocalDateTimeField(tz=tz, label="Opened at", help_text=zone_help)
        self.fields["first_response_at"] = LocalDateTimeField(
            tz=tz, label="First response at", required=False, help_text=zone_help
        )
        self.fields["resolved_at"] = LocalDateTimeField(
            tz=tz, label="Resolved at", required=False, help_text=zone_help
        )
        self.fields["reopened"] = forms.BooleanField(required=False, label="Reopened after being resolved")
        self.order_fields(FIELD_NAMES["incidents"])
        self.helper = _event_helper("Save incident")


class OutageForm(forms.Form):
    def __init__(self, *args, terms: EventTerms, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        tz, zone_help = terms.tz, _zone_help(terms)
        self.fields["external_id"] = _external_id_field()
        _cause_fields(self, terms)
        self.fields["start"] = LocalDateTimeField(tz=tz, label="Down from", help_text=zone_help)
        self.fields["end"] = LocalDateTimeField(
            tz=tz, label="Up again at", required=False, help_text=f"Empty while ongoing. {zone_help}"
        )
        self.fields["planned"] = forms.BooleanField(required=False, label="Planned maintenance")
        self.order_fields(FIELD_NAMES["outages"])
        self.helper = _event_helper("Save outage")


class WorkLogForm(forms.Form):
    external_id = _external_id_field()
    date = forms.DateField(widget=DateInput(), help_text="The day worked.")
    hours = forms.DecimalField(min_value=0.01, max_value=1000, decimal_places=2, max_digits=6)
    person = forms.CharField(label="Who", max_length=120)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    billable = forms.BooleanField(required=False, label="Billable outside the contract")

    def __init__(self, *args, terms: EventTerms, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _event_helper("Save work log")


class PauseForm(forms.Form):
    """A stretch of time the provider waited on the customer."""

    def __init__(self, *args, terms: EventTerms, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        zone_help = _zone_help(terms)
        self.fields["start"] = LocalDateTimeField(tz=terms.tz, label="Waiting from", help_text=zone_help)
        self.fields["end"] = LocalDateTimeField(
            tz=terms.tz,
            label="Waiting until",
            required=False,
            help_text=f"Empty while still waiting. {zone_help}",
        )
        self.helper = _helper("Add pause", "add_pause")


FORMS = {"incidents": IncidentForm, "outages": OutageForm, "worklogs": WorkLogForm}


def initial_of(event, kind: str) -> dict:
    """The form's initial values for a stored event."""
    return {name: getattr(event, name) for name in FIELD_NAMES[kind]}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file", help_text="UTF-8, comma-separated, the first line names the columns."
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"
        self.helper = _helper("Import", "import")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        return upload


class PeriodForm(forms.Form):
    """The month to list (YYYY-MM, on the contract's clock); empty lists every month."""

    period = forms.CharField(
        required=False,
        label="Month",
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )

    def clean_period(self) -> tuple[int, int] | None:
        text = self.cleaned_data["period"]
        if not text:
            return None
        try:
            return parse_period(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class ApiTokenForm(forms.Form):
    """A new API token: what uses it, and optionally the one organisation it may act for."""

    name = forms.CharField(max_length=100, help_text="What will use it, e.g. “Ticketing export”.")
    organisation = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="All my organisations",
        help_text="Limit the token to the contracts of one of your organisations.",
    )

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = _helper("Create token", "create_token")
        self.helper.form_action = reverse("compliance:api_token_create")
