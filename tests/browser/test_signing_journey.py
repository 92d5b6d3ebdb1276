"""The signing journey in Chromium: the author sends, the customer signs, the provider
countersigns, the contract is active and both signers get the sealed PDF by email."""

from email.header import decode_header, make_header

import pytest

from contracts.documents.verification import signed_pdf_verify
from contracts.models import Contract
from contracts.models.contract import ContractStatus
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.test_customer_journey import sign_in
from tests.contracts.signing_support import sealing_key_files, signing_settings  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("signing_settings"),
]


def _sign_as(page, email: str, name: str, reference: str) -> None:
    page.context.clear_cookies()
    sign_in(page, email)
    page.goto(page.base + f"/contracts/{reference}/")
    assert_accessible(page)
    page.get_by_role("link", name="Read and sign version 1").click()
    page.wait_for_url("**/sign/*/")
    main = page.locator("main")
    assert main.get_by_role("heading", name="In plain language").is_visible()
    assert main.get_by_role("heading", name="The legal version (binding)").is_visible()
    assert_accessible(page)
    page.get_by_label("I have read this agreement").check()
    page.get_by_label("Your full name").fill(name)
    page.get_by_role("button", name="Sign", exact=True).click()
    page.wait_for_url(page.base + f"/contracts/{reference}/")
    assert "You signed the contract" in main.inner_text()
    assert_accessible(page)


def test_customer_signs_provider_countersigns_and_both_get_the_signed_pdf(
    browser_page, tenants, smtp_server, tmp_path
):
    page = browser_page
    reference = tenants.contract.reference
    factories.version_with_terms(tenants.contract, user=tenants.provider_author)

    sign_in(page, tenants.provider_author.email)
    page.goto(page.base + f"/contracts/{reference}/")
    page.get_by_role("link", name="Send version 1 for signature").click()
    page.get_by_label("Sam <sam@harbour.example>").wait_for()
    assert_accessible(page)
    page.get_by_label("Sam <sam@harbour.example>").check()
    page.get_by_role("button", name="Send for signature").click()
    page.wait_for_url(page.base + f"/contracts/{reference}/")
    assert "Awaiting signature" in page.locator("main").inner_text()
    assert_accessible(page)

    _sign_as(page, tenants.customer_signer.email, "Sam", reference)
    _sign_as(page, tenants.provider_admin.email, "Alice", reference)

    main = page.locator("main")
    assert f"{reference} · Active" in main.inner_text()
    assert main.get_by_role("link", name="Download the signed PDF").is_visible()
    assert Contract.objects.get(pk=tenants.contract.pk).status == ContractStatus.ACTIVE

    messages = smtp_server.wait_for(4)
    signed = [m for m in messages if str(make_header(decode_header(m["Subject"]))).startswith("Signed:")]
    assert sorted(m["To"] for m in signed) == sorted(
        [tenants.customer_signer.email, tenants.provider_admin.email]
    )
    for message in signed:
        attachments = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
        assert len(attachments) == 1
        result = signed_pdf_verify(attachments[0].get_payload(decode=True))
        assert result.valid, result.report()

    # Anyone holding the file can check it on the public verification page.
    path = tmp_path / "signed.pdf"
    path.write_bytes(attachments[0].get_payload(decode=True))
    page.context.clear_cookies()
    page.goto(page.base + "/verify/")
    page.get_by_label("Signed PDF").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    assert "Valid." in page.locator("main").inner_text()
    assert reference in page.locator("main").inner_text()
    assert_accessible(page)
