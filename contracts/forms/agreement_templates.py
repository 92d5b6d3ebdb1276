"""Saving a contract as an agreement template."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms


class AgreementTemplateSaveForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="Offered under this name when a contract is started.")
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="When to use it (optional)."
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("name", "description", Submit("save", "Save as template"))
