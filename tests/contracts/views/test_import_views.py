"""Importing a contract file in the portal, and downloading one."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts import services
from contracts.contract_files.export import contract_file_text
from contracts.models import Contract, Organisation, Parameter, Version, VersionState
from contracts.models.contract import ContractStatus
from contracts.selectors.versions import version_terms
from tests import factories

EXAMPLE = (Path(settings.BASE_DIR) / "examples" / "contract.yaml").read_text(encoding="utf-8")
IMPORT_URL = reverse("contracts:contract_import")


def example_for(tenants) -> str:
    """The example, naming the test tenants' provider and customer."""
    return EXAMPLE.replace("Harbour Dental Group", tenants.customer.name)


def upload(text: str, name: str = "contract.yaml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/yaml")


def counts() -> list[int]:
    return [m.objects.count() for m in (Organisation, Contract, Version, Parameter)]


# ---------------------------------------------------------------- who may import


def test_author_sees_the_import_form(tenants, client_for):
    response = client_for(tenants.provider_author).get(IMPORT_URL)
    assert response.status_code == 200
    assert "Import a contract from a file" in response.content.decode()
    assert tenants.provider.name in response.content.decode()


@pytest.mark.parametrize("who", ["customer_admin", "customer_signer", "provider_viewer"])
def test_non_authors_get_404(tenants, client_for, who):
    client = client_for(getattr(tenants, who))
    assert client.get(IMPORT_URL).status_code == 404
    assert client.post(IMPORT_URL, {"file": upload(example_for(tenants))}).status_code == 404


# ---------------------------------------------------------------- importing


def test_import_creates_a_draft_contract_and_redirects_to_it(tenants, client_for):
    client = client_for(tenants.provider_author)
    organisations = Organisation.objects.count()
    response = client.post(
        IMPORT_URL, {"file": upload(example_for(tenants)), "provider": tenants.provider.pk}
    )
    contract = Contract.objects.exclude(pk__in=[tenants.contract.pk, tenants.outsider_contract.pk]).get()
    assert response.status_code == 302
    assert response.url == reverse("contracts:contract_detail", args=[contract.reference])
    assert contract.customer == tenants.customer and contract.created_by == tenants.provider_author
    version = contract.versions.get()
    assert version.state == VersionState.DRAFT and version.clauses.count() == 14
    assert Organisation.objects.count() == organisations


def test_import_can_create_a_new_customer(tenants, client_for):
    client = client_for(tenants.provider_author)
    response = client.post(
        IMPORT_URL, {"file": upload(EXAMPLE), "provider": tenants.provider.pk, "create_customer": "on"}
    )
    assert response.status_code == 302
    customer = Organisation.objects.get(name="Harbour Dental Group")
    assert not customer.is_provider
    assert Contract.objects.filter(customer=customer, provider=tenants.provider).exists()


def test_unknown_customer_is_reported_without_the_tick(tenants, client_for):
    client = client_for(tenants.provider_author)
    before = counts()
    response = client.post(IMPORT_URL, {"file": upload(EXAMPLE), "provider": tenants.provider.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 5" in body and "no organisation named &#x27;Harbour Dental Group&#x27;" in body
    assert counts() == before


def test_customers_of_other_tenants_are_not_found(tenants, client_for):
    """A name of another tenant's organisation is not matched (nor revealed)."""
    client = client_for(tenants.provider_author)
    text = EXAMPLE.replace("Harbour Dental Group", "Outsider Customer")
    response = client.post(IMPORT_URL, {"file": upload(text), "provider": tenants.provider.pk})
    assert response.status_code == 400
    assert not Contract.objects.filter(customer__name="Outsider Customer", provider=tenants.provider).exists()


def test_errors_are_listed_with_their_lines_and_nothing_is_created(tenants, client_for):
    client = client_for(tenants.provider_author)
    text = example_for(tenants).replace("monthly_fee: 4200.00", "monthly_fee: lots")
    text = text.replace("    target: uptime_target", "    target: uptime")
    before = counts()
    response = client.post(IMPORT_URL, {"file": upload(text), "provider": tenants.provider.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert "2 problems in the file" in body
    assert "<strong>Line 7</strong>: <code>monthly_fee</code>: “lots” is not a number" in body
    assert "<code>service_levels[0].target</code>: no parameter named &#x27;uptime&#x27;" in body
    assert counts() == before


def test_a_file_that_is_not_yaml_or_not_utf8_is_refused(tenants, client_for):
    client = client_for(tenants.provider_author)
    before = counts()
    response = client.post(IMPORT_URL, {"file": upload("title: [oops\n"), "provider": tenants.provider.pk})
    assert response.status_code == 400 and "not valid YAML" in response.content.decode()
    latin1 = SimpleUploadedFile("c.yaml", "title: Kündigung".encode("latin-1"))
    response = client.post(IMPORT_URL, {"file": latin1, "provider": tenants.provider.pk})
    assert response.status_code == 400 and "not UTF-8" in response.content.decode()
    assert counts() == before


def test_a_file_for_another_provider_is_refused(tenants, client_for):
    """The outsider's author cannot import a contract naming Brightline as its provider."""
    client = client_for(tenants.outsider_admin)
    before = counts()
    response = client.post(
        IMPORT_URL, {"file": upload(example_for(tenants)), "provider": tenants.outsider.pk}
    )
    assert response.status_code == 400
    assert (
        "you can import contracts only for an organisation you draft contracts for"
        in response.content.decode()
    )
    # Choosing Brightline itself is not possible: it is not among the choices.
    response = client.post(
        IMPORT_URL, {"file": upload(example_for(tenants)), "provider": tenants.provider.pk}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert counts() == before


def test_signed_outside_portal_import_in_the_portal(tenants, client_for):
    client = client_for(tenants.provider_admin)
    response = client.post(
        IMPORT_URL,
        {
            "file": upload(example_for(tenants), "signed-2025.yaml"),
            "provider": tenants.provider.pk,
            "signed_outside_portal": "on",
            "signed_on": "2025-12-20",
        },
    )
    assert response.status_code == 302
    version = Version.objects.get(note__startswith="Signed outside the portal")
    assert version.state == VersionState.FROZEN and version.signed_outside_portal
    assert str(version.in_force_from) == "2025-12-20"
    assert version.note == "Signed outside the portal on 2025-12-20, imported from signed-2025.yaml."
    assert version.contract.status == ContractStatus.ACTIVE


def test_signed_needs_a_date(tenants, client_for):
    client = client_for(tenants.provider_author)
    before = counts()
    response = client.post(
        IMPORT_URL,
        {
            "file": upload(example_for(tenants)),
            "provider": tenants.provider.pk,
            "signed_outside_portal": "on",
        },
    )
    assert response.status_code == 400 and "Give the date it was signed." in response.content.decode()
    assert counts() == before


# ---------------------------------------------------------------- export


def test_provider_author_downloads_the_latest_version(tenants, client_for):
    version = factories.version_with_terms(tenants.contract)
    response = client_for(tenants.provider_author).get(
        reverse("contracts:contract_export", args=[tenants.contract.reference])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert f'filename="{tenants.contract.reference}.yaml"' in response["Content-Disposition"]
    assert response.content.decode() == contract_file_text(tenants.contract, version_terms(version))


@pytest.mark.parametrize("who", ["customer_admin", "customer_signer", "provider_viewer", "outsider_admin"])
def test_others_cannot_download(tenants, client_for, who):
    url = reverse("contracts:contract_export", args=[tenants.contract.reference])
    assert client_for(getattr(tenants, who)).get(url).status_code == 404


def test_export_query_count_does_not_grow_with_the_terms(tenants, client_for, django_assert_max_num_queries):
    version = factories.version_with_terms(tenants.contract)
    client = client_for(tenants.provider_author)
    url = reverse("contracts:contract_export", args=[tenants.contract.reference])
    with django_assert_max_num_queries(14):
        client.get(url)
    for n in range(10):
        services.service_create(version=version, name=f"Extra service {n}")
        services.clause_add(version=version, heading=f"Extra {n}", legal_text="x", plain_text="y")
        services.parameter_set(version=version, name=f"extra_{n}", kind="integer", value=n)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
