"""The disputes API: list, raise, answer, acknowledge; 400 with details on bad input, 404
for another tenant's report or a step that is not the caller's to take."""

from datetime import timedelta

import pytest
from django.utils import timezone

from compliance.models import Dispute, Report
from tests.compliance.dispute_support import issued_report_fixture, report_of_month  # noqa: F401
from tests.compliance.report_support import (
    active_contract_fixture,  # noqa: F401 - fixture
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db


def _base(report):
    return f"/api/v1/contracts/{report.contract.reference}/reports/{report.pk}/"


@pytest.fixture
def open_report(issued_report):
    Report.objects.filter(pk=issued_report.pk).update(issued_at=timezone.now())
    issued_report.refresh_from_db()
    return issued_report


def test_raise_answer_acknowledge(
    tenants, open_report, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    customer = client_for(tenants.customer_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = customer.post(
            _base(open_report) + "disputes/",
            {"kind": "exclusion", "subject": "OUT-99", "reason": "Not us."},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    dispute_id = response.json()["id"]
    listing = customer.get(_base(open_report) + "disputes/").json()
    assert listing["state"] == "disputed" and listing["disputes"][0]["subject"] == "OUT-99"
    provider = client_for(tenants.provider_author)
    answer = _base(open_report) + f"disputes/{dispute_id}/answer/"
    bad = provider.post(answer, {"accept": False}, content_type="application/json")
    # A rejection without its reason matches the schema but not the rule: 409.
    assert bad.status_code == 409 and "answer" in bad.json()["errors"][0]["errors"]
    with django_capture_on_commit_callbacks(execute=True):
        ok = provider.post(answer, {"accept": True}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    assert len(mailoutbox) == 2
    customer = client_for(tenants.customer_admin)
    ack = customer.post(_base(open_report) + "acknowledge/", {}, content_type="application/json")
    assert ack.status_code == 200 and ack.json()["state"] == "acknowledged"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"kind": "exclusion", "subject": "OUT-0", "reason": "x"}, 409),  # no such event: a conflict
        ({"kind": "bogus", "reason": "x"}, 400),
        ({"kind": "credit"}, 400),
        ({"kind": "credit", "reason": ["x"]}, 400),
        (["not", "an", "object"], 400),
    ],
)
def test_bad_input_is_400_or_409_and_writes_nothing(tenants, open_report, client_for, body, code):
    response = client_for(tenants.customer_admin).post(
        _base(open_report) + "disputes/", body, content_type="application/json"
    )
    assert response.status_code == code and response.json()["errors"]
    assert not Dispute.objects.exists()


def test_late_dispute_is_409_with_the_date(tenants, issued_report, client_for):
    Report.objects.filter(pk=issued_report.pk).update(issued_at=timezone.now() - timedelta(days=30))
    response = client_for(tenants.customer_admin).post(
        _base(issued_report) + "disputes/", {"kind": "credit", "reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["errors"]["non_field_errors"][0].startswith(
        "The dispute window closed on "
    )


def test_unissued_report_is_409(tenants, active_contract, client_for):
    report = report_of_month(active_contract, issued=False)
    response = client_for(tenants.customer_admin).post(
        _base(report) + "disputes/", {"kind": "credit", "reason": "x"}, content_type="application/json"
    )
    assert (
        response.status_code == 409
        and "not been issued" in response.json()["errors"][0]["errors"]["non_field_errors"][0]
    )


def test_other_tenants_and_other_party_get_404(tenants, open_report, client_for):
    body = {"kind": "credit", "reason": "x"}
    outsider = client_for(tenants.outsider_admin)
    assert outsider.get(_base(open_report) + "disputes/").status_code == 404
    assert (
        outsider.post(_base(open_report) + "disputes/", body, content_type="application/json").status_code
        == 404
    )
    provider = client_for(tenants.provider_author)
    assert (
        provider.post(_base(open_report) + "disputes/", body, content_type="application/json").status_code
        == 404
    )
    assert not Dispute.objects.exists()
