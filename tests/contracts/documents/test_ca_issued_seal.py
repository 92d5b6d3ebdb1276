"""A seal made with a key and certificate issued by a CA (SIGNING_CERT_FILE holding the
portal's certificate and then the CA's) verifies here, and a reader that trusts the CA finds
the seal trusted. The certificates are made with ``openssl`` exactly as docs/security.md shows."""

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

import pytest

from contracts.documents.pdf import html_to_pdf
from contracts.documents.sealing import check_seal, seal_pdf, sealing_key_load_or_create

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")

EXTENSIONS = """basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
"""


def _openssl(directory, *args):
    subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True)


@pytest.fixture(scope="module")
def ca_files(tmp_path_factory):
    """The worked example of docs/security.md, step by step."""
    d = tmp_path_factory.mktemp("test-ca")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    _openssl(d, "req", "-x509", *ec, "-keyout", "ca-key.pem", "-out", "ca-cert.pem", "-days", "3650",
             "-subj", "/O=Example Test CA/CN=Example Test CA",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip
    _openssl(d, "req", *ec, "-keyout", "portal-key.pem", "-out", "portal.csr",
             "-subj", "/O=Brightline Managed IT/CN=SLA portal document seal")  # fmt: skip
    (d / "seal.ext").write_text(EXTENSIONS)
    _openssl(d, "x509", "-req", "-in", "portal.csr", "-CA", "ca-cert.pem", "-CAkey", "ca-key.pem",
             "-CAcreateserial", "-days", "825", "-extfile", "seal.ext",
             "-out", "portal-cert.pem")  # fmt: skip
    (d / "portal-chain.pem").write_bytes(
        (d / "portal-cert.pem").read_bytes() + (d / "ca-cert.pem").read_bytes()
    )
    return d


def test_a_seal_with_a_ca_issued_certificate_verifies_here(ca_files):
    key = sealing_key_load_or_create(ca_files / "portal-key.pem", ca_files / "portal-chain.pem")
    assert len(key.chain) == 2
    sealed = seal_pdf(html_to_pdf("<p>A contract sealed with a CA-issued certificate.</p>"), key=key)
    check = check_seal(sealed, key=key)
    assert check.valid, check.problems
    # One byte changed: no longer valid.
    altered = bytearray(sealed)
    altered[altered.index(b"stream") + 20] ^= 0x01
    assert not check_seal(bytes(altered), key=key).valid


def test_a_reader_that_trusts_the_ca_finds_the_seal_trusted_and_the_chain_in_it(ca_files):
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    key = sealing_key_load_or_create(ca_files / "portal-key.pem", ca_files / "portal-chain.pem")
    sealed = seal_pdf(html_to_pdf("<p>Trusted seal.</p>"), key=key)
    _t, _h, der = pem.unarmor((ca_files / "ca-cert.pem").read_bytes())
    ca = asn1_x509.Certificate.load(der)
    seal = PdfFileReader(BytesIO(sealed)).embedded_signatures[0]
    # The CA's certificate travels in the seal, as readers need it to build the path.
    assert ca.sha256 in {choice.chosen.sha256 for choice in seal.signed_data["certificates"]}

    def validated(roots):
        # pyHanko runs its own event loop: off the thread of a test process that may hold one.
        with ThreadPoolExecutor(1) as pool:
            context = ValidationContext(trust_roots=roots)
            return pool.submit(validate_pdf_signature, seal, signer_validation_context=context).result()

    status = validated([ca])
    assert status.intact and status.valid and status.trusted
    # A reader that trusts nothing of ours: intact, but the issuer is not trusted.
    untrusted = validated([])
    assert untrusted.intact and not untrusted.trusted
