"""URL keywords of the event pages and the API, for the tenancy walk."""

from datetime import UTC, datetime

from compliance import services
from compliance.models import Incident

# Pages every signed-in user has, showing only their own data.
OWN = {
    "compliance:profile",
    "compliance:profile_time_zone",
    "compliance:api_token_create",
    "api-contract-list",
    "api-schema",
    "api-docs",
}


def fill(tenants) -> dict:
    contract = tenants.contract
    author = tenants.provider_author
    services.events_upsert(
        kind="incidents",
        contract=contract,
        user=author,
        rows=[
            {"external_id": "INC-1", "service": "Email", "priority": "P1", "opened_at": "2026-03-02T09:00"}
        ],
    )
    incident = Incident.objects.get(contract=contract, external_id="INC-1")
    pause = services.incident_pause_add(incident=incident, start=datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    outage = services.event_save(
        kind="outages",
        contract=contract,
        user=author,
        data={"external_id": "OUT-1", "service": "Email", "start": "2026-03-03T01:00"},
    )
    worklog = services.event_save(
        kind="worklogs",
        contract=contract,
        user=author,
        data={"external_id": "WL-1", "date": "2026-03-04", "hours": "2", "person": "Arthur"},
    )
    token, _ = services.api_token_create(user=author, name="Walk")
    return {
        "incident_id": incident.pk,
        "pause_id": pause.pk,
        "outage_id": outage.pk,
        "worklog_id": worklog.pk,
        "external_id": "INC-1",
        "api_token_id": token.pk,
    }
