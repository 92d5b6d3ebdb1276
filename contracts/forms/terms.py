"""Forms for the terms of a draft version: they check what an author typed; the views pass
the cleaned data to ``contracts.services``.

Choices of related rows (parameters, services, calendars) are built from rows already
loaded by ``selectors.version_terms``, never from querysets, so a page with many row forms
renders without a query per form.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

from crispy_forms.bootstrap import FieldWithButtons, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row, Submit
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.html import format_html

from contracts.models.terms import (
    NAME_VALIDATOR,
    WEEKDAYS,
    CapKind,
    Consequence,
    ParameterKind,
    ResponsibilityCategory,
    parameter_value_text,
)
from contracts.texts.durations import EXAMPLES as DURATION_EXAMPLES
from contracts.texts.durations import DurationError, format_duration_short, parse_duration
from contracts.texts.wording import RESERVED_PARAMETER_NAMES, RESPONSIBILITY_PREFIX

VALUE_HELP = {
    ParameterKind.PERCENTAGE: "A percentage between 0 and 100, e.g. 99.9.",
    ParameterKind.DURATION: f"For example {DURATION_EXAMPLES}; a day is 24 hours.",
    ParameterKind.MONEY: "An amount with at most two decimals, e.g. 1200.00.",
    ParameterKind.DATE: "A date as YYYY-MM-DD.",
    ParameterKind.INTEGER: "A whole number.",
    ParameterKind.TEXT: "Any text.",
}


def add_service_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ``ValidationError`` on ``form``: on the field it names when the form
    has that field, otherwise as a non-field error, so no message is dropped."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields and name != NON_FIELD_ERRORS else None
            form.add_error(target, errors)
    else:
        form.add_error(None, exc)


class DurationField(forms.Field):
    """Whole minutes, written as a person would: 240, 90 min, 4h, 1h 30m, 1 day."""

    def __init__(self, *, max_minutes: int, **kwargs) -> None:
        self.max_minutes = max_minutes
        kwargs.setdefault("help_text", f"For example {DURATION_EXAMPLES}.")
        super().__init__(widget=forms.TextInput(attrs={"maxlength": 40}), **kwargs)

    def prepare_value(self, value):
        return format_duration_short(value) if isinstance(value, int) else value

    def to_python(self, value) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        if len(text) > 40:
            raise ValidationError("Write the duration in at most 40 characters.")
        try:
            minutes = parse_duration(text)
        except DurationError as exc:
            raise ValidationError(str(exc)) from exc
        if minutes > self.max_minutes:
            raise ValidationError(f"At most {format_duration_short(self.max_minutes)}.")
        return minutes


class RowChoiceField(forms.ChoiceField):
    """A choice among term rows already in memory; cleans to the row itself (or None)."""

    def __init__(
        self,
        *,
        rows: Iterable[Any] = (),
        label_of: Callable[[Any], str] = str,
        empty_label: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.set_rows(rows, label_of=label_of, empty_label=empty_label)

    def set_rows(self, rows: Iterable[Any], *, label_of=str, empty_label: str | None = None) -> None:
        self.rows = {str(row.pk): row for row in rows}
        empty = [("", empty_label)] if empty_label is not None else []
        self.choices = empty + [(key, label_of(row)) for key, row in self.rows.items()]

    def clean(self, value):
        value = super().clean(value)
        return self.rows.get(value) if value else None


class TermsForm(forms.Form):
    """A row form without its own ``<form>`` tag: the template writes the tag with the row's
    action. ``taken`` holds values of ``unique_field`` other rows of the version already use."""

    unique_field: str | None = None
    unique_label = "name"

    def __init__(
        self, *args, taken: Collection[str] = (), submit_label: str | None = "Save", **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.taken = set(taken)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = self.layout()
        if submit_label:
            # Many row forms share a page: derive the button's id from the form's own ids.
            css_id = self.auto_id % "save" if isinstance(self.auto_id, str) and "%s" in self.auto_id else None
            self.helper.add_input(Submit("save", submit_label, css_class="btn-sm", css_id=css_id))

    def layout(self) -> Layout:
        return Layout(*self.fields)

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get(self.unique_field) if self.unique_field else None
        if value and value in self.taken:
            self.add_error(self.unique_field, f"This version already has a {self.unique_label} “{value}”.")
        return cleaned


# ---------------------------------------------------------------- parameters


class ParameterEditForm(TermsForm):
    """Type, value and presentation of an existing parameter. Its name does not change here:
    clause texts refer to it by name."""

    kind = forms.ChoiceField(label="Type", choices=ParameterKind.choices)
    value = forms.CharField(max_length=200, help_text="E.g. 99.9 · 4h · 1 day · 1200.00 · 2026-01-31.")
    business_time = forms.BooleanField(
        label="Counted in business hours", required=False, help_text="Only for durations."
    )
    description = forms.CharField(max_length=200, required=False)

    def layout(self) -> Layout:
        return Layout(
            Row(Column("kind", css_class="col-md-3"), Column("value", css_class="col-md-3")),
            Row(Column("description", css_class="col-md-6"), Column("business_time", css_class="col-md-6")),
        )

    def clean(self):
        cleaned = super().clean()
        kind, value = cleaned.get("kind"), cleaned.get("value")
        if kind and value is not None:
            try:
                cleaned["value"] = parameter_value_text(
                    kind, value, business_time=bool(cleaned.get("business_time"))
                )
            except ValidationError as exc:
                self.add_error("value", exc)
        if cleaned.get("business_time") and kind and kind != ParameterKind.DURATION:
            self.add_error("business_time", "Only a duration can be counted in business hours.")
        return cleaned


class ParameterForm(ParameterEditForm):
    """A new parameter: a name no other parameter of the version uses, and its value."""

    unique_field = "name"
    name = forms.CharField(
        max_length=60,
        validators=[NAME_VALIDATOR],
        help_text="Lower-case letters, digits and underscores; clauses write it as {{ name }}.",
    )
    field_order = ["name", "kind", "value", "business_time", "description"]

    def layout(self) -> Layout:
        return Layout(
            Row(
                Column("name", css_class="col-md-4"),
                Column("kind", css_class="col-md-3"),
                Column("value", css_class="col-md-3"),
            ),
            Row(Column("description", css_class="col-md-6"), Column("business_time", css_class="col-md-6")),
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if name in RESERVED_PARAMETER_NAMES or name.startswith(RESPONSIBILITY_PREFIX):
            raise ValidationError(f"“{name}” is reserved for a value the portal generates.")
        return name


class ParameterValueForm(TermsForm):
    """Only the value of a parameter, in its current type (the clause editor's quick edit)."""

    value = forms.CharField(max_length=200)

    def __init__(self, *args, parameter, **kwargs) -> None:
        self.parameter = parameter
        super().__init__(*args, submit_label=None, **kwargs)
        field = self.fields["value"]
        field.label = f"New value of {parameter.name}"
        field.help_text = VALUE_HELP.get(parameter.kind, "")

    def layout(self) -> Layout:
        button = StrictButton(
            format_html('Set<span class="visually-hidden"> {}</span>', self.parameter.name),
            type="submit",
            css_class="btn-primary",
        )
        return Layout(FieldWithButtons(Field("value", css_class="form-control-sm"), button))

    def clean_value(self) -> str:
        return parameter_value_text(
            self.parameter.kind, self.cleaned_data["value"], business_time=self.parameter.business_time
        )


# ---------------------------------------------------------------- scope


class ServiceForm(TermsForm):
    """A service in or out of scope; out of scope needs the reason."""

    unique_field = "name"
    unique_label = "service"
    name = forms.CharField(max_length=120)
    in_scope = forms.TypedChoiceField(
        label="Scope",
        choices=[("1", "In scope"), ("0", "Out of scope")],
        coerce=lambda value: value == "1",
        initial="1",
    )
    out_of_scope_reason = forms.CharField(
        label="Why it is out of scope",
        max_length=300,
        required=False,
        help_text=(
            "E.g. supported by the copier supplier under its own contract. Kept only when out of scope."
        ),
    )

    def layout(self) -> Layout:
        return Layout(
            Row(Column("name", css_class="col-md-4"), Column("in_scope", css_class="col-md-3")),
            "out_of_scope_reason",
        )

    def clean(self):
        cleaned = super().clean()
        in_scope = cleaned.get("in_scope")
        if in_scope is False and not cleaned.get("out_of_scope_reason", "").strip():
            self.add_error("out_of_scope_reason", "Say why this service is out of scope.")
        if in_scope:
            cleaned["out_of_scope_reason"] = ""
        return cleaned


# ---------------------------------------------------------------- maintenance


class MaintenanceWindowForm(TermsForm):
    weekday = forms.TypedChoiceField(choices=list(enumerate(WEEKDAYS)), coerce=int)
    start = forms.TimeField(
        label="Starts at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Local time.",
    )
    duration_minutes = DurationField(label="Duration", max_minutes=7 * 24 * 60)
    description = forms.CharField(max_length=200, required=False)

    def layout(self) -> Layout:
        return Layout(
            Row(
                Column("weekday", css_class="col-md-3"),
                Column("start", css_class="col-md-3"),
                Column("duration_minutes", css_class="col-md-3"),
            ),
            "description",
        )


# ---------------------------------------------------------------- credit cap and hours


class CreditCapForm(TermsForm):
    kind = forms.ChoiceField(label="Cap type", choices=CapKind.choices)
    value = forms.DecimalField(label="Cap", min_value=0, max_digits=12, decimal_places=2)

    def layout(self) -> Layout:
        return Layout(Row(Column("kind", css_class="col-md-5"), Column("value", css_class="col-md-4")))

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get("value")
        if cleaned.get("kind") == CapKind.PERCENT_OF_FEE and value is not None and value > 100:
            self.add_error("value", "A cap is at most 100% of the monthly fee.")
        return cleaned


class HoursCommitmentForm(TermsForm):
    hours_per_month = forms.DecimalField(label="Hours per month", min_value=0, max_digits=7, decimal_places=2)
    deficit_carry_months = forms.IntegerField(
        label="Shortfall made up within (months)",
        min_value=0,
        max_value=120,
        required=False,
        help_text="Empty: no limit. 0: a shortfall is not carried over.",
    )
    surplus_carry_months = forms.IntegerField(
        label="Extra hours stay banked for (months)",
        min_value=0,
        max_value=120,
        required=False,
        help_text="Empty: no limit. 0: extra hours are not banked.",
    )

    def layout(self) -> Layout:
        return Layout(
            Row(
                Column("hours_per_month", css_class="col-md-4"),
                Column("deficit_carry_months", css_class="col-md-4"),
                Column("surplus_carry_months", css_class="col-md-4"),
            )
        )


# ---------------------------------------------------------------- responsibilities


class ResponsibilityForm(TermsForm):
    unique_field = "key"
    unique_label = "responsibility"
    key = forms.CharField(
        max_length=60,
        validators=[NAME_VALIDATOR],
        help_text="Clauses explain it with {{ responsibility_<key> }}.",
    )
    duty = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), help_text="What the customer does.")
    category = forms.ChoiceField(choices=ResponsibilityCategory.choices)
    consequence = forms.ChoiceField(
        choices=Consequence.choices, help_text="What the portal does when the duty is not met."
    )

    def layout(self) -> Layout:
        return Layout(
            Row(
                Column("key", css_class="col-md-4"),
                Column("category", css_class="col-md-4"),
                Column("consequence", css_class="col-md-4"),
            ),
            Field("duty"),
        )
