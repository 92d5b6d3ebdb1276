"""Forms for calendars, service levels and their credit tiers (see ``contracts.forms.terms``)."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

import holidays as holidays_package
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from contracts.forms.terms import RowChoiceField, TermsForm
from contracts.models.terms import NAME_VALIDATOR, WEEKDAYS, CreditKind, Metric, Priority
from contracts.texts.consistency import TARGET_KINDS
from contracts.texts.extra_holidays import extra_holidays_text, parse_extra_holidays
from contracts.texts.hours import parse_time_range
from contracts.texts.wording import trim

# ---------------------------------------------------------------- calendars


@cache
def holiday_countries() -> list[tuple[str, str]]:
    """(ISO code, "Name (CODE)") of every country the ``holidays`` package knows, by name."""
    from holidays.registry import COUNTRIES

    names = {entry[1]: re.sub(r"(?<=[a-z])(?=[A-Z])", " ", entry[0]) for entry in COUNTRIES.values()}
    codes = [code for code in holidays_package.list_supported_countries() if len(code) == 2]
    return sorted(((code, f"{names.get(code, code)} ({code})") for code in codes), key=lambda c: c[1])


@cache
def holiday_subdivisions() -> dict[str, list[str]]:
    """ISO country code → the subdivision codes the ``holidays`` package knows for it."""
    return {
        code: list(subdivisions)
        for code, subdivisions in holidays_package.list_supported_countries().items()
        if len(code) == 2 and subdivisions
    }


def parse_hours(text: str) -> str:
    """``"9:00-12:00,13:00 - 17:00"`` → ``"09:00-12:00, 13:00-17:00"``; ValidationError
    naming the part that is not a time range."""
    parts = []
    for part in text.split(","):
        try:
            start, end_time = parse_time_range(part)
        except ValueError as exc:
            raise ValidationError(
                f"“{part.strip()}” is not a time range; write 09:00-17:00, or 09:00-12:00, 13:00-17:00."
            ) from exc
        end = "24:00" if end_time.hour == end_time.minute == 0 else f"{end_time:%H:%M}"
        parts.append(f"{start:%H:%M}-{end}")
    return ", ".join(parts)


class CountrySelect(forms.Select):
    """The ~250 holiday countries as a ``<select>``, rendered without a template per option,
    which would cost more than the rest of the terms page together."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((code, " selected" if code == (value or "") else "", label) for code, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class CalendarForm(TermsForm):
    """24×7, or one "from–to" text per weekday; public holidays of a country (and
    subdivision) plus extra dates."""

    unique_field = "name"
    unique_label = "calendar"
    name = forms.CharField(max_length=80)
    around_the_clock = forms.BooleanField(
        label="24×7 (around the clock)", required=False, help_text="The weekday hours are then not used."
    )
    holiday_country = forms.ChoiceField(label="Public holidays of", required=False, widget=CountrySelect)
    holiday_subdivision = forms.CharField(
        label="Region (subdivision)",
        max_length=10,
        required=False,
        help_text="Optional, e.g. BY for Bavaria. Empty: national holidays only.",
    )
    extra_holidays = forms.CharField(
        label="Extra holidays",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line: the date as YYYY-MM-DD, then its name, e.g. 2026-12-24 Company day.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holiday_country"].choices = [("", "No public holidays"), *holiday_countries()]
        datalist_id = self.auto_id % "subdivisions" if self.auto_id else "subdivisions"
        country = self["holiday_country"].value() or ""
        self.fields["holiday_subdivision"].widget.attrs["list"] = datalist_id
        self.fields["holiday_country"].widget.attrs["data-subdivisions-list"] = datalist_id
        options = format_html_join(
            "", '<option value="{}"></option>', ((code,) for code in holiday_subdivisions().get(country, []))
        )
        self.helper.layout.append(HTML(format_html('<datalist id="{}">{}</datalist>', datalist_id, options)))

    def layout(self) -> Layout:
        return Layout(
            Row(Column("name", css_class="col-md-5"), Column("around_the_clock", css_class="col-md-7")),
            Fieldset(
                "Business hours per weekday (empty: closed)",
                Row(*(Column(f"hours_{day}", css_class="col-6 col-md-3 col-xl") for day in range(7))),
            ),
            Row(
                Column("holiday_country", css_class="col-md-5"),
                Column("holiday_subdivision", css_class="col-md-3"),
                Column("extra_holidays", css_class="col-md-4"),
            ),
        )

    def clean(self):
        cleaned = super().clean()
        hours = {}
        for day in range(7):
            text = cleaned.get(f"hours_{day}", "").strip()
            if text:
                try:
                    hours[day] = parse_hours(text)
                except ValidationError as exc:
                    self.add_error(f"hours_{day}", exc)
        cleaned["hours"] = hours
        if not cleaned.get("around_the_clock") and not hours and not self.has_error_on_hours():
            self.add_error(None, "Give business hours for at least one weekday, or make the calendar 24×7.")
        country = cleaned.get("holiday_country", "")
        subdivision = cleaned.get("holiday_subdivision", "").strip()
        if subdivision:
            known = holiday_subdivisions().get(country, [])
            by_upper = {code.upper(): code for code in known}
            if not country:
                self.add_error("holiday_country", "A region needs its country.")
            elif subdivision.upper() not in by_upper:
                choices = ", ".join(known) if known else "none"
                self.add_error("holiday_subdivision", f"Not a region of {country}; known regions: {choices}.")
            else:
                cleaned["holiday_subdivision"] = by_upper[subdivision.upper()]
        text = cleaned.get("extra_holidays", "")
        if isinstance(text, str):
            try:
                cleaned["extra_holidays"] = parse_extra_holidays(text)
            except ValueError as exc:
                self.add_error("extra_holidays", str(exc))
        return cleaned

    def has_error_on_hours(self) -> bool:
        return any(f"hours_{day}" in self.errors for day in range(7))

    @property
    def calendar_data(self) -> dict:
        """The cleaned data as ``services.calendar_create`` / ``calendar_update`` take it."""
        keys = (
            "name",
            "around_the_clock",
            "hours",
            "holiday_country",
            "holiday_subdivision",
            "extra_holidays",
        )
        return {key: self.cleaned_data[key] for key in keys}

    @staticmethod
    def initial_for(calendar) -> dict:
        initial = {
            "name": calendar.name,
            "around_the_clock": calendar.around_the_clock,
            "holiday_country": calendar.holiday_country,
            "holiday_subdivision": calendar.holiday_subdivision,
            "extra_holidays": extra_holidays_text(calendar.named_extra_holidays),
        }
        for day, spec in calendar.hours.items():
            initial[f"hours_{day}"] = spec
        return initial


for _day, _name in enumerate(WEEKDAYS):
    CalendarForm.base_fields[f"hours_{_day}"] = forms.CharField(
        label=_name,
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "09:00-17:00"}),
    )


# ---------------------------------------------------------------- service levels


_KIND_WORDS = {
    "percentage": "a percentage",
    "duration": "a duration",
    "money": "an amount of money",
    "integer": "a whole number",
    "date": "a date",
    "text": "a text",
}
_METRIC_WORDS = {
    "availability": "an availability",
    "first_response": "a first response",
    "resolution": "a resolution",
}


class ServiceLevelForm(TermsForm):
    """A service level over the version's own parameters, services and calendars."""

    unique_field = "key"
    unique_label = "service level"
    key = forms.CharField(max_length=60, validators=[NAME_VALIDATOR], help_text="E.g. availability.")
    name = forms.CharField(max_length=120)
    metric = forms.ChoiceField(choices=Metric.choices)
    service = RowChoiceField(required=False)
    priority = forms.ChoiceField(choices=Priority.choices, required=False)
    target = RowChoiceField(label="Target parameter")
    share = RowChoiceField(
        label="Share of tickets parameter", required=False, help_text="Response and resolution only."
    )
    calendar = RowChoiceField(required=False)
    remove_excluded_from_measured = forms.BooleanField(
        label="Take excluded time out of the measured time",
        required=False,
        help_text="Otherwise excluded time counts as met.",
    )

    def __init__(self, *args, terms, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        currency = terms.contract.currency

        def parameter_label(parameter) -> str:
            return f"{parameter.name} ({parameter.display(currency=currency)})"

        self.fields["service"].set_rows(
            terms.services,
            label_of=lambda s: s.name if s.in_scope else f"{s.name} (out of scope)",
            empty_label="All services in scope",
        )
        self.fields["target"].set_rows(terms.parameters, label_of=parameter_label, empty_label="Choose…")
        self.fields["share"].set_rows(terms.parameters, label_of=parameter_label, empty_label="Every ticket")
        self.fields["calendar"].set_rows(terms.calendars, empty_label="No calendar")

    def layout(self) -> Layout:
        return Layout(
            Row(Column("key", css_class="col-md-4"), Column("name", css_class="col-md-8")),
            Row(
                Column("metric", css_class="col-md-4"),
                Column("service", css_class="col-md-4"),
                Column("priority", css_class="col-md-4"),
            ),
            Row(
                Column("target", css_class="col-md-4"),
                Column("share", css_class="col-md-4"),
                Column("calendar", css_class="col-md-4"),
            ),
            "remove_excluded_from_measured",
        )

    def clean(self):
        cleaned = super().clean()
        metric, target, share = cleaned.get("metric"), cleaned.get("target"), cleaned.get("share")
        allowed = TARGET_KINDS.get(metric or "", frozenset())
        if metric and target is not None and target.kind not in allowed:
            kinds = " or ".join(_KIND_WORDS[kind] for kind in sorted(allowed))
            level = _METRIC_WORDS.get(metric, "this")
            self.add_error(
                "target",
                f"{target.name} is {_KIND_WORDS[target.kind]}; the target of {level} level is {kinds}.",
            )
        if share is not None and share.kind != "percentage":
            self.add_error(
                "share", f"{share.name} is {_KIND_WORDS[share.kind]}; the share of tickets is a percentage."
            )
        return cleaned

    @staticmethod
    def initial_for(level) -> dict:
        return {
            "key": level.key,
            "name": level.name,
            "metric": level.metric,
            "service": level.service_id,
            "priority": level.priority,
            "target": level.target_id,
            "share": level.share_id,
            "calendar": level.calendar_id,
            "remove_excluded_from_measured": level.remove_excluded_from_measured,
        }


# ---------------------------------------------------------------- credit tiers


class CreditTierForm(forms.Form):
    """One tier: achieved strictly below ``below`` percent → ``value`` per ``kind``."""

    below = forms.DecimalField(label="Achieved below (%)", min_value=0, max_value=100, decimal_places=4)
    value = forms.DecimalField(label="Credit", min_value=0, max_digits=12, decimal_places=2)
    kind = forms.ChoiceField(
        label="Credit type", choices=CreditKind.choices, initial=CreditKind.PERCENT_OF_FEE
    )

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get("value")
        if cleaned.get("kind") == CreditKind.PERCENT_OF_FEE and value is not None and value > 100:
            self.add_error("value", "A credit is at most 100% of the monthly fee.")
        return cleaned


class BaseCreditTierFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        thresholds = [t[0] for t in self.tiers]
        if len(thresholds) != len(set(thresholds)):
            raise ValidationError("Two tiers have the same threshold; give each tier its own.")

    @property
    def tiers(self) -> list[tuple[Decimal, str, Decimal]]:
        """``(below, kind, value)`` of the filled-in rows not marked for removal, highest first."""
        rows = [
            (form.cleaned_data["below"], form.cleaned_data["kind"], form.cleaned_data["value"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        return sorted(rows, key=lambda row: row[0], reverse=True)


CreditTierFormSet = forms.formset_factory(
    CreditTierForm, formset=BaseCreditTierFormSet, extra=1, can_delete=True, max_num=20, validate_max=True
)


def credit_tier_formset(level, *, data=None) -> BaseCreditTierFormSet:
    """The schedule of ``level`` (tiers prefetched) as a formset with one blank row to add a tier."""
    initial = [{"below": trim(t.below), "kind": t.kind, "value": t.value} for t in level.credit_tiers.all()]
    return CreditTierFormSet(data, initial=initial, prefix="tiers", auto_id=f"id_level-{level.pk}_%s")
