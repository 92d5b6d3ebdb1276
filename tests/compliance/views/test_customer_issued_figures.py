"""What a customer sees of a month is what was issued: after a late outage, every customer
page and the API show the issued figures of a month that is over; before the first issue,
"not issued yet" and no figures. Provider staff see the live figures, with the amendment."""

import pytest
from django.urls import reverse

from compliance.models import Report
from tests.compliance.hour_credits import visible_text
from tests.compliance.month_close_support import (
    held_month_fixture,  # noqa: F401 - fixture
    issued_month_fixture,  # noqa: F401 - fixture
    last_month,
    late_outage,
)
from tests.compliance.report_support import (
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db

ISSUED_CREDIT = "100.00"  # one hour down: below 99.9 %, 10 % of 1,000.00
LIVE_CREDIT = "250.00"  # nine hours down: below 99.0 %, 25 %


def _compliance(contract):
    return reverse("compliance:contract_compliance", args=[contract.reference]) + f"?period={last_month()}"


def _api(contract):
    return f"/api/v1/contracts/{contract.reference}/compliance/{last_month()}/"


@pytest.fixture
def amended(issued_month, tenants):
    late_outage(tenants, issued_month.contract)
    return issued_month


def test_customer_compliance_page_shows_the_issued_figures(tenants, amended, client_for):
    response = client_for(tenants.customer_admin).get(_compliance(amended.contract))
    assert response.status_code == 200
    assert response.context["figures"]["credits"]["capped_total"] == ISSUED_CREDIT
    assert response.context["figures"] == amended.evaluation.figures
    text = visible_text(response.content.decode())
    assert "report revision 1" in text and "Review the amendment" not in text


def test_customer_dashboard_standing_shows_the_issued_month(tenants, amended, client_for):
    response = client_for(tenants.customer_admin).get(reverse("compliance:dashboard"))
    ((contract, verdict),) = response.context["standing"]
    assert verdict.period == last_month() and str(verdict.credit) == ISSUED_CREDIT


def test_customer_reports_list_and_detail_show_the_issued_report(tenants, amended, client_for):
    client = client_for(tenants.customer_admin)
    listing = client.get(reverse("compliance:contract_reports", args=[amended.contract.reference]))
    assert list(listing.context["reports"]) == [amended]
    detail = client.get(reverse("compliance:report_detail", args=[amended.contract.reference, amended.pk]))
    assert detail.status_code == 200
    assert detail.context["figures"]["credits"]["capped_total"] == ISSUED_CREDIT


def test_customer_api_answers_the_issued_figures(tenants, amended, client_for):
    response = client_for(tenants.customer_admin).get(_api(amended.contract))
    assert response.status_code == 200
    data = response.json()
    assert data["credits"]["capped_total"] == ISSUED_CREDIT
    assert data["revision"] == data["issued_revision"] == 1
    assert "amendment" not in data


def test_provider_sees_live_figures_and_the_amendment(tenants, amended, client_for):
    client = client_for(tenants.provider_author)
    response = client.get(_compliance(amended.contract))
    assert response.context["figures"]["credits"]["capped_total"] == LIVE_CREDIT
    assert response.context["amendment"].pending
    text = visible_text(response.content.decode())
    assert f"credit {ISSUED_CREDIT} EUR → {LIVE_CREDIT} EUR" in text and "Review the amendment" in text
    data = client.get(_api(amended.contract)).json()
    assert data["credits"]["capped_total"] == LIVE_CREDIT and data["issued_revision"] == 1
    assert {
        "figure": "credit",
        "kind": "credit",
        "key": "credit",
        "before": "100.00 EUR",
        "after": "250.00 EUR",
    } in data["amendment"]


def test_customer_sees_not_issued_yet_before_the_first_issue(tenants, held_month, client_for):
    client = client_for(tenants.customer_admin)
    page = client.get(_compliance(held_month.contract))
    assert page.status_code == 200 and page.context["figures"] is None
    assert "has not been issued yet" in visible_text(page.content.decode())
    ((_, verdict),) = client.get(reverse("compliance:dashboard")).context["standing"]
    assert verdict.not_issued
    assert "Not issued yet" in visible_text(client.get(reverse("compliance:dashboard")).content.decode())
    api = client.get(_api(held_month.contract))
    assert api.status_code == 404 and "not been issued yet" in api.json()["detail"]
    listing = client.get(reverse("compliance:contract_reports", args=[held_month.contract.reference]))
    assert list(listing.context["reports"]) == []
    detail = reverse("compliance:report_detail", args=[held_month.contract.reference, held_month.pk])
    assert client.get(detail).status_code == 404
    assert client.get(detail + "pdf/").status_code == 404


def test_provider_reads_the_held_month_live(tenants, held_month, client_for):
    response = client_for(tenants.provider_viewer).get(_compliance(held_month.contract))
    assert response.context["figures"]["credits"]["capped_total"] == ISSUED_CREDIT
    assert "Not issued to the customer yet" in visible_text(response.content.decode())


def test_the_running_month_stays_live_for_the_customer(tenants, issued_month, client_for):
    response = client_for(tenants.customer_admin).get(
        reverse("compliance:contract_compliance", args=[issued_month.contract.reference]),
        {"period": _running()},
    )
    assert response.status_code == 200 and response.context["figures"]["final"] is False


def _running() -> str:
    from django.utils import timezone

    return f"{timezone.localtime():%Y-%m}"


def test_a_customer_page_never_stores_an_evaluation(tenants, amended, client_for):
    from compliance.models import Evaluation

    before = Evaluation.objects.count()
    client_for(tenants.customer_admin).get(_compliance(amended.contract))
    client_for(tenants.provider_author).get(_compliance(amended.contract))
    assert Evaluation.objects.count() == before and Report.objects.count() == 1
