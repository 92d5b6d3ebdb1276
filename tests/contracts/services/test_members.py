import pytest
from django.urls import reverse

from contracts.models import Membership


@pytest.mark.django_db
def test_admin_changes_a_members_role_and_report_flag(tenants, client_for):
    membership = Membership.objects.get(user=tenants.provider_viewer)
    client = client_for(tenants.provider_admin)
    url = reverse("contracts:membership_edit", args=[tenants.provider.slug, membership.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"role": "signer", "receives_reports": "on"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.receives_reports) == ("signer", True)


@pytest.mark.django_db
def test_last_admin_cannot_be_demoted_or_removed(tenants, client_for):
    membership = Membership.objects.get(user=tenants.provider_admin)
    client = client_for(tenants.provider_admin)
    url = reverse("contracts:membership_edit", args=[tenants.provider.slug, membership.pk])
    response = client.post(url, {"role": "viewer"})
    assert response.status_code == 400
    assert "at least one admin" in response.content.decode()
    client.post(reverse("contracts:membership_remove", args=[tenants.provider.slug, membership.pk]))
    membership.refresh_from_db()
    assert membership.role == "admin"


@pytest.mark.django_db
def test_bad_role_rerenders_with_a_field_error(tenants, client_for):
    membership = Membership.objects.get(user=tenants.provider_viewer)
    client = client_for(tenants.provider_admin)
    url = reverse("contracts:membership_edit", args=[tenants.provider.slug, membership.pk])
    response = client.post(url, {"role": "owner"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "viewer"


@pytest.mark.django_db
def test_members_see_the_member_list_but_not_the_admin_tools(tenants, client_for):
    client = client_for(tenants.provider_viewer)
    response = client.get(reverse("contracts:organisation_detail", args=[tenants.provider.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert tenants.provider_author.email in body
    assert "Invite a person" not in body


@pytest.mark.django_db
def test_non_admin_cannot_edit_or_remove_members(tenants, client_for):
    membership = Membership.objects.get(user=tenants.provider_viewer)
    client = client_for(tenants.provider_author)
    assert (
        client.get(
            reverse("contracts:membership_edit", args=[tenants.provider.slug, membership.pk])
        ).status_code
        == 404
    )
    client.post(reverse("contracts:membership_remove", args=[tenants.provider.slug, membership.pk]))
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_admin_of_one_organisation_cannot_reach_anothers_membership(tenants, client_for):
    other = Membership.objects.get(user=tenants.customer_signer)
    client = client_for(tenants.provider_admin)
    url = reverse("contracts:membership_edit", args=[tenants.provider.slug, other.pk])
    assert client.get(url).status_code == 404
