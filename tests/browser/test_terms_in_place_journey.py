"""An author rearranges a draft with the keyboard and edits its terms in place, in Chromium:
clauses move with their buttons, a term row swaps for its form and back without a page
reload (a marker set on the page survives), a mistake stays in the row with what was
typed, service levels move with the keyboard, and an extra holiday gets its name."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def same_page(page) -> bool:
    return page.evaluate("window.stillTheSamePage") is True


def _settled(page) -> None:
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-added, .htmx-settling')")


@pytest.mark.parametrize("width", [1280, 390])
def test_author_reorders_with_the_keyboard_and_edits_terms_in_place(browser_page, tenants, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    draft = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    headings = list(draft.clauses.order_by("position").values_list("heading", flat=True))
    base = f"{page.base}/contracts/{tenants.contract.reference}/versions/{draft.number}"
    sign_in(page, tenants.provider_author.email)

    # Clauses: the first moves down with the keyboard (focus its button, press Enter).
    page.goto(f"{base}/edit/")
    page.get_by_role("button", name=f"Move clause {headings[0]} down").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text(f"Clause “{headings[0]}” moved down to number 2.")
    titles = page.locator("section.clause h3").all_inner_texts()
    assert titles[:2] == [f"1. {headings[1]}", f"2. {headings[0]}"]

    # The terms page: the consistency check loads into it.
    page.goto(f"{base}/terms/")
    page.evaluate("window.stillTheSamePage = true")
    findings = page.locator("#findings-list")
    expect(findings).not_to_contain_text("See the consistency check in the editor")
    assert_accessible(page)

    # A parameter edited in its row, from the keyboard: Edit swaps the row for its form,
    # with focus on the first field; Enter saves and the row shows the new value.
    uptime = page.locator("#parameters li", has_text="uptime_target")
    uptime.get_by_role("link", name="Edit parameter uptime_target").focus()
    page.keyboard.press("Enter")
    expect(uptime.get_by_label("Type")).to_be_focused()
    _settled(page)  # htmx focuses the form's first field once the swap settles
    page.keyboard.press("Tab")
    value = uptime.get_by_label("Value")
    expect(value).to_be_focused()
    value.fill("99.5")
    page.keyboard.press("Enter")
    expect(uptime.get_by_role("status")).to_have_text("Parameter uptime_target saved.")
    expect(uptime).to_contain_text("99.5%")
    expect(uptime.get_by_role("link", name="Edit parameter uptime_target")).to_be_focused()
    # The service level it is the target of shows the new value as well.
    expect(page.locator("#service-levels-list li", has_text="Availability")).to_contain_text("99.5%")
    assert same_page(page)

    # A mistake stays in the row, with the reason and what was typed; Cancel restores the row.
    uptime.get_by_role("link", name="Edit parameter uptime_target").click()
    _settled(page)  # until then the first field may yet take the focus from the one being typed in
    uptime.get_by_label("Value").fill("120")
    uptime.get_by_role("button", name="Save").click()
    expect(uptime).to_contain_text("A percentage lies between 0 and 100, not 120.")
    expect(uptime.get_by_label("Value")).to_have_value("120")
    expect(uptime.get_by_label("Value")).to_be_focused()
    assert_accessible(page)
    uptime.get_by_role("link", name="Cancel editing parameter uptime_target").click()
    _settled(page)
    expect(uptime).to_contain_text("99.5%")
    expect(uptime.get_by_label("Value")).to_have_count(0)
    assert same_page(page)

    # Service levels move with the keyboard too; focus stays on the moved level.
    levels = page.locator("#service-levels-list")
    page.get_by_role("button", name="Move First response to P1 incidents up").focus()
    page.keyboard.press("Enter")
    expect(levels.get_by_role("status")).to_have_text(
        "Service level First response to P1 incidents moved up to number 1."
    )
    names = [re.sub(r"\s+", " ", t) for t in levels.locator("li.term-row strong").all_inner_texts()]
    assert names == ["First response to P1 incidents", "Availability"]
    expect(page.get_by_role("button", name="Move First response to P1 incidents down")).to_be_focused()
    assert same_page(page)

    # An extra holiday with its name, in the calendar's row.
    office = page.locator("#calendars li", has_text="Business hours")
    office.get_by_role("link", name="Edit calendar Business hours").click()
    _settled(page)
    office.get_by_label("Extra holidays").fill("2026-12-24 Company day")
    office.get_by_role("button", name="Save").click()
    expect(office).to_contain_text("24 December 2026 (Company day)")
    assert same_page(page)
    assert_accessible(page)


@pytest.mark.viewport_set_by_test
def test_author_drags_a_service_level_to_a_new_place(browser_page, tenants):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    draft = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    sign_in(page, tenants.provider_author.email)
    page.goto(f"{page.base}/contracts/{tenants.contract.reference}/versions/{draft.number}/terms/")
    page.evaluate("window.stillTheSamePage = true")
    levels = page.locator("#service-levels-list")
    response_p1 = levels.locator("li.term-row", has_text="First response to P1 incidents")
    _settled(page)  # the findings panel loads after the page
    response_p1.locator(".drag-handle").drag_to(
        levels.locator("li.term-row").first, target_position={"x": 5, "y": 5}
    )
    # The new order is posted and the list swapped: on a busy machine, allow it time.
    expect(levels.get_by_role("status")).to_have_text("Service levels reordered.", timeout=15_000)
    names = levels.locator("li.term-row strong").all_inner_texts()
    assert names == ["First response to P1 incidents", "Availability"]
    assert list(draft.service_levels.order_by("position").values_list("key", flat=True)) == [
        "response_p1",
        "availability",
    ]
    assert same_page(page)
