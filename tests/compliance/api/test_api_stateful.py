"""Stateful schemathesis: chains of API calls along the schema's OpenAPI links never get a 5xx.

The state machine starts from the operations that need no earlier answer (the contract list,
creating an event) and follows the links (compliance/api/openapi_links.py): a created event
is then read, replaced and changed under its own external id, a changed one read again, a
listed contract opened and its events listed. Requests go in-process to the WSGI application
with a provider author's token; the path's contract reference is that author's contract and a
service in a body one of its services, so that writes get past tenancy and reach validation.
Random bodies hardly ever make a valid event (times in order, a cause with its responsibility),
so half of the create calls keep their generated id and free text and get valid values for
the rest: those create the events the links lead to. The other half, and every replace and
change along a link, stay as generated.
"""

import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation

from slaportal.wsgi import application
from tests.compliance.api.test_api_schemathesis import auth_header, wsgi_keeps_test_connection  # noqa: F401

SCENARIOS = 30
STEPS = 5
# Values the contract's terms accept (tests/compliance/event_fixtures.with_terms).
VALID = {
    "incidents": {
        "service": "Email",
        "priority": "P2",
        "opened_at": "2026-03-02T09:00:00",
        "first_response_at": "2026-03-02T09:20:00",
        "resolved_at": "2026-03-02T12:00:00",
        "cause": "provider",
        "responsibility": "",
        "pauses": [],
    },
    "outages": {
        "service": "Email",
        "start": "2026-03-03T01:00:00",
        "end": "2026-03-03T02:30:00",
        "cause": "provider",
        "responsibility": "",
    },
    "worklogs": {"date": "2026-03-04", "hours": "1.50", "person": "A. Engineer"},
}
FREE_TEXT = ("summary", "description", "reopened", "planned", "billable")


def _kind(case) -> str | None:
    return next((kind for kind in VALID if f"/{kind}/" in case.path), None)


def _valid_create(case) -> None:
    """Keep the generated id and free text of a create body, and make the rest valid (for half
    of them, chosen by the generated id)."""
    kind = _kind(case)
    body = case.body
    if case.method.upper() != "POST" or kind is None or not isinstance(body, dict):
        return
    external_id = body.get("external_id")
    if not isinstance(external_id, str) or len(external_id) % 2:
        return
    case.body = {
        "external_id": external_id,
        **{name: body[name] for name in FREE_TEXT if name in body},
        **VALID[kind],
    }


def _machine(headers: dict, reference: str, log: dict):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=headers)
    # The event operations and their links: other resources of the API (sources, profiles,
    # webhooks) are fuzzed statelessly and would only thin out these scenarios.
    base = schema.include(path_regex=r"^/api/v1/contracts/").as_state_machine()

    class Workflow(base):
        def setup(self):
            # Every scenario starts from the same data: Hypothesis replays scenarios and
            # needs the same answers (created 201 versus updated 200) each time.
            self.savepoint = transaction.savepoint()
            self.created = set()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def step(self, input):
            case = input.case
            if "reference" in (case.path_parameters or {}):
                case.path_parameters["reference"] = reference
            if isinstance(case.body, dict) and "service" in case.body:
                case.body["service"] = "Email"
            _valid_create(case)
            external_id = (case.path_parameters or {}).get("external_id")
            if (
                input.transition is not None
                and not input.transition.is_inferred
                and (ParameterLocation.PATH, "external_id") in input.applied_parameters
                and external_id in self.created
            ):
                log["followed"].append((case.operation.label, external_id))
            output = super().step(input)
            log["calls"] += 1
            if case.method.upper() == "POST" and output.response.status_code in (200, 201):
                created = output.response.json()
                if isinstance(created, dict) and "external_id" in created:
                    self.created.add(created["external_id"])
                    log["created"] += 1
            return output

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=[not_a_server_error], transport_kwargs=kwargs or None)

    return Workflow


def test_linked_calls_never_get_a_server_error(tenants, auth_header):  # noqa: F811
    log = {"calls": 0, "created": 0, "followed": []}
    machine = _machine(auth_header, tenants.contract.reference, log)
    machine.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            # The same scenarios on every run: CI either passes or shows a real failure.
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
    assert log["calls"] > SCENARIOS
    # Not vacuous: events got created, and later calls reached them through the links.
    assert log["created"], "no create call succeeded"
    assert log["followed"], "no call followed a link to a created event"


def test_the_schema_links_operations(auth_header):  # noqa: F811
    """Every link names an operation of the schema, and each created event links to itself."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=auth_header)
    paths = schema.raw_schema["paths"]
    operations = {
        operation["operationId"]: (path, method)
        for path, item in paths.items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "operationId" in operation
    }
    links = [
        (operations[operation["operationId"]], code, link)
        for path, item in paths.items()
        for method, operation in item.items()
        if isinstance(operation, dict)
        for code, response in operation.get("responses", {}).items()
        for link in response.get("links", {}).values()
    ]
    assert {link["operationId"] for _, _, link in links} <= operations.keys()
    for kind in VALID:
        collection = f"/api/v1/contracts/{{reference}}/{kind}/"
        created = {
            operations[link["operationId"]]
            for source, code, link in links
            if source == (collection, "post") and code == "201"
        }
        item = collection + "{external_id}/"
        assert {(item, "get"), (item, "put"), (item, "patch")} <= created, kind
