"""The terms page sections other than parameters: create, change, delete, and bad input."""

from datetime import time
from decimal import Decimal

import pytest

from contracts import services
from contracts.models import CreditCap, HoursCommitment
from contracts.texts.wording import RANGE_DASH
from tests import factories
from tests.contracts.terms_views_support import snapshot, text, tier_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(tenants):
    return factories.version_with_terms(tenants.contract, user=tenants.provider_author)


@pytest.fixture
def author(tenants, client_for):
    return client_for(tenants.provider_author)


def refused(author, version, name: str, data: dict, error: str, **kwargs) -> None:
    """Posting ``data`` answers 400 with ``error`` on the page and changes nothing."""
    before = snapshot(version)
    response = author.post(url(name, version, **kwargs), data)
    assert response.status_code == 400, name
    assert error in text(response)
    assert snapshot(version) == before


# ---------------------------------------------------------------- scope


def test_author_adds_an_out_of_scope_service_with_its_reason(author, draft):
    data = {"name": "Practice software", "in_scope": "0", "out_of_scope_reason": "supported by its vendor"}
    response = author.post(url("terms_service_create", draft), data)
    assert response.status_code == 302 and response.url.endswith("#scope")
    service = draft.services.get(name="Practice software")
    assert (service.in_scope, service.out_of_scope_reason) == (False, "supported by its vendor")


def test_out_of_scope_service_needs_a_reason(author, draft):
    data = {"name": "Practice software", "in_scope": "0", "out_of_scope_reason": " "}
    refused(author, draft, "terms_service_create", data, "Say why this service is out of scope.")


def test_service_names_are_unique_per_version(author, draft):
    refused(
        author, draft, "terms_service_create", {"name": "Email", "in_scope": "1"}, "already has a service"
    )


def test_author_moves_a_service_out_of_scope(author, draft):
    service = draft.services.get(name="File server")
    data = {"name": "File server", "in_scope": "0", "out_of_scope_reason": "replaced by SharePoint"}
    assert author.post(url("terms_service_update", draft, service_id=service.pk), data).status_code == 302
    service.refresh_from_db()
    assert (service.in_scope, service.out_of_scope_reason) == (False, "replaced by SharePoint")


def test_author_deletes_a_service(author, draft):
    service = draft.services.get(name="Copier")
    assert author.post(url("terms_service_delete", draft, service_id=service.pk)).status_code == 302
    assert not draft.services.filter(name="Copier").exists()


def test_deleting_a_measured_service_says_which_service_level(author, draft):
    email = draft.services.get(name="Email")
    level = draft.service_levels.get(key="availability")
    services.service_level_update(service_level=level, data={"service": email})
    refused(
        author,
        draft,
        "terms_service_delete",
        {},
        "is measured by the service level(s) Availability",
        service_id=email.pk,
    )


# ---------------------------------------------------------------- calendars


def test_author_adds_a_business_hours_calendar(author, draft):
    data = {
        "name": "Munich office",
        "hours_0": "09:00-12:00, 13:00-17:00",
        "hours_4": "9:00-15:00",
        "holiday_country": "DE",
        "holiday_subdivision": "by",
        "extra_holidays": "2026-12-31\n2026-12-24 Company day",
    }
    response = author.post(url("terms_calendar_create", draft), data)
    assert response.status_code == 302 and response.url.endswith("#calendars")
    calendar = draft.calendars.get(name="Munich office")
    assert calendar.hours == {"0": "09:00-12:00, 13:00-17:00", "4": "09:00-15:00"}
    assert (calendar.holiday_country, calendar.holiday_subdivision) == ("DE", "BY")
    assert calendar.extra_holidays == [
        {"date": "2026-12-24", "name": "Company day"},
        {"date": "2026-12-31", "name": ""},
    ]
    body = text(author.get(url("version_terms", draft)))
    assert (
        "Monday 09:00–12:00 and 13:00–17:00, Friday 09:00–15:00 (Europe/Amsterdam), "
        "except DE-BY public holidays, 24 December 2026 (Company day) and 31 December 2026"
    ) in body.replace(RANGE_DASH, "–")


def test_the_calendar_form_shows_each_extra_holiday_with_its_name(author, draft):
    calendar = draft.calendars.get(name="Business hours")
    services.calendar_update(
        calendar=calendar, data={"extra_holidays": [("2026-12-24", "Company day"), "2026-12-31"]}
    )
    form = text(
        author.get(url("terms_calendar_update", draft, calendar_id=calendar.pk), HTTP_HX_REQUEST="true")
    )
    textarea = form[form.index('name="extra_holidays"') :]
    textarea = textarea[textarea.index(">") + 1 : textarea.index("</textarea>")]
    assert textarea.strip().splitlines() == ["2026-12-24 Company day", "2026-12-31"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": "Office", "hours_0": "9-5pm"}, "“9-5pm” is not a time range"),
        ({"name": "Office", "hours_2": "17:00-09:00"}, "is not a time range"),
        ({"name": "Office"}, "Give business hours for at least one weekday, or make the calendar 24×7."),
        ({"name": "Office", "around_the_clock": "on", "holiday_country": "XX"}, "Select a valid choice"),
        (
            {"name": "Office", "around_the_clock": "on", "holiday_subdivision": "BY"},
            "A region needs its country.",
        ),
        (
            {
                "name": "Office",
                "around_the_clock": "on",
                "holiday_country": "DE",
                "holiday_subdivision": "ZZ",
            },
            "Not a region of DE; known regions: BB, BE",
        ),
        (
            {"name": "Office", "around_the_clock": "on", "extra_holidays": "24/12/2026"},
            "Not a date and name: 24/12/2026.",
        ),
        ({"name": "24×7", "around_the_clock": "on"}, "already has a calendar “24×7”"),
    ],
)
def test_bad_calendar_is_refused_with_the_field_error(author, draft, data, error):
    refused(author, draft, "terms_calendar_create", data, error)


def test_author_changes_a_calendar(author, draft):
    calendar = draft.calendars.get(name="Business hours")
    data = {
        "name": "Office hours",
        **{f"hours_{day}": "08:00-18:00" for day in range(5)},
        "holiday_country": "BE",
    }
    assert author.post(url("terms_calendar_update", draft, calendar_id=calendar.pk), data).status_code == 302
    calendar.refresh_from_db()
    assert calendar.name == "Office hours"
    assert calendar.hours == {str(day): "08:00-18:00" for day in range(5)}
    assert calendar.holiday_country == "BE"


def test_author_deletes_an_unused_calendar_and_not_a_used_one(author, draft):
    spare = services.calendar_create(version=draft, name="Spare", around_the_clock=True)
    assert author.post(url("terms_calendar_delete", draft, calendar_id=spare.pk)).status_code == 302
    assert not draft.calendars.filter(name="Spare").exists()
    used = draft.calendars.get(name="24×7")
    error = "is the calendar of the service level(s) Availability"
    refused(author, draft, "terms_calendar_delete", {}, error, calendar_id=used.pk)


# ---------------------------------------------------------------- maintenance windows


def test_author_adds_changes_and_deletes_a_maintenance_window(author, draft):
    data = {"weekday": "6", "start": "02:00", "duration_minutes": "120", "description": "Patching"}
    assert author.post(url("terms_window_create", draft), data).status_code == 302
    window = draft.maintenance_windows.get()
    assert (window.weekday, window.start, window.duration_minutes) == (6, time(2), 120)
    data = {"weekday": "5", "start": "23:30", "duration_minutes": "1h 30m"}
    assert author.post(url("terms_window_update", draft, window_id=window.pk), data).status_code == 302
    window.refresh_from_db()
    assert (window.weekday, window.start, window.duration_minutes, window.description) == (
        5,
        time(23, 30),
        90,
        "",
    )
    assert author.post(url("terms_window_delete", draft, window_id=window.pk)).status_code == 302
    assert not draft.maintenance_windows.exists()


@pytest.mark.parametrize(
    ("duration", "error"),
    [("0", "at least one minute"), ("soon", "is not a duration"), ("8 days", "At most 7d")],
)
def test_maintenance_window_needs_a_duration_of_at_most_a_week(author, draft, duration, error):
    data = {"weekday": "6", "start": "02:00", "duration_minutes": duration}
    refused(author, draft, "terms_window_create", data, error)


# ---------------------------------------------------------------- service levels


def _level_data(draft, **overrides) -> dict:
    data = {
        "key": "resolution_p1",
        "name": "Resolution of P1 incidents",
        "metric": "resolution",
        "priority": "P1",
        "service": str(draft.services.get(name="Email").pk),
        "target": str(draft.parameters.get(name="resolution_p1").pk),
        "calendar": str(draft.calendars.get(name="Business hours").pk),
        "remove_excluded_from_measured": "on",
    }
    return {**data, **overrides}


def test_author_adds_a_service_level(author, draft):
    response = author.post(url("terms_level_create", draft), _level_data(draft))
    assert response.status_code == 302 and response.url.endswith("#service-levels")
    level = draft.service_levels.get(key="resolution_p1")
    assert (level.metric, level.priority, level.target.name, level.service.name, level.calendar.name) == (
        "resolution",
        "P1",
        "resolution_p1",
        "Email",
        "Business hours",
    )
    assert level.remove_excluded_from_measured and level.share is None


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"key": "p1 resolution"}, "Use lower-case letters"),
        ({"key": "availability"}, "already has a service level “availability”"),
        ({"target": ""}, "This field is required."),
        ({"target": "999999"}, "Select a valid choice"),
    ],
)
def test_bad_service_level_is_refused_with_the_field_error(author, draft, overrides, error):
    refused(author, draft, "terms_level_create", _level_data(draft, **overrides), error)


@pytest.mark.parametrize(
    ("metric", "target", "error"),
    [
        (
            "availability",
            "monthly_fee",
            "monthly_fee is an amount of money; the target of an availability level is a percentage",
        ),
        (
            "resolution",
            "uptime_target",
            "uptime_target is a percentage; the target of a resolution level is a duration",
        ),
    ],
)
def test_a_target_of_the_wrong_type_is_refused_before_it_is_saved(author, draft, metric, target, error):
    data = _level_data(
        draft, key="new_level", metric=metric, target=str(draft.parameters.get(name=target).pk)
    )
    refused(author, draft, "terms_level_create", data, error)


def test_the_share_of_tickets_is_a_percentage(author, draft):
    data = _level_data(draft, key="new_level", share=str(draft.parameters.get(name="resolution_p1").pk))
    refused(author, draft, "terms_level_create", data, "the share of tickets is a percentage")


def test_author_changes_and_deletes_a_service_level(author, draft):
    level = draft.service_levels.get(key="response_p1")
    data = _level_data(draft, key="response_p1", name="P1 answered", metric="first_response")
    assert author.post(url("terms_level_update", draft, level_id=level.pk), data).status_code == 302
    level.refresh_from_db()
    assert (level.name, level.target.name, level.share) == ("P1 answered", "resolution_p1", None)
    assert author.post(url("terms_level_delete", draft, level_id=level.pk)).status_code == 302
    assert not draft.service_levels.filter(key="response_p1").exists()


# ---------------------------------------------------------------- credits


def _availability(draft):
    return draft.service_levels.get(key="availability")


def _schedule(level) -> list:
    return [(t.below, t.kind, t.value) for t in level.credit_tiers.order_by("-below")]


def test_author_adds_a_credit_tier(author, draft):
    level = _availability(draft)
    rows = [
        ("99.9", "10", "percent_of_fee"),
        ("99.0", "25", "percent_of_fee"),
        ("95.0", "100", "percent_of_fee"),
        ("90", "4", "hours"),
    ]
    response = author.post(
        url("terms_credit_tiers_set", draft, level_id=level.pk), tier_data(rows, initial=3)
    )
    assert response.status_code == 302 and response.url.endswith("#credits")
    assert _schedule(level)[-1] == (Decimal("90"), "hours", Decimal("4"))
    assert "below 90.0% → 4 hours of work" in text(author.get(url("version_terms", draft)))


def test_author_removes_a_credit_tier_and_keeps_a_blank_row_out(author, draft):
    level = _availability(draft)
    rows = [
        ("99.9", "10", "percent_of_fee"),
        ("99.0", "25", "percent_of_fee", True),
        ("95.0", "100", "percent_of_fee"),
        ("", "", "percent_of_fee"),
    ]
    assert (
        author.post(
            url("terms_credit_tiers_set", draft, level_id=level.pk), tier_data(rows, initial=3)
        ).status_code
        == 302
    )
    assert [below for below, _kind, _value in _schedule(level)] == [Decimal("99.9"), Decimal("95.0")]


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        ([("99.9", "120", "percent_of_fee")], "A credit is at most 100% of the monthly fee."),
        ([("120", "10", "percent_of_fee")], "less than or equal to 100"),
        (
            [("99", "10", "percent_of_fee"), ("99.0", "20", "fixed_amount")],
            "Two tiers have the same threshold",
        ),
        ([("99", "", "percent_of_fee")], "This field is required."),
    ],
)
def test_bad_credit_tiers_are_refused(author, draft, rows, error):
    level = _availability(draft)
    refused(author, draft, "terms_credit_tiers_set", tier_data(rows, initial=0), error, level_id=level.pk)


def test_author_sets_changes_and_removes_the_credit_cap(author, draft):
    assert (
        author.post(url("terms_credit_cap_set", draft), {"kind": "amount", "value": "500"}).status_code == 302
    )
    cap = CreditCap.objects.get(version=draft)
    assert (cap.kind, cap.value) == ("amount", Decimal("500.00"))
    assert "capped at <strong>EUR 500.00</strong>" in text(author.get(url("version_terms", draft)))
    assert author.post(url("terms_credit_cap_delete", draft)).status_code == 302
    assert not CreditCap.objects.filter(version=draft).exists()


def test_credit_cap_of_more_than_the_fee_is_refused(author, draft):
    data = {"kind": "percent_of_fee", "value": "150"}
    refused(author, draft, "terms_credit_cap_set", data, "A cap is at most 100% of the monthly fee.")


# ---------------------------------------------------------------- hours and responsibilities


def test_author_sets_and_removes_the_hours_commitment(author, draft):
    data = {"hours_per_month": "32.5", "deficit_carry_months": "", "surplus_carry_months": "2"}
    assert author.post(url("terms_hours_set", draft), data).status_code == 302
    hours = HoursCommitment.objects.get(version=draft)
    assert (hours.hours_per_month, hours.deficit_carry_months, hours.surplus_carry_months) == (
        Decimal("32.5"),
        None,
        2,
    )
    assert author.post(url("terms_hours_delete", draft)).status_code == 302
    assert not HoursCommitment.objects.filter(version=draft).exists()


def test_negative_hours_are_refused(author, draft):
    refused(author, draft, "terms_hours_set", {"hours_per_month": "-1"}, "greater than or equal to 0")


def test_author_adds_changes_and_deletes_a_responsibility(author, draft):
    data = {
        "key": "backups",
        "duty": "Keeps offline backups",
        "category": "backups",
        "consequence": "billable",
    }
    assert author.post(url("terms_responsibility_create", draft), data).status_code == 302
    duty = draft.responsibilities.get(key="backups")
    data = {**data, "consequence": "exclude_from_sla"}
    assert (
        author.post(url("terms_responsibility_update", draft, responsibility_id=duty.pk), data).status_code
        == 302
    )
    duty.refresh_from_db()
    assert duty.consequence == "exclude_from_sla"
    assert (
        author.post(url("terms_responsibility_delete", draft, responsibility_id=duty.pk)).status_code == 302
    )
    assert not draft.responsibilities.filter(key="backups").exists()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"key": "Back ups"}, "Use lower-case letters"),
        ({"key": "licences"}, "already has a responsibility “licences”"),
        ({"consequence": "shrug"}, "Select a valid choice"),
    ],
)
def test_bad_responsibility_is_refused(author, draft, overrides, error):
    data = {
        "key": "backups",
        "duty": "Keeps backups",
        "category": "backups",
        "consequence": "billable",
        **overrides,
    }
    refused(author, draft, "terms_responsibility_create", data, error)
