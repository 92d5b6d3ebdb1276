"""Fixtures the API tests share: a contract with realistic terms and its provider author's
API client."""

import pytest

from tests.compliance.api.test_api_events import api_for
from tests.compliance.event_fixtures import with_terms


@pytest.fixture
def contract(tenants):
    return with_terms(tenants)


@pytest.fixture
def api(tenants, contract):
    return api_for(tenants.provider_author)
