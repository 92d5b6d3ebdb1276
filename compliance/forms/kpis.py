"""The form that records a custom KPI's value for a month, on the contract's compliance
page. It validates input; ``compliance.services.kpis.kpi_value_set`` checks it against the
version in force and writes it."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from compliance.engine.periods import format_period, parse_period
from compliance.selectors.kpis import KpiLevels

PREFIX = "kpi"


class KpiValueForm(forms.Form):
    """A custom KPI service level of the version in force, a month and the value."""

    period = forms.CharField(
        label="Month",
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
        help_text="YYYY-MM, on the contract's clock.",
    )
    value = forms.DecimalField(
        max_digits=14,
        decimal_places=4,
        help_text="Higher is better: the level is met when the value is at least its target.",
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Where the value comes from, e.g. the survey it summarises.",
    )

    def __init__(self, *args, levels: KpiLevels, **kwargs) -> None:
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        self.fields["service_level_key"] = forms.ChoiceField(
            label="Service level",
            choices=[("", "Choose a custom KPI")]
            + [
                (key, f"{level.name} (target {level.target.display()})")
                for key, level in sorted(levels.custom.items())
            ],
            help_text=f"The custom KPI service levels of {levels.version_label}.",
        )
        self.order_fields(["service_level_key", "period", "value", "note"])
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"aria-label": "Record a KPI value"}
        self.helper.add_input(Submit("record_kpi", "Record value"))

    def clean_period(self) -> str:
        try:
            return format_period(*parse_period(self.cleaned_data["period"]))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
