"""Contracts between a provider and a customer organisation."""

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from contracts.models.parties import Organisation
from contracts.texts import renewals
from contracts.time_zones import known_time_zones


def validate_time_zone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(f"“{value}” is not a known time zone (use e.g. Europe/Amsterdam).")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    AWAITING_SIGNATURE = "awaiting_signature", "Awaiting signature"
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"


class ReferenceCounter(models.Model):
    """The last contract number issued per year; locked while a reference is generated."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Contract(models.Model):
    """An SLA between a provider and a customer organisation."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    title = models.CharField(max_length=200)
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contracts_as_provider")
    customer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contracts_as_customer")
    currency = models.CharField(
        max_length=3,
        default="EUR",
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code, e.g. EUR.")],
    )
    monthly_fee = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    time_zone = models.CharField(max_length=64, default="Europe/Amsterdam", validators=[validate_time_zone])
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    auto_renew = models.BooleanField(default=False)
    # The renewal terms, named in the texts as ``{{ notice_period }}`` and ``{{ renewal_term }}``:
    # notice to end the contract is due this many days before its end date, and an
    # auto-renewing contract's term rolls forward by ``renewal_months`` on that date.
    notice_period_days = models.PositiveSmallIntegerField(
        default=90,
        validators=[MaxValueValidator(730)],
        help_text="Days before the end date by which either party must give notice to end the contract.",
    )
    renewal_months = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Months the term is extended by each time the contract renews.",
    )
    # The provider's choice: each month's report is held for its review until issued (the
    # default), or issued — emailed to the customer — as soon as it is made.
    reports_issued_automatically = models.BooleanField(
        default=False,
        help_text="Email each month's report to the customer as soon as it is made, without review.",
    )
    # The days after a month's report is issued in which the customer may acknowledge it or
    # dispute its items; the texts name it as ``{{ dispute_window_days }}``.
    dispute_window_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Days after a report is issued in which the customer may dispute it.",
    )
    status = models.CharField(max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(provider=models.F("customer")),
                name="provider_is_not_customer",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def status_label(self) -> str:
        """The status as shown: an active contract whose term has not begun yet says from when."""
        if self.status == ContractStatus.ACTIVE and self.start_date > timezone.localdate(
            timezone=ZoneInfo(self.time_zone)
        ):
            return f"Active from {self.start_date.day} {self.start_date:%B %Y}"
        return self.get_status_display()

    @property
    def notice_deadline(self) -> date | None:
        """The last day on which notice to end the current term may be given (none when open-ended)."""
        if self.end_date is None:
            return None
        return renewals.notice_deadline(self.end_date, self.notice_period_days)

    @property
    def is_internal(self) -> bool:
        """Both parties belong to one company: an internal SLA."""
        return self.provider.company_id == self.customer.company_id
