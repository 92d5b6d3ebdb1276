"""Forms of signing: send for signature, sign, decline, verify a PDF. They validate; the
services in ``contracts.services.signing`` act."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms

from contracts.models import Contract, Membership, Side
from contracts.services.signing import DEADLINE_DAYS, REMIND_EVERY_DAYS, SignerSpec

ORDER_CHOICES = [
    ("customer_first", "The customer signs first, then the provider countersigns"),
    ("provider_first", "The provider signs first, then the customer"),
    ("together", "Everyone at once, in any order"),
]
MAX_UPLOAD_BYTES = 25 * 1024 * 1024


def _label(membership: Membership) -> str:
    user = membership.user
    name = user.get_full_name()
    return f"{name} <{user.email}>" if name else user.email


class SendForm(forms.Form):
    """Who signs for each party, and in which order."""

    customer_signers = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Signers for the customer"
    )
    customer_invite = forms.EmailField(
        required=False,
        label="Invite another signer for the customer (email)",
        help_text="They get an invitation to join as a signer, then the signing link.",
    )
    provider_signers = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Signers for the provider"
    )
    order = forms.ChoiceField(
        choices=ORDER_CHOICES, initial="customer_first", widget=forms.RadioSelect, label="Order"
    )
    remind_every_days = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=60,
        initial=REMIND_EVERY_DAYS,
        label="Remind signers every (days)",
        help_text="Whoever's turn it is gets a reminder this often until they sign; 0 for never.",
    )
    deadline_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=365,
        initial=DEADLINE_DAYS,
        label="Signing deadline (days)",
        help_text="Unsigned by then, the request expires and you are told.",
    )

    def __init__(self, *args, contract: Contract, candidates: dict[str, list[Membership]], **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.candidates = {side: {str(m.pk): m for m in members} for side, members in candidates.items()}
        for side in ("customer", "provider"):
            field = self.fields[f"{side}_signers"]
            field.choices = [(pk, _label(m)) for pk, m in self.candidates[side].items()]
            organisation = contract.customer if side == "customer" else contract.provider
            field.label = f"Signers for {organisation.name} ({side})"
            if len(field.choices) == 1:
                field.initial = [field.choices[0][0]]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "customer_signers",
            "customer_invite",
            "provider_signers",
            "order",
            "remind_every_days",
            "deadline_days",
            Submit("send", "Send for signature", css_class="btn-primary"),
        )

    def clean(self):
        data = super().clean()
        customer = data.get("customer_signers") or []
        if not customer and not data.get("customer_invite"):
            self.add_error("customer_signers", "Choose or invite at least one signer for the customer.")
        if not data.get("provider_signers"):
            self.add_error("provider_signers", "Choose at least one signer for the provider.")
        return data

    def clean_remind_every_days(self):
        value = self.cleaned_data.get("remind_every_days")
        return REMIND_EVERY_DAYS if value is None else value

    def clean_deadline_days(self):
        value = self.cleaned_data.get("deadline_days")
        return DEADLINE_DAYS if value is None else value

    def signer_specs(self) -> list[SignerSpec]:
        order = self.cleaned_data["order"]
        rank = {
            "customer_first": {Side.CUSTOMER: 1, Side.PROVIDER: 2},
            "provider_first": {Side.PROVIDER: 1, Side.CUSTOMER: 2},
            "together": {Side.CUSTOMER: 1, Side.PROVIDER: 1},
        }[order]
        specs = []
        for side, organisation in (
            (Side.CUSTOMER, self.contract.customer),
            (Side.PROVIDER, self.contract.provider),
        ):
            for pk in self.cleaned_data.get(f"{side}_signers") or []:
                membership = self.candidates[side][pk]
                specs.append(
                    SignerSpec(organisation=organisation, side=side, order=rank[side], user=membership.user)
                )
        invite = self.cleaned_data.get("customer_invite")
        if invite:
            specs.append(
                SignerSpec(
                    organisation=self.contract.customer,
                    side=Side.CUSTOMER,
                    order=rank[Side.CUSTOMER],
                    email=invite,
                )
            )
        return specs


class SignForm(forms.Form):
    """Consent, the typed full name, and the hash of the document the signer was shown."""

    agree = forms.BooleanField(
        required=True,
        error_messages={"required": "Tick the box to confirm that you have read and agree to the agreement."},
    )
    typed_name = forms.CharField(
        max_length=200,
        label="Your full name",
        error_messages={"required": "Type your full name to sign."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    shown_sha256 = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, consent_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agree"].label = consent_text
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("agree"), Field("typed_name"), "shown_sha256")


class DeclineForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Why do you decline?",
        error_messages={"required": "Say why you decline, so the provider can change the contract."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class VerifyForm(forms.Form):
    file = forms.FileField(label="Signed PDF", error_messages={"required": "Choose a PDF file to check."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = "application/pdf,.pdf"
        self.helper = FormHelper()
        self.helper.layout = Layout("file", Submit("verify", "Check the file", css_class="btn-primary"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "The file is larger than 25 MB: this is not a signed contract of the portal."
            )
        return upload
