"""Named extra holidays as stored: what the services accept, and the migration of bare dates."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from contracts import services
from contracts.models import Calendar
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(tenants):
    return factories.version_with_terms(tenants.contract, user=tenants.provider_author)


def test_a_calendar_keeps_each_extra_holiday_with_its_name(version):
    calendar = services.calendar_create(
        version=version,
        name="Office",
        hours={0: "09:00-17:00"},
        extra_holidays=[{"date": "2026-12-31", "name": ""}, (date(2026, 12, 24), "  Company   day ")],
    )
    calendar.refresh_from_db()
    assert calendar.extra_holidays == [
        {"date": "2026-12-24", "name": "Company day"},
        {"date": "2026-12-31", "name": ""},
    ]
    assert calendar.extra_holiday_dates == [date(2026, 12, 24), date(2026, 12, 31)]


@pytest.mark.parametrize(
    "holiday",
    [{"name": "Company day"}, {"date": "24.12.2026", "name": "x"}, {"date": "2026-12-24", "name": "x" * 81}],
)
def test_a_holiday_without_a_proper_date_or_with_a_long_name_is_refused(version, holiday):
    with pytest.raises(ValidationError):
        services.calendar_create(
            version=version, name="Office", hours={0: "09:00-17:00"}, extra_holidays=[holiday]
        )
    assert not Calendar.objects.filter(version=version, name="Office").exists()


def test_the_migration_names_old_bare_dates_and_keeps_them_readable(version):
    calendar = version.calendars.get(name="Business hours")
    # As stored before holidays had names.
    Calendar.objects.filter(pk=calendar.pk).update(extra_holidays=["2026-12-24"])
    calendar.refresh_from_db()
    assert calendar.extra_holiday_dates == [date(2026, 12, 24)]

    migration = importlib.import_module("contracts.migrations.0016_extra_holidays_with_names")
    migration.name_the_dates(apps, None)

    calendar.refresh_from_db()
    assert calendar.extra_holidays == [{"date": "2026-12-24", "name": ""}]
    migration.unname_the_dates(apps, None)
    calendar.refresh_from_db()
    assert calendar.extra_holidays == ["2026-12-24"]
