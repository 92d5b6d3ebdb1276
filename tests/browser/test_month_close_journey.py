"""The month close in a browser, from the run to the money, at desktop and phone widths:
the monthly run holds the month's report for review → the provider issues it → the customer
disputes an exclusion → the provider accepts and corrects the event → the amended report
is prepared in the background while the page shows its progress, goes out and says what
changed → the customer acknowledges it → the provider marks the
credit note applied. Both parties' pages agree at every step; every page passes axe."""

import pytest
from playwright.sync_api import expect

from compliance import services as event_services
from compliance.models import CreditNote, Dispute, Report, ReportAcknowledgement
from compliance.services import amendments, reports
from contracts.models import Contract
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in
from tests.compliance.compliance_fixtures import outage_row
from tests.compliance.report_support import (
    PERIOD,
    active_contract_fixture,  # noqa: F401 - fixture
    body,
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _as(page, user) -> None:
    page.context.clear_cookies()
    sign_in(page, user.email)


def _state(page, url: str) -> str:
    page.goto(url)
    return page.locator("#report-state").inner_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_month_close_from_the_run_to_the_applied_credit_note(
    browser_page, tenants, active_contract, smtp_server, width, monkeypatch
):
    page = browser_page
    page.set_viewport_size(WIDTHS[width])
    contract = active_contract
    Contract.objects.filter(pk=contract.pk).update(reports_issued_automatically=False)
    customer, provider = tenants.customer_admin, tenants.provider_author

    # The run holds the report: the customer sees nothing of the month yet.
    reports.report_run_start(period=PERIOD)
    report = Report.objects.get(contract=contract)
    assert report.is_ready and not report.is_issued and smtp_server.messages == []
    url = page.base + f"/contracts/{contract.reference}/reports/{report.pk}/"
    sign_in(page, customer.email)
    assert page.goto(url).status == 404
    page.goto(page.base + f"/contracts/{contract.reference}/reports/")
    assert page.get_by_role("link", name=PERIOD, exact=True).count() == 0

    # The provider reviews the month and issues it; the emails go out once.
    _as(page, provider)
    page.goto(page.base + f"/reports/review/?period={PERIOD}")
    assert "1 held for review" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name=f"Issue the report of {contract.reference}").click()
    page.wait_for_url(f"**/reports/review/?period={PERIOD}")
    assert "is issued and being emailed" in page.locator("main").inner_text()
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

    smtp_server.wait_for(4)
    assert sorted(m["X-Envelope-To"] for m in smtp_server.reports) == [
        "alice@brightline.example",
        "hannah@harbour.example",
    ]
    note = CreditNote.objects.get(report=report)
    assert len(smtp_server.credit_notes) == 2
    assert _state(page, url) == "Issued"

    # The customer sees the same month and disputes the exclusion of OUT-99.
    _as(page, customer)
    assert _state(page, url) == "Issued"
    assert f"Credit note {note.number}" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("What do you dispute?").select_option("exclusion")
    page.get_by_label("Event").fill("OUT-99")
    page.get_by_label("Reason").fill("The change was made by your engineer, not by us.")
    page.get_by_role("button", name="Dispute").click()
    assert page.locator("#report-state").inner_text() == "Disputed"
    assert_accessible(page)

    # The provider sees the dispute, accepts it and corrects the outage's cause.
    _as(page, provider)
    assert _state(page, url) == "Disputed"
    assert "An exclusion: OUT-99" in page.locator("main").inner_text()
    page.get_by_label("Accept: we correct the event and an amendment follows").check()
    page.get_by_role("button", name="Send the answer").click()
    assert page.locator("#report-state").inner_text() == "Resolved"
    assert "an amendment of the report follows" in page.locator("main").inner_text()
    assert_accessible(page)
    event_services.events_upsert(
        kind="outages",
        contract=contract,
        user=provider,
        rows=[outage_row(99, start="2026-03-20T10:00", end="2026-03-20T14:00", cause="provider")],
    )
    _as(page, customer)
    assert _state(page, url) == "Resolved"
    assert "an amendment of the report follows" in page.locator("main").inner_text()

    # The provider issues the amendment; it says what changed and names the dispute.
    _as(page, provider)
    page.goto(page.base + f"/contracts/{contract.reference}/reports/amendment/?period={PERIOD}")
    assert_accessible(page)
    page.get_by_label("Why the figures changed").fill("OUT-99 was caused by our engineer.")
    sent_before = len(smtp_server.reports)
    # The worker's part is held until the page has shown the report being prepared.
    held: list[tuple] = []
    queue = amendments.enqueue_on_commit
    monkeypatch.setattr(amendments, "enqueue_on_commit", lambda name, *args: held.append(args))
    page.get_by_role("button", name="Issue the amended report").click()
    page.wait_for_url("**/reports/*/")
    revision = Report.objects.get(contract=contract, revision=2)
    progress = page.locator('[data-progress="preparing"]')
    assert "being prepared" in progress.inner_text() and not revision.is_issued
    assert_accessible(page)
    monkeypatch.setattr(amendments, "enqueue_on_commit", queue)
    amendments.amendment_finish(report_id=held[0][0], user_id=held[0][1])
    # The page polls, then reloads itself: the revision issued, its PDF to download. (Polls
    # come every two seconds; the room is for a machine that also runs the /verify/ flood.)
    expect(page.locator("#report-state")).to_have_text("Issued", timeout=30_000)
    assert page.get_by_role("link", name="Download the PDF").count() == 1
    assert page.locator('[data-progress="preparing"]').count() == 0
    smtp_server.wait_until(lambda server: len(server.reports) >= sent_before + 2)
    assert len(smtp_server.reports) == sent_before + 2  # the amended report, once to each
    email = next(
        m for m in smtp_server.reports[sent_before:] if m["X-Envelope-To"] == "hannah@harbour.example"
    )
    text = body(email)
    assert "it amends revision 1" in text and "Amended: " in text
    assert "Why: OUT-99 was caused by our engineer." in text
    assert "An exclusion: OUT-99 (disputed in revision 1)" in text
    amended_url = page.base + f"/contracts/{contract.reference}/reports/{revision.pk}/"

    # Both parties see the same: revision 1's dispute corrected in revision 2, revision 2
    # issued, saying what changed and the dispute it corrects.
    for user in (provider, customer):
        _as(page, user)
        page.goto(url)
        assert "Corrected in revision 2" in page.locator("main").inner_text()
        assert _state(page, amended_url) == "Issued"
        main = page.locator("main").inner_text()
        assert "Amended" in main and "OUT-99 was caused by our engineer." in main
        assert "An exclusion: OUT-99 (disputed in revision 1" in main
        assert_accessible(page)

    # The customer acknowledges the amended report.
    page.get_by_role("button", name="Acknowledge the report").click()
    assert page.locator("#report-state").inner_text() == "Acknowledged"
    assert_accessible(page)
    amended_note = CreditNote.objects.get(report=revision)
    assert amended_note.number != note.number  # the amended revision has its own note

    # The provider sees the acknowledgement and marks the amended credit note applied.
    _as(page, provider)
    assert _state(page, amended_url) == "Acknowledged"
    page.goto(page.base + "/credits/")
    assert_accessible(page)
    page.get_by_label(f"Invoice reference for {amended_note.number}").fill("INV-2026-118")
    page.get_by_role("button", name="Mark applied").click()
    assert "Applied to invoice INV-2026-118" in page.locator("main").inner_text()
    assert_accessible(page)

    _as(page, customer)
    page.goto(amended_url)
    assert "Applied to invoice INV-2026-118" in page.locator("main").inner_text()
    assert Dispute.objects.get().corrected_in == revision
    assert ReportAcknowledgement.objects.filter(report=revision).exists()
    assert CreditNote.objects.get(report=revision).is_applied
