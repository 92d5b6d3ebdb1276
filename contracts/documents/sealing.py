"""The portal's seal on signed PDFs: its key and certificate, sealing, and checking a seal.

Pure apart from the key files: no ORM, no request. The portal seals each signed PDF with a
PAdES signature (pyHanko) made with its own key; the key and a self-signed certificate are
created on first use (or given as files by the operator). A seal can carry an RFC 3161
timestamp from a timestamp authority; when one is configured and cannot be reached,
sealing fails with :class:`SealingFailed` — it never falls back to the local clock.

:func:`check_seal` says whether a file is intact and sealed by the portal's key over its
whole content; ``contracts.documents.verification`` adds what the portal recorded about it
(which contract, version and signers), found by the verification code the file carries.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from contracts.documents.info_keys import INFO_CODE, INFO_DOCUMENT_SHA256

logger = logging.getLogger("slaportal.signing")

SEAL_FIELD = "PortalSeal"
CERT_VALID_DAYS = 20 * 365
#: Room kept in the PDF for the seal's signature container, in hex digits. Without it pyHanko
#: sizes the container with a dry-run signature on every seal (a second full CMS build, half
#: the cost of sealing). The portal's EC P-256 seal needs about 2,500, an RSA-4096 key with its
#: certificate about 5,000; a seal that does not fit is made again with pyHanko's own estimate.
#: Not used with a timestamp authority, whose tokens vary in size: pyHanko sizes those.
SEAL_BYTES_RESERVED = 6144


def _outside_event_loop(function, *args, **kwargs):
    """Call ``function``, which uses ``asyncio.run`` (pyHanko's synchronous API), in a thread
    of its own when this thread already runs an event loop (ASGI, a browser driver)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


class SealingFailed(Exception):
    """The signed PDF could not be sealed; the message says why, for people to read."""


@dataclass(frozen=True)
class SealingKey:
    """The portal's private key and certificate, PEM-encoded."""

    key_pem: bytes
    cert_pem: bytes

    @property
    def certificate(self):
        """The certificate as pyHanko (asn1crypto) wants it."""
        from asn1crypto import pem
        from asn1crypto import x509 as asn1_x509

        _type, _headers, der = pem.unarmor(self.cert_pem)
        return asn1_x509.Certificate.load(der)

    @property
    def chain(self) -> list:
        """Every certificate in the certificate file: the portal's first, then the issuing
        CA's when an operator gives a CA-issued certificate (they go into each seal, so that
        readers that trust the CA can build the path)."""
        from asn1crypto import pem
        from asn1crypto import x509 as asn1_x509

        return [
            asn1_x509.Certificate.load(der)
            for _type, _headers, der in pem.unarmor(self.cert_pem, multiple=True)
        ]

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate (DER), hex: printed so people can compare it."""
        return self.certificate.sha256.hex()

    def signer(self):
        """A pyHanko signer with this key."""
        return _signer(self)


@functools.lru_cache(maxsize=4)
def _signer(key: SealingKey):
    from asn1crypto import keys, pem
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    _type, _headers, der = pem.unarmor(key.key_pem)
    private_key = keys.PrivateKeyInfo.load(der)
    certificate = key.certificate
    return signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=private_key,
        cert_registry=SimpleCertificateStore.from_certs(key.chain),
    )


# ---------------------------------------------------------------- key and certificate


def generate_sealing_key(common_name: str = "SLA portal document seal") -> SealingKey:
    """A new EC P-256 key with a self-signed certificate for sealing documents."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=CERT_VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(private_key.public_key()), critical=False)
        .sign(private_key, hashes.SHA256())
    )
    return SealingKey(
        key_pem=private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        cert_pem=certificate.public_bytes(serialization.Encoding.PEM),
    )


def _write_new(path: Path, content: bytes, mode: int) -> bool:
    """Write ``path`` only if it does not exist yet (atomic); False when another process won."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.link(tmp, path)  # fails if the file exists: never replaces a key in use
        return True
    except FileExistsError:
        return False
    finally:
        os.unlink(tmp)


def sealing_key_load_or_create(key_file: Path, cert_file: Path) -> SealingKey:
    """The sealing key from ``key_file`` and ``cert_file``; both are created on first use.

    Raises :class:`SealingFailed` when only one of the two exists (a half-configured key
    must not be silently replaced) or when they cannot be read.
    """
    key_file, cert_file = Path(key_file), Path(cert_file)
    if not key_file.exists() and not cert_file.exists():
        fresh = generate_sealing_key()
        if _write_new(key_file, fresh.key_pem, 0o600):
            _write_new(cert_file, fresh.cert_pem, 0o644)
            logger.info("Created the portal's sealing key %s and certificate %s", key_file, cert_file)
    try:
        key = SealingKey(key_pem=key_file.read_bytes(), cert_pem=cert_file.read_bytes())
    except OSError as exc:
        raise SealingFailed(f"the sealing key or certificate cannot be read: {exc}") from exc
    try:
        key.certificate  # noqa: B018 - parse now, so a bad file fails here with its name
    except Exception as exc:
        raise SealingFailed(f"{cert_file} is not a PEM certificate: {exc}") from exc
    return key


def sealing_key_from_settings() -> SealingKey:
    from django.conf import settings

    return sealing_key_load_or_create(settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE)


# ---------------------------------------------------------------- sealing


def seal_pdf(
    data: bytes, *, key: SealingKey, tsa_url: str = "", reason: str = "", timeout: int = 10
) -> bytes:
    """``data`` (a PDF) with the portal's PAdES seal over the whole file.

    With ``tsa_url`` the seal carries an RFC 3161 timestamp from that authority; if it
    cannot be reached or answers badly, :class:`SealingFailed` names it and no PDF is
    returned.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError

    try:
        writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    except Exception as exc:
        raise SealingFailed(f"the document is not a readable PDF: {exc}") from exc
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        reason=reason or "Sealed by the SLA portal",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    timestamper = _timestamper(tsa_url, timeout) if tsa_url else None
    reserved = None if tsa_url else SEAL_BYTES_RESERVED
    try:
        try:
            output = _outside_event_loop(
                signers.sign_pdf,
                writer,
                meta,
                signer=_signer(key),
                timestamper=timestamper,
                bytes_reserved=reserved,
            )
        except SigningError:
            if reserved is None:
                raise
            # The seal outgrew the reserved room (a large key or certificate): let pyHanko size it.
            output = _outside_event_loop(
                signers.sign_pdf,
                IncrementalPdfFileWriter(BytesIO(data), strict=False),
                meta,
                signer=_signer(key),
                timestamper=timestamper,
            )
    except Exception as exc:
        if tsa_url:
            raise SealingFailed(f"the timestamp authority {tsa_url} could not be used: {exc!r}") from exc
        raise SealingFailed(f"the PDF could not be sealed: {exc!r}") from exc
    return output.getvalue()


@functools.lru_cache(maxsize=4)
def _timestamper(tsa_url: str, timeout: int):
    """One timestamper per authority and process: pyHanko fetches a dummy timestamp to size
    the seal once per timestamper, so a new one per seal would ask the authority twice."""
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(tsa_url, timeout=timeout)


# ---------------------------------------------------------------- checking a seal


@dataclass
class SealCheck:
    """What a file says about itself, checked against the portal's certificate."""

    file_sha256: str
    readable: bool = False
    sealed: bool = False
    intact: bool = False
    by_portal: bool = False
    covers_whole_file: bool = False
    signed_at: datetime | None = None
    timestamp: datetime | None = None
    verification_code: str = ""
    document_sha256: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.readable and self.sealed and self.intact and self.by_portal and self.covers_whole_file


def _info_value(reader, name: str) -> str:
    try:
        info = reader.trailer["/Info"]
        value = info_get(info, name) if info is not None else None
    except Exception:
        return ""
    return str(value) if value is not None else ""


def info_get(info, name: str):
    """A document information value by key, ignoring case: WeasyPrint writes the names of
    ``<meta>`` tags, which HTML lowercases."""
    value = info.get(name)
    if value is None:
        wanted = name.lower()
        value = next((v for k, v in info.items() if str(k).lower() == wanted), None)
    return value


def check_seal(data: bytes, *, key: SealingKey) -> SealCheck:
    """Check that ``data`` is a PDF sealed with ``key`` and unchanged since.

    Never raises for bad input: every problem is listed in ``problems`` in plain words.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    check = SealCheck(file_sha256=hashlib.sha256(data).hexdigest())
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:
        check.problems.append(f"The file is not a readable PDF ({exc.__class__.__name__}).")
        return check
    check.readable = True
    check.verification_code = _info_value(reader, INFO_CODE)
    check.document_sha256 = _info_value(reader, INFO_DOCUMENT_SHA256)
    if not signatures:
        check.problems.append("The file carries no digital signature: it was not sealed by this portal.")
        return check
    if len(signatures) > 1:
        check.problems.append("The file carries more than one signature: it was changed after sealing.")
    seal = signatures[-1]
    check.sealed = True
    try:
        context = ValidationContext(trust_roots=[key.certificate], allow_fetching=False)
        status = _outside_event_loop(
            validate_pdf_signature, seal, signer_validation_context=context, skip_diff=True
        )
    except Exception as exc:
        check.problems.append(
            f"The signature cannot be checked ({exc.__class__.__name__}): treat as altered."
        )
        return check
    check.intact = bool(status.intact and status.valid)
    check.by_portal = bool(status.trusted) and status.signing_cert.dump() == key.certificate.dump()
    check.covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE and len(signatures) == 1
    check.signed_at = status.signer_reported_dt
    if status.timestamp_validity is not None:
        check.timestamp = status.timestamp_validity.timestamp
    if not check.intact:
        check.problems.append("The signature does not match the content: the file was altered after sealing.")
    if not check.by_portal:
        check.problems.append("The signature was not made with this portal's sealing key.")
    if check.intact and not check.covers_whole_file:
        check.problems.append("Content was added to the file after it was sealed.")
    return check


# ---------------------------------------------------------------- refusing cheaply, checking in a child

#: The most an uploaded sealed PDF of each kind may weigh; the kind is read from the document
#: information key the file carries (``None``: no key found, the signed-contract limit).
KIND_MAX_BYTES = {
    "/SLAPortalReportCode": 10 * 1024 * 1024,
    "/SLAPortalCreditNoteCode": 5 * 1024 * 1024,
    None: 25 * 1024 * 1024,
}
KIND_NAMES = {
    "/SLAPortalReportCode": "a compliance report",
    "/SLAPortalCreditNoteCode": "a credit note",
    None: "a signed contract",
}
#: More indirect objects than this is not a document of this portal (a long signed contract
#: has a few thousand).
MAX_PDF_OBJECTS = 100_000


def _has_key(data: bytes, key: str) -> bool:
    raw = key.encode()
    return raw in data or raw.lower() in data


def sealed_pdf_kind(data: bytes) -> str | None:
    """The portal document information key a file names (report, credit note), else None."""
    return next((key for key in KIND_MAX_BYTES if key and _has_key(data, key)), None)


def sealed_pdf_refusal(data: bytes) -> str:
    """Why ``data`` cannot be a PDF sealed by this portal, found without parsing it; "" when
    it may be one. Linear in the size with no Python per byte: cheap enough for a request."""
    if len(data) < 200:
        return "The file is too small to be a sealed PDF."
    if b"%PDF-" not in data[:1024]:
        return "The file is not a PDF: it does not start with a PDF header."
    if b"%%EOF" not in data[-2048:]:
        return "The file is not a complete PDF: it does not end with a PDF end-of-file marker."
    if len(data) > min(KIND_MAX_BYTES.values()):  # only a large file needs its kind
        kind = sealed_pdf_kind(data)
        if len(data) > KIND_MAX_BYTES[kind]:
            limit = KIND_MAX_BYTES[kind] // (1024 * 1024)
            return f"The file is larger than {limit} MB, more than {KIND_NAMES[kind]} of this portal weighs."
    found = _STARTXREF.search(data[-2048:])
    if found is None or int(found.group(1)) >= len(data):
        return "The file is not a complete PDF: it does not say where its cross-reference table is."
    at = data.rfind(b"/ByteRange")
    if at < 0 or b"/Contents" not in data:
        return "The file carries no digital signature: it was not sealed by this portal."
    byte_range = _BYTE_RANGE.match(data, at)
    if byte_range is None or not _byte_range_plausible(data, *map(int, byte_range.groups())):
        return "The file's signature does not say which bytes it covers: it is not a seal of this portal."
    if b"ETSI.CAdES.detached" not in data:
        return "The file's signature is not the kind of seal this portal makes (PAdES)."
    return ""


_STARTXREF = re.compile(rb"startxref\s+(\d{1,12})\s+%%EOF\s*$")
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]")


def _byte_range_plausible(data: bytes, start: int, first: int, second: int, length: int) -> bool:
    """A seal's /ByteRange covers the file from its start around the signature's hex string
    (``<…>``) up to at most the end of the file (less: content was added after sealing)."""
    return (
        start == 0
        and 0 < first < second
        and second + length <= len(data)
        and data[first : first + 1] == b"<"
        and data[second - 1 : second] == b">"
    )


@dataclass
class SealFacts:
    """What a child process reads from an uploaded file: the seal check and the codes."""

    check: SealCheck
    codes: dict[str, str]


def seal_facts(data: bytes, *, key: SealingKey, info_keys: tuple[str, ...] = ()) -> SealFacts:
    """The seal check and the document information values ``info_keys`` of ``data``; meant
    to run in a child process with time and memory limits (``slaportal.isolation``)."""
    if data.count(b" obj") > MAX_PDF_OBJECTS:
        check = SealCheck(file_sha256=hashlib.sha256(data).hexdigest())
        check.problems.append(
            f"The file has more than {MAX_PDF_OBJECTS:,} objects: it is not a document of this portal."
        )
        return SealFacts(check=check, codes={})
    check = check_seal(data, key=key)
    codes = {}
    if check.readable:
        from pypdf import PdfReader

        try:
            info = PdfReader(BytesIO(data), strict=False).metadata or {}
            for name in info_keys:
                value = info_get(info, name)
                codes[name] = str(value) if value else ""
        except Exception:
            codes = {}
    return SealFacts(check=check, codes=codes)
