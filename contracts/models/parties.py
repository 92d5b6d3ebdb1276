"""The parties to contracts: organisations, the people in them, and invitations."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from contracts.branding.colours import normalise_hex, text_colour_on
from contracts.time_zones import known_time_zones


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


def validate_display_time_zone(value: str) -> None:
    if value and value not in known_time_zones():
        raise ValidationError(
            f"“{value}” is not a known time zone. Pick one from the list, e.g. Europe/Amsterdam."
        )


class User(AbstractUser):
    """A person. People sign in with their email address."""

    username = None
    email = models.EmailField("email address", unique=True)
    # Only how times are shown to this person; empty: their organisation's default zone, else
    # the contract's zone on its pages and UTC elsewhere.
    display_time_zone = models.CharField(
        max_length=64, blank=True, default="", validators=[validate_display_time_zone]
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


def validate_accent_colour(value: str) -> None:
    try:
        normalise_hex(value)
    except ValueError:
        raise ValidationError("Enter the colour as # and six hex digits, e.g. #1f6feb.") from None


class Organisation(models.Model):
    """A party to contracts: a company, or a department inside one.

    Any organisation can be the provider in one contract and the customer in another.
    Departments name their company as ``parent``; a contract between two organisations of
    the same company is an internal SLA.
    """

    # Not unique: a taken name must not reveal that another tenant's organisation exists.
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
        help_text="The company this department belongs to (for internal SLAs).",
    )
    is_provider = models.BooleanField(
        "provides services",
        default=False,
        help_text="Drafts contracts as a provider (an MSP, or an internal IT department).",
    )
    # Branding, shown to the customers of the contracts this organisation provides: on the
    # contract's pages, in newly rendered PDFs and in emails. The logo is stored as the PNG
    # that contracts.branding.logos re-encoded from the upload, never the upload itself.
    logo = models.FileField(upload_to="branding/", blank=True, editable=False)
    accent_colour = models.CharField(
        max_length=7,
        blank=True,
        validators=[validate_accent_colour],
        help_text="A colour as #rrggbb, used for the band with your logo on contract pages and PDFs.",
    )
    # How times are shown to members who picked no zone of their own (only what is shown).
    default_time_zone = models.CharField(
        max_length=64, blank=True, default="", validators=[validate_display_time_zone]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def company_id(self) -> int:
        """The id of the company this organisation belongs to (itself when top-level)."""
        return self.parent_id or self.id

    @property
    def is_department(self) -> bool:
        return self.parent_id is not None

    @property
    def accent(self) -> str:
        """The accent colour as ``#rrggbb``, or empty: a stored value that is not a colour
        (written around the form) is never printed into a style."""
        try:
            return normalise_hex(self.accent_colour) if self.accent_colour else ""
        except ValueError:
            return ""

    @property
    def has_branding(self) -> bool:
        return bool(self.logo or self.accent)

    @property
    def accent_text_colour(self) -> str:
        """White or black, whichever reads better on the accent colour."""
        return text_colour_on(self.accent) if self.accent else ""


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    AUTHOR = "author", "Author"
    SIGNER = "signer", "Signer"
    VIEWER = "viewer", "Viewer"


ROLE_HELP = {
    Role.ADMIN: "Manages members; can also draft, record events and sign.",
    Role.AUTHOR: "Drafts contracts and records events.",
    Role.SIGNER: "Signs contracts for the organisation.",
    Role.VIEWER: "Reads contracts and reports.",
}


class Membership(models.Model):
    """A person's place in an organisation, with their role."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    receives_reports = models.BooleanField(
        "receives monthly reports",
        default=False,
        help_text="Gets each month's compliance reports by email.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"

    @property
    def can_manage_members(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def can_author(self) -> bool:
        return self.role in (Role.ADMIN, Role.AUTHOR)

    @property
    def can_sign(self) -> bool:
        return self.role in (Role.ADMIN, Role.SIGNER)


def new_nonce() -> str:
    return secrets.token_hex(16)


class Invitation(models.Model):
    """A one-time, expiring link that makes a person a member of an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    receives_reports = models.BooleanField("receives monthly reports", default=False)
    # The link's token is an HMAC of id and nonce under SECRET_KEY: the database alone
    # cannot produce a working link, and the email task can rebuild it from the row.
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "pending"
