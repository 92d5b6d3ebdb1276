"""The contract-file import form: validates the upload and the choices, never imports."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms

from contracts.contract_files.export import ContractDocument, ContractFileInvalid, Problem
from contracts.contract_files.parse import parse_contract_file
from contracts.models import Organisation
from slaportal.widgets import DateInput

#: Contract files are text; a realistic one is a few dozen kilobytes.
MAX_FILE_BYTES = 1_000_000


class ContractImportForm(forms.Form):
    """A YAML contract file, the provider it is imported for, and how it was signed.

    ``providers`` are the provider organisations the user drafts contracts for; the file's
    provider must be the chosen one. After ``is_valid()``, ``document`` holds the parsed
    file, and ``problems`` every problem found in it, with its line.
    """

    file = forms.FileField(
        label="Contract file (YAML)",
        help_text="A file exported from the portal, or written by hand as docs/contract-format.md describes.",
    )
    provider = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text="The file's provider must be this organisation.",
    )
    create_customer = forms.BooleanField(
        label="Create the customer organisation if it is not one of your customers yet",
        required=False,
    )
    signed_outside_portal = forms.BooleanField(
        label="This contract was signed outside the portal (on paper or in another tool)",
        required=False,
        help_text="Version 1 is then published, marked as signed outside the portal and put in force.",
    )
    signed_on = forms.DateField(
        label="Signed on",
        required=False,
        widget=DateInput(),
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.document: ContractDocument | None = None
        self.problems: list[Problem] = []
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("file", accept=".yaml,.yml,application/yaml,text/yaml"),
            "provider",
            "create_customer",
            Fieldset("Signing", "signed_outside_portal", "signed_on"),
            Submit("submit", "Import contract"),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB; a contract file is much smaller.")
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                "The file is not UTF-8 text; save it as UTF-8 and try again."
            ) from exc
        try:
            self.document = parse_contract_file(text)
        except ContractFileInvalid as exc:
            self.problems = exc.problems
            raise forms.ValidationError(
                f"The file has {len(exc.problems)} problem(s), listed with their lines; nothing was imported."
            ) from exc
        return upload

    def clean(self):
        cleaned = super().clean()
        signed, signed_on = cleaned.get("signed_outside_portal"), cleaned.get("signed_on")
        if signed and not signed_on:
            self.add_error("signed_on", "Give the date it was signed.")
        if signed_on and not signed:
            self.add_error("signed_outside_portal", "Tick this to import it as signed on that date.")
        provider = cleaned.get("provider")
        if self.document is not None and provider is not None and self.document.provider != provider.name:
            self.add_error(
                "provider",
                f"The file names “{self.document.provider}” as the provider, not {provider.name}: "
                "you can import contracts only for an organisation you draft contracts for.",
            )
        return cleaned
