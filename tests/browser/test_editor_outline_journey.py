"""The editor's outline in Chromium: clauses start collapsed, the outline jumps to (and opens)
a clause, a clause is moved with the keyboard and the outline follows, and publishing
offers the next step, Send for signature."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.axe import assert_accessible, assert_no_sideways_scroll
from tests.browser.test_customer_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def outline_entries(page) -> list[str]:
    return [re.sub(r"\s+", " ", t).strip() for t in page.locator("#outline-list li a").all_inner_texts()]


@pytest.mark.parametrize("width", [1280, 390])
def test_author_reorders_clauses_with_the_keyboard_and_publishes(browser_page, tenants, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    draft = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    headings = list(draft.clauses.order_by("position").values_list("heading", flat=True))
    sign_in(page, tenants.provider_author.email)
    page.goto(page.base + f"/contracts/{tenants.contract.reference}/versions/{draft.number}/edit/")

    outline = page.get_by_role("navigation", name="Outline")
    expect(outline).to_be_visible()
    assert outline_entries(page) == [f"{n}. {h}" for n, h in enumerate(headings, start=1)]
    expect(outline.locator("li").first).to_contain_text("Ready")
    # Clauses start collapsed: their texts are hidden until opened.
    first_card = page.locator("section.clause").first
    expect(first_card.get_by_label("Legal text")).to_be_hidden()
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    # A jump link opens the clause it points at.
    outline.get_by_role("link", name=f"3. {headings[2]}").click()
    third = page.locator("section.clause").nth(2)
    expect(third.get_by_label("Legal text")).to_be_visible()

    # Saving a placeholder typo flags the clause in the outline, without a page reload.
    page.evaluate("window.stillTheSamePage = true")
    plain = third.get_by_label("Plain text")
    original = plain.input_value()
    plain.fill(original + " {{ typo_here }}")
    third.get_by_role("button", name=f"Save clause {headings[2]}").click()
    expect(outline.locator("li").nth(2)).to_contain_text("unfilled placeholder")
    third = page.locator("section.clause").nth(2)
    third.get_by_label("Plain text").fill(original)
    third.get_by_role("button", name=f"Save clause {headings[2]}").click()
    expect(outline.locator("li").nth(2)).to_contain_text("Ready")
    assert page.evaluate("window.stillTheSamePage") is True

    # Move the first clause down with the keyboard: focus its button, press Enter.
    page.get_by_role("button", name=f"Move clause {headings[0]} down").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text(f"Clause “{headings[0]}” moved down to number 2.")
    assert outline_entries(page) == [f"1. {headings[1]}", f"2. {headings[0]}", f"3. {headings[2]}"]
    # Back up again with the keyboard, from its new place.
    page.get_by_role("button", name=f"Move clause {headings[0]} up").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text(f"Clause “{headings[0]}” moved up to number 1.")
    assert outline_entries(page) == [f"{n}. {h}" for n, h in enumerate(headings, start=1)]
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    # Publish: the page offers the next step.
    page.get_by_role("button", name=f"Publish version {draft.number}…").click()
    dialog = page.get_by_role("dialog", name=f"Publish version {draft.number}?")
    dialog.get_by_role("button", name=f"Publish version {draft.number}", exact=True).click()
    expect(page.locator("main")).to_contain_text(f"Version {draft.number} published")
    send = page.get_by_role("link", name="Send for signature")
    expect(send).to_be_visible()
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    send.click()
    page.wait_for_url(f"**/contracts/{tenants.contract.reference}/sign/send/")
