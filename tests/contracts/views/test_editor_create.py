"""Starting a contract: parties, commercial terms and what version 1 starts from."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.models import ClauseTemplate, Contract, Invitation, Organisation, Version
from contracts.selectors import tenancy
from tests import factories

NEW = reverse("contracts:contract_new")


def form_data(**changes):
    data = {
        "title": "Managed workplace",
        "currency": "EUR",
        "monthly_fee": "1500.00",
        "time_zone": "Europe/Amsterdam",
        "start_date": "2026-03-01",
        "end_date": "2027-02-28",
        "auto_renew": "on",
        "start_from": "blank",
    }
    return {**data, **changes}


@pytest.fixture
def author(tenants, client_for):
    return client_for(tenants.provider_author)


def test_form_offers_only_the_authors_own_customers(author, tenants):
    factories.organisation("Unrelated Bakery")
    response = author.get(NEW)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Harbour Dental" in body
    assert "Unrelated Bakery" not in body
    assert "Outsider Customer" not in body and "Secret outsider deal" not in body
    # One provider organisation: nothing to choose.
    assert 'name="provider"' not in body
    assert 'name="time_zone"' in body and "Europe/Amsterdam" in body


def test_the_start_date_offered_is_today_in_the_form_the_date_field_keeps(author):
    """A date field shows only an ISO value: a locale-formatted default vanished unseen."""
    body = author.get(NEW).content.decode()
    today = timezone.localdate().isoformat()
    assert f'type="date" name="start_date" value="{today}"' in body


def test_customer_choices_are_customers_and_own_departments(tenants):
    company = factories.organisation("Acme Manufacturing")
    it = factories.organisation("Acme IT", parent=company, is_provider=True)
    finance = factories.organisation("Acme Finance", parent=company)
    factories.organisation("Beta Finance", parent=factories.organisation("Beta"))
    person = factories.member(it, "author")
    factories.contract(it, tenants.customer)
    names = set(tenancy.customer_choices_for(person).values_list("name", flat=True))
    assert names == {"Acme Manufacturing", "Acme IT", "Acme Finance", "Harbour Dental"}
    assert finance.name in names
    assert not tenancy.customer_choices_for(tenants.customer_admin).exists()


@pytest.mark.parametrize("who", ["customer_admin", "customer_signer", "provider_viewer"])
def test_people_who_do_not_draft_for_a_provider_get_404(tenants, client_for, who):
    client = client_for(getattr(tenants, who))
    assert client.get(NEW).status_code == 404
    assert client.post(NEW, form_data(customer=tenants.customer.pk)).status_code == 404


def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = client.get(NEW)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_create_blank_contract_with_an_existing_customer(author, tenants):
    response = author.post(NEW, form_data(customer=tenants.customer.pk))
    contract = Contract.objects.get(title="Managed workplace")
    assert response.status_code == 302
    assert response.url == reverse("contracts:version_edit", args=[contract.reference, 1])
    assert (contract.provider, contract.customer) == (tenants.provider, tenants.customer)
    assert contract.monthly_fee == Decimal("1500.00") and contract.auto_renew
    assert (contract.start_date, contract.end_date) == (date(2026, 3, 1), date(2027, 2, 28))
    assert contract.created_by == tenants.provider_author
    version = contract.versions.get()
    assert version.number == 1 and version.is_draft and version.clauses.count() == 0


def test_create_with_a_new_customer_invites_its_contact(
    author, tenants, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = author.post(
            NEW, form_data(new_customer_name="Harbour Dental", new_customer_email="it@newdental.example")
        )
    assert response.status_code == 302
    contract = Contract.objects.get(title="Managed workplace")
    customer = contract.customer
    # Same name as an existing organisation is allowed; it is a new organisation with its own slug.
    assert customer != tenants.customer and customer.name == "Harbour Dental"
    assert Organisation.objects.filter(slug=customer.slug).count() == 1
    invitation = Invitation.objects.get(organisation=customer)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "it@newdental.example",
        "admin",
        tenants.provider_author,
    )
    assert [m.to for m in mailoutbox] == [["it@newdental.example"]]


def test_create_by_copying_an_existing_contract(author, tenants):
    source = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.version_publish(version=source, user=tenants.provider_author)
    response = author.post(
        NEW,
        form_data(
            customer=tenants.customer.pk, start_from="copy", source=tenants.contract.pk, currency="USD"
        ),
    )
    assert response.status_code == 302
    contract = Contract.objects.get(title="Managed workplace")
    version = contract.versions.get()
    assert version.is_draft
    assert list(version.clauses.values_list("key", flat=True)) == list(
        source.clauses.values_list("key", flat=True)
    )
    assert version.parameters.get(name="uptime_target").value == "99.9"
    # What the author typed wins over the copied contract's values.
    assert (contract.currency, contract.monthly_fee) == ("USD", Decimal("1500.00"))


def test_create_from_library_templates(author, tenants):
    first = ClauseTemplate.objects.create(owner=tenants.provider, key="scope", heading="Scope")
    second = ClauseTemplate.objects.create(owner=tenants.provider, key="credits", heading="Credits")
    response = author.post(
        NEW, form_data(customer=tenants.customer.pk, start_from="library", templates=[first.pk, second.pk])
    )
    assert response.status_code == 302
    version = Version.objects.get(contract__title="Managed workplace")
    assert set(version.clauses.values_list("template_id", flat=True)) == {first.pk, second.pk}


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"customer": "", "new_customer_name": ""}, "Choose a customer or name a new one."),
        ({"new_customer_name": "Also new"}, "not both"),
        ({"end_date": "2026-01-01"}, "cannot end before it starts"),
        ({"currency": "euro"}, "three-letter ISO 4217 code"),
        ({"monthly_fee": "-1"}, "greater than or equal to 0"),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice"),
        ({"start_from": "copy"}, "Choose the contract to copy."),
        ({"start_from": "library"}, "Choose at least one clause."),
        ({"title": ""}, "Give the contract a title."),
        ({"start_from": "agreement"}, "Choose the agreement template to start from."),
        ({"start_from": "agreement", "agreement": "starter:nonsense"}, "Choose the agreement template"),
        ({"start_from": "agreement", "agreement": "saved:999999"}, "Choose the agreement template"),
    ],
)
def test_bad_input_is_400_and_creates_nothing(author, tenants, changes, field_error):
    ClauseTemplate.objects.create(owner=tenants.provider, key="scope", heading="Scope")
    contracts_before = Contract.objects.count()
    organisations_before = Organisation.objects.count()
    data = form_data(**{"customer": tenants.customer.pk, **changes})
    response = author.post(NEW, data)
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert Contract.objects.count() == contracts_before
    assert Organisation.objects.count() == organisations_before
    # What was typed is still in the form.
    if data.get("title"):
        assert 'value="Managed workplace"' in response.content.decode()


def test_another_tenants_customer_contract_or_template_cannot_be_chosen(author, tenants):
    ClauseTemplate.objects.create(owner=tenants.provider, key="scope", heading="Scope")
    foreign_template = ClauseTemplate.objects.create(owner=tenants.outsider, key="x", heading="X")
    for changes in (
        {"customer": tenants.outsider_contract.customer_id},
        {"customer": tenants.customer.pk, "start_from": "copy", "source": tenants.outsider_contract.pk},
        {"customer": tenants.customer.pk, "start_from": "library", "templates": [foreign_template.pk]},
    ):
        response = author.post(NEW, form_data(**changes))
        assert response.status_code == 400, changes
        assert "Select a valid choice" in response.content.decode()
    assert not Contract.objects.filter(title="Managed workplace").exists()


def test_author_of_two_providers_chooses_and_copies_only_within_one(tenants, client_for):
    second = factories.organisation("Second MSP", is_provider=True)
    person = tenants.provider_author
    services.membership_set(user=person, organisation=second, role="author")
    client = client_for(person)
    body = client.get(NEW).content.decode()
    assert '<select name="provider"' in body and "Second MSP" in body
    response = client.post(
        NEW,
        form_data(
            provider=second.pk, customer=tenants.customer.pk, start_from="copy", source=tenants.contract.pk
        ),
    )
    assert response.status_code == 400
    assert "Choose a contract that Second MSP provides" in response.content.decode()
    response = client.post(NEW, form_data(provider=second.pk, customer=tenants.customer.pk))
    assert response.status_code == 302
    assert Contract.objects.get(title="Managed workplace").provider == second


def test_customer_cannot_be_the_provider(tenants, client_for):
    company = factories.organisation("Acme")
    it = factories.organisation("Acme IT", parent=company, is_provider=True)
    person = factories.member(it, "admin")
    services.membership_set(user=person, organisation=company, role="author")
    company.is_provider = True
    company.save()
    response = client_for(person).post(NEW, form_data(provider=it.pk, customer=it.pk))
    assert response.status_code == 400
    assert "another organisation than the provider" in response.content.decode()


def test_library_start_with_an_empty_library_says_so(author, tenants):
    response = author.post(NEW, form_data(customer=tenants.customer.pk, start_from="library"))
    assert response.status_code == 400
    assert "The clause library is empty" in response.content.decode()


def test_dashboard_offers_new_contract_to_provider_staff_only(tenants, client_for):
    assert NEW in client_for(tenants.provider_author).get(reverse("compliance:dashboard")).content.decode()
    assert NEW not in client_for(tenants.customer_admin).get(reverse("compliance:dashboard")).content.decode()
