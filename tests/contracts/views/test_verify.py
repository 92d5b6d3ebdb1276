"""Verifying a signed PDF: ``manage.py verify_pdf`` and the public verification page."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from contracts.documents.pdf import html_to_pdf
from tests.contracts.signing_support import fast_document, sealing_key_files, send, sign, signing_settings  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("signing_settings", "fast_document")]


@pytest.fixture
def signed(tenants, django_capture_on_commit_callbacks):
    request = send(tenants)
    sign(request, tenants.customer_signer)
    with django_capture_on_commit_callbacks(execute=True):
        sign(request, tenants.provider_admin)
    request.refresh_from_db()
    with default_storage.open(request.signed_document.name, "rb") as stored:
        return request, stored.read()


def _one_byte_changed(data: bytes) -> bytes:
    altered = bytearray(data)
    altered[altered.index(b"stream") + 20] ^= 0x01
    return bytes(altered)


def _run(path, capsys):
    try:
        call_command("verify_pdf", str(path))
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().out


def test_verify_pdf_accepts_the_signed_pdf(signed, tmp_path, capsys, tenants):
    request, data = signed
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    code, out = _run(path, capsys)
    assert code == 0
    assert "VALID: a document signed in this portal, unaltered" in out
    assert f"Contract: {tenants.contract.reference}" in out
    assert "Signed by Sam <sam@harbour.example> for Harbour Dental (customer)" in out
    assert request.verification_code in out


def test_verify_pdf_rejects_the_signed_pdf_with_one_byte_changed(signed, tmp_path, capsys, tenants):
    _request, data = signed
    path = tmp_path / "altered.pdf"
    path.write_bytes(_one_byte_changed(data))
    code, out = _run(path, capsys)
    assert code == 1
    assert "NOT VALID: a document signed in this portal, but ALTERED since it was sealed." in out
    # Both checks catch it: the seal over the content, and the recorded SHA-256 of the file.
    assert "Problem: The signature does not match the content" in out
    assert "Problem: The file is not byte for byte the signed PDF" in out
    assert f"Contract: {tenants.contract.reference}" in out


def test_verify_pdf_rejects_a_pdf_from_elsewhere(signed, tmp_path, capsys):
    path = tmp_path / "elsewhere.pdf"
    path.write_bytes(html_to_pdf("<p>An agreement made elsewhere.</p>"))
    code, out = _run(path, capsys)
    assert code == 1
    assert "NOT VALID: not a document signed in this portal." in out
    assert "no digital signature" in out


def test_verify_page_is_public_and_reports_the_contract(signed, client, tenants):
    _request, data = signed
    assert client.get(reverse("compliance:verify")).status_code == 200
    response = client.post(reverse("compliance:verify"), {"file": SimpleUploadedFile("s.pdf", data)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Valid." in body and tenants.contract.reference in body


def test_verify_page_says_altered(signed, client):
    _request, data = signed
    response = client.post(
        reverse("compliance:verify"), {"file": SimpleUploadedFile("s.pdf", _one_byte_changed(data))}
    )
    assert "Not valid" in response.content.decode()


def test_verify_page_without_a_file_is_a_400(client):
    response = client.post(reverse("compliance:verify"), {})
    assert response.status_code == 400
    assert "Choose a PDF file" in response.content.decode()
