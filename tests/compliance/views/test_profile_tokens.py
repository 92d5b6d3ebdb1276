"""API tokens on the profile page: shown once, stored as a hash, revocable by their user only."""

import hashlib
from datetime import UTC, datetime

from django.urls import reverse
from rest_framework.test import APIClient

from compliance import services
from compliance.models import ApiToken


def test_profile_lists_own_tokens_only(tenants, client_for):
    services.api_token_create(user=tenants.provider_author, name="Mine")
    services.api_token_create(user=tenants.outsider_admin, name="Theirs")
    body = client_for(tenants.provider_author).get(reverse("compliance:profile")).content.decode()
    assert "Mine" in body and "Theirs" not in body


def test_token_is_shown_once_and_stored_as_a_hash(tenants, client_for):
    client = client_for(tenants.provider_author)
    response = client.post(reverse("compliance:api_token_create"), {"name": "Ticketing", "organisation": ""})
    assert response.status_code == 201
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in client.get(reverse("compliance:profile")).content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/contracts/").status_code == 200


def test_token_without_a_name_is_a_400(tenants, client_for):
    response = client_for(tenants.provider_author).post(reverse("compliance:api_token_create"), {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_token_cannot_name_someone_elses_organisation(tenants, client_for):
    response = client_for(tenants.provider_author).post(
        reverse("compliance:api_token_create"), {"name": "x", "organisation": tenants.outsider.pk}
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_user_revokes_own_token(tenants, client_for):
    token, _ = services.api_token_create(user=tenants.provider_author, name="Old")
    response = client_for(tenants.provider_author).post(
        reverse("compliance:api_token_revoke", kwargs={"api_token_id": token.pk})
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_other_user_cannot_revoke_a_token(tenants, client_for):
    token, _ = services.api_token_create(user=tenants.provider_author, name="Old")
    response = client_for(tenants.provider_admin).post(
        reverse("compliance:api_token_revoke", kwargs={"api_token_id": token.pk})
    )
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_times_are_shown_in_utc_and_labelled(tenants, client_for):
    token, _ = services.api_token_create(user=tenants.provider_author, name="Monitoring")
    ApiToken.objects.filter(pk=token.pk).update(created_at=datetime(2026, 11, 30, 1, 28, tzinfo=UTC))
    body = client_for(tenants.provider_author).get(reverse("compliance:profile")).content.decode()
    assert "<td>30 November 2026, 01:28 UTC</td>" in body
    assert "<td>never</td>" in body
