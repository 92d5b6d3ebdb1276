"""Starting contracts from agreement templates in Chromium: each starter template gives a
draft with no consistency error, asking only for the customer, the dates and the fee; a
contract saved as a template starts the next one."""

import re

import pytest
import yaml
from playwright.sync_api import expect

from contracts.contract_files.starter_agreements import STARTER_AGREEMENTS
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_each_starter_template_gives_a_draft_without_errors(browser_page, tenants, viewport):
    page = browser_page
    page.set_viewport_size(viewport)
    sign_in(page, tenants.provider_author.email)
    for agreement in STARTER_AGREEMENTS:
        page.goto(page.base + "/contracts/library/agreements/")
        assert_accessible(page)
        page.get_by_role("link", name=f"Start a contract from {agreement.name}").click()
        page.wait_for_url("**/contracts/new/?agreement=*")
        expect(page.get_by_label("An agreement template")).to_be_checked()
        expect(page.get_by_label("Agreement template", exact=True)).to_have_value(f"starter:{agreement.key}")
        page.get_by_label("Customer", exact=True).select_option(label="Harbour Dental")
        page.get_by_label("Monthly fee").fill("1800")
        page.get_by_role("button", name="Create contract and open the editor").click()
        page.wait_for_url(re.compile(r"/contracts/SLA-\d{4}-\d{4}/versions/1/edit/$"))
        findings = page.locator("#findings-list")
        expect(findings).to_be_visible()
        expect(findings).not_to_contain_text("Errors (")
        # No title typed: the contract takes the template's.
        expect(page.locator("main h1")).to_contain_text(yaml.safe_load(agreement.text)["title"])
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(page)


@pytest.mark.viewport_set_by_test
def test_a_contract_saved_as_a_template_starts_the_next(browser_page, tenants):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, tenants.provider_author.email)
    page.goto(page.base + "/contracts/new/?agreement=starter:hosting-availability")
    page.get_by_label("Customer", exact=True).select_option(label="Harbour Dental")
    page.get_by_role("textbox", name="Title").fill("Hosting for Harbour")
    page.get_by_role("button", name="Create contract and open the editor").click()
    page.wait_for_url(re.compile(r"/versions/1/edit/$"))
    reference = re.search(r"/contracts/([^/]+)/", page.url).group(1)

    page.goto(page.base + f"/contracts/{reference}/")
    page.get_by_role("link", name="Save as template").click()
    page.get_by_label("Name").fill("Clinic hosting")
    assert_accessible(page)
    page.get_by_role("button", name="Save as template").click()
    expect(page.locator("main")).to_contain_text("Saved as the agreement template “Clinic hosting”")
    page.get_by_role("link", name="Start a contract from Clinic hosting").click()
    page.get_by_label("Customer", exact=True).select_option(label="Harbour Dental")
    page.get_by_role("textbox", name="Title").fill("Second hosting")
    page.get_by_role("button", name="Create contract and open the editor").click()
    page.wait_for_url(re.compile(r"/versions/1/edit/$"))
    expect(page.locator("#findings-list")).not_to_contain_text("Errors (")

    # Deleting the template asks first.
    page.goto(page.base + "/contracts/library/agreements/")
    page.get_by_role("button", name="Delete template Clinic hosting").click()
    dialog = page.get_by_role("dialog", name="Delete the template “Clinic hosting”?")
    assert_accessible(page)
    dialog.get_by_role("button", name="Delete", exact=True).click()
    expect(page.locator("main")).to_contain_text("Template “Clinic hosting” deleted")
