"""Agreement template pages: the list, the file, saving a contract as one, deleting one —
and another tenant's template or contract answers 404."""

import pytest
import yaml
from django.urls import reverse

from contracts.contract_files.starter_agreements import STARTER_AGREEMENTS
from contracts.models import AgreementTemplate
from contracts.services.agreement_templates import agreement_template_save
from tests import factories

LIST = reverse("contracts:agreement_templates")


@pytest.fixture
def author(tenants, client_for):
    return client_for(tenants.provider_author)


@pytest.fixture
def outsiders_template(tenants):
    factories.version_with_terms(tenants.outsider_contract)
    return agreement_template_save(
        contract=tenants.outsider_contract, user=tenants.outsider_admin, name="Outsider secret terms"
    )


def test_the_list_offers_every_starter_and_only_own_saved_templates(author, tenants, outsiders_template):
    factories.version_with_terms(tenants.contract)
    agreement_template_save(contract=tenants.contract, user=tenants.provider_author, name="Our standard")
    body = author.get(LIST).content.decode()
    for starter in STARTER_AGREEMENTS:
        assert starter.name in body
        assert f"/contracts/new/?agreement=starter:{starter.key}" in body
    assert "Our standard" in body and "Outsider secret terms" not in body


def test_customers_have_no_template_pages(tenants, client_for):
    assert client_for(tenants.customer_admin).get(LIST).status_code == 404


def test_a_template_downloads_as_a_contract_file(author, tenants):
    response = author.get(reverse("contracts:agreement_template_file", args=["starter:hosting-availability"]))
    assert response["Content-Disposition"] == 'attachment; filename="hosting-and-cloud-availability.yaml"'
    assert yaml.safe_load(response.content)["service_levels"][0]["key"] == "availability"


def test_another_tenants_template_answers_404_everywhere(author, outsiders_template):
    choice = f"saved:{outsiders_template.pk}"
    assert author.get(reverse("contracts:agreement_template_file", args=[choice])).status_code == 404
    delete = reverse("contracts:agreement_template_delete", args=[outsiders_template.pk])
    assert author.post(delete).status_code == 404
    assert AgreementTemplate.objects.filter(pk=outsiders_template.pk).exists()
    form = author.get(reverse("contracts:contract_new"), {"agreement": choice}).content.decode()
    assert "Outsider secret terms" not in form


def test_author_saves_a_contract_as_a_template_and_deletes_it(author, tenants):
    factories.version_with_terms(tenants.contract)
    url = reverse("contracts:agreement_template_save", args=[tenants.contract.reference])
    assert 'value="Managed IT"' in author.get(url).content.decode()
    response = author.post(url, {"name": "Dental standard", "description": "For clinics"})
    assert response.status_code == 302
    template = AgreementTemplate.objects.get(name="Dental standard")
    assert template.owner == tenants.provider
    assert yaml.safe_load(template.document)["title"] == "Managed IT"
    # Offered, preselected, on the new contract form.
    choice = f"saved:{template.pk}"
    body = author.get(reverse("contracts:contract_new"), {"agreement": choice}).content.decode()
    assert f'<option value="{choice}" selected>Dental standard (Brightline Managed IT)</option>' in body
    assert author.post(reverse("contracts:agreement_template_delete", args=[template.pk])).status_code == 302
    assert not AgreementTemplate.objects.exists()


@pytest.mark.parametrize(
    ("name", "error"), [("", "This field is required"), ("Taken", "already has a template named “Taken”")]
)
def test_a_bad_name_is_refused_and_saves_nothing(author, tenants, name, error):
    factories.version_with_terms(tenants.contract)
    agreement_template_save(contract=tenants.contract, user=tenants.provider_author, name="Taken")
    url = reverse("contracts:agreement_template_save", args=[tenants.contract.reference])
    response = author.post(url, {"name": name})
    assert response.status_code == 400 and error in response.content.decode()
    assert AgreementTemplate.objects.count() == 1


def test_another_tenants_contract_cannot_be_saved_as_a_template(author, tenants):
    url = reverse("contracts:agreement_template_save", args=[tenants.outsider_contract.reference])
    assert author.get(url).status_code == 404
    assert author.post(url, {"name": "Stolen"}).status_code == 404
    assert not AgreementTemplate.objects.exists()
