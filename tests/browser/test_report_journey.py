"""A customer follows the link in the monthly report email, reads the report page and
downloads the sealed PDF."""

from pathlib import Path

import pytest

from compliance.models import Report
from compliance.services import reports
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in
from tests.compliance.report_support import (
    PERIOD,
    active_contract_fixture,  # noqa: F401 - fixture
    body,
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
    stored_pdf,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_customer_opens_the_report_page_and_downloads_the_pdf(
    browser_page,
    tenants,
    active_contract,
    smtp_server,
):
    page = browser_page
    reports.report_run_start(period=PERIOD)
    report = Report.objects.get(contract=active_contract)
    email = next(m for m in smtp_server.reports if m["X-Envelope-To"] == tenants.customer_admin.email)
    link = next(line for line in body(email).splitlines() if "/reports/" in line).split(": ", 1)[1]
    sign_in(page, tenants.customer_admin.email)

    page.goto(page.base + link.removeprefix("https://sla.example"))
    assert page.get_by_role("heading", level=1).inner_text() == "Compliance report March 2026"
    assert "1 of 2 measured service levels were missed." in page.locator("main").inner_text()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename == report.filename
    assert Path(download.path()).read_bytes() == stored_pdf(report)

    page.get_by_role("link", name="Reports").click()
    assert page.get_by_role("link", name="2026-03", exact=True).is_visible()
    assert_accessible(page)
