"""Sign-in lockout (django-axes): repeated failures for one email address from one IP address
lock that pair out with a clear page (HTTP 429) until the cool-off ends, an operator clears
it in the admin, or the account's password is reset. API tokens are not affected."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from compliance.services.tokens import api_token_create
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
MESSAGE = "Too many failed sign-in attempts; try again in 15 minutes or reset your password."
pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    return factories.user("locked@example.com")


def sign_in(client, email, password, ip="203.0.113.7", url=None):
    return client.post(url or reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def fail_until_locked(client, email, ip="203.0.113.7", url=None):
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = sign_in(client, email, "wrong password", ip=ip, url=url)
        if attempt < settings.AXES_FAILURE_LIMIT:
            assert response.status_code == 200, attempt
            assert "Please enter " in response.content.decode()  # the form says why
    return response


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_limit_and_cool_off_come_from_the_environment_defaults():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AUTHENTICATION_BACKENDS[0].startswith("axes.")


def test_fifth_failure_locks_out_with_a_clear_page(client, person):
    response = fail_until_locked(client, person.email)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = response.content.decode()
    assert MESSAGE in page
    # The portal's own page: base template, a way out through a password reset.
    assert "Skip to content" in page and "Sign-in locked" in page
    assert reverse("password_reset") in page
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_the_right_password_is_refused_while_locked(client, person):
    fail_until_locked(client, person.email)

    response = sign_in(client, person.email, factories.PASSWORD)
    assert response.status_code == 429
    assert MESSAGE in response.content.decode()
    assert not is_signed_in(client)
    # Whatever the case of the address typed.
    assert sign_in(client, person.email.upper(), factories.PASSWORD).status_code == 429


def test_the_lockout_is_for_the_address_and_ip_pair_only(client, person):
    other = factories.user("other@example.com")
    fail_until_locked(client, person.email)

    assert sign_in(client, other.email, factories.PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, person.email, factories.PASSWORD, ip="198.51.100.20").status_code == 302


def test_sign_in_works_again_after_the_cool_off(client, person):
    fail_until_locked(client, person.email)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    response = sign_in(client, person.email, factories.PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)
    # A successful sign-in clears the count of failures.
    assert not AccessAttempt.objects.exists()


def test_failures_below_the_limit_are_forgotten_after_a_successful_sign_in(client, person):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, person.email, "wrong password")
    assert sign_in(client, person.email, factories.PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, person.email, "wrong password").status_code == 200


def test_an_operator_clears_the_lockout_in_the_admin(client, person):
    fail_until_locked(client, person.email)
    attempt = AccessAttempt.objects.get()

    operator = factories.user(is_staff=True, is_superuser=True)
    client.force_login(operator)
    changelist = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert person.email in changelist.content.decode()
    response = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302
    client.logout()

    assert sign_in(client, person.email, factories.PASSWORD).status_code == 302


def test_a_password_reset_ends_the_lockout(client, person):
    fail_until_locked(client, person.email)

    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    form_url = client.get(reverse("password_reset_confirm", args=[uid, token]))["Location"]
    new_password = "a-fresh-long-passphrase-42"
    done = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")

    response = sign_in(client, person.email, new_password)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_the_admin_sign_in_locks_out_too(client):
    operator = factories.user("operator@example.com", is_staff=True, is_superuser=True)
    response = fail_until_locked(client, operator.email, url=reverse("admin:login"))
    assert response.status_code == 429
    assert sign_in(client, operator.email, factories.PASSWORD, url=reverse("admin:login")).status_code == 429


def test_api_tokens_keep_working_while_the_sign_in_is_locked(client, person):
    _, secret = api_token_create(user=person, name="monitoring")
    fail_until_locked(client, person.email)

    response = client.get(reverse("api-contract-list"), HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200


def test_forced_sign_in_in_tests_and_sessions_are_unaffected(client, person):
    client.force_login(person)
    assert client.get(reverse("compliance:dashboard")).status_code == 200


def test_limit_and_cool_off_are_read_from_the_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AXES_"))}
    env.update({"DATA_DIR": str(tmp_path), "AXES_FAILURE_LIMIT": "3", "AXES_COOLOFF_MINUTES": "45"})
    code = "from django.conf import settings; print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "3 0:45:00"


def test_the_lockout_page_follows_the_configured_cool_off(client, person, settings):
    settings.AXES_COOLOFF_MINUTES = 1
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    response = fail_until_locked(client, person.email)
    assert "try again in 1 minute or reset your password" in response.content.decode()
    assert response["Retry-After"] == "60"


# ---------------------------------------------------------------- passwords and sessions


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Sh0rt-pw!", "This password is too short. It must contain at least 10 characters."),
        ("4829137465", "This password is entirely numeric."),
        ("password123", "This password is too common."),
        ("locked@example.com", "The password is too similar to the email address."),
    ],
)
def test_a_new_password_must_pass_the_validators(client, person, password, reason):
    client.force_login(person)
    response = client.post(
        reverse("password_change"),
        {"old_password": factories.PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code != 302
    assert reason in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(factories.PASSWORD)


def test_a_good_new_password_is_accepted(client, person):
    client.force_login(person)
    new = "quiet-harbour-lantern-42"
    response = client.post(
        reverse("password_change"),
        {"old_password": factories.PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new)


def test_a_session_ends_after_its_age(client, person):
    from django.contrib.sessions.models import Session

    response = sign_in(client, person.email, factories.PASSWORD)
    assert response.status_code == 302
    assert int(response.cookies["sessionid"]["max-age"]) == settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert client.get(reverse("compliance:dashboard")).status_code == 200
    stored = Session.objects.get(session_key=client.session.session_key)
    assert abs(
        stored.expire_date - timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    ) < timedelta(minutes=1)
    # The server, not only the browser, ends it: an expired session no longer signs anyone in.
    Session.objects.filter(pk=stored.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("compliance:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
