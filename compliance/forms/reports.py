"""Forms of the report pages: the month to regenerate."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from compliance.engine.periods import format_period, parse_period
from slaportal.widgets import OutlineSubmit


class RegenerateForm(forms.Form):
    """The month whose report to make again (YYYY-MM, on the contract's clock)."""

    period = forms.CharField(
        label="Month",
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
        help_text="A new revision is made when the terms or events of that month changed.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(OutlineSubmit("regenerate", "Regenerate the report"))

    def clean_period(self) -> str:
        try:
            return format_period(*parse_period(self.cleaned_data["period"].strip()))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class MonthForm(forms.Form):
    """A month, YYYY-MM (the review page, issuing all held reports, an amendment)."""

    period = forms.CharField(
        label="Month", widget=forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
    )

    def clean_period(self) -> str:
        try:
            return format_period(*parse_period(self.cleaned_data["period"].strip()))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class AmendmentIssueForm(MonthForm):
    """Issue an amendment: the month, and why its figures changed (printed on the report's
    first page and in the email)."""

    reason = forms.CharField(
        label="Why the figures changed",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to the customer on the amended report and in its email, e.g. "
        "“An outage on 25 March was recorded late by the monitoring import.”",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].widget = forms.HiddenInput()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("issue", "Issue the amended report", css_class="btn-primary"))
