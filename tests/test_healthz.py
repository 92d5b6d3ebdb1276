"""/healthz: a plain "ok" for load balancers, without touching the database or the session."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_answers_ok_without_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies


def test_healthz_head_and_only_safe_methods(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_same_for_signed_in_users(client, tenants):
    client.force_login(tenants.provider_viewer)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
