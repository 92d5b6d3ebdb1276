"""Signing with `make run`'s embedded worker (a real Celery worker on the file-system broker):
*Send for signature* answers at once while the document to sign is prepared in the
background, the contract page shows the progress, and after both parties sign the page shows
the sealing of the signed PDF until it can be downloaded; a contract PDF never downloaded
before is rendered by the worker while its page shows that it is being prepared."""

import pytest

from contracts.models import SignatureRequest
from contracts.models.signing import SealStatus
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in
from tests.browser.test_signing_journey import _sign_as
from tests.contracts.signing_support import sealing_key_files, signing_settings  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("signing_settings"),
]

# The worker renders and seals on a shared two-core machine: wait generously for it, while
# the clicks themselves must answer within a second.
WORKER_TIMEOUT_MS = 120_000


@pytest.mark.parametrize("width", [1280, 390])
def test_send_for_signature_answers_at_once_and_shows_the_progress(
    browser_page, tenants, embedded_worker, width
):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    reference = tenants.contract.reference
    factories.version_with_terms(tenants.contract, user=tenants.provider_author)

    sign_in(page, tenants.provider_author.email)
    page.goto(page.base + f"/contracts/{reference}/")
    page.get_by_role("link", name="Send version 1 for signature").click()
    page.get_by_label("Sam <sam@harbour.example>").check()
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Send for signature").click()
    page.wait_for_url(page.base + f"/contracts/{reference}/")
    timing = sent.value.request.timing
    answered_ms = timing["responseStart"] - timing["requestStart"]
    print(f"Send for signature answered in {answered_ms:.0f} ms")
    assert sent.value.status == 302
    assert answered_ms < 1000
    panel = page.locator("#signing-panel")
    assert "being sent for signature" in page.locator("main").inner_text()
    assert panel.get_by_role("status").inner_text().startswith("Preparing the document to sign")
    assert_accessible(page)

    # The panel polls itself: the progress line goes once the worker has stored the document.
    page.locator("[data-progress=preparing]").wait_for(state="detached", timeout=WORKER_TIMEOUT_MS)
    assert panel.get_by_role("link", name="Open the signing page").is_visible()
    assert SignatureRequest.objects.get().document

    _sign_as(page, tenants.customer_signer.email, "Sam", reference)
    page.context.clear_cookies()
    sign_in(page, tenants.provider_admin.email)
    page.goto(page.base + f"/contracts/{reference}/")
    page.get_by_role("link", name="Read and sign version 1").click()
    page.get_by_label("I have read this agreement").check()
    page.get_by_label("Your full name").fill("Alice")
    with page.expect_response(lambda r: r.request.method == "POST") as signed:
        page.get_by_role("button", name="Sign", exact=True).click()
    page.wait_for_url(page.base + f"/contracts/{reference}/")
    timing = signed.value.request.timing
    print(f"The countersignature answered in {timing['responseStart'] - timing['requestStart']:.0f} ms")
    assert signed.value.status == 302
    assert timing["responseStart"] - timing["requestStart"] < 1000

    # The countersignature answered before the seal: the page shows the sealing, then the PDF.
    download = page.get_by_role("link", name="Download the signed PDF")
    download.wait_for(timeout=WORKER_TIMEOUT_MS)
    assert page.locator("[data-progress=sealing]").count() == 0
    assert SignatureRequest.objects.get().seal_status == SealStatus.SEALED
    assert_accessible(page)

    # The version's PDF was never downloaded: the worker renders it while the page waits.
    page.goto(page.base + f"/contracts/{reference}/versions/1/")
    page.get_by_role("link", name="Download PDF of version 1").click()
    page.wait_for_url("**/pdf/")
    ready = page.get_by_role("link", name="Download the PDF of version 1")
    ready.wait_for(timeout=WORKER_TIMEOUT_MS)
    assert page.locator("[data-progress=ready]").is_visible()
    assert_accessible(page)
    with page.expect_download() as downloaded:
        ready.click()
    assert downloaded.value.suggested_filename == f"{reference}-v1.pdf"
