"""The hook URL: secrets and signatures, unknown tokens, pausing, rotation and the rate limit."""

import pytest

from compliance.models import Outage, SourceDelivery
from compliance.services.sources import source_create, source_pause, source_rotate_secret
from tests.compliance.event_fixtures import with_terms
from tests.compliance.sources.support import alert, alertmanager, post


@pytest.fixture
def source(tenants):
    contract = with_terms(tenants)
    return source_create(contract=contract, user=tenants.provider_admin, kind="alertmanager", name="Prod AM")


@pytest.mark.parametrize("sign", [None, "sha256", "sha1"])
def test_the_secret_is_accepted_as_bearer_token_or_signature(client, source, sign):
    assert post(client, source, alertmanager(alert()), sign=sign).status_code == 200


@pytest.mark.parametrize("sign", [None, "sha256", "sha1"])
def test_a_wrong_secret_is_refused_and_logged(client, source, sign):
    response = post(client, source, alertmanager(alert()), secret="whsec_wrong", sign=sign)
    assert response.status_code == 401
    assert not Outage.objects.exists()
    delivery = SourceDelivery.objects.get()
    assert (delivery.outcome, delivery.status_code) == ("refused", 401)
    assert "secret" in delivery.reason


def test_no_secret_at_all_is_refused(client, source):
    response = client.post(f"/hooks/{source.token}/", b"{}", content_type="application/json")
    assert response.status_code == 401


def test_a_signature_of_another_body_is_refused(client, source):
    import hashlib
    import hmac

    signature = hmac.new(source.secret.encode(), b"{}", hashlib.sha256).hexdigest()
    response = client.post(
        f"/hooks/{source.token}/",
        b'{"alerts": []}',
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=f"sha256={signature}",
    )
    assert response.status_code == 401


def test_an_unknown_token_answers_404_and_leaves_no_trace(client, source):
    response = client.post(
        f"/hooks/{source.token[:-2]}xx/",
        b"{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {source.secret}",
    )
    assert response.status_code == 404
    assert client.post("/hooks/nothing/", b"{}", content_type="application/json").status_code == 404
    assert not SourceDelivery.objects.exists()


def test_get_is_not_allowed(client, source):
    assert client.get(f"/hooks/{source.token}/").status_code == 405


def test_a_paused_source_refuses_deliveries_until_resumed(client, source):
    source_pause(source=source, paused=True)
    response = post(client, source, alertmanager(alert()))
    assert response.status_code == 409
    assert "paused" in response.json()["reason"]
    assert not Outage.objects.exists()
    source_pause(source=source, paused=False)
    assert post(client, source, alertmanager(alert())).status_code == 200


def test_rotating_the_secret_stops_the_old_one_at_once(client, source):
    old = source.secret
    new = source_rotate_secret(source=source)
    assert new != old and new.startswith("whsec_")
    assert post(client, source, alertmanager(alert()), secret=old).status_code == 401
    assert post(client, source, alertmanager(alert()), secret=new).status_code == 200
    source.refresh_from_db()
    assert source.secret_rotated_at is not None


def test_deliveries_beyond_the_rate_limit_answer_429_with_retry_after(client, source):
    source.rate_limit = 3
    source.save()
    codes = [post(client, source, alertmanager(alert())).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    response = post(client, source, alertmanager(alert()))
    assert response["Retry-After"] == "60"
    assert SourceDelivery.objects.filter(status_code=429).count() == 3


def test_a_body_that_is_not_json_is_refused_with_the_reason(client, source):
    response = post(client, source, b"<xml/>")
    assert response.status_code == 400
    assert "not JSON" in response.json()["reason"]
