"""Sessions, signed-in people and API tokens kept in memory while the data stands: a kept page
costs one query, and a sign-out, a password change, a revoked token or a deactivated account
takes effect at once."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from compliance import services as compliance_services
from contracts.models import User
from tests.contracts.caching.test_kept_pages import contract_page


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries_for(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return len(queries), status


def test_a_kept_page_costs_one_query_the_datas_token(tenants):
    client = signed_in(tenants.provider_author)
    client.get(contract_page(tenants))
    assert queries_for(client, contract_page(tenants)) == (1, 200)


def test_signing_out_in_one_browser_ends_that_session_at_once(tenants):
    client = signed_in(tenants.provider_author)
    client.get(contract_page(tenants))
    session_cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    # The old session cookie, sent again (a copied cookie, another tab), is signed in no more.
    stale = Client()
    stale.cookies["sessionid"] = session_cookie
    response = stale.get(contract_page(tenants))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda user: Session.objects.all().delete(), id="sessions removed by an admin"),
        pytest.param(
            lambda user: User.objects.filter(pk=user.pk).update(is_active=False), id="account deactivated"
        ),
        pytest.param(lambda user: (user.set_password("a new secret 42"), user.save()), id="password changed"),
    ],
)
def test_a_change_to_the_person_or_their_sessions_signs_them_out_at_once(tenants, change):
    user = tenants.provider_author
    client = signed_in(user)
    client.get(contract_page(tenants))
    assert queries_for(client, contract_page(tenants)) == (1, 200)  # session and person kept
    change(User.objects.get(pk=user.pk))
    response = client.get(contract_page(tenants))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_two_people_never_share_a_kept_session_or_person(tenants):
    author, customer = signed_in(tenants.provider_author), signed_in(tenants.customer_admin)
    for _ in range(2):
        assert "Arthur · provider staff" in author.get(contract_page(tenants)).content.decode()
        page = customer.get(contract_page(tenants)).content.decode()
        assert "Hannah" in page and "Arthur" not in page


def test_a_session_is_kept_no_longer_than_it_lasts(tenants):
    client = signed_in(tenants.provider_author)
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=2))
    assert queries_for(client, contract_page(tenants))[1] == 200  # read and kept for 1 s
    assert queries_for(client, contract_page(tenants)) == (1, 200)
    time.sleep(2.1)  # nothing written since: only the kept copy's own time can end it
    response = client.get(contract_page(tenants))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda token: compliance_services.api_token_revoke(token=token), id="token revoked"),
        pytest.param(
            lambda token: User.objects.filter(pk=token.user_id).update(is_active=False),
            id="person deactivated",
        ),
    ],
)
def test_an_api_token_is_kept_until_it_is_revoked_or_its_person_deactivated(tenants, change):
    token, secret = compliance_services.api_token_create(user=tenants.provider_author, name="kept")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    # The first use is recorded on the token (a write, once a minute at most): what is kept
    # after it is read once more.
    for _ in range(2):
        assert client.get("/api/v1/contracts/").status_code == 200
    assert queries_for(client, "/api/v1/contracts/") == (1, 200)  # token and answer kept
    change(token)
    assert client.get("/api/v1/contracts/").status_code == 401


def test_an_api_tokens_last_use_is_recorded_though_the_token_is_kept(tenants):
    token, secret = compliance_services.api_token_create(user=tenants.provider_author, name="kept")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    client.get("/api/v1/contracts/")
    token.refresh_from_db()
    assert token.last_used_at is not None
