"""Verifying a signed contract's PDF: the portal's seal, and the signature request it names.

An uploaded file is valid only when the seal is intact, by the portal's key, over the whole
file, and the file is byte for byte the one the portal issued for that request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contracts.documents.sealing import SealCheck, check_seal, sealing_key_from_settings
from contracts.models import Signature, SignatureRequest
from contracts.models.signing import RequestStatus


@dataclass
class VerificationResult:
    """What the portal can say about an uploaded PDF."""

    check: SealCheck
    request: SignatureRequest | None = None
    signatures: list[Signature] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.check.valid and self.request is not None and not self.problems

    @property
    def known(self) -> bool:
        """The file names a signed document of this portal (valid or altered)."""
        return self.request is not None

    @property
    def all_problems(self) -> list[str]:
        return [*self.check.problems, *self.problems]

    def report(self) -> str:
        """A plain-text report, as ``manage.py verify_pdf`` prints it."""
        lines = [f"File SHA-256: {self.check.file_sha256}"]
        if self.valid:
            lines.append("VALID: a document signed in this portal, unaltered since it was sealed.")
        elif self.known:
            lines.append("NOT VALID: a document signed in this portal, but ALTERED since it was sealed.")
        else:
            lines.append("NOT VALID: not a document signed in this portal.")
        if self.request is not None:
            version = self.request.version
            contract = version.contract
            lines += [
                f"Contract: {contract.reference} {contract.title}",
                f"Version: {version.number}",
                f"Parties: {contract.provider.name} (provider), {contract.customer.name} (customer)",
                f"Verification code: {self.request.verification_code}",
                f"Document SHA-256: {self.request.document_sha256}",
            ]
            for s in self.signatures:
                lines.append(
                    f"Signed by {s.typed_name} <{s.user.email}> for {s.organisation.name} ({s.side}) "
                    f"at {s.signed_at:%Y-%m-%d %H:%M:%S} UTC from {s.ip_address or 'an unrecorded address'}"
                )
        if self.check.timestamp:
            lines.append(f"Timestamp: {self.check.timestamp:%Y-%m-%d %H:%M:%S} UTC")
        lines += [f"Problem: {problem}" for problem in self.all_problems]
        return "\n".join(lines)


def signed_pdf_verify(data: bytes, *, check: SealCheck | None = None) -> VerificationResult:
    """Check an uploaded PDF: the portal's seal (intact, over the whole file) and the record
    it names — found by its verification code, else by the file's SHA-256. ``check``: the
    seal already checked (in a child process, see ``compliance.reports.verification``)."""
    check = check if check is not None else check_seal(data, key=sealing_key_from_settings())
    requests = SignatureRequest.objects.select_related(
        "version__contract__provider", "version__contract__customer"
    ).filter(status=RequestStatus.COMPLETED)
    request = None
    if check.verification_code:
        request = requests.filter(verification_code=check.verification_code).first()
    if request is None:
        request = requests.filter(signed_sha256=check.file_sha256).first()
    result = VerificationResult(check=check, request=request)
    if request is None:
        if check.verification_code:
            result.problems.append("The verification code in the file is not one this portal issued.")
        return result
    result.signatures = list(Signature.objects.filter(request=request).select_related("organisation", "user"))
    if request.signed_sha256 != check.file_sha256:
        result.problems.append(
            "The file is not byte for byte the signed PDF the portal issued for this code."
        )
    if check.document_sha256 and check.document_sha256 != request.document_sha256:
        result.problems.append("The document hash in the file differs from the one the parties signed.")
    return result
