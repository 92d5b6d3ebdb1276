"""The month's evaluation (and so the report) lists service levels in the contract's order,
and counts a named extra holiday by its date."""

from datetime import UTC, date, datetime

import pytest

from compliance.selectors.evaluation_inputs import evaluation_inputs_for
from contracts import services as contract_services
from tests import factories

pytestmark = pytest.mark.django_db
LATER = datetime(2026, 6, 1, tzinfo=UTC)


def test_levels_are_evaluated_in_the_order_the_author_gave_them(tenants):
    contract = tenants.contract
    version = factories.version_with_terms(contract, user=tenants.provider_author)
    contract_services.service_level_move(
        service_level=version.service_levels.get(key="response_p1"), direction="up"
    )
    contract_services.calendar_update(
        calendar=version.calendars.get(name="Business hours"),
        data={"extra_holidays": [("2026-03-02", "Company day")]},
    )
    contract_services.version_publish(version=version, user=tenants.provider_author)

    loaded = evaluation_inputs_for([contract], (2026, 3), now=LATER)[contract.pk]

    assert [level.key for level in loaded.inputs.levels] == ["response_p1", "availability"]
    business_hours = next(level.calendar for level in loaded.inputs.levels if level.key == "response_p1")
    assert date(2026, 3, 2) in business_hours.holidays
