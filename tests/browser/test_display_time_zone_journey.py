"""A person picks a display time zone on their profile in Chromium and reads the contract's
activity in it, on a desktop and on a phone, with the zone named next to every time."""

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from contracts.models import AuditAction, AuditEvent
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _outage_recorded(contract) -> None:
    """An activity entry at 14:15 UTC on 3 December 2026 (15:15 in Amsterdam, 09:15 in New York)."""
    AuditEvent.objects.create(
        contract=contract,
        actor_name="Alice",
        action=AuditAction.EVENT_RECORDED,
        summary="Outage recorded",
        created_at=datetime(2026, 12, 3, 14, 15, tzinfo=UTC),
    )


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_a_person_picks_new_york_and_reads_the_activity_in_it(browser_page, tenants, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    reference = tenants.contract.reference
    _outage_recorded(tenants.contract)

    sign_in(page, tenants.provider_admin.email)
    page.goto(page.base + f"/contracts/{reference}/activity/")
    table = page.get_by_role("table")
    expect(table).to_contain_text("3 December 2026, 15:15 CET (Europe/Amsterdam)")

    page.goto(page.base + "/accounts/profile/")
    assert_accessible(page)
    field = page.get_by_label("Display time zone")
    expect(field).to_have_attribute("list", "time-zone-names")

    # A zone that does not exist: the field says so, nothing changes.
    field.fill("Atlantis/Capital")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.locator("main")).to_contain_text("“Atlantis/Capital” is not a known time zone")
    assert_accessible(page)

    page.get_by_label("Display time zone").fill("America/New_York")
    page.get_by_role("button", name="Save time zone").click()
    page.wait_for_url("**/accounts/profile/")
    main = page.locator("main")
    expect(main).to_contain_text("Times are now shown in America/New_York.")
    expect(page.locator("#time-zone-now")).to_contain_text(re.compile(r"E[SD]T \(America/New_York\)"))
    assert_accessible(page)

    page.goto(page.base + f"/contracts/{reference}/activity/")
    table = page.get_by_role("table")
    expect(table).to_contain_text("3 December 2026, 09:15 EST (America/New_York)")
    expect(table).not_to_contain_text("(Europe/Amsterdam)")
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_an_admin_sets_the_organisations_default_zone(browser_page, tenants, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    _outage_recorded(tenants.contract)
    sign_in(page, tenants.provider_admin.email)
    page.goto(page.base + f"/organisations/{tenants.provider.slug}/")
    assert_accessible(page)
    field = page.get_by_label("Default time zone")
    expect(field).to_have_attribute("list", "time-zone-names")
    field.fill("Nowhere/Town")
    page.get_by_role("button", name="Save default time zone").click()
    expect(page.locator("main")).to_contain_text("“Nowhere/Town” is not a known time zone")
    assert_accessible(page)

    page.get_by_label("Default time zone").fill("America/New_York")
    page.get_by_role("button", name="Save default time zone").click()
    expect(page.locator("main")).to_contain_text(
        "Members who picked no time zone now see times in America/New_York."
    )
    expect(page.locator("#default-zone-now")).to_contain_text("America/New_York")
    assert_accessible(page)

    # The admin picked no zone of their own, so the provider's default applies to them too.
    page.goto(page.base + f"/contracts/{tenants.contract.reference}/activity/")
    expect(page.get_by_role("table")).to_contain_text("3 December 2026, 09:15 EST (America/New_York)")
