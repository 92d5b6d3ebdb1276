"""Security headers on every kind of response: the Content Security Policy (no inline script,
no inline style), Permissions-Policy and the usual hardening headers; HTTPS-only cookies and
HSTS when SECURE_HTTPS is on; templates and charts that keep within the policy."""

import os
import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from compliance.engine import charts
from contracts import services
from tests import factories

ROOT = Path(__file__).resolve().parent.parent


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict_policy(response) -> None:
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    # Only hashed alignment styles on attributes; nothing inline and no eval anywhere.
    assert csp["style-src-attr"][0] == "'unsafe-hashes'"
    assert all(value.startswith("'sha256-") for value in csp["style-src-attr"][1:])
    header = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.fixture
def frozen(tenants):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    return services.version_publish(version=version, user=tenants.provider_author)


@pytest.mark.django_db
def test_anonymous_pages_carry_the_policy(client):
    for url in (reverse("login"), reverse("password_reset"), reverse("admin:login"), "/no-such-page/"):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_strict_policy(response)


@pytest.mark.django_db
def test_signed_in_pages_pdf_and_api_carry_the_policy(tenants, frozen, client_for):
    client = client_for(tenants.customer_admin)
    reference = tenants.contract.reference
    urls = [
        reverse("compliance:dashboard"),
        reverse("contracts:contract_detail", args=[reference]),
        reverse("contracts:version_detail", args=[reference, 1]),
        reverse("contracts:version_pdf", args=[reference, 1]),
        reverse("api-contract-list"),
        reverse("api-contract-detail", args=[reference]),
        reverse("api-schema"),
        reverse("api-docs"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_policy(response)
    assert (
        client.get(reverse("contracts:version_pdf", args=[reference, 1]))["Content-Type"] == "application/pdf"
    )


@pytest.mark.django_db
def test_api_token_calls_carry_the_policy(tenants, client):
    from compliance.services.tokens import api_token_create

    _, secret = api_token_create(user=tenants.customer_admin, name="monitoring")
    response = client.get(reverse("api-contract-list"), HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200
    assert_strict_policy(response)
    unauthorised = client.get(reverse("api-contract-list"))
    assert unauthorised.status_code == 401
    assert_strict_policy(unauthorised)


@pytest.mark.django_db
def test_admin_pages_carry_the_policy(client):
    client.force_login(factories.user(is_staff=True, is_superuser=True))
    for url in (reverse("admin:index"), reverse("admin:axes_accessattempt_changelist")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_policy(response)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode()), url


@pytest.mark.django_db
def test_api_docs_load_their_script_from_a_file_not_inline(tenants, client_for):
    client = client_for(tenants.provider_admin)
    page = client.get(reverse("api-docs")).content.decode()
    assert "<style" not in page
    assert "style=" not in page
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all("src=" in attributes for attributes in scripts)
    script_url = re.search(r'<script src="([^"]*\?script=[^"]*)"', page)[1].replace("&amp;", "&")
    script = client.get(script_url)
    assert script.status_code == 200
    assert "javascript" in script["Content-Type"]
    assert "SwaggerUIBundle" in script.content.decode()
    assert "/static/css/swagger.css" in page


@pytest.mark.django_db
def test_the_browsable_api_has_no_inline_style_or_script(tenants, client_for):
    client = client_for(tenants.customer_admin)
    response = client.get(reverse("api-contract-list"), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert_strict_policy(response)
    page = response.content.decode()
    assert "<style" not in page and " style=" not in page
    # The one script element without src holds JSON data, which is never run.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline == [' type="application/json" id="drf_csrf"']
    assert "/static/css/api-code.css" in page


def test_markdown_table_alignment_is_the_only_inline_style_allowed():
    import base64
    import hashlib

    from django.conf import settings

    from contracts.texts.rendering import render_clause

    allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src-attr"]
    text = "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |"
    styles = set(re.findall(r'style="([^"]*)"', render_clause(text, {}).html))
    assert styles == {"text-align:left", "text-align:center", "text-align:right"}
    for style in styles | {"text-align:justify", ""}:
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, style


TEMPLATES = ROOT / "templates"
# Mails and PDFs are not shown by a browser under the policy.
OFF_POLICY = ("emails", "pdf")


def portal_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.relative_to(TEMPLATES).parts[0] not in OFF_POLICY:
            yield path


def test_templates_have_no_inline_script_style_or_event_handler():
    offenders = []
    for path in portal_templates():
        text = path.read_text()
        if re.search(r"\sstyle=", text) or re.search(r"<style\b", text):
            offenders.append(f"{path}: inline style")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{path}: inline script")
        if re.search(r"\son[a-z]+=", text) or "javascript:" in text:
            offenders.append(f"{path}: event handler attribute")
    assert offenders == []


def test_htmx_does_not_inject_its_indicator_style():
    base = (TEMPLATES / "base.html").read_text()
    assert '"includeIndicatorStyles":false' in base
    assert ".htmx-indicator" in (ROOT / "static/css/portal.css").read_text()


def test_charts_carry_no_inline_css():
    svgs = [
        charts.trend_chart(
            title="Availability",
            periods=["2026-01", "2026-02", "2026-03"],
            series=[charts.Series("Service", [Decimal("99.95"), None, Decimal("98.1")])],
            target=Decimal("99.9"),
            unit="%",
        ),
        charts.error_budget_chart(allowed_minutes=40, used_minutes=55, elapsed_fraction=Decimal("0.4")),
        charts.hours_bank_chart(
            periods=["2026-01", "2026-02"], committed=[10, 10], delivered=[12, 7], balance=[-2, 1]
        ),
    ]
    for svg in svgs:
        assert "<style" not in svg
        assert "style=" not in svg
        # The drawing keeps its colours and text settings as presentation attributes.
        assert 'fill="#ffffff"' in svg
        root = svg.split(">", 1)[0]
        assert root.startswith("<svg ") and 'font-family="' in root and 'fill="#212529"' in root


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_https_responses_carry_hsts_and_cookies_are_secure_only(client):
    assert client.get(reverse("login")).status_code == 301
    response = client.get(reverse("login"), secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert_strict_policy(response)
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"

    person = factories.user("secure@example.com")
    signed_in = client.post(
        reverse("login"), {"username": person.email, "password": factories.PASSWORD}, secure=True
    )
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def _settings_with_env(tmp_path, **env_extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "STATICFILES_"))}
    env.update({"DATA_DIR": str(tmp_path), **env_extra})
    names = [
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    ]
    code = f"from django.conf import settings\nfor n in {names!r}: print(n, getattr(settings, n))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return dict(line.split(" ", 1) for line in result.stdout.splitlines() if line.split(" ", 1)[0] in names)


def test_secure_https_turns_on_hsts_secure_cookies_and_redirects(tmp_path):
    values = _settings_with_env(tmp_path, SECURE_HTTPS="1")
    assert values == {
        "SECURE_SSL_REDIRECT": "True",
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
        "SECURE_HSTS_PRELOAD": "True",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": "False",
    }
    local = _settings_with_env(tmp_path, SECURE_HTTPS="0", SESSION_EXPIRE_AT_BROWSER_CLOSE="1")
    assert local["SESSION_COOKIE_SECURE"] == "False"
    assert local["SECURE_HSTS_SECONDS"] == "0"
    assert local["SESSION_EXPIRE_AT_BROWSER_CLOSE"] == "True"


# ---------------------------------------------------------------- in Chromium


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_api_docs_admin_and_pages_work_in_chromium_under_the_policy(browser_page, tenants):
    from tests.browser.axe import assert_accessible
    from tests.browser.test_customer_journey import sign_in

    page = browser_page
    # The violation detector itself: an inline style added to the page is refused and seen.
    page.goto(page.base + reverse("login"))
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in v or "Refused to" in v for v in page.csp_violations)
    page.csp_violations.clear()
    # The portal's own styles still apply: the navigation bar is dark.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('nav')).backgroundColor") != "rgba(0, 0, 0, 0)"
    )
    assert_accessible(page)

    sign_in(page, tenants.provider_admin.email)
    # The browsable API, with its own scripts and styles.
    page.goto(page.base + reverse("api-contract-list"))
    assert tenants.contract.reference in page.locator("body").inner_text()
    # Swagger UI draws the operations from its separately served script.
    page.goto(page.base + reverse("api-docs"))
    page.locator(".opblock").first.wait_for()
    assert "/api/v1/contracts/" in page.locator("#swagger-ui").inner_text()

    # The Django admin with its own scripts (here: the changelist's actions).
    operator = factories.user("operator@example.com", is_staff=True, is_superuser=True)
    page.context.clear_cookies()
    page.goto(page.base + reverse("admin:login"))
    page.get_by_label("Email address").fill(operator.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(page.base + reverse("admin:contracts_contract_changelist"))
    page.locator("#action-toggle").check()
    assert page.locator(".action-counter").inner_text().startswith("2 of 2")
    page.goto(page.base + reverse("admin:contracts_contract_change", args=[tenants.contract.pk]))
    assert page.locator("#content-main form").count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_lockout_page_in_chromium(browser_page, tenants):
    from tests.browser.axe import assert_accessible

    page = browser_page
    for _ in range(5):
        page.goto(page.base + reverse("login"))
        page.get_by_label("Email address").fill(tenants.customer_admin.email)
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
    assert "Too many failed sign-in attempts" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Reset your password").click()
    page.wait_for_url("**/accounts/password/reset/")


# ---------------------------------------------------------------- every page of the portal


class _InlineCode(HTMLParser):
    """Markup a browser would refuse under the policy: <script> without src (except JSON
    data), <style>, event-handler and hx-on attributes, javascript: URLs and style
    attributes other than the hashed table alignments."""

    ALIGNMENTS = {"", "text-align:left", "text-align:right", "text-align:center", "text-align:justify"}

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and "src" not in values and values.get("type") != "application/json":
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.found.append(f"<{tag} {name}=…>")
            elif name == "style" and (value or "").replace(" ", "").rstrip(";") not in self.ALIGNMENTS:
                self.found.append(f'<{tag} style="{value}">')
            elif name in ("href", "src", "action") and "javascript:" in (value or "").strip().lower()[:11]:
                self.found.append(f"<{tag} {name}=javascript:…>")


def _inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    return parser.found


@pytest.mark.django_db
def test_every_url_pattern_carries_the_policy_and_renders_no_inline_code(tenants, client):
    """Every page the URL resolver knows (the tenancy walk's patterns, filled with the
    walk's objects), as a visitor and as each role that can open it: the response carries
    the policy and its HTML has nothing the policy would refuse."""
    from tests.contracts.test_tenancy_walk import PUBLIC, _fill, _patterns, _url

    values = _fill(tenants)
    patterns = list(_patterns())
    visitors = [None, tenants.provider_admin, tenants.provider_author, tenants.customer_admin]
    seen, posted_only = set(), set()
    for user in visitors:
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        for name, pattern in patterns:
            if name == "logout" or (user is None and name not in PUBLIC):
                continue
            url = _url(name, pattern, values)
            response = client.get(url)
            assert_strict_policy(response)
            if response.status_code == 200:
                seen.add(name)
            elif response.status_code == 405:
                posted_only.add(name)
            if response.get("Content-Type", "").startswith("text/html"):
                found = _inline_code(response.content.decode())
                assert found == [], (user and user.email, name, url, found)
    # Most pages (URLs that answer a GET at all) open for one of these roles: the test saw
    # them, not only their 404s.
    pages = {name for name, _ in patterns} - posted_only
    assert len(seen) >= len(pages) // 2, sorted(pages - seen)
