"""Uptime Kuma deliveries: a monitor down opens an outage, up ends it; repeats change nothing."""

from datetime import UTC, datetime

import pytest

from compliance.models import Outage
from compliance.services.sources import source_create
from tests.compliance.event_fixtures import with_terms
from tests.compliance.sources.support import post


def kuma(status, time, monitor="Email"):
    """Uptime Kuma's webhook body (heartbeat time in UTC, without a zone)."""
    return {
        "heartbeat": {
            "monitorID": 3,
            "status": status,
            "time": time,
            "msg": "Connection refused" if status == 0 else "200 - OK",
            "important": True,
            "duration": 60,
            "timezone": "Europe/Amsterdam",
            "timezoneOffset": "+01:00",
        },
        "monitor": {"id": 3, "name": monitor, "type": "http", "url": "https://mail.example"},
        "msg": f"[{monitor}] [{'🔴 Down' if status == 0 else '✅ Up'}]",
    }


@pytest.fixture
def source(tenants):
    contract = with_terms(tenants)
    return source_create(contract=contract, user=tenants.provider_admin, kind="uptime_kuma", name="Kuma")


def test_down_opens_and_up_ends_the_outage(client, source):
    assert post(client, source, kuma(0, "2026-03-04 09:15:00.123")).json() == {
        "status": "applied",
        "created": 1,
    }
    assert post(client, source, kuma(0, "2026-03-04 09:16:00.000")).json() == {
        "status": "applied",
        "unchanged": 1,
    }
    assert post(client, source, kuma(1, "2026-03-04 10:00:00.000")).json() == {
        "status": "applied",
        "updated": 1,
    }
    assert post(client, source, kuma(1, "2026-03-04 10:01:00.000")).json() == {"status": "applied"}
    outage = Outage.objects.get()
    assert outage.service == "Email"
    assert outage.start == datetime(2026, 3, 4, 9, 15, 0, 123000, tzinfo=UTC)
    assert outage.end == datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    post(client, source, kuma(0, "2026-03-05 01:00:00.000"))
    assert Outage.objects.count() == 2


def test_an_unmapped_monitor_or_the_test_notification_is_refused(client, source):
    response = post(client, source, kuma(0, "2026-03-04 09:15:00.000", monitor="Printer"))
    assert response.status_code == 400
    assert "“Printer”" in response.json()["reason"]
    response = post(client, source, {"heartbeat": None, "monitor": None, "msg": "Uptime Kuma test"})
    assert response.status_code == 400
    assert not Outage.objects.exists()
