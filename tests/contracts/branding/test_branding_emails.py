"""The provider's logo and accent colour in the HTML part of its customers' emails."""

import pytest
from django.core import mail

from contracts import services
from contracts.branding.brand import Branding
from contracts.services.emails import LOGO_CID, email_send
from tests.contracts.branding.images import image_bytes
from tests.contracts.signing_support import (  # noqa: F401 - fixtures
    fast_document,
    sealing_key_files,
    send,
    signing_settings,
)

LOGO = image_bytes("PNG", (120, 40))


def _parts(message):
    return [(part.get_content_type(), part) for part in message.message().walk()]


def test_html_part_shows_the_logo_inline_and_the_pdf_stays_an_attachment(db):
    branding = Branding("Brightline Managed IT", "#0a3069", LOGO)
    email_send(
        template="signature_completed",
        context={"signer": None, "contract": None, "version": None, "request": None, "verify_url": "x"},
        to=["hannah@harbour.example"],
        attachments=[("signed.pdf", b"%PDF-1.7 test", "application/pdf")],
        branding=branding,
    )

    message = mail.outbox[-1]
    types = [content_type for content_type, _ in _parts(message)]
    assert types == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
        "image/png",
        "application/pdf",
    ]
    parts = dict(_parts(message))
    html = parts["text/html"].get_payload(decode=True).decode()
    assert f'src="cid:{LOGO_CID}"' in html and 'alt="Brightline Managed IT logo"' in html
    assert "background-color: #0a3069; color: #ffffff" in html
    image = parts["image/png"]
    assert image["Content-ID"] == f"<{LOGO_CID}>"
    assert image.get_payload(decode=True) == LOGO
    assert "cid:" not in message.body and "logo" not in message.body  # the text part is plain


def test_without_branding_the_email_is_as_before(db):
    email_send(
        template="signature_completed",
        context={"signer": None, "contract": None, "version": None, "request": None, "verify_url": "x"},
        to=["hannah@harbour.example"],
    )
    types = [content_type for content_type, _ in _parts(mail.outbox[-1])]
    assert types == ["multipart/alternative", "text/plain", "text/html"]


@pytest.mark.usefixtures("signing_settings", "fast_document")
def test_signing_email_to_the_customer_carries_the_providers_branding(
    tenants, django_capture_on_commit_callbacks
):
    services.organisation_branding_update(organisation=tenants.provider, accent_colour="#ffd33d", logo=LOGO)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        send(tenants)

    message = next(m for m in mail.outbox if m.to == [tenants.customer_signer.email])
    parts = dict(_parts(message))
    html = parts["text/html"].get_payload(decode=True).decode()
    assert "background-color: #ffd33d; color: #000000" in html
    assert f'src="cid:{LOGO_CID}"' in html
    assert parts["image/png"].get_payload(decode=True).startswith(b"\x89PNG")
