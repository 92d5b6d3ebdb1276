"""The notification preferences: email per kind, and for provider staff which warnings."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms

from notifications.models import WARNING_KINDS, Delivery, Kind

# Kinds only the provider's staff are ever told of.
PROVIDER_KINDS = {Kind.WARNING, Kind.DISPUTE_RAISED}


def _field_name(kind: str) -> str:
    return f"email_{kind}"


class PreferencesForm(forms.Form):
    warning_kinds = forms.MultipleChoiceField(
        label="Warnings I am told of",
        choices=WARNING_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    all_contracts = forms.TypedChoiceField(
        label="For which contracts",
        choices=[("1", "Every contract my organisation provides"), ("0", "Only the contracts chosen below")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    contracts = forms.ModelMultipleChoiceField(
        label="Contracts", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, contracts, deliveries: dict[str, str], provider_staff: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        email_fields = []
        self.kinds = [kind for kind in Kind if provider_staff or kind not in PROVIDER_KINDS]
        for kind in self.kinds:
            name = _field_name(kind.value)
            self.fields[name] = forms.ChoiceField(
                label=kind.label, choices=Delivery.choices, initial=deliveries[kind.value]
            )
            email_fields.append(name)
        self.fields["contracts"].queryset = contracts
        layout = [Fieldset("Email, per kind of notification", *email_fields)]
        if provider_staff:
            layout.append(Fieldset("Warnings before a breach", "warning_kinds", "all_contracts", "contracts"))
        else:
            for name in ("warning_kinds", "all_contracts", "contracts"):
                del self.fields[name]
        self.provider_staff = provider_staff
        self.helper = FormHelper()
        self.helper.layout = Layout(*layout, Submit("save", "Save preferences"))

    def clean(self):
        data = super().clean()
        if self.provider_staff and data.get("all_contracts") is False and not data.get("contracts"):
            self.add_error("contracts", "Choose at least one contract, or every contract.")
        return data

    def deliveries(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data[_field_name(kind.value)] for kind in self.kinds}
