"""Shared set-up for the signing tests: a sealing key made once per session, media in a
temporary directory, and a signature request ready to sign."""

from functools import cache

import pytest

from contracts.documents.pdf import html_to_pdf
from contracts.documents.sealing import generate_sealing_key
from contracts.models import Side
from contracts.services import signing
from tests import factories


@pytest.fixture(scope="session")
def sealing_key_files(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sealing-key")
    key = generate_sealing_key()
    key_file, cert_file = directory / "key.pem", directory / "cert.pem"
    key_file.write_bytes(key.key_pem)
    cert_file.write_bytes(key.cert_pem)
    return key_file, cert_file


@pytest.fixture
def signing_settings(settings, sealing_key_files, tmp_path):
    settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE = sealing_key_files
    settings.SIGNING_TSA_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


@cache
def _small_pdf() -> bytes:
    return html_to_pdf("<h1>Managed IT</h1><p>The agreement, both renderings.</p>")


@pytest.fixture
def fast_document(monkeypatch):
    """The version's PDF replaced by a small one: rendering the real one is tested elsewhere."""
    monkeypatch.setattr(
        "contracts.documents.contract_pdf.contract_pdf", lambda reading, rendering="both": _small_pdf()
    )


def send(tenants, *, version=None, extra=(), provider_signer=None):
    """Send a consistent version of the tenants' contract: customer signer first, then the
    provider's admin."""
    version = version or factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    specs = [
        signing.SignerSpec(
            organisation=tenants.customer, side=Side.CUSTOMER, order=1, user=tenants.customer_signer
        ),
        signing.SignerSpec(
            organisation=tenants.provider,
            side=Side.PROVIDER,
            order=2,
            user=provider_signer or tenants.provider_admin,
        ),
        *extra,
    ]
    return signing.signature_request_send(version=version, user=tenants.provider_author, signers=specs)


def sign(request, user, **overrides):
    values = {
        "typed_name": user.get_full_name() or "Some One",
        "agree": True,
        "ip": "192.0.2.10",
        "user_agent": "pytest browser",
        "shown_sha256": request.document_sha256,
    }
    values.update(overrides)
    return signing.signature_record(request=request, user=user, **values)
