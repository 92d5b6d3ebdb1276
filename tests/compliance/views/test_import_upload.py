"""The CSV upload page: all rows or none, every bad row shown with its line number."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance.models import Incident
from tests.compliance.event_fixtures import incident_csv, with_terms


@pytest.fixture
def contract_with_terms(tenants):
    return with_terms(tenants)


def _upload(client, contract, text, kind="incident"):
    url = reverse(f"compliance:{kind}_import", kwargs={"reference": contract.reference})
    return client.post(url, {"file": SimpleUploadedFile("events.csv", text.encode(), "text/csv")})


def test_upload_imports_and_redirects_to_the_list(tenants, contract_with_terms, client_for):
    response = _upload(client_for(tenants.provider_author), contract_with_terms, incident_csv(30))
    assert response.status_code == 302
    assert response.url == reverse(
        "compliance:incidents", kwargs={"reference": contract_with_terms.reference}
    )
    assert Incident.objects.count() == 30


def test_upload_with_bad_rows_shows_each_and_writes_nothing(tenants, contract_with_terms, client_for):
    text = incident_csv(1000, bad={10: {"service": "Fax"}, 998: {"priority": "urgent"}})
    response = _upload(client_for(tenants.provider_author), contract_with_terms, text)
    assert response.status_code == 400
    body = response.content.decode()
    assert "2 of 1000 rows are invalid" in body
    assert "<td>12</td>" in body and "Fax" in body
    assert "<td>1000</td>" in body and "urgent" in body
    assert not Incident.objects.exists()


def test_upload_without_a_file_is_a_400(tenants, contract_with_terms, client_for):
    client = client_for(tenants.provider_author)
    response = client.post(
        reverse("compliance:incident_import", kwargs={"reference": contract_with_terms.reference})
    )
    assert response.status_code == 400
    assert "file" in response.context["form"].errors


def test_upload_page_documents_columns_and_time_zone(tenants, contract_with_terms, client_for):
    url = reverse("compliance:outage_import", kwargs={"reference": contract_with_terms.reference})
    body = client_for(tenants.provider_author).get(url).content.decode()
    assert "<code>start</code> (required)" in body and "Europe/Amsterdam" in body


def test_customer_and_outsider_cannot_upload(tenants, contract_with_terms, client_for):
    for user in (tenants.customer_admin, tenants.provider_viewer, tenants.outsider_admin):
        assert _upload(client_for(user), contract_with_terms, incident_csv(2)).status_code == 404
    assert not Incident.objects.exists()
