from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import password_validation

from contracts.branding.colours import normalise_hex
from contracts.branding.logos import MAX_UPLOAD_BYTES
from contracts.models import Membership, Role, User
from contracts.models.parties import ROLE_HELP
from contracts.time_zones import known_time_zones, time_zone_names


def _role_help() -> str:
    return " ".join(f"{Role(role).label}: {text}" for role, text in ROLE_HELP.items())


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER, help_text=_role_help())
    receives_reports = forms.BooleanField(label="Receives monthly reports", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Send invitation"))


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "receives_reports"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save"))


class AcceptInvitationForm(forms.Form):
    """A new member's name and password, checked by the configured password validators."""

    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    password1 = forms.CharField(
        label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Create account and join"))

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords differ.")
        if p1:
            probe = User(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class BrandingForm(forms.Form):
    """A provider's accent colour and, optionally, a new logo (checked by the service)."""

    accent_colour = forms.CharField(
        label="Accent colour",
        required=False,
        widget=forms.TextInput(attrs={"type": "color", "class": "form-control-color"}),
        help_text="The band with your logo on your contracts' pages and PDFs; its text is set "
        "in white or black, whichever reads better.",
    )
    no_accent = forms.BooleanField(label="No accent colour", required=False)
    logo = forms.FileField(
        label="Logo",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text="PNG, JPEG or WebP, at most 1 MB and 2000×2000 pixels. It is re-encoded as "
        "PNG and scaled to at most 160 pixels high.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", "Save branding"))

    def clean_accent_colour(self):
        value = self.cleaned_data.get("accent_colour", "")
        if not value:
            return ""
        try:
            return normalise_hex(value)
        except ValueError:
            raise forms.ValidationError("Enter the colour as # and six hex digits, e.g. #1f6feb.") from None

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            # Refused before reading: the service would refuse it too, after loading it all.
            raise forms.ValidationError(
                f"The logo is {upload.size / 1024 / 1024:.1f} MB; the limit is 1 MB.", code="too_large"
            )
        return upload.read()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("no_accent"):
            cleaned["accent_colour"] = ""
        return cleaned


class DisplayTimeZoneForm(forms.Form):
    """The zone a person wants times shown in: typed or picked from the list of zone names."""

    display_time_zone = forms.CharField(
        label="Display time zone",
        required=False,
        max_length=64,
        help_text=(
            "Times on pages and in your emails are shown in this zone, each with the zone named. "
            "Type to search, e.g. “New York” or “Europe/Amsterdam”. Leave empty for your "
            "organisation's default zone, or, without one, a contract's times in the contract's zone "
            "and other times in UTC. Event times and sealed PDFs stay on the contract's clock."
        ),
        widget=forms.TextInput(
            attrs={"list": "time-zone-names", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "display-time-zone-form"
        self.helper.add_input(Submit("save", "Save time zone"))

    @staticmethod
    def zone_names() -> list[str]:
        """Every zone name, for the datalist the field searches."""
        return list(time_zone_names())

    def clean_display_time_zone(self) -> str:
        # "America/New York" and "america/new_york" as typed mean the zone of that name.
        typed = self.cleaned_data["display_time_zone"].strip().replace(" ", "_")
        if not typed:
            return ""
        by_lower = {name.lower(): name for name in known_time_zones()}
        if typed.lower() not in by_lower:
            raise forms.ValidationError(
                f"“{typed}” is not a known time zone. Pick one from the list, e.g. Europe/Amsterdam."
            )
        return by_lower[typed.lower()]


class OrganisationTimeZoneForm(DisplayTimeZoneForm):
    """The zone an organisation's members see times in when they picked none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["display_time_zone"]
        field.label = "Default time zone"
        field.help_text = (
            "Members who picked no zone on their profile see times on pages and in emails in this "
            "zone, each with the zone named. Leave empty for each contract's zone on its pages and "
            "UTC elsewhere. Event times and sealed PDFs stay on the contract's clock."
        )
        self.helper.form_id = "default-time-zone-form"
        self.helper.inputs = []
        self.helper.add_input(Submit("save", "Save default time zone"))
