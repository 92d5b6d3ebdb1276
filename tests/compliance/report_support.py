"""Shared set-up for the report tests: active contracts with a month of events (March 2026,
see ``compliance_fixtures``), a signed document hash, report recipients on both sides, a
sealing key made once per session and media in a temporary directory."""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO

import pytest

from compliance.models import Report
from contracts.documents.sealing import generate_sealing_key
from contracts.models import Membership, Version
from contracts.models.contract import ContractStatus
from tests import factories
from tests.compliance.compliance_fixtures import PERIOD, published_contract, record_month

__all__ = [
    "PERIOD",
    "active_contract_fixture",
    "more_contracts",
    "pdf_text",
    "report_key_files_fixture",
    "report_settings_fixture",
]

DOCUMENT_SHA256 = "ab" * 32


# Fixtures are registered under their ``name``; test modules import the functions
# (``*_fixture``) so that a test's parameter never shadows an imported name.
@pytest.fixture(scope="session", name="report_key_files")
def report_key_files_fixture(tmp_path_factory):
    directory = tmp_path_factory.mktemp("report-key")
    key = generate_sealing_key()
    key_file, cert_file = directory / "key.pem", directory / "cert.pem"
    key_file.write_bytes(key.key_pem)
    cert_file.write_bytes(key.cert_pem)
    return key_file, cert_file


@pytest.fixture(name="report_settings")
def report_settings_fixture(settings, report_key_files, tmp_path):
    settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE = report_key_files
    settings.SIGNING_TSA_URL = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://sla.example"
    return settings


def make_active(
    contract, *, document_sha256: str = DOCUMENT_SHA256, reports_issued_automatically: bool = True
) -> None:
    """Mark the contract signed: active, its version with the signed document's hash. Its
    reports are issued as soon as they are made unless ``reports_issued_automatically`` is
    False (then they are held for the provider's review, the default of a new contract)."""
    Version.objects.filter(contract=contract).update(document_sha256=document_sha256)
    type(contract).objects.filter(pk=contract.pk).update(
        status=ContractStatus.ACTIVE, reports_issued_automatically=reports_issued_automatically
    )
    contract.refresh_from_db()


def provider_copy(tenants) -> None:
    """The provider's admin (its account owner) receives reports in copy."""
    Membership.objects.filter(user=tenants.provider_admin, organisation=tenants.provider).update(
        receives_reports=True
    )


@pytest.fixture(name="active_contract")
def active_contract_fixture(tenants, report_settings):
    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author)
    make_active(contract)
    provider_copy(tenants)
    return contract


def more_contracts(tenants, count: int, *, outages: int = 1) -> list:
    """``count`` more active contracts between the tenants' provider and new customers,
    each customer with one member receiving reports."""
    from contracts import services as contract_services

    made = []
    for n in range(count):
        customer = factories.organisation(f"Customer {n}")
        factories.member(customer, "admin", f"finance{n}@customer{n}.example", receives_reports=True)
        contract = factories.contract(tenants.provider, customer, title=f"Managed IT {n}")
        version = factories.version_with_terms(contract, user=tenants.provider_author)
        contract_services.version_publish(version=version, user=tenants.provider_author)
        record_month(contract, tenants.provider_author, outages=outages)
        make_active(contract, document_sha256=f"{n:02d}" * 32)
        made.append(contract)
    return made


def pdf_text(data: bytes) -> str:
    """The PDF's text as ``pdftotext`` extracts it (reading order)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    result = subprocess.run([tool, "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def stored_pdf(report: Report) -> bytes:
    with report.pdf.open("rb") as handle:
        return handle.read()


def attachment(message) -> tuple[str, bytes]:
    for part in message.walk():
        if part.get_content_type() == "application/pdf":
            return part.get_filename(), part.get_payload(decode=True)
    raise AssertionError("no PDF attached")


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(data)).pages)


def body(message, content_type: str = "text/plain") -> str:
    """The decoded text of the message's part of ``content_type``."""
    for part in message.walk():
        if part.get_content_type() == content_type and part.get_filename() is None:
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no {content_type} part")
