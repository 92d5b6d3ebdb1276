"""The Renewals page's one filter: how many days ahead to look."""

from __future__ import annotations

from django import forms

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
