"""The generic JSON source's part of the mapping form: a JSON path for each value of an
outage, the state values that mean open and resolved, and how times are written; and the
live test's form."""

from __future__ import annotations

from typing import Any

from django import forms

from compliance.services.payloads_json import PATHS, TIME_FORMATS, json_mapping_errors, state_values

PATH_HELP = {
    "id_path": "The event's id in the tool, the same in its open and resolved messages, e.g. "
    "alerts[0].fingerprint.",
    "state_path": "The value that says whether the event is open or resolved, e.g. status.",
    "start_path": "When the outage started, e.g. alerts[0].startsAt.",
    "end_path": "When it ended; read only from a resolved message.",
    "service_path": "The value that names the service (then mapped below); empty: the default service.",
    "planned_path": "True, 1, yes or planned here makes the outage planned maintenance; empty: never.",
    "summary_path": "A line that says what happened; optional.",
}
JSON_KEYS = (*(key for key, _, _ in PATHS), "open_values", "resolved_values", "time_format")


def json_initial(mapping: dict[str, Any]) -> dict[str, Any]:
    initial = {key: mapping.get(key, "") for key, _, _ in PATHS}
    initial["open_values"] = ", ".join(state_values(mapping.get("open_values")))
    initial["resolved_values"] = ", ".join(state_values(mapping.get("resolved_values")))
    initial["time_format"] = mapping.get("time_format") or "iso"
    return initial


def add_json_fields(form: forms.Form) -> None:
    """Add a path field per value, the state values and the time format to ``form``."""
    for key, what, required in PATHS:
        form.fields[key] = forms.CharField(
            label=f"Path of {what}",
            required=required,
            max_length=200,
            help_text=PATH_HELP[key],
            widget=forms.TextInput(attrs={"class": "font-monospace", "spellcheck": "false"}),
        )
    form.fields["open_values"] = forms.CharField(
        label="State values meaning open",
        max_length=500,
        help_text="Comma-separated, any case, e.g. firing, problem, 1.",
    )
    form.fields["resolved_values"] = forms.CharField(
        label="State values meaning resolved",
        max_length=500,
        help_text="Comma-separated, e.g. resolved, ok, 0.",
    )
    form.fields["time_format"] = forms.ChoiceField(
        label="Times are written as", choices=list(TIME_FORMATS.items()), widget=forms.RadioSelect
    )


def clean_json_fields(form: forms.Form) -> None:
    """Name each path that cannot be read and each state value in the wrong place."""
    data = form.cleaned_data
    mapping = {key: data.get(key, "") for key in JSON_KEYS}
    for key, message in json_mapping_errors(mapping).items():
        if key in form.fields and key not in form.errors:
            form.add_error(key, message)


def json_mapping(cleaned: dict[str, Any]) -> dict[str, Any]:
    mapping = {key: (cleaned.get(key) or "").strip() for key, _, _ in PATHS}
    mapping["open_values"] = state_values(cleaned.get("open_values"))
    mapping["resolved_values"] = state_values(cleaned.get("resolved_values"))
    mapping["time_format"] = cleaned.get("time_format") or "iso"
    return mapping


class SourceTrialForm(forms.Form):
    payload = forms.CharField(
        label="Sample payload (JSON)",
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace", "spellcheck": "false"}),
        help_text="Paste what the tool sends; the test shows what it would do and writes nothing.",
    )
