"""An author drafts a contract in Chromium: create, write clauses side by side, change a
parameter and watch both renderings follow, fix a placeholder typo, publish, start version 2."""

import re

import pytest
from playwright.sync_api import expect

from contracts.models import Contract
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAUSES = [
    (
        "Availability",
        "The Provider shall keep the services available {{ uptime_target }} of each month.",
        "Your systems are up {{ uptime_target }} of the month.",
    ),
    (
        "Measurement",
        "Availability below {{ uptime_target }} is measured per calendar month.",
        "We measure the {{ uptime_target }} every month.",
    ),
    (
        "Reporting",
        "The Provider reports monthly against the {{ uptime_target }} target.",
        "Each month you get a report on the {{ uptime_target }} target.",
    ),
]


def clause_card(page, heading: str):
    return page.locator("section.clause").filter(has=page.get_by_role("heading", name=re.compile(heading)))


def test_author_drafts_publishes_and_starts_a_second_version(browser_page, tenants):
    page = browser_page
    sign_in(page, tenants.provider_author.email)

    # Create the contract.
    page.locator("main").get_by_role("link", name="New contract").click()
    page.wait_for_url("**/contracts/new/")
    assert_accessible(page)
    page.get_by_label("Customer", exact=True).select_option(label="Harbour Dental")
    page.get_by_role("textbox", name="Title").fill("Managed workplace")
    page.get_by_label("Monthly fee").fill("1200")
    page.get_by_label("Start date").fill("2026-03-01")
    page.get_by_label("A blank draft").check()
    page.get_by_role("button", name="Create contract and open the editor").click()
    page.wait_for_url(re.compile(r"/contracts/SLA-\d{4}-\d{4}/versions/1/edit/$"))
    contract = Contract.objects.get(title="Managed workplace")
    main = page.locator("main")
    expect(main).to_contain_text(f"{contract.reference} created")
    assert_accessible(page)

    # Define uptime_target on the terms page.
    page.get_by_role("link", name=re.compile("^Terms")).click()
    page.wait_for_url("**/versions/1/terms/")
    assert_accessible(page)
    adding = page.locator("details", has_text="Add a parameter")
    adding.locator("summary").click()
    adding.get_by_label("Name").fill("uptime_target")
    adding.get_by_label("Type").select_option(label="Percentage")
    adding.get_by_label("Value").fill("99.9")
    adding.get_by_role("button", name="Add parameter").click()
    expect(main).to_contain_text("uptime_target")
    page.goto(page.base + f"/contracts/{contract.reference}/versions/1/edit/")

    # Three clauses, each written in both renderings.
    for heading, _, _ in CLAUSES:
        page.get_by_label("Heading of the new clause").fill(heading)
        page.get_by_role("button", name="Add clause").click()
        expect(clause_card(page, heading)).to_be_visible()
    for heading, legal, plain in CLAUSES:
        card = clause_card(page, heading)
        card.get_by_label("Legal text").fill(legal)
        card.get_by_label("Plain text").fill(plain)
        card.get_by_role("button", name=f"Save clause {heading}").click()
        expect(card.locator("[data-rendering=plain]")).to_contain_text("99.9%")
    first = clause_card(page, "Availability")
    expect(first.locator("[data-rendering=legal]")).to_contain_text("available 99.9% of each month")
    expect(page.locator("#findings-list")).not_to_contain_text("Errors (")
    assert_accessible(page)

    # Change uptime_target in the panel: both renderings follow, without a page reload.
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("New value of uptime_target").fill("99.5")
    page.get_by_role("button", name="Set uptime_target").click()
    expect(first.locator("[data-rendering=legal]")).to_contain_text("available 99.5% of each month")
    expect(first.locator("[data-rendering=plain]")).to_contain_text("up 99.5% of the month")
    expect(clause_card(page, "Reporting").locator("[data-rendering=plain]")).to_contain_text("99.5% target")
    assert page.evaluate("window.stillTheSamePage") is True

    # A placeholder typo: the live preview flags it and the consistency check reports it
    # while it is typed, before any save; saving keeps the errors.
    plain_field = first.get_by_label("Plain text")
    plain_field.fill("")
    plain_field.press_sequentially("Your systems are up {{ uptime_targt }} of the month.")
    expect(first.locator(".placeholder-errors")).to_contain_text("unknown parameter 'uptime_targt'")
    findings = page.locator("#findings-list")
    expect(findings).to_contain_text("Errors (2)")
    expect(findings).to_contain_text("uptime_targt")
    expect(findings).to_contain_text("Checked with the unsaved text of clause “Availability”.")
    assert_accessible(page)
    # Typing on without changing the findings leaves the panel (a live region) untouched.
    page.evaluate("document.querySelector('#findings-list > *').dataset.kept = 'yes'")
    plain_field.press_sequentially(" Really.")
    expect(first.locator("[data-rendering=plain]")).to_contain_text("of the month. Really.")
    expect(findings.locator("[data-kept=yes]")).to_have_count(1)
    first.get_by_role("button", name="Save clause Availability").click()
    expect(findings).not_to_contain_text("unsaved text")
    expect(findings).to_contain_text("Errors (2)")
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)

    # Fixing it clears the errors.
    first = clause_card(page, "Availability")
    plain_field = first.get_by_label("Plain text")
    plain_field.fill("")
    plain_field.press_sequentially("Your systems are up {{ uptime_target }} of the month.")
    expect(first.locator("[data-rendering=plain]")).to_contain_text("up 99.5% of the month")
    expect(findings).not_to_contain_text("Errors (")
    first.get_by_role("button", name="Save clause Availability").click()
    expect(findings).not_to_contain_text("unsaved text")
    expect(findings).not_to_contain_text("Errors (")

    # Publish version 1, then start version 2.
    page.get_by_role("button", name="Publish version 1…").click()
    dialog = page.get_by_role("dialog", name="Publish version 1?")
    expect(dialog).to_contain_text("can no longer be changed")
    # Checked once Bootstrap's fade-in is over: colours mid-fade are not the page's.
    expect(page.locator("#publish-dialog")).to_have_css("opacity", "1")
    expect(page.locator(".modal-backdrop")).to_have_css("opacity", "0.5")
    assert_accessible(page)
    dialog.get_by_role("button", name="Keep editing").click()
    expect(dialog).to_be_hidden()
    contract.refresh_from_db()
    assert contract.status == "draft"  # nothing published yet
    page.get_by_role("button", name="Publish version 1…").click()
    dialog.get_by_role("button", name="Publish version 1", exact=True).click()
    expect(main).to_contain_text("Version 1 published")
    expect(page.get_by_role("button", name="Create new draft")).to_be_visible()
    assert_accessible(page)
    contract.refresh_from_db()
    assert contract.status == "in_review"

    page.get_by_label("Change note (optional)").fill("Raise availability")
    page.get_by_role("button", name="Create new draft").click()
    page.wait_for_url("**/versions/2/edit/")
    expect(main).to_contain_text("Version 2 started")
    expect(clause_card(page, "Reporting").locator("[data-rendering=plain]")).to_contain_text("99.5% target")
    assert_accessible(page)

    # Raise the target in version 2, then read the redline between the two versions.
    page.get_by_label("New value of uptime_target").fill("99.95")
    page.get_by_role("button", name="Set uptime_target").click()
    expect(clause_card(page, "Reporting").locator("[data-rendering=plain]")).to_contain_text("99.95% target")
    page.get_by_role("link", name="Compare with version 1").click()
    page.wait_for_url(re.compile(r"/compare/"))
    expect(main).to_contain_text("Changes from version 1 to version 2")
    expect(page.locator(".changed-terms")).to_contain_text("uptime_target 99.5% → 99.95%")
    report = page.locator("article.redline-clause", has_text="Each month you get a report")
    expect(report.locator("del.redline-del")).to_contain_text("99.5")
    expect(report.locator("ins.redline-ins")).to_contain_text("99.95")
    assert_accessible(page)
