"""Shared objects for the event tests: a contract with terms, CSV text and API rows."""

from __future__ import annotations

from tests import factories

INCIDENT_HEADER = ",".join(
    [
        "external_id",
        "service",
        "priority",
        "opened_at",
        "first_response_at",
        "resolved_at",
        "reopened",
        "cause",
        "responsibility",
        "summary",
        "pauses",
    ]
)


def incident_row(n: int, **overrides) -> dict:
    """An incident in March 2026 (contract time zone Europe/Amsterdam, naive times)."""
    day = 1 + n % 28
    row = {
        "external_id": f"INC-{n}",
        "service": "Email",
        "priority": "P1",
        "opened_at": f"2026-03-{day:02d}T09:00:00",
        "first_response_at": f"2026-03-{day:02d}T09:20:00",
        "resolved_at": f"2026-03-{day:02d}T12:00:00",
        "reopened": False,
        "cause": "provider",
        "responsibility": "",
        "summary": f"Mailbox {n} unreachable",
        "pauses": [{"start": f"2026-03-{day:02d}T10:00:00", "end": f"2026-03-{day:02d}T10:30:00"}],
    }
    row.update(overrides)
    return row


def incident_csv(count: int, bad: dict[int, dict] | None = None) -> str:
    """CSV text of ``count`` incidents; ``bad`` overrides fields of the given row numbers."""
    bad = bad or {}
    lines = [INCIDENT_HEADER]
    for n in range(count):
        row = incident_row(n, **bad.get(n, {}))
        pauses = ";".join(f"{p['start']}/{p['end']}" for p in row["pauses"])
        lines.append(
            ",".join(
                [
                    row["external_id"],
                    row["service"],
                    row["priority"],
                    row["opened_at"],
                    row["first_response_at"],
                    row["resolved_at"],
                    "true" if row["reopened"] else "false",
                    row["cause"],
                    row["responsibility"],
                    row["summary"],
                    pauses,
                ]
            )
        )
    return "\n".join(lines) + "\n"


def with_terms(tenants):
    """The first tenant's contract with a draft version (services Email, File server,
    Copier; responsibilities licences, risky_behaviour), time zone Europe/Amsterdam."""
    factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    return tenants.contract
