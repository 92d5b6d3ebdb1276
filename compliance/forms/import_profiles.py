"""The mapping form: which export column feeds each portal field, how dates and times are
written, and how the export's priorities and services translate. It validates; the services
in ``compliance.services.import_profiles`` preview, save and import."""

from __future__ import annotations

from django import forms

from compliance.engine.import_presets import PRESETS, Preset, presets_for
from compliance.engine.mapping import DATE_FORMATS, ColumnMapping, Unreadable, parse_value_map, value_map_text
from compliance.forms.events import MAX_UPLOAD_BYTES
from compliance.models import ImportProfile
from compliance.services.imports import REQUIRED_COLUMNS
from compliance.services.rows import FIELDS
from contracts.time_zones import time_zone_names

# The portal fields' names as the mapping form shows them.
FIELD_LABELS = {
    "external_id": "External id",
    "service": "Service",
    "priority": "Priority",
    "opened_at": "Opened at",
    "first_response_at": "First response at",
    "resolved_at": "Resolved at",
    "reopened": "Reopened",
    "cause": "Cause",
    "responsibility": "Responsibility",
    "summary": "Summary",
    "pauses": "Pauses",
    "start": "Start",
    "end": "End",
    "planned": "Planned",
    "date": "Date",
    "hours": "Hours",
    "person": "Person",
    "description": "Description",
    "billable": "Billable",
}
MAPPED_VALUES = {"incidents": ("priority", "service"), "outages": ("service",), "worklogs": ()}
_ZONES = time_zone_names()


def column_key(name: str) -> str:
    return f"column_{name}"


def map_key(name: str) -> str:
    return f"map_{name}"


class ExportFileField(forms.FileField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Export file")
        kwargs.setdefault(
            "help_text", "CSV (comma, semicolon or tab separated) or XLSX; the first row names the columns."
        )
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = (
            ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    def clean(self, *args, **kwargs):
        upload = super().clean(*args, **kwargs)
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        return upload


class ProfileRunForm(forms.Form):
    file = ExportFileField()


def initial_from_preset(preset: Preset) -> dict[str, str]:
    initial = {column_key(name): column for name, column in preset.columns.items()}
    initial["date_format"] = preset.date_format
    initial[map_key("priority")] = value_map_text(preset.priorities)
    return initial


def initial_from_profile(profile: ImportProfile) -> dict[str, str]:
    initial = {column_key(name): column for name, column in profile.columns.items()}
    initial.update(
        name=profile.name,
        preset=profile.preset,
        date_format=profile.date_format,
        time_zone=profile.time_zone,
    )
    for name, pairs in profile.value_maps.items():
        initial[map_key(name)] = value_map_text(pairs)
    return initial


class MappingForm(forms.Form):
    """Bound to the posted mapping; ``header`` (the uploaded export's columns) gives the
    choices of every column select. The file input is part of the page's form but not of
    this one: the view reads it."""

    preset = forms.ChoiceField(label="Start from", required=False)
    date_format = forms.ChoiceField(
        label="Dates and times are written",
        choices=[(key, spec.label) for key, spec in DATE_FORMATS.items()],
        initial="iso",
    )
    time_zone = forms.ChoiceField(label="Times in the export are in", required=False)
    name = forms.CharField(label="Profile name", max_length=100, required=False)

    def __init__(self, *args, kind: str, header: list[str], contract_zone: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["preset"].choices = [
            ("", "No preset: choose every column"),
            *((p.key, p.label) for p in presets_for(kind)),
        ]
        self.fields["time_zone"].choices = [
            ("", f"The contract's time zone ({contract_zone})"),
            *((z, z) for z in _ZONES),
        ]
        options = [("", "— not in the export —"), *((name, name) for name in header if name)]
        required = REQUIRED_COLUMNS[kind]
        for name in FIELDS[kind]:
            label = FIELD_LABELS.get(name, name)
            choices = list(options)
            # A column chosen earlier (a profile being edited, a preset) stays selectable,
            # marked when the uploaded file lacks it.
            chosen = (self.data if self.is_bound else self.initial).get(column_key(name)) or ""
            if chosen and chosen not in header:
                choices.append((chosen, f"{chosen} (not in this file)" if header else chosen))
            self.fields[column_key(name)] = forms.ChoiceField(
                label=f"{label} (required)" if name in required else label,
                choices=choices,
                required=False,
            )
        for name in MAPPED_VALUES[kind]:
            self.fields[map_key(name)] = forms.CharField(
                label=f"{FIELD_LABELS[name]} values",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text="One per line: export value = the contract's value. Others are taken as they are.",
            )
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        self.header = header

    def column_fields(self):
        return [self[column_key(name)] for name in FIELDS[self.kind]]

    def value_fields(self):
        return [self[map_key(name)] for name in MAPPED_VALUES[self.kind]]

    def clean(self):
        data = super().clean()
        for name in MAPPED_VALUES[self.kind]:
            try:
                data[map_key(name)] = parse_value_map(data.get(map_key(name)) or "")
            except Unreadable as exc:
                self.add_error(map_key(name), str(exc))
        return data

    def mapping(self) -> ColumnMapping:
        """The mapping as far as it is valid (a preview works on an unfinished one)."""
        data = getattr(self, "cleaned_data", {})
        return ColumnMapping(
            kind=self.kind,
            columns={
                name: data.get(column_key(name)) or ""
                for name in FIELDS[self.kind]
                if data.get(column_key(name))
            },
            date_format=data.get("date_format") or "iso",
            time_zone=data.get("time_zone") or "",
            values={
                name: data[map_key(name)]
                for name in MAPPED_VALUES[self.kind]
                if isinstance(data.get(map_key(name)), dict) and data[map_key(name)]
            },
        )


def guess_columns(kind: str, header: list[str], preset: str = "") -> dict[str, str]:
    """Initial column choices for a new upload: the preset's columns when the file has them,
    else columns named like the portal's fields."""
    present = {name.casefold(): name for name in header}
    guessed = {}
    columns = PRESETS[preset].columns if preset in PRESETS else {}
    for name in FIELDS[kind]:
        for candidate in (columns.get(name, ""), name, FIELD_LABELS.get(name, "")):
            if candidate and candidate.casefold() in present:
                guessed[column_key(name)] = present[candidate.casefold()]
                break
    return guessed
