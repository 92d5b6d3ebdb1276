"""The portal's seal: key creation, sealing, checking, and the RFC 3161 timestamp."""

import asyncio
import os
import stat
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import keys, tsp

from contracts.documents.pdf import html_to_pdf
from contracts.documents.sealing import (
    SealingFailed,
    check_seal,
    generate_sealing_key,
    seal_pdf,
    sealing_key_load_or_create,
)


@pytest.fixture(scope="module")
def key():
    return generate_sealing_key()


@pytest.fixture(scope="module")
def document():
    return html_to_pdf("<h1>Agreement</h1><p>Uptime 99.9 %.</p>")


def test_key_and_certificate_are_created_on_first_use_and_then_reused(tmp_path):
    key_file, cert_file = tmp_path / "signing" / "key.pem", tmp_path / "signing" / "cert.pem"
    first = sealing_key_load_or_create(key_file, cert_file)
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert b"PRIVATE KEY" in key_file.read_bytes()
    again = sealing_key_load_or_create(key_file, cert_file)
    assert again == first


def test_a_half_configured_key_is_not_replaced(tmp_path):
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(b"not a key")
    with pytest.raises(SealingFailed, match="cannot be read"):
        sealing_key_load_or_create(key_file, tmp_path / "cert.pem")
    assert key_file.read_bytes() == b"not a key"


def test_a_sealed_pdf_checks_valid(key, document):
    sealed = seal_pdf(document, key=key)
    check = check_seal(sealed, key=key)
    assert check.valid, check.problems
    assert check.timestamp is None


def test_a_seal_larger_than_the_room_kept_for_it_is_still_made(key, document, monkeypatch):
    # A larger key or certificate than the portal's own: pyHanko sizes the room itself.
    monkeypatch.setattr("contracts.documents.sealing.SEAL_BYTES_RESERVED", 256)
    check = check_seal(seal_pdf(document, key=key), key=key)
    assert check.valid, check.problems


def test_one_changed_byte_breaks_the_seal(key, document):
    sealed = bytearray(seal_pdf(document, key=key))
    position = sealed.index(b"stream") + 20
    sealed[position] ^= 0x01
    check = check_seal(bytes(sealed), key=key)
    assert not check.valid
    assert check.problems


def test_content_added_after_sealing_is_detected(key, document):
    sealed = seal_pdf(document, key=key)
    check = check_seal(sealed + b"\n% appended\n", key=key)
    assert not check.valid
    assert "added to the file after it was sealed" in " ".join(check.problems)


def test_a_seal_by_another_key_is_not_the_portals(key, document):
    check = check_seal(seal_pdf(document, key=generate_sealing_key()), key=key)
    assert check.intact and not check.by_portal and not check.valid


def test_an_unsigned_pdf_and_a_non_pdf_are_not_valid(key, document):
    assert "no digital signature" in " ".join(check_seal(document, key=key).problems)
    assert not check_seal(b"hello", key=key).valid


def test_an_unreachable_timestamp_authority_fails_the_seal(key, document):
    with pytest.raises(SealingFailed, match="timestamp authority http://127.0.0.1:9/"):
        seal_pdf(document, key=key, tsa_url="http://127.0.0.1:9/", timeout=2)


def _rsa_timestamping_identity():
    """An RSA key and certificate for timestamping: pyHanko's test responder is RSA-only."""
    from datetime import UTC, datetime, timedelta

    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test timestamp authority")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(private_key, hashes.SHA256())
    )
    der_key = private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        keys.PrivateKeyInfo.load(der_key),
    )


@pytest.fixture(scope="module")
def timestamp_authority():
    """A local RFC 3161 timestamp authority (pyHanko's test responder behind HTTP)."""
    from pyhanko.sign.timestamps import DummyTimeStamper

    tsa_certificate, tsa_private_key = _rsa_timestamping_identity()
    stamper = DummyTimeStamper(tsa_cert=tsa_certificate, tsa_key=tsa_private_key)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            response = asyncio.run(stamper.async_request_tsa_response(tsp.TimeStampReq.load(body)))
            data = response.dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_with_a_timestamp_authority_the_seal_carries_its_timestamp(key, document, timestamp_authority):
    sealed = seal_pdf(document, key=key, tsa_url=timestamp_authority)
    check = check_seal(sealed, key=key)
    assert check.valid, check.problems
    assert check.timestamp is not None
