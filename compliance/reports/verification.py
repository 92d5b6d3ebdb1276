"""Verifying a report PDF: the portal's seal, and the report the file names.

A report PDF carries its verification code (``/SLAPortalReportCode``) and the SHA-256 of the
signed contract version measured against in its document information. It is genuine when
the seal is intact, made with the portal's key over the whole file, and the file is byte
for byte the PDF stored for the report its code names. ``verify_pdf_bytes`` checks reports
this way and hands every other PDF to the signed-contract verification.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

from compliance.models import CreditNote, Report, ReportStatus
from compliance.reports.credit_note_pdf import INFO_CREDIT_NOTE_CODE
from compliance.reports.pdf import INFO_REPORT_CODE
from contracts.documents.sealing import (
    SealCheck,
    SealFacts,
    check_seal,
    info_get,
    seal_facts,
    sealed_pdf_refusal,
    sealing_key_from_settings,
)
from contracts.documents.verification import signed_pdf_verify
from slaportal.isolation import CallFailed, CallTimedOut, Limits, PoolBusy, isolated_call


def report_code_of(data: bytes, key: str = INFO_REPORT_CODE) -> str:
    """The report (or, with ``key``, credit note) verification code in a PDF's document
    information, or ""."""
    from pypdf import PdfReader

    try:
        info = PdfReader(BytesIO(data), strict=False).metadata or {}
        value = info_get(info, key)
    except Exception:
        return ""
    return str(value) if value else ""


@dataclass
class CreditNoteVerification:
    """What the portal can say about an uploaded credit note PDF."""

    check: SealCheck
    code: str
    credit_note: CreditNote | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.check.valid and self.credit_note is not None and not self.problems

    @property
    def all_problems(self) -> list[str]:
        return [*self.check.problems, *self.problems]

    def report(self) -> str:
        lines = [f"File SHA-256: {self.check.file_sha256}"]
        if self.valid:
            lines.append("VALID: a credit note issued by this portal, unaltered since it was sealed.")
        elif self.credit_note is not None:
            lines.append("NOT VALID: a credit note of this portal, but ALTERED since it was sealed.")
        else:
            lines.append("NOT VALID: not a credit note issued by this portal.")
        if self.credit_note is not None:
            note = self.credit_note
            lines += [
                f"Credit note: {note.number}, {note.contract.reference} {note.period}, "
                f"{note.amount} {note.currency}",
                f"Parties: {note.contract.provider.name} (provider), "
                f"{note.contract.customer.name} (customer)",
            ]
        lines += [f"Problem: {problem}" for problem in self.all_problems]
        return "\n".join(lines)


def credit_note_pdf_verify(
    data: bytes, *, code: str, check: SealCheck | None = None
) -> CreditNoteVerification:
    """Genuine when the seal is intact and the file is byte for byte the stored credit note."""
    check = check if check is not None else check_seal(data, key=sealing_key_from_settings())
    note = (
        CreditNote.objects.select_related("contract__provider", "contract__customer")
        .filter(verification_code=code)
        .first()
    )
    result = CreditNoteVerification(check=check, code=code, credit_note=note)
    if note is None:
        result.problems.append("The credit note code in the file is not one this portal issued.")
    elif note.pdf_sha256 != check.file_sha256:
        result.problems.append("The file is not byte for byte the credit note PDF the portal issued.")
    return result


@dataclass
class ReportVerification:
    """What the portal can say about an uploaded report PDF."""

    check: SealCheck
    code: str
    record: Report | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.check.valid and self.record is not None and not self.problems

    @property
    def all_problems(self) -> list[str]:
        return [*self.check.problems, *self.problems]

    def report(self) -> str:
        """A plain-text report, as ``manage.py verify_pdf`` prints it (the interface of
        ``contracts.documents.verification.VerificationResult``)."""
        lines = [f"File SHA-256: {self.check.file_sha256}"]
        if self.valid:
            lines.append("VALID: a compliance report issued by this portal, unaltered since it was sealed.")
        elif self.record is not None:
            lines.append("NOT VALID: a compliance report of this portal, but ALTERED since it was sealed.")
        else:
            lines.append("NOT VALID: not a compliance report issued by this portal.")
        if self.record is not None:
            contract = self.record.contract
            lines += [
                f"Report: {contract.reference} {contract.title}, {self.record.period}, "
                f"revision {self.record.revision}",
                f"Parties: {contract.provider.name} (provider), {contract.customer.name} (customer)",
                f"Verification code: {self.record.verification_code}",
                "Signed contract SHA-256: " + (self.record.document_sha256 or "none recorded"),
            ]
        lines += [f"Problem: {problem}" for problem in self.all_problems]
        return "\n".join(lines)


def report_pdf_verify(
    data: bytes, *, code: str | None = None, check: SealCheck | None = None
) -> ReportVerification:
    """Check a report PDF (see the module docstring)."""
    check = check if check is not None else check_seal(data, key=sealing_key_from_settings())
    code = report_code_of(data) if code is None else code
    reports = Report.objects.select_related("contract__provider", "contract__customer").filter(
        status=ReportStatus.READY
    )
    report = reports.filter(verification_code=code).first() if code else None
    if report is None:
        report = reports.filter(pdf_sha256=check.file_sha256).first()
    result = ReportVerification(check=check, code=code, record=report)
    if report is None:
        result.problems.append("The report code in the file is not one this portal issued.")
        return result
    if report.pdf_sha256 != check.file_sha256:
        result.problems.append(
            "The file is not byte for byte the report PDF the portal issued for this code."
        )
    if check.document_sha256 != report.document_sha256:
        result.problems.append(
            "The signed-contract hash in the file differs from the one the report measured."
        )
    return result


def verify_pdf_bytes(data: bytes, *, facts: SealFacts | None = None):
    """A report PDF's verification, or for any other PDF the signed-contract one.

    With ``facts`` (the seal check and codes read elsewhere, see :func:`verify_pdf_upload`)
    the file is not parsed again here."""
    check = facts.check if facts else None
    code = facts.codes.get(INFO_REPORT_CODE, "") if facts else report_code_of(data)
    if code:
        return report_pdf_verify(data, code=code, check=check)
    code = (
        facts.codes.get(INFO_CREDIT_NOTE_CODE, "") if facts else report_code_of(data, INFO_CREDIT_NOTE_CODE)
    )
    if code:
        return credit_note_pdf_verify(data, code=code, check=check)
    return signed_pdf_verify(data, check=check)


class UploadRefused(Exception):
    """An uploaded file the portal will not check; ``message`` says why, ``status`` is the
    HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def verify_limits() -> Limits:
    from django.conf import settings

    return Limits(
        timeout=settings.VERIFY_TIMEOUT_SECONDS,
        memory_bytes=settings.VERIFY_MEMORY_MB * 1024 * 1024,
        slots=settings.VERIFY_PARALLEL,
        wait=settings.VERIFY_WAIT_SECONDS,
    )


def verify_pdf_upload(data: bytes):
    """Verify a file someone uploaded: refused cheaply when it cannot be a sealed PDF of this
    portal, otherwise parsed in a child process with time, memory and object limits
    (``slaportal.isolation``), then looked up here. Raises :class:`UploadRefused`."""
    refusal = sealed_pdf_refusal(data)
    if refusal:
        raise UploadRefused(refusal)
    try:
        facts = isolated_call(
            seal_facts,
            data,
            key=sealing_key_from_settings(),
            info_keys=(INFO_REPORT_CODE, INFO_CREDIT_NOTE_CODE),
            limits=verify_limits(),
        )
    except PoolBusy as exc:
        raise UploadRefused(
            "The portal is checking other files right now: please try again in a minute.", 503
        ) from exc
    except CallTimedOut as exc:
        raise UploadRefused(
            "The file took too long to check, more than any document of this portal needs: "
            "it is not a PDF sealed by this portal."
        ) from exc
    except CallFailed as exc:
        raise UploadRefused(
            "The file could not be read as a PDF: it is not a PDF sealed by this portal."
        ) from exc
    return verify_pdf_bytes(data, facts=facts)
