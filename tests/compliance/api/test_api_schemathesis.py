"""Schemathesis against /api/schema/: generated requests to every operation never get a 5xx.

Requests go to the WSGI application in-process, authenticated with a provider author's
token, with the path's contract reference set to that author's contract so that writes get
past tenancy and reach validation. A second run uses another organisation's token against
the same references: every answer must be 404 (405 for a method the route lacks), never a
success and never a 5xx. Bounded to a few examples per operation to stay fast.

Each operation is fuzzed on its own here. Chains of calls along the schema's OpenAPI links
(create an event, then read, replace or change it) are fuzzed statefully by
tests/compliance/api/test_api_stateful.py; tests/compliance/api/test_api_events.py and
tests/test_tenancy_matrix.py check those chains' answers and another tenant trying the same.
"""

import re

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings

from compliance import services
from slaportal.wsgi import application
from tests.compliance.event_fixtures import with_terms

EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def wsgi_keeps_test_connection():
    """Calling the WSGI application directly would close the test's database connection at
    the end of each request; Django's test client avoids that the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def auth_header(tenants, wsgi_keeps_test_connection):
    with_terms(tenants)
    _, secret = services.api_token_create(user=tenants.provider_author, name="schemathesis")
    return {"Authorization": f"Token {secret}"}


def _fuzz(operation, *, reference: str, headers: dict, failures: list, allowed=None) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def call(case):
        if "reference" in (case.path_parameters or {}):
            case.path_parameters["reference"] = reference
        if isinstance(case.body, dict) and "service" in case.body:
            # A service of the contract, so that the rest of the body gets checked too.
            case.body["service"] = "Email"
        response = case.call(headers=headers)
        refused = allowed is None or response.status_code in allowed
        if response.status_code >= 500 or not refused:
            failures.append((operation.label, case.path_parameters, case.body, response.status_code))

    call()


def _operations(headers):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=headers)
    return [result.ok() for result in schema.get_all_operations()]


def _api_routes() -> set[str]:
    """Every API route of the URL conf, with OpenAPI-style parameters."""
    from django.urls import get_resolver

    routes = set()
    for entry in get_resolver().url_patterns:
        if str(entry.pattern) == "api/":
            for sub in entry.url_patterns:
                route = "/api/" + str(sub.pattern)
                if "schema" not in route and "docs" not in route:
                    routes.add(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
    return routes


def test_the_schema_lists_every_api_route(auth_header):
    paths = {operation.path for operation in _operations(auth_header)}
    assert _api_routes() <= paths, _api_routes() - paths


@pytest.mark.long
def test_no_server_error_for_generated_requests(tenants, auth_header):
    operations = _operations(auth_header)
    assert len(operations) >= 15
    failures: list = []
    for operation in operations:
        _fuzz(operation, reference=tenants.contract.reference, headers=auth_header, failures=failures)
    assert not failures, failures[:5]


@pytest.mark.long
def test_another_tenants_token_gets_404_for_every_generated_request(tenants, auth_header):
    """The outsider's token against the first tenant's references: never found."""
    _, secret = services.api_token_create(user=tenants.outsider_admin, name="schemathesis outsider")
    headers = {"Authorization": f"Token {secret}"}
    failures: list = []
    for operation in _operations(auth_header):
        if "{reference}" not in operation.path:
            continue
        _fuzz(
            operation,
            reference=tenants.contract.reference,
            headers=headers,
            failures=failures,
            allowed={404, 405},
        )
    assert not failures, failures[:5]
