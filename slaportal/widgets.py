"""Form widgets shared by the apps.

A browser's ``<input type="date">`` takes and gives only ISO dates (2026-12-02); Django
would otherwise render the value in the locale's format (02/12/2026), which the browser
discards, so a default date silently vanished.
"""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
