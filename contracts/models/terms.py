"""The terms of a version: every number the clause texts mention and the compliance engine uses.

Parameters are the named values substituted into both renderings; service levels point at
them for their targets, so "the availability target IS ``uptime_target``". The other rows
(scope, calendars, maintenance windows, credit tiers and cap, hours commitment, customer
responsibilities) are converted to the engine's plain values by ``compliance.selectors.contract_terms``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import holidays as holidays_package
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from contracts.models.versions import Version, VersionPart
from contracts.texts.durations import DurationError, parse_duration
from contracts.texts.extra_holidays import ExtraHoliday, extra_holiday_of, extra_holidays_of
from contracts.texts.hours import parse_time_range
from contracts.texts.wording import WEEKDAYS, format_parameter

NAME_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]*\Z",
    "Use lower-case letters, digits and underscores, starting with a letter (e.g. uptime_target).",
)


# ---------------------------------------------------------------- parameters


class ParameterKind(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage"
    DURATION = "duration", "Duration (minutes)"
    MONEY = "money", "Amount of money"
    DATE = "date", "Date"
    TEXT = "text", "Text"
    INTEGER = "integer", "Whole number"


def _decimal(raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValidationError(f"“{raw}” is not a number.") from exc
    if not value.is_finite():
        raise ValidationError(f"“{raw}” is not a number.")
    return value


def parse_parameter_value(kind: str, raw, *, business_time: bool = False) -> Decimal | int | date | str:
    """The typed value of ``raw`` for a parameter of ``kind``, or ``ValidationError``.

    percentage → Decimal in 0–100; duration → whole minutes (``240``, ``"4h"``, ``"1h 30m"``,
    ``"1 day"``; no days when counted in business time, see ``contracts.texts.durations``);
    money → Decimal ≥ 0 with at most two decimals; date → ``date`` from ISO text; integer →
    ``int``; text → non-empty stripped text. Floats are refused: they cannot hold 99.9.
    """
    if isinstance(raw, float):
        raise ValidationError("Give the value as text or Decimal, not a float.")
    if kind == ParameterKind.PERCENTAGE:
        value = _decimal(str(raw).strip().removesuffix("%"))
        if not Decimal(0) <= value <= Decimal(100):
            raise ValidationError(f"A percentage lies between 0 and 100, not {value}.")
        return value
    if kind == ParameterKind.DURATION:
        if isinstance(raw, timedelta):
            minutes, rest = divmod(raw, timedelta(minutes=1))
            if rest:
                raise ValidationError("A duration is a whole number of minutes.")
            return _positive_minutes(minutes)
        if isinstance(raw, int) and not isinstance(raw, bool):
            return _positive_minutes(raw)
        try:
            return parse_duration(str(raw), business_time=business_time)
        except DurationError as exc:
            raise ValidationError(str(exc)) from exc
    if kind == ParameterKind.MONEY:
        value = _decimal(raw)
        if value < 0:
            raise ValidationError("An amount of money cannot be negative.")
        if value.as_tuple().exponent < -2:
            raise ValidationError("An amount of money has at most two decimals.")
        return value.quantize(Decimal("0.01"))
    if kind == ParameterKind.DATE:
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw).strip())
        except ValueError as exc:
            raise ValidationError(f"“{raw}” is not a date; write it as YYYY-MM-DD.") from exc
    if kind == ParameterKind.INTEGER:
        text = str(raw).strip()
        if isinstance(raw, bool) or not re.fullmatch(r"-?\d+", text):
            raise ValidationError(f"“{raw}” is not a whole number.")
        return int(text)
    if kind == ParameterKind.TEXT:
        text = str(raw).strip()
        if not text:
            raise ValidationError("A text parameter needs a value.")
        return text
    raise ValidationError(f"Unknown parameter type “{kind}”.")


def _positive_minutes(minutes: int) -> int:
    if minutes <= 0:
        raise ValidationError("A duration is at least one minute.")
    return minutes


def parameter_value_text(kind: str, raw, *, business_time: bool = False) -> str:
    """The canonical stored text of ``raw`` for ``kind`` (validated)."""
    value = parse_parameter_value(kind, raw, business_time=business_time)
    return value.isoformat() if isinstance(value, date) else str(value)


class Parameter(VersionPart):
    """A named value of the contract, substituted into both renderings as ``{{ name }}``."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="parameters")
    name = models.CharField(max_length=60, validators=[NAME_VALIDATOR])
    kind = models.CharField(max_length=12, choices=ParameterKind.choices)
    value = models.TextField(help_text="Stored as canonical text; see typed_value.")
    business_time = models.BooleanField(
        default=False, help_text="For durations: shown as business hours rather than hours."
    )
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["version", "name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="parameter_name_unique_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} = {self.value}"

    def clean(self) -> None:
        super().clean()
        try:
            self.value = parameter_value_text(self.kind, self.value, business_time=self.business_time)
        except ValidationError as exc:
            raise ValidationError({"value": exc.messages}) from exc

    @property
    def typed_value(self) -> Decimal | int | date | str:
        return parse_parameter_value(self.kind, self.value)

    def display(self, *, currency: str = "EUR") -> str:
        """The value as the texts show it: "99.9%", "4 business hours", "EUR 1,200.00"."""

        return format_parameter(
            self.kind, self.typed_value, currency=currency, business_time=self.business_time
        )


# ---------------------------------------------------------------- scope


class Service(VersionPart):
    """A system or service named in the scope, in scope or explicitly out of it."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=120)
    in_scope = models.BooleanField(default=True)
    out_of_scope_reason = models.CharField(
        max_length=300, blank=True, help_text="E.g. supported by the copier supplier under its own contract."
    )

    class Meta:
        ordering = ["version", "-in_scope", "name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="service_name_unique_per_version"),
        ]

    def __str__(self) -> str:
        return self.name if self.in_scope else f"{self.name} (out of scope)"


# ---------------------------------------------------------------- calendars and maintenance


def validate_business_hours(hours) -> None:
    """``{"0": "09:00-17:00", …}``: weekday (Monday = 0) → comma-separated local time ranges."""
    if not isinstance(hours, dict):
        raise ValidationError("Business hours are a mapping of weekday to time ranges.")
    for weekday, spec in hours.items():
        if str(weekday) not in {str(n) for n in range(7)}:
            raise ValidationError(f"Weekday must be 0 (Monday) to 6 (Sunday), not {weekday!r}.")
        if not isinstance(spec, str) or not spec.strip():
            raise ValidationError(f"{WEEKDAYS[int(weekday)]}: give time ranges like 09:00-17:00.")
        for part in spec.split(","):
            try:
                parse_time_range(part)
            except ValueError as exc:
                raise ValidationError(f"{WEEKDAYS[int(weekday)]}: {exc}") from exc


def validate_extra_holidays(value) -> None:
    """A list of ``{"date": "YYYY-MM-DD", "name": "…"}`` (bare dates from older rows pass too)."""
    if not isinstance(value, list):
        raise ValidationError("Extra holidays are a list of dates with their names.")
    for item in value:
        try:
            extra_holiday_of(item)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class Calendar(VersionPart):
    """When a service level's clock runs: 24×7, or business hours minus public holidays."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="calendars")
    name = models.CharField(max_length=80)
    around_the_clock = models.BooleanField("24×7", default=False)
    hours = models.JSONField(
        default=dict,
        blank=True,
        validators=[validate_business_hours],
        help_text='Weekday (0 = Monday) → ranges, e.g. {"0": "09:00-17:00"}; missing weekdays are closed.',
    )
    holiday_country = models.CharField(max_length=3, blank=True, help_text="ISO 3166 code, e.g. NL.")
    holiday_subdivision = models.CharField(max_length=40, blank=True, help_text="E.g. BY for Bavaria.")
    extra_holidays = models.JSONField(default=list, blank=True, validators=[validate_extra_holidays])

    class Meta:
        ordering = ["version", "name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="calendar_name_unique_per_version"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if not self.around_the_clock and not self.hours:
            raise ValidationError({"hours": "Give business hours, or make the calendar 24×7."})
        if self.holiday_subdivision and not self.holiday_country:
            raise ValidationError({"holiday_country": "A subdivision needs its country."})
        if self.holiday_country:
            supported = holidays_package.list_supported_countries()
            if self.holiday_country not in supported:
                raise ValidationError(
                    {"holiday_country": f"No public holidays known for “{self.holiday_country}”."}
                )
            if self.holiday_subdivision and self.holiday_subdivision not in supported[self.holiday_country]:
                raise ValidationError(
                    {
                        "holiday_subdivision": (
                            f"“{self.holiday_subdivision}” is not a subdivision of {self.holiday_country}."
                        )
                    }
                )

    @property
    def named_extra_holidays(self) -> list[ExtraHoliday]:
        """The extra holidays with their names, in date order."""
        return extra_holidays_of(self.extra_holidays)

    @property
    def extra_holiday_dates(self) -> list[date]:
        """The dates alone, as the compliance engine counts them."""
        return [holiday.day for holiday in self.named_extra_holidays]


class MaintenanceWindow(VersionPart):
    """A recurring planned maintenance window, excluded from the service levels."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="maintenance_windows")
    weekday = models.PositiveSmallIntegerField(
        choices=[(n, name) for n, name in enumerate(WEEKDAYS)], validators=[MaxValueValidator(6)]
    )
    start = models.TimeField(help_text="Local time in the contract's time zone.")
    duration_minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(7 * 24 * 60)]
    )
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["version", "weekday", "start"]

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.start:%H:%M} for {self.duration_minutes} min"


# ---------------------------------------------------------------- service levels and credits


class Metric(models.TextChoices):
    AVAILABILITY = "availability", "Availability"
    FIRST_RESPONSE = "first_response", "First response"
    RESOLUTION = "resolution", "Resolution"
    CUSTOM = "custom", "Custom KPI"


class Priority(models.TextChoices):
    ALL = "", "All priorities"
    P1 = "P1", "P1"
    P2 = "P2", "P2"
    P3 = "P3", "P3"
    P4 = "P4", "P4"


class ServiceLevel(VersionPart):
    """A measurable target per calendar month: metric, service, priority, target, calendar.

    For response and resolution, ``share`` is the percentage of tickets that must meet the
    target (none: every ticket); availability does not use it.
    """

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="service_levels")
    key = models.CharField(max_length=60, validators=[NAME_VALIDATOR])
    name = models.CharField(max_length=120)
    metric = models.CharField(max_length=20, choices=Metric.choices)
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="service_levels",
        help_text="Empty: all services in scope.",
    )
    priority = models.CharField(max_length=2, choices=Priority.choices, blank=True, default=Priority.ALL)
    target = models.ForeignKey(Parameter, on_delete=models.RESTRICT, related_name="targeted_by")
    share = models.ForeignKey(
        Parameter, null=True, blank=True, on_delete=models.RESTRICT, related_name="share_of"
    )
    calendar = models.ForeignKey(
        Calendar, null=True, blank=True, on_delete=models.RESTRICT, related_name="service_levels"
    )
    remove_excluded_from_measured = models.BooleanField(
        default=False, help_text="Excluded time is taken out of the measured time instead of counting as met."
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Place in the version's list of service levels (1 first), as the texts show it."
    )

    class Meta:
        ordering = ["version", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="service_level_key_unique_per_version"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        for field in ("service", "target", "share", "calendar"):
            related_id = getattr(self, f"{field}_id")
            if related_id is not None and getattr(self, field).version_id != self.version_id:
                raise ValidationError({field: "Choose one of this version's own terms."})


class CreditKind(models.TextChoices):
    PERCENT_OF_FEE = "percent_of_fee", "Percent of the monthly fee"
    FIXED_AMOUNT = "fixed_amount", "Fixed amount"
    HOURS = "hours", "Hours of work"


class CreditTier(VersionPart):
    """Achieved strictly below ``below`` percent → a credit of ``value`` (per ``kind``)."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="credit_tiers")
    service_level = models.ForeignKey(ServiceLevel, on_delete=models.CASCADE, related_name="credit_tiers")
    below = models.DecimalField(
        max_digits=7, decimal_places=4, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    kind = models.CharField(max_length=20, choices=CreditKind.choices, default=CreditKind.PERCENT_OF_FEE)
    value = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["version", "service_level", "-below"]
        constraints = [
            models.UniqueConstraint(fields=["service_level", "below"], name="credit_tier_threshold_unique"),
        ]

    def __str__(self) -> str:
        return f"below {self.below}% → {self.value} ({self.kind})"

    def clean(self) -> None:
        super().clean()
        if self.service_level_id is not None and self.service_level.version_id != self.version_id:
            raise ValidationError({"service_level": "Choose one of this version's own service levels."})
        if self.kind == CreditKind.PERCENT_OF_FEE and self.value is not None and self.value > 100:
            raise ValidationError({"value": "A credit is at most 100% of the monthly fee."})


class CapKind(models.TextChoices):
    PERCENT_OF_FEE = "percent_of_fee", "Percent of the monthly fee"
    AMOUNT = "amount", "Amount"


class CreditCap(VersionPart):
    """The most credited per period over all service levels together (compliance.engine.credits)."""

    version = models.OneToOneField(Version, on_delete=models.CASCADE, related_name="credit_cap")
    kind = models.CharField(max_length=20, choices=CapKind.choices, default=CapKind.PERCENT_OF_FEE)
    value = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])

    def __str__(self) -> str:
        return f"cap {self.value} ({self.kind})"

    def clean(self) -> None:
        super().clean()
        if self.kind == CapKind.PERCENT_OF_FEE and self.value is not None and self.value > 100:
            raise ValidationError({"value": "A cap is at most 100% of the monthly fee."})


# ---------------------------------------------------------------- hours and responsibilities


class HoursCommitment(VersionPart):
    """Hours of work committed per month, and how long differences carry over."""

    version = models.OneToOneField(Version, on_delete=models.CASCADE, related_name="hours_commitment")
    hours_per_month = models.DecimalField(max_digits=7, decimal_places=2, validators=[MinValueValidator(0)])
    deficit_carry_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Months a shortfall may be made up in; empty: no limit, 0: not carried.",
    )
    surplus_carry_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=0,
        help_text="Months extra hours stay banked; empty: no limit, 0: not banked.",
    )

    def __str__(self) -> str:
        return f"{self.hours_per_month} h/month"


class ResponsibilityCategory(models.TextChoices):
    LICENCES = "licences", "Software licences"
    AUTHORISED_SOFTWARE = "authorised_software", "Authorised software only"
    SECURITY_PRACTICE = "security_practice", "Security practice"
    ACCESS_COOPERATION = "access_cooperation", "Access and cooperation"
    CHANGE_NOTICE = "change_notice", "Notice of changes"
    BACKUPS = "backups", "Backups"
    OTHER = "other", "Other"


class Consequence(models.TextChoices):
    EXCLUDE_FROM_SLA = "exclude_from_sla", "Excluded from the service levels"
    PAUSE_CLOCK = "pause_clock", "Pauses the clock"
    BILLABLE = "billable", "Billable outside the contract"
    INDEMNIFY = "indemnify", "Customer indemnifies the provider"


class Responsibility(VersionPart):
    """A duty of the customer, and what the portal does when it is not met.

    A clause explains it by naming ``{{ responsibility_<key> }}`` or
    ``{{ responsibilities_list }}`` in its text.
    """

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="responsibilities")
    key = models.CharField(max_length=60, validators=[NAME_VALIDATOR])
    duty = models.TextField()
    category = models.CharField(max_length=30, choices=ResponsibilityCategory.choices)
    consequence = models.CharField(max_length=20, choices=Consequence.choices)

    class Meta:
        ordering = ["version", "key"]
        verbose_name_plural = "responsibilities"
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="responsibility_key_unique_per_version"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def placeholder(self) -> str:
        return f"responsibility_{self.key}"
