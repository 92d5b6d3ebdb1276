"""Starting mappings for the ticket exports of common PSA and service-desk tools.

Each preset names the export's columns as the tool writes them in its list or report export,
the date format it uses in a default English setup, and how its default priorities map to
P1–P4. A preset only fills the mapping form: the user checks it against the preview (and
adds the service names of the contract) before saving a profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    kind: str
    columns: dict[str, str]
    date_format: str
    priorities: dict[str, str] = field(default_factory=dict)
    note: str = ""


PRESETS: dict[str, Preset] = {
    preset.key: preset
    for preset in (
        Preset(
            "connectwise",
            "ConnectWise PSA (service tickets)",
            "incidents",
            {
                "external_id": "Ticket #",
                "service": "Type",
                "priority": "Priority",
                "opened_at": "Date Entered",
                "first_response_at": "Date Responded",
                "resolved_at": "Date Resolved",
                "summary": "Summary Description",
            },
            "us",
            {
                "Priority 1 - Emergency Response": "P1",
                "Priority 2 - Quick Response": "P2",
                "Priority 3 - Normal Response": "P3",
                "Priority 4 - Schedule Maintenance": "P4",
            },
            "Service board export; map the ticket types to the contract's services.",
        ),
        Preset(
            "autotask",
            "Autotask PSA (tickets)",
            "incidents",
            {
                "external_id": "Ticket Number",
                "service": "Issue Type",
                "priority": "Priority",
                "opened_at": "Created",
                "first_response_at": "First Response Date",
                "resolved_at": "Complete Date",
                "summary": "Title",
            },
            "us",
            {"Critical": "P1", "High": "P2", "Medium": "P3", "Low": "P4"},
            "Ticket search export; map the issue types to the contract's services.",
        ),
        Preset(
            "halopsa",
            "HaloPSA (tickets report)",
            "incidents",
            {
                "external_id": "Ticket ID",
                "service": "Category",
                "priority": "Priority",
                "opened_at": "Date Logged",
                "first_response_at": "Date Responded",
                "resolved_at": "Date Closed",
                "summary": "Summary",
            },
            "day_first",
            {"1 - Critical": "P1", "2 - High": "P2", "3 - Medium": "P3", "4 - Low": "P4"},
            "Report export; map the categories to the contract's services.",
        ),
        Preset(
            "zammad",
            "Zammad (ticket report export)",
            "incidents",
            {
                "external_id": "Number",
                "service": "Group",
                "priority": "Priority",
                "opened_at": "Created at",
                "first_response_at": "First response at",
                "resolved_at": "Closed at",
                "summary": "Title",
            },
            "iso",
            {"3 high": "P2", "2 normal": "P3", "1 low": "P4"},
            "Reporting export; map the groups to the contract's services.",
        ),
        Preset(
            "jira",
            "Jira Service Management (CSV export)",
            "incidents",
            {
                "external_id": "Issue key",
                "service": "Component/s",
                "priority": "Priority",
                "opened_at": "Created",
                "resolved_at": "Resolved",
                "summary": "Summary",
            },
            "jira",
            {"Highest": "P1", "High": "P2", "Medium": "P3", "Low": "P4", "Lowest": "P4"},
            "Issue search export (all fields); map the components to the contract's services.",
        ),
    )
}


def presets_for(kind: str) -> list[Preset]:
    return [preset for preset in PRESETS.values() if preset.kind == kind]
