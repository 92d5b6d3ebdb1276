"""The month close in a browser: the monthly run holds the month's report, the provider's
author reviews it on the month close page and issues it, and the customer then reads it
(and got it by email, once). At desktop and phone widths."""

import pytest

from compliance.models import Report
from compliance.services import reports
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in
from tests.compliance.month_close_support import closing_contract, last_month
from tests.compliance.report_support import (
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_run_holds_the_report_the_provider_issues_it_and_the_customer_reads_it(
    browser_page, tenants, report_settings, smtp_server, width
):
    page = browser_page
    page.set_viewport_size(WIDTHS[width])
    contract = closing_contract(tenants)
    reports.report_run_start(period=last_month())
    report = Report.objects.get(contract=contract)
    assert report.is_ready and not report.is_issued and smtp_server.messages == []

    sign_in(page, tenants.provider_author.email)
    page.goto(page.base + f"/reports/review/?period={last_month()}")
    main = page.locator("main")
    assert "1 held for review" in main.inner_text()
    assert "Held for review" in main.inner_text()
    assert_accessible(page)
    page.get_by_role("button", name=f"Issue the report of {contract.reference}").click()
    page.wait_for_url(f"**/reports/review/?period={last_month()}")
    assert "is issued and being emailed" in page.locator("main").inner_text()
    assert page.locator("main").get_by_text("Issued", exact=True).first.is_visible()
    assert_accessible(page)

    # The contract's reports page: the regenerate button reads as a button (its text
    # does not take the colour of its background), and axe's contrast rule passes.
    page.goto(page.base + f"/contracts/{contract.reference}/reports/")
    button = page.get_by_role("button", name="Regenerate the report")
    assert button.is_visible()
    colour, background = button.evaluate(
        "b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]"
    )
    assert colour != background
    assert_accessible(page)

    smtp_server.wait_for(2)
    assert sorted(m["X-Envelope-To"] for m in smtp_server.messages) == [
        "alice@brightline.example",
        "hannah@harbour.example",
    ]

    page.context.clear_cookies()
    sign_in(page, tenants.customer_admin.email)
    page.goto(page.base + f"/contracts/{contract.reference}/reports/")
    page.get_by_role("link", name=last_month(), exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Compliance report")
    assert "Issued" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(page.base + f"/contracts/{contract.reference}/compliance/?period={last_month()}")
    assert "report revision 1" in page.locator("main").inner_text()
    assert_accessible(page)
    assert len(smtp_server.messages) == 2
