"""Publishing a draft from the editor, and starting the next draft."""

import pytest
from django.urls import reverse

from contracts import services
from contracts.models import Version
from contracts.models.contract import ContractStatus
from tests import factories


@pytest.fixture
def draft(tenants):
    return factories.version_with_terms(tenants.contract, user=tenants.provider_author)


@pytest.fixture
def author(tenants, client_for):
    return client_for(tenants.provider_author)


def publish_url(version):
    return reverse("contracts:version_publish", args=[version.contract.reference, version.number])


def new_draft_url(contract):
    return reverse("contracts:version_new_draft", args=[contract.reference])


def edit_url(contract, number):
    return reverse("contracts:version_edit", args=[contract.reference, number])


def test_publish_freezes_the_draft_and_puts_the_contract_in_review(author, tenants, draft):
    response = author.post(publish_url(draft), follow=True)
    assert response.redirect_chain[-1][0] == edit_url(tenants.contract, 1)
    draft.refresh_from_db()
    tenants.contract.refresh_from_db()
    assert draft.is_frozen and draft.frozen_by == tenants.provider_author
    assert tenants.contract.status == ContractStatus.IN_REVIEW
    body = response.content.decode()
    assert "Version 1 published" in body
    assert "Create new draft" in body and 'name="legal_text"' not in body


def test_publish_with_errors_is_refused_with_the_list(author, tenants, draft):
    clause = draft.clauses.get(key="service-levels-and-credits")
    services.clause_update(clause=clause, data={"legal_text": clause.legal_text + " {{ uptime_targt }}"})
    response = author.post(publish_url(draft))
    assert response.status_code == 400
    body = response.content.decode()
    assert "was not published" in body
    assert "{{ uptime_targt }} in the legal text" in body
    draft.refresh_from_db()
    tenants.contract.refresh_from_db()
    assert draft.is_draft and tenants.contract.status == ContractStatus.DRAFT


def test_publish_with_only_warnings_goes_ahead(author, draft):
    services.parameter_set(version=draft, name="unused_one", kind="integer", value="3")
    assert author.post(publish_url(draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.is_frozen


def test_publishing_a_frozen_version_again_changes_nothing(author, tenants, draft):
    services.version_publish(version=draft, user=tenants.provider_admin)
    frozen_at = Version.objects.get(pk=draft.pk).frozen_at
    response = author.post(publish_url(draft), follow=True)
    assert "already published" in response.content.decode()
    assert Version.objects.get(pk=draft.pk).frozen_at == frozen_at


def test_a_contract_past_review_keeps_its_status(author, tenants, draft):
    services.version_publish(version=draft, user=tenants.provider_author)
    type(tenants.contract).objects.filter(pk=tenants.contract.pk).update(status=ContractStatus.ACTIVE)
    second = services.version_create_draft(contract=tenants.contract, user=tenants.provider_author)
    assert author.post(publish_url(second)).status_code == 302
    tenants.contract.refresh_from_db()
    assert tenants.contract.status == ContractStatus.ACTIVE


def test_new_draft_copies_the_latest_version(author, tenants, draft):
    services.version_publish(version=draft, user=tenants.provider_author)
    response = author.post(new_draft_url(tenants.contract), {"note": "Raise availability"})
    assert response.status_code == 302
    assert response.url == edit_url(tenants.contract, 2)
    second = Version.objects.get(contract=tenants.contract, number=2)
    assert second.is_draft and second.note == "Raise availability"
    assert second.clauses.count() == 3 and second.parameters.get(name="uptime_target").value == "99.9"
    page = author.get(edit_url(tenants.contract, 2)).content.decode()
    assert "Versions:" in page and "Publish version 2" in page


def test_new_draft_is_refused_while_a_draft_exists(author, tenants, draft):
    response = author.post(new_draft_url(tenants.contract), follow=True)
    assert "Version 1 is still a draft" in response.content.decode()
    assert response.redirect_chain[-1][0] == edit_url(tenants.contract, 1)
    assert Version.objects.filter(contract=tenants.contract).count() == 1


def test_frozen_version_links_to_the_open_draft(author, tenants, draft):
    services.version_publish(version=draft, user=tenants.provider_author)
    services.version_create_draft(contract=tenants.contract, user=tenants.provider_author)
    page = author.get(edit_url(tenants.contract, 1)).content.decode()
    assert "Open draft version 2" in page and "Create new draft" not in page


@pytest.mark.parametrize("who", ["outsider_admin", "customer_admin", "customer_signer", "provider_viewer"])
def test_non_authors_cannot_publish_or_start_drafts(tenants, client_for, draft, who):
    client = client_for(getattr(tenants, who))
    assert client.post(publish_url(draft)).status_code == 404
    services.version_publish(version=draft, user=tenants.provider_author)
    assert client.post(new_draft_url(tenants.contract)).status_code == 404
    assert Version.objects.filter(contract=tenants.contract).count() == 1


def test_publish_and_new_draft_refuse_get(author, draft):
    assert author.get(publish_url(draft)).status_code == 405
    assert author.get(new_draft_url(draft.contract)).status_code == 405
