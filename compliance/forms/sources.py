"""Forms of the event source pages: adding a source and its mapping.

A mapping is written one pair a line, ``value in the tool = value in the portal``; the form
checks every line against the contract's services, the four ticket statuses and the
priorities, and names the line of each mistake.
"""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from compliance.engine.tickets import STATUSES
from compliance.forms.source_json import add_json_fields, clean_json_fields, json_initial, json_mapping
from compliance.models import EventSource, Priority, SourceKind
from contracts.time_zones import time_zone_names

KIND_HELP = {
    SourceKind.ALERTMANAGER: "Firing alerts open outages, resolved ones end them.",
    SourceKind.GRAFANA: "Grafana's webhook contact point; alerts open and end outages.",
    SourceKind.UPTIME_KUMA: "A monitor going down opens an outage, coming up ends it.",
    SourceKind.ZABBIX: "Zabbix's Webhook media type; a problem opens an outage, its recovery ends it.",
    SourceKind.JSON: "Any tool that posts JSON: choose by path where the id, state, times and service are.",
    SourceKind.TICKETS: "Any tool that can post a ticket's status, priority and service.",
    SourceKind.ZAMMAD: "Zammad's webhook (trigger on ticket create and update).",
    SourceKind.JIRA: "Jira Service Management's issue webhook.",
}


# The sources whose tools send times without an offset: the time zone field's label and help.
ZONE_FIELD = {
    SourceKind.ZABBIX: (
        "Time zone of the Zabbix server",
        "Zabbix sends {EVENT.DATE} and {EVENT.TIME} without a zone, on its server's clock.",
    ),
    SourceKind.JSON: ("Time zone", "The clock of ISO times sent without an offset."),
}


def time_zone_choices() -> list[tuple[str, str]]:
    """The IANA zones, after the contract's own clock as the first choice."""
    zones = [(name, name.replace("_", " ")) for name in time_zone_names()]
    return [("", "The contract's time zone"), *zones]


def _pairs_text(pairs: dict[str, str]) -> str:
    return "\n".join(f"{key} = {value}" for key, value in pairs.items())


def _parse_pairs(text: str, allowed: set[str] | None, what: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            errors.append(f"Line {number}: write it as “value in the tool = {what}”.")
            continue
        if allowed is not None and value not in allowed:
            errors.append(
                f"Line {number}: “{value}” is not {what} (choose from: {', '.join(sorted(allowed))})."
            )
            continue
        pairs[key] = value
    if errors:
        raise forms.ValidationError(errors)
    return pairs


class SourceCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label="Sending tool",
        choices=SourceKind.choices,
        widget=forms.RadioSelect,
        help_text="Ticket sources start with the tool's usual statuses and priorities mapped.",
    )
    name = forms.CharField(max_length=100, help_text="What sends, e.g. “Production Alertmanager”.")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, f"{label} — {KIND_HELP[value]}") for value, label in SourceKind.choices
        ]
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"aria-label": "Add an event source"}
        self.helper.add_input(Submit("add", "Add source"))


class SourceMappingForm(forms.Form):
    """The source's name, rate limit and how the tool's values map to the contract's."""

    name = forms.CharField(max_length=100)
    rate_limit = forms.IntegerField(
        label="Deliveries per minute",
        min_value=1,
        max_value=100_000,
        help_text="Beyond this the portal answers 429 and the tool retries later.",
    )
    services = forms.CharField(
        label="Services",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "mail-prod = Email"}),
        help_text="One a line: the tool's value = a service of the contract. A value that already "
        "is a service's name needs no line.",
    )
    default_service = forms.ChoiceField(
        required=False, help_text="Used when the tool names no service, or one not mapped."
    )

    def __init__(self, *args, source: EventSource, services: list[str], **kwargs) -> None:
        mapping = source.mapping or {}
        kwargs.setdefault(
            "initial",
            {
                "name": source.name,
                "rate_limit": source.rate_limit,
                "services": _pairs_text(mapping.get("services") or {}),
                "default_service": mapping.get("default_service", ""),
                "service_label": mapping.get("service_label", "service"),
                "maintenance_label": mapping.get("maintenance_label", ""),
                "statuses": _pairs_text(mapping.get("statuses") or {}),
                "priorities": _pairs_text(mapping.get("priorities") or {}),
                "default_priority": mapping.get("default_priority", ""),
                "time_zone": mapping.get("time_zone", ""),
                **(json_initial(mapping) if source.kind == SourceKind.JSON else {}),
            },
        )
        super().__init__(*args, **kwargs)
        self.source = source
        self.service_names = set(services)
        self.fields["default_service"].choices = [("", "None: refuse the delivery")] + [
            (name, name) for name in services
        ]
        if source.is_tickets:
            self.fields["statuses"] = forms.CharField(
                label="Statuses",
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text="One a line: the tool's status = open, waiting (on the customer: pauses the "
                "clock), resolved or closed.",
            )
            self.fields["priorities"] = forms.CharField(
                label="Priorities",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text="One a line: the tool's priority = P1, P2, P3 or P4.",
            )
            self.fields["default_priority"] = forms.ChoiceField(
                required=False,
                choices=[("", "None: refuse the delivery"), *Priority.choices],
                help_text="Used for a priority the lines above do not name.",
            )
            self.fields["services"].help_text += {
                SourceKind.ZAMMAD: " Zammad sends the ticket's group.",
                SourceKind.JIRA: " Jira sends the issue's first component.",
                SourceKind.TICKETS: " The ticket's “service” field.",
            }[source.kind]
        elif source.kind == SourceKind.JSON:
            add_json_fields(self)
            self.fields["services"].help_text += " The value at the service's path."
        else:
            self.fields["service_label"] = forms.CharField(
                label="Service label",
                max_length=100,
                help_text="The alert label that names the service, e.g. service or job.",
            )
            self.fields["maintenance_label"] = forms.CharField(
                label="Maintenance label",
                required=False,
                max_length=100,
                help_text="An alert with this label (other than false or 0) is planned maintenance.",
            )
        if source.kind in ZONE_FIELD:
            label, help_text = ZONE_FIELD[source.kind]
            self.fields["time_zone"] = forms.ChoiceField(
                label=label, required=False, choices=time_zone_choices(), help_text=help_text
            )
        if source.kind == SourceKind.ZABBIX:
            self.fields["service_label"].label = "Service tag"
            self.fields[
                "service_label"
            ].help_text = "The event tag that names the service; an event without it uses its host name."
            self.fields["maintenance_label"].label = "Maintenance tag"
            self.fields["maintenance_label"].help_text = (
                "An event with this tag (other than false or 0), or a true “maintenance” parameter, "
                "is planned maintenance."
            )
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"aria-label": "Source mapping"}
        self.helper.add_input(Submit("save", "Save mapping"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.source.kind == SourceKind.JSON:
            clean_json_fields(self)
        return cleaned

    def clean_services(self) -> dict[str, str]:
        return _parse_pairs(self.cleaned_data["services"], self.service_names, "a service of the contract")

    def clean_statuses(self) -> dict[str, str]:
        return _parse_pairs(self.cleaned_data["statuses"], set(STATUSES), "a status")

    def clean_priorities(self) -> dict[str, str]:
        return _parse_pairs(self.cleaned_data["priorities"], set(Priority.values), "a priority")

    def mapping(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = ["services", "default_service"]
        if self.source.is_tickets:
            keys += ["statuses", "priorities", "default_priority"]
        elif self.source.kind != SourceKind.JSON:
            keys += ["service_label", "maintenance_label"]
        if "time_zone" in self.fields:
            keys.append("time_zone")
        mapping = {key: data[key] for key in keys}
        if self.source.kind == SourceKind.JSON:
            mapping.update(json_mapping(data))
        return mapping
