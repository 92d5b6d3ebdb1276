"""/verify/ cannot be used to stop the site: cheap refusals, the bounded pool, the rate limit."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts.documents.sealing import sealed_pdf_refusal
from slaportal import isolation
from tests import isolation_targets as targets
from tests.compliance.report_support import (
    PERIOD,
    active_contract_fixture,  # noqa: F401 - fixture
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
    stored_pdf,
)
from tests.compliance.views.verify_junk import MB, crafted, header_and_zeros

URL = "/verify/"


def _report_pdf(contract) -> bytes:
    from compliance.services import reports

    report = reports._report_for_period(contract, PERIOD)
    reports.report_render(report=report)
    return stored_pdf(report)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n%%EOF\n", "too small"),
        (b"GIF89a" + bytes(5000) + b"%%EOF\n", "does not start with a PDF header"),
        (header_and_zeros(1 * MB), "does not end with a PDF end-of-file marker"),
        (b"%PDF-1.7\n" + bytes(5000) + b"\n%%EOF\n", "does not say where its cross-reference table is"),
        (b"%PDF-1.7\n" + bytes(5000) + b"\nstartxref\n99999\n%%EOF\n", "cross-reference table"),
        (b"%PDF-1.7\n" + bytes(5000) + b"\nstartxref\n9\n%%EOF\n", "carries no digital signature"),
        (
            b"%PDF-1.7\n<< /ByteRange [5 6 7 8] /Contents <00> >>" + bytes(5000) + b"\nstartxref\n9\n%%EOF\n",
            "does not say which bytes it covers",
        ),
        (crafted(1 * MB).replace(b"ETSI.CAdES.detached", b"adbe.pkcs7.detached"), "not the kind of seal"),
        (
            b"%PDF-1.7\n/SLAPortalReportCode (R-1)\n" + crafted(11 * MB)[9:],
            "larger than 10 MB, more than a compliance report",
        ),
        (
            b"%PDF-1.7\n/slaportalcreditnotecode (C-1)\n" + crafted(6 * MB)[9:],
            "larger than 5 MB, more than a credit note",
        ),
        (crafted(26 * MB), "larger than 25 MB, more than a signed contract"),
        (crafted(1 * MB), ""),  # shaped like a seal: only parsing tells
    ],
)
def test_files_that_cannot_be_sealed_pdfs_are_refused_without_parsing(data, message):
    started = time.perf_counter()
    refusal = sealed_pdf_refusal(data)
    assert time.perf_counter() - started < 0.5
    assert (message in refusal) if message else refusal == ""


def test_a_genuine_report_passes_the_cheap_checks(active_contract):
    assert sealed_pdf_refusal(_report_pdf(active_contract)) == ""


# ---------------------------------------------------------------- the bounded pool


def test_a_child_that_overruns_is_stopped_at_its_timeout():
    started = time.monotonic()
    with pytest.raises(isolation.CallTimedOut):
        isolation.isolated_call(targets.sleep, 30, limits=isolation.Limits(timeout=1, slots=1, wait=1))
    assert time.monotonic() - started < 5


def test_a_child_that_grabs_too_much_memory_is_stopped():
    with pytest.raises(isolation.CallTimedOut, match="memory"):
        isolation.isolated_call(
            targets.grab_memory,
            600,
            limits=isolation.Limits(timeout=10, memory_bytes=300 * MB, slots=1, wait=1),
        )


def test_a_child_that_raises_reports_failure_and_a_good_one_its_value():
    limits = isolation.Limits(timeout=10, slots=1, wait=1)
    with pytest.raises(isolation.CallFailed, match="bad input"):
        isolation.isolated_call(targets.boom, limits=limits)
    assert isolation.isolated_call(targets.sleep, 0, limits=limits) == 0


def test_a_full_pool_answers_busy_instead_of_queueing():
    import threading

    limits = isolation.Limits(timeout=10, slots=1, wait=0.2)
    holder = threading.Thread(
        target=isolation.isolated_call, args=(targets.sleep, 3), kwargs={"limits": limits}
    )
    holder.start()
    time.sleep(0.8)
    try:
        with pytest.raises(isolation.PoolBusy):
            isolation.isolated_call(targets.sleep, 0, limits=limits)
    finally:
        holder.join()


# ---------------------------------------------------------------- the page


@pytest.mark.django_db
def test_the_page_refuses_junk_with_a_clear_message_without_parsing(client, report_settings, monkeypatch):
    monkeypatch.setattr("compliance.reports.verification.isolated_call", _never)
    response = client.post(URL, {"file": SimpleUploadedFile("junk.pdf", header_and_zeros(24 * MB))})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Not checked." in body and "does not end with a PDF end-of-file marker" in body


def _never(*args, **kwargs):
    raise AssertionError("parsed")


@pytest.mark.django_db
def test_junk_shaped_like_a_seal_is_parsed_in_a_child_and_refused(client, report_settings):
    response = client.post(URL, {"file": SimpleUploadedFile("junk.pdf", crafted(2 * MB))})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Not valid." in body and "not a readable PDF" in body


@pytest.mark.django_db
def test_a_parse_that_overruns_is_refused(client, report_settings, monkeypatch):
    report_settings.VERIFY_TIMEOUT_SECONDS = 1
    monkeypatch.setattr("compliance.reports.verification.seal_facts", targets.slow_facts)
    response = client.post(URL, {"file": SimpleUploadedFile("junk.pdf", crafted(1 * MB))})
    assert response.status_code == 400
    assert "took too long to check" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_uploads_are_limited_per_address(client, report_settings):
    report_settings.VERIFY_UPLOADS_PER_WINDOW = 3
    junk = header_and_zeros(4096)
    for _ in range(3):
        assert client.post(URL, {"file": SimpleUploadedFile("j.pdf", junk)}).status_code == 400
    refused = client.post(URL, {"file": SimpleUploadedFile("j.pdf", junk)})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Too many files checked from your address: at most 3 in 10 minutes" in refused.content.decode()
    # Another address is not affected.
    other = client.post(URL, {"file": SimpleUploadedFile("j.pdf", junk)}, REMOTE_ADDR="192.0.2.77")
    assert other.status_code == 400


@pytest.mark.django_db
def test_signed_in_people_are_limited_per_account_more_generously(client, tenants, report_settings):
    report_settings.VERIFY_UPLOADS_PER_WINDOW = 1
    client.force_login(tenants.customer_admin)
    junk = header_and_zeros(4096)
    statuses = [client.post(URL, {"file": SimpleUploadedFile("j.pdf", junk)}).status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]


@pytest.mark.django_db
def test_a_declared_body_over_the_limit_is_refused_before_it_is_read(client, report_settings):
    response = client.post(URL, {}, CONTENT_LENGTH=str(40 * MB))
    assert response.status_code == 400
    assert "larger than 25 MB" in response.content.decode()


@pytest.mark.django_db
def test_the_page_explains_what_pdf_readers_say(client):
    body = client.get(URL).content.decode()
    assert "Not total document signed" in body
    assert "Issuer isn't trusted" in body
