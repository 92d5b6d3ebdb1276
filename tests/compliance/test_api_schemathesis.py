"""Schemathesis against /api/schema/: generated requests to every operation never get a 5xx.

Requests go to the WSGI application in-process, authenticated with a provider author's
token, with the path's contract reference set to that author's contract so that writes get
past tenancy and reach validation. Bounded to a few examples per operation to stay fast.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings

from compliance import services
from slaportal.wsgi import application
from tests.compliance.event_fixtures import with_terms

EXAMPLES_PER_OPERATION = 20


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


def _fuzz(operation, *, reference: str, headers: dict, failures: list) -> None:
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
        if response.status_code >= 500:
            failures.append((operation.label, case.path_parameters, case.body, response.status_code))

    call()


def test_no_server_error_for_generated_requests(tenants, auth_header):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=auth_header)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    failures: list = []
    for operation in operations:
        _fuzz(operation, reference=tenants.contract.reference, headers=auth_header, failures=failures)
    assert not failures, failures[:5]
