"""The Renewals page's one filter: how many days ahead to look."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from slaportal.widgets import DateInput

DEFAULT_WINDOW_DAYS = 90


class RenewalWindowForm(forms.Form):
    days = forms.IntegerField(
        label="Ending or notice due within (days)",
        min_value=1,
        max_value=730,
        required=False,
        help_text="From today, on each contract's own clock.",
    )

    def window(self) -> int | None:
        """The days asked for (90 when not given); None when the input is not a number of days."""
        if not self.is_valid():
            return None
        return self.cleaned_data["days"] or DEFAULT_WINDOW_DAYS


class ContractTermForm(forms.Form):
    """The term and renewal terms of a contract, set while a draft version is open."""

    end_date = forms.DateField(
        required=False, widget=DateInput(), help_text="The last day of the term; empty: open-ended."
    )
    notice_period_days = forms.IntegerField(
        label="Notice period (days)",
        min_value=0,
        max_value=730,
        help_text="Notice to end the contract is due this many days before its end date.",
    )
    renewal_months = forms.IntegerField(
        label="Renewal term (months)",
        min_value=1,
        max_value=120,
        help_text="How long the term is extended each time the contract renews.",
    )
    auto_renew = forms.BooleanField(
        label="Renews automatically",
        required=False,
        help_text="On its end date the term is extended by the renewal term, unless notice was given.",
    )

    def __init__(self, *args, start_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.start_date = start_date
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("end_date"), Column("notice_period_days"), Column("renewal_months")),
            "auto_renew",
            Submit("submit", "Save the term"),
        )

    def clean(self):
        cleaned = super().clean()
        end = cleaned.get("end_date")
        if end is not None and self.start_date is not None and end < self.start_date:
            self.add_error("end_date", "The contract cannot end before it starts.")
        return cleaned
