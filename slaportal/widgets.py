"""Form widgets shared by the apps.

A browser's ``<input type="date">`` takes and gives only ISO dates (2026-12-02); Django
would otherwise render the value in the locale's format (02/12/2026), which the browser
discards, so a default date silently vanished.

``OutlineSubmit``: a secondary button that reads as one.
"""

from crispy_forms.layout import Submit
from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OutlineSubmit(Submit):
    """A secondary submit button, outlined. crispy-forms' ``Submit`` always carries
    ``btn-primary``: an outline class added to it gave blue text on a blue button."""

    field_classes = "btn btn-outline-primary"
