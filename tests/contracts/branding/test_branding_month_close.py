"""The month close of a branded provider: the report and credit note reach the customer in
the provider's colours, with its logo inline in the email and on the PDFs."""

import pytest

from compliance.services import reports
from contracts import services
from contracts.services.emails import LOGO_CID
from tests.compliance.month_close_support import (
    held_month_fixture,  # noqa: F401 - fixture
)
from tests.compliance.report_support import (
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)
from tests.contracts.branding.images import image_bytes
from tests.contracts.branding.test_branding_documents import LOGO_COLOUR, logo_images

pytestmark = pytest.mark.django_db


@pytest.fixture
def branded_provider(tenants, report_settings):
    services.organisation_branding_update(
        organisation=tenants.provider,
        accent_colour="#0a3069",
        logo=image_bytes("PNG", (300, 100), LOGO_COLOUR),
    )


def _parts(message) -> dict:
    return {part.get_content_type(): part for part in message.walk()}


def test_report_and_credit_note_emails_carry_the_providers_branding(
    branded_provider, held_month, tenants, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert reports.report_issue(report=held_month, user=tenants.provider_author)

    for received in (smtp_server.reports, smtp_server.credit_notes):
        message = next(m for m in received if m["X-Envelope-To"] == "hannah@harbour.example")
        parts = _parts(message)
        html = parts["text/html"].get_payload(decode=True).decode()
        assert f'src="cid:{LOGO_CID}"' in html
        assert "background-color: #0a3069; color: #ffffff" in html
        assert parts["image/png"]["Content-ID"] == f"<{LOGO_CID}>"
        assert "cid:" not in parts["text/plain"].get_payload(decode=True).decode()
        assert len(logo_images(parts["application/pdf"].get_payload(decode=True))) == 1
