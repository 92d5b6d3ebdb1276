"""Zabbix deliveries: a problem opens an outage of its host's or tag's service, the recovery
ends it, keyed by the event id; dates are on the Zabbix server's clock."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from compliance.models import Outage, SourceDelivery
from compliance.services.sources import source_create, source_update
from tests.compliance.event_fixtures import with_terms
from tests.compliance.sources.support import post, zabbix

START = datetime(2026, 3, 4, 8, 15, tzinfo=UTC)  # 09:15 in Amsterdam
END = datetime(2026, 3, 4, 9, 2, 30, tzinfo=UTC)


@pytest.fixture
def source(tenants):
    contract = with_terms(tenants)
    return source_create(contract=contract, user=tenants.provider_admin, kind="zabbix", name="Zabbix")


def _remap(source, **changes):
    source_update(
        source=source, name=source.name, rate_limit=source.rate_limit, mapping={**source.mapping, **changes}
    )


def test_problem_opens_and_recovery_ends_the_outage_on_the_sources_clock(client, source):
    assert post(client, source, zabbix()).json() == {"status": "applied", "created": 1}
    outage = Outage.objects.get()
    assert (outage.external_id, outage.service) == ("zbx-7001", "Email")
    assert (outage.start, outage.end) == (START, None)
    assert outage.summary == "High: Email is down on mail01"
    assert outage.source == source
    recovery = zabbix(value="0", recovery_date="2026.03.04", recovery_time="10:02:30")
    assert post(client, source, recovery).json() == {"status": "applied", "updated": 1}
    outage.refresh_from_db()
    assert outage.end == END


@pytest.mark.parametrize(
    "values",
    [
        ["1", "1", "0", "0"],  # repeats
        ["0", "1"],  # the recovery arrives first, the problem late
        ["0", "0", "1", "1"],
    ],
)
def test_any_order_and_repeat_makes_one_outage(client, source, values):
    for value in values:
        payload = zabbix(value=value, recovery_date="2026.03.04", recovery_time="10:02:30")
        assert post(client, source, payload).status_code == 200
    outage = Outage.objects.get()
    assert (outage.start, outage.end) == (START, END)


def test_the_server_time_zone_of_the_source_reads_the_dates(client, source):
    _remap(source, time_zone="America/New_York")
    post(client, source, zabbix())
    assert Outage.objects.get().start == datetime(2026, 3, 4, 14, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tags", "host", "mapping", "service"),
    [
        ([{"tag": "service", "value": "File server"}], "mail01", {}, "File server"),
        ('[{"tag":"service","value":"File server"}]', "mail01", {}, "File server"),  # TAGSJSON as text
        ([], "Copier", {}, "Copier"),  # no tag: the host names the service
        ("{EVENT.TAGSJSON}", "fs01", {"services": {"fs01": "File server"}}, "File server"),
        (
            [{"tag": "app", "value": "mail"}],
            "x",
            {"service_label": "app", "services": {"mail": "Email"}},
            "Email",
        ),
    ],
)
def test_the_service_comes_from_the_tag_or_the_host(client, source, tags, host, mapping, service):
    _remap(source, **mapping)
    assert post(client, source, zabbix(tags=tags, host=host)).status_code == 200
    assert Outage.objects.get().service == service


@pytest.mark.parametrize(
    ("payload", "planned"),
    [
        (zabbix(tags=[{"tag": "service", "value": "Email"}, {"tag": "maintenance", "value": ""}]), True),
        (zabbix(tags=[{"tag": "service", "value": "Email"}, {"tag": "maintenance", "value": "no"}]), False),
        ({**zabbix(), "maintenance": "1"}, True),
        ({**zabbix(), "maintenance": "0"}, False),
    ],
)
def test_a_maintenance_tag_or_parameter_makes_the_outage_planned(client, source, payload, planned):
    post(client, source, payload)
    assert Outage.objects.get().planned is planned


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (zabbix(value="{EVENT.VALUE}"), "expected 1 (problem) or 0 (recovery)"),
        (zabbix(event_id=""), "“event_id” is missing"),
        (zabbix(date="{EVENT.DATE}", time="{EVENT.TIME}"), "no “event_date” and “event_time”"),
        (zabbix(date="04/03/2026"), "is not a date and time"),
        (zabbix(value="0"), "recovery has no “recovery_date”"),
        (zabbix(value="0", recovery_date="2026.03.04", recovery_time="08:00:00"), "recovers before"),
        (zabbix(host="printer01", tags=[]), "“printer01”, which maps to no service"),
        (zabbix(tags="not json"), "“tags” are not JSON"),
        (["not", "an", "object"], "not a JSON object"),
    ],
)
def test_a_bad_message_is_refused_with_the_reason_and_writes_nothing(client, source, payload, reason):
    response = post(client, source, payload)
    assert response.status_code == 400
    assert reason in response.json()["reason"]
    assert not Outage.objects.exists()
    assert SourceDelivery.objects.get().outcome == "refused"


def test_another_problem_event_is_another_outage(client, source):
    post(client, source, zabbix())
    post(client, source, zabbix(event_id="7002", time="11:00:00"))
    assert sorted(Outage.objects.values_list("external_id", flat=True)) == ["zbx-7001", "zbx-7002"]


def test_the_admin_sets_the_tag_and_the_servers_time_zone_on_the_page(client_for, tenants, source):
    client = client_for(tenants.provider_admin)
    url = reverse(
        "compliance:source_detail", kwargs={"reference": source.contract.reference, "source_id": source.pk}
    )
    page = client.get(url).content.decode()
    assert "Service tag" in page
    assert "Time zone of the Zabbix server" in page
    data = {
        "name": "Zabbix",
        "rate_limit": "600",
        "services": "mail01 = Email",
        "default_service": "",
        "service_label": "app",
        "maintenance_label": "maintenance",
        "time_zone": "Mars/Olympus",
    }
    assert client.post(url, data).status_code == 400
    source.refresh_from_db()
    assert "time_zone" not in source.mapping or source.mapping["time_zone"] == ""
    data["time_zone"] = "Europe/London"
    assert client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.mapping["time_zone"] == "Europe/London"
    assert source.mapping["service_label"] == "app"
    assert source.mapping["services"] == {"mail01": "Email"}


def test_the_api_refuses_an_unknown_time_zone(client_for, tenants, source):
    # A body the schema accepts but the rules refuse is the API's 409, in the one error shape.
    client = client_for(tenants.provider_admin)
    url = f"/api/v1/contracts/{source.contract.reference}/sources/{source.pk}/"
    response = client.patch(url, {"mapping": {"time_zone": "Mars/Olympus"}}, content_type="application/json")
    assert response.status_code == 409
    assert "Mars/Olympus" in response.content.decode()
    source.refresh_from_db()
    assert source.mapping["time_zone"] == ""
