import pytest
from django.urls import reverse

from tests import factories


@pytest.mark.django_db
def test_dashboard_lists_own_organisations_and_contracts_only(tenants, client_for):
    body = client_for(tenants.customer_admin).get(reverse("compliance:dashboard")).content.decode()
    assert tenants.contract.reference in body
    assert "Harbour Dental" in body
    assert tenants.outsider_contract.reference not in body
    assert "Outsider" not in body


@pytest.mark.django_db
def test_internal_contracts_are_labelled(client_for):
    company = factories.organisation("Acme")
    it = factories.organisation("Acme IT", parent=company, is_provider=True)
    finance = factories.organisation("Acme Finance", parent=company)
    contract = factories.contract(it, finance)
    assert contract.is_internal
    user = factories.member(finance, "viewer")
    body = (
        client_for(user).get(reverse("contracts:contract_detail", args=[contract.reference])).content.decode()
    )
    assert "Internal SLA" in body


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_contracts(
    tenants, client_for, django_assert_max_num_queries
):
    client = client_for(tenants.provider_author)
    client.get(reverse("compliance:dashboard"))  # warm the session
    for _ in range(30):
        factories.contract(tenants.provider, tenants.customer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("compliance:dashboard"))
    assert response.content.decode().count("/contracts/SLA-") == 31


@pytest.mark.django_db
def test_references_are_unique_and_sequential(tenants):
    first = factories.contract(tenants.provider, tenants.customer)
    second = factories.contract(tenants.provider, tenants.customer)
    year, n1 = first.reference.split("-")[1:]
    assert second.reference == f"SLA-{year}-{int(n1) + 1:04d}"


@pytest.mark.django_db
def test_a_contract_needs_two_different_parties(tenants):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="another organisation"):
        factories.contract(tenants.provider, tenants.provider)


@pytest.mark.django_db
def test_unknown_page_shows_the_portal_404(tenants, client_for):
    response = client_for(tenants.customer_admin).get("/no/such/page/")
    assert response.status_code == 404
    assert "not shared with your organisation" in response.content.decode()


@pytest.mark.django_db
def test_internal_contracts_are_labelled_on_every_page_of_the_contract(client_for):
    company = factories.organisation("Acme")
    it = factories.organisation("Acme IT", parent=company, is_provider=True)
    finance = factories.organisation("Acme Finance", parent=company)
    contract = factories.contract(it, finance)
    author = factories.member(it, "author")
    admin = factories.member(it, "admin")
    reference = {"reference": contract.reference}
    pages = [
        (author, reverse("compliance:incidents", kwargs=reference)),
        (author, reverse("compliance:incident_create", kwargs=reference)),
        (author, reverse("compliance:incident_import", kwargs=reference)),
        (author, reverse("compliance:worklogs", kwargs=reference)),
        (author, reverse("compliance:contract_reports", kwargs=reference)),
        (admin, reverse("contracts:contract_activity", kwargs=reference)),
    ]
    for user, url in pages:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        assert "Internal SLA" in response.content.decode(), url


@pytest.mark.django_db
def test_a_signed_contract_whose_term_has_not_begun_says_from_when(tenants, client_for):
    from datetime import date

    from contracts.models import Contract
    from contracts.models.contract import ContractStatus

    Contract.objects.filter(pk=tenants.contract.pk).update(
        status=ContractStatus.ACTIVE, start_date=date(2099, 1, 1), end_date=None
    )
    client = client_for(tenants.customer_admin)
    assert "Active from 1 January 2099" in client.get(reverse("compliance:dashboard")).content.decode()
    page = client.get(reverse("contracts:contract_detail", args=[tenants.contract.reference]))
    assert "Active from 1 January 2099" in page.content.decode()

    Contract.objects.filter(pk=tenants.contract.pk).update(start_date=date(2020, 1, 1))
    body = client.get(reverse("compliance:dashboard")).content.decode()
    assert "Active from" not in body and ">Active<" in body
