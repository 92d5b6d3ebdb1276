"""Event writes and their schema agree on null and on PUT's external id.

A field the schema does not let be null, sent as null, is refused with 400 in the one error
shape — in one object, in any item of a list (errors per index, nothing written), with PUT
and with PATCH — for all three kinds of event. PUT's body may leave out the external id the
URL names; POST's may not."""

import pytest

from compliance.api.errors import matches_request_schema
from compliance.models import Incident, Outage, WorkLog
from tests.compliance.api.test_api_events import item_errors, url
from tests.compliance.compliance_fixtures import outage_row
from tests.compliance.event_fixtures import incident_row

MODELS = {"incidents": Incident, "outages": Outage, "worklogs": WorkLog}
NULL = "This field may not be null."


def worklog_row(n: int, **overrides) -> dict:
    row = {
        "external_id": f"W-{n}",
        "date": "2026-03-04",
        "hours": "1.50",
        "person": "Arthur",
        "description": "Patching",
        "billable": False,
    }
    return {**row, **overrides}


ROWS = {"incidents": incident_row, "outages": outage_row, "worklogs": worklog_row}

# Every field of every kind that the schema does not let be null.
NOT_NULLABLE = [
    ("incidents", "external_id"),
    ("incidents", "service"),
    ("incidents", "priority"),
    ("incidents", "opened_at"),
    ("incidents", "reopened"),
    ("incidents", "cause"),
    ("incidents", "responsibility"),
    ("incidents", "summary"),
    ("incidents", "pauses"),
    ("outages", "external_id"),
    ("outages", "service"),
    ("outages", "start"),
    ("outages", "planned"),
    ("outages", "cause"),
    ("outages", "responsibility"),
    ("outages", "summary"),
    ("worklogs", "external_id"),
    ("worklogs", "date"),
    ("worklogs", "hours"),
    ("worklogs", "person"),
    ("worklogs", "description"),
    ("worklogs", "billable"),
]


def _send(api, contract, kind: str, how: str, body: dict):
    """``body`` sent as one object (POST), as item 1 of a list (POST), as the body of PUT or of
    PATCH (to the event E-1); the answer and the index it is about."""
    if how == "one":
        return api.post(url(contract, kind), body, format="json"), 0
    if how == "list":
        rows = [ROWS[kind](0), body, ROWS[kind](2)]
        return api.post(url(contract, kind), rows, format="json"), 1
    method = api.put if how == "put" else api.patch
    return method(url(contract, kind, "E-1"), body, format="json"), 0


def _body(api, contract, kind: str, how: str, field: str) -> dict:
    """A body that is fine but for ``field``, null; for PATCH that field alone, of an event
    recorded first."""
    if how != "patch":
        return ROWS[kind](1, **{"external_id": "E-1", field: None})
    recorded = api.post(url(contract, kind), ROWS[kind](1, external_id="E-1"), format="json")
    assert recorded.status_code == 201
    return {field: None}


# Each way of writing, in turn, from no events of the kind (one test per field: the ways share
# the contract and the token).
WAYS = ["one", "list", "put", "patch"]


@pytest.mark.parametrize(("kind", "field"), NOT_NULLABLE)
def test_a_null_the_schema_does_not_allow_is_refused_with_400_and_nothing_written(api, contract, kind, field):
    for how in WAYS:
        MODELS[kind].objects.all().delete()
        body = _body(api, contract, kind, how, field)
        stored = list(MODELS[kind].objects.values())
        response, index = _send(api, contract, kind, how, body)
        assert response.status_code == 400, (how, response.json())
        assert response.json()["errors"] == [{"index": index, "errors": {field: [NULL]}}], how
        assert list(MODELS[kind].objects.values()) == stored, how


@pytest.mark.parametrize(
    ("kind", "field"),
    [("incidents", "first_response_at"), ("incidents", "resolved_at"), ("outages", "end")],
)
def test_a_null_the_schema_allows_is_accepted(api, contract, kind, field):
    for how in WAYS:
        MODELS[kind].objects.all().delete()
        response, _ = _send(api, contract, kind, how, _body(api, contract, kind, how, field))
        assert response.status_code in (200, 201), (how, response.json())
        assert getattr(MODELS[kind].objects.get(external_id="E-1"), field) is None, how


def test_the_reported_work_log_with_a_null_billable_is_refused(api, contract):
    body = {"external_id": 0, "date": "2000-01-01", "hours": "1.50", "person": "0", "description": ""}
    refused = api.post(url(contract, "worklogs"), {**body, "billable": None}, format="json")
    assert refused.status_code == 400
    assert item_errors(refused) == {"billable": [NULL]}
    assert not WorkLog.objects.exists()
    assert api.post(url(contract, "worklogs"), body, format="json").status_code == 201


def test_a_list_names_every_bad_item_with_its_nulls_and_its_other_problems(api, contract):
    rows = [
        worklog_row(0),
        worklog_row(1, billable=None),
        worklog_row(2),
        worklog_row(3, hours="0", person=None),
    ]
    response = api.post(url(contract, "worklogs"), rows, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "2 of 4 rows are invalid; nothing was written."
    assert [(item["index"], sorted(item["errors"])) for item in body["errors"]] == [
        (1, ["billable"]),
        (3, ["hours", "person"]),
    ]
    assert body["errors"][1]["errors"]["person"] == [NULL]
    assert not WorkLog.objects.exists()


@pytest.mark.parametrize("kind", list(ROWS))
@pytest.mark.parametrize(
    ("external_id", "status"),
    [
        ("absent", 201),  # the URL names the event
        ("E-1", 201),
        (None, 400),  # not nullable
        ("E-2", 409),  # a valid id, but another one
        ("", 400),  # not an id at all
        ("E 1", 400),
    ],
)
def test_put_may_leave_out_the_external_id_the_url_names(api, contract, kind, external_id, status):
    body = ROWS[kind](1)
    if external_id == "absent":
        del body["external_id"]
    else:
        body["external_id"] = external_id
    response = api.put(url(contract, kind, "E-1"), body, format="json")
    assert response.status_code == status, response.json()
    if status == 201:
        assert response.json()["external_id"] == "E-1"
        assert api.put(url(contract, kind, "E-1"), body, format="json").status_code == 200
    else:
        assert "external_id" in item_errors(response)
        assert not MODELS[kind].objects.exists()


def test_put_takes_the_id_as_a_whole_number_as_post_does(api, contract):
    response = api.put(url(contract, "worklogs", "4711"), worklog_row(1, external_id=4711), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["external_id"] == "4711"


@pytest.mark.parametrize(
    ("kind", "component"),
    [
        ("incidents", "IncidentReplaceRequest"),
        ("outages", "OutageReplaceRequest"),
        ("worklogs", "WorkLogReplaceRequest"),
    ],
)
def test_the_schema_of_put_makes_the_external_id_optional_and_post_keeps_it_required(api, kind, component):
    schema = api.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    item = schema["paths"][f"/api/v1/contracts/{{reference}}/{kind}/{{external_id}}/"]
    put = item["put"]["requestBody"]["content"]["application/json"]["schema"]
    assert put == {"$ref": f"#/components/schemas/{component}"}
    assert "external_id" in components[component]["properties"]
    assert "external_id" not in components[component]["required"]
    post = schema["paths"][f"/api/v1/contracts/{{reference}}/{kind}/"]["post"]
    post_component = post["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "external_id" in components[post_component]["required"]


@pytest.mark.parametrize(
    ("method", "path", "body", "matches"),
    [
        ("post", "worklogs/", worklog_row(1), True),
        ("post", "worklogs/", worklog_row(1, billable=None), False),
        ("post", "incidents/", incident_row(1, pauses=None), False),
        ("post", "incidents/", incident_row(1, resolved_at=None), True),
        ("post", "outages/", outage_row(1, end=None), True),
        (
            "put",
            "worklogs/{external_id}/",
            {k: v for k, v in worklog_row(1).items() if k != "external_id"},
            True,
        ),
        ("put", "worklogs/{external_id}/", worklog_row(1, external_id=None), False),
        ("post", "worklogs/", {k: v for k, v in worklog_row(1).items() if k != "external_id"}, False),
    ],
)
def test_what_is_refused_with_400_is_what_the_schema_refuses(method, path, body, matches):
    # 400 for a body the schema refuses, 409 for one it accepts (compliance/api/errors.py).
    assert matches_request_schema(f"/api/v1/contracts/{{reference}}/{path}", method, body) is matches
