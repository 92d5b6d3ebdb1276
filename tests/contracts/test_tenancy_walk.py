"""Walk every URL pattern of the portal as another tenant and as an anonymous visitor.

Each URL is filled with the first tenant's objects. Another organisation's user must get 404
(never 200, never 403 with details); an anonymous visitor a redirect to sign in (or 404 on
public pages that take a secret). A new URL keyword must be added to FILL below, so that no
view escapes this test.
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from contracts import services

# Pages anyone may open.
PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "contracts:invitation_accept",
    "compliance:verify",  # anyone holding a PDF may check it
    "healthz",  # load balancers' liveness check: "ok", nothing else
    "compliance:source_hook",  # monitoring and ticketing tools, proven by the source's secret
}
# Pages every signed-in user has, showing only their own data.
OWN = {"logout", "password_change", "password_change_done", "compliance:dashboard"}


def _fill_modules():
    for module_path in sorted(Path(__file__).parent.glob("walk_fill_*.py")):
        yield importlib.import_module(f"tests.contracts.{module_path.stem}")


def _own() -> set[str]:
    return OWN.union(*(getattr(module, "OWN", set()) for module in _fill_modules()))


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # Django's admin has its own staff-only permission model.
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _fill(tenants):
    invitation = services.invitation_create(
        organisation=tenants.provider,
        email="new@brightline.example",
        role="viewer",
        receives_reports=False,
        invited_by=tenants.provider_admin,
    )
    membership = tenants.provider.memberships.get(user=tenants.provider_viewer)
    extra = {}
    # Each area of the portal adds the URL keywords of its views in
    # tests/contracts/walk_fill_<area>.py: ``fill(tenants) -> dict`` creates the first
    # tenant's objects; an optional ``OWN`` set names pages every signed-in user has.
    for module in _fill_modules():
        extra.update(module.fill(tenants))
    return {
        **extra,
        "reference": tenants.contract.reference,
        "slug": tenants.provider.slug,
        "invitation_id": invitation.pk,
        "membership_id": membership.pk,
        "token": services.invitation_token(invitation),
        "uidb64": "MQ",
        "token_reset": "set-password",
    }


def _url(name, pattern, values):
    kwargs = {}
    for key in pattern.pattern.regex.groupindex:
        if name == "password_reset_confirm" and key == "token":
            kwargs[key] = values["token_reset"]
            continue
        assert key in values, f"URL keyword {key!r} of {name} is not covered by the tenancy walk"
        kwargs[key] = values[key]
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
def test_every_url_is_covered_and_private(tenants, client):
    values = _fill(tenants)
    patterns = list(_patterns())
    assert len(patterns) >= 15
    own = _own()
    client.force_login(tenants.outsider_admin)
    for name, pattern in patterns:
        url = _url(name, pattern, values)
        for method in ("get", "post"):
            # The API takes JSON bodies: its URLs get an empty JSON object, pages an empty form.
            body = (
                {"data": "{}", "content_type": "application/json"}
                if method == "post" and url.startswith("/api/")
                else {}
            )
            response = getattr(client, method)(url, **body)
            if name in PUBLIC or name in own:
                assert response.status_code in (200, 302, 400, 401, 404, 405, 410), (name, method)
                body = response.content.decode()
                assert tenants.provider.name not in body or name == "contracts:invitation_accept", (
                    name,
                    method,
                )
                assert tenants.contract.reference not in body, (name, method)
                continue
            assert response.status_code in (404, 405), (
                f"{method.upper()} {url} ({name}) as outsider: {response.status_code}"
            )
            assert tenants.provider.name not in response.content.decode()
        if name == "logout":
            client.force_login(tenants.outsider_admin)


@pytest.mark.django_db
def test_every_private_url_asks_anonymous_visitors_to_sign_in(tenants, client):
    values = _fill(tenants)
    for name, pattern in _patterns():
        if name in PUBLIC or name == "logout":
            continue
        url = _url(name, pattern, values)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if url.startswith("/api/"):
                # The API answers unauthenticated requests itself instead of redirecting.
                assert response.status_code in (401, 403, 405), f"{method.upper()} {url}"
                continue
            assert response.status_code in (302, 405), (
                f"{method.upper()} {url} ({name}): {response.status_code}"
            )
            if response.status_code == 302:
                assert response.url.startswith(reverse("login")), (name, response.url)


@pytest.mark.django_db
def test_admin_pages_refuse_non_staff_members(tenants, client_for):
    client = client_for(tenants.provider_admin)
    response = client.get(f"/admin/contracts/contract/{tenants.outsider_contract.pk}/change/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url
