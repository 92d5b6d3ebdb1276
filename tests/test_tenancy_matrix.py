"""Tenancy matrix: two full tenants, each with contracts, versions, terms, clauses, events,
evaluations, reports, signatures, API tokens and invitations. Seen from either tenant, no
page, filter, form choice, PDF, API answer or report email ever names the other tenant's
data, and no request mixing the other tenant's ids into one's own URLs or forms gets past a
404 or a form error, or writes anything.

The pages come from the URL resolver and their keywords from the tenancy walk's fill modules
(tests/contracts/walk_fill_*.py), run once per tenant, so a new view is covered here as
soon as the walk covers it.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from dataclasses import dataclass, field, replace
from html import escape
from html.parser import HTMLParser
from urllib.parse import quote, quote_plus, urlencode

import pytest
from django.apps import apps
from django.core import mail
from django.db.models import Q

from compliance import services as compliance_services
from compliance.models import EventSource, Incident
from compliance.services import reports as report_services
from contracts import services as contract_services
from contracts.models import ClauseCategory, ClauseTemplate, Contract, Organisation, Version
from tests import factories
from tests.compliance.report_support import (
    make_active,
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)
from tests.contracts.test_tenancy_walk import PUBLIC, _fill, _patterns, _url
from tests.services import require

pytestmark = pytest.mark.django_db

# Keywords that name a row of the tenant (swapped one at a time for the other tenant's).
ID_KEYWORDS = {
    "reference",
    "slug",
    "clause_id",
    "parameter_id",
    "service_id",
    "level_id",
    "calendar_id",
    "window_id",
    "tier_id",
    "responsibility_id",
    "template_id",
    "agreement_id",
    "choice",
    "category_id",
    "incident_id",
    "pause_id",
    "outage_id",
    "worklog_id",
    "api_token_id",
    "report_id",
    "run_id",
    "dispute_id",
    "credit_note_number",
    "request_id",
    "invitation_id",
    "membership_id",
    "external_id",
    "source_id",
    "shared_source_id",
    "route_id",
    "import_profile_id",
    "subscription_id",
    "notification_id",
}
# Every filter a view reads from the query string, set to the other tenant's identifiers.
FILTERS = ("q", "contract", "customer", "provider", "organisation", "status", "search")
# Tables that change on every request whatever the view does (sessions, lockout records).
VOLATILE_APPS = {"sessions", "axes", "admin", "django_celery_beat", "django_celery_results"}

# Columns a request updates by merely authenticating (not a write of the view).
TOUCHED_ON_USE = {"last_login", "last_used_at"}


@dataclass
class Side:
    """One tenant: its parties and users, its URL keywords and what names it."""

    tag: str
    tenants: object
    values: dict
    secret: str
    emails: set[str]
    markers: list[str] = field(default_factory=list)

    @property
    def contract(self) -> Contract:
        return self.tenants.contract

    def leaks_in(self, text: str) -> list[str]:
        found = [marker for marker in self.markers if marker in text]
        # A reference is a prefix of longer ones (SLA-2026-0001 / SLA-2026-00012): whole words.
        if re.search(rf"\b{re.escape(self.contract.reference)}\b", text):
            found.append(self.contract.reference)
        return found


def _enrich(tenants, tag: str, values: dict) -> str:
    """Distinctive rows for the tenant beyond the walk's fill: events, a clause, a library
    template, an invitation and an API token, all named after ``tag``."""
    contract, author = tenants.contract, tenants.provider_author
    compliance_services.events_upsert(
        kind="incidents",
        contract=contract,
        user=author,
        rows=[
            {
                "external_id": f"{tag.upper()}-INC-9",
                "service": "Email",
                "priority": "P2",
                "opened_at": "2026-03-09T09:00",
                "summary": f"{tag} mailbox meltdown",
            }
        ],
    )
    compliance_services.event_save(
        kind="outages",
        contract=contract,
        user=author,
        data={"external_id": f"{tag.upper()}-OUT-9", "service": "Email", "start": "2026-03-10T01:00"},
    )
    compliance_services.event_save(
        kind="worklogs",
        contract=contract,
        user=author,
        data={
            "external_id": f"{tag.upper()}-WL-9",
            "date": "2026-03-11",
            "hours": "1.5",
            "person": f"{tag} Engineer",
            "description": f"{tag} patch night",
        },
    )
    draft = Version.objects.get(contract=contract, number=values["number"])
    contract_services.clause_add(
        version=draft,
        heading=f"{tag} clause heading",
        legal_text=f"The {tag} provider keeps the {tag} ledger.",
        plain_text=f"We keep the {tag} ledger.",
    )
    category = ClauseCategory.objects.get(pk=values["category_id"])
    contract_services.clause_template_create(
        owner=tenants.provider,
        category=category,
        heading=f"{tag} template",
        legal_text=f"{tag} standard wording.",
        plain_text=f"{tag} plain wording.",
    )
    contract_services.invitation_create(
        organisation=tenants.provider,
        email=f"invitee@{tag.lower()}.example",
        role="viewer",
        receives_reports=False,
        invited_by=tenants.provider_admin,
    )
    _, secret = compliance_services.api_token_create(user=author, name=f"{tag} token")
    return secret


def _mirror(tenants):
    """The outsider organisation as a full second tenant, with the same roles as the first."""
    outsider_customer = tenants.outsider_contract.customer
    return replace(
        tenants,
        provider=tenants.outsider,
        customer=outsider_customer,
        outsider=tenants.provider,
        provider_admin=tenants.outsider_admin,
        provider_author=factories.member(tenants.outsider, "author", "ozzy@outsider.example"),
        provider_viewer=factories.member(tenants.outsider, "viewer", "vera@outsider.example"),
        customer_admin=factories.member(
            outsider_customer, "admin", "carla@outsidercustomer.example", receives_reports=True
        ),
        customer_signer=factories.member(outsider_customer, "signer", "simon@outsidercustomer.example"),
        outsider_admin=tenants.provider_admin,
        contract=tenants.outsider_contract,
        outsider_contract=tenants.contract,
    )


def _side(tenants, tag: str) -> Side:
    values = _fill(tenants)
    secret = _enrich(tenants, tag, values)
    emails = set()
    for org in (tenants.provider, tenants.customer):
        emails |= set(org.memberships.values_list("user__email", flat=True))
    side = Side(tag=tag, tenants=tenants, values=values, secret=secret, emails=emails)
    side.markers = [
        tenants.provider.name,
        tenants.customer.name,
        tenants.provider.slug,
        tenants.customer.slug,
        tag,
        f"invitee@{tag.lower()}.example",
        *sorted(emails),
    ]
    return side


@pytest.fixture
def world(tenants):
    """(A, B): the conftest's provider and the outsider, each a complete tenant."""
    first = _side(tenants, "Avalon")
    second = _side(_mirror(tenants), "Zanzibar")
    # The first tenant's contract title is generic ("Managed IT"); the outsider's is not.
    second.markers.append(second.contract.title)
    return first, second


def _viewers(side: Side):
    t = side.tenants
    return [t.provider_admin, t.provider_author, t.customer_admin]


def _fingerprint() -> dict[str, str]:
    """A digest of every row of every portal table, to prove a request wrote nothing."""
    digests = {}
    for model in apps.get_models():
        if model._meta.app_label in VOLATILE_APPS or "audit" in model._meta.model_name:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in TOUCHED_ON_USE]
        rows = list(model.objects.order_by("pk").values_list(*fields))
        digests[model._meta.label] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def _pdf_text(data: bytes) -> str:
    tool = shutil.which("pdftotext")
    require(tool is not None, "pdftotext is not installed (apt-get install poppler-utils)")
    return subprocess.run([tool, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def _text_of(response) -> str:
    content_type = response.get("Content-Type", "")
    streaming = getattr(response, "streaming", False)
    data = b"".join(response.streaming_content) if streaming else response.content
    if content_type.startswith("application/pdf"):
        return _pdf_text(data)
    return data.decode("utf-8", "replace")


class _Choices(HTMLParser):
    """Every choice a form offers: <option>s of <select>s, and checkbox/radio inputs."""

    def __init__(self):
        super().__init__()
        self.choices: list[tuple[str, str, str]] = []  # (field name, value, label)
        self._select = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._select = attrs.get("name", "")
        elif tag == "option" and self._select is not None:
            self._option = [self._select, attrs.get("value", ""), ""]
        elif tag == "input" and attrs.get("type") in ("checkbox", "radio"):
            self.choices.append((attrs.get("name", ""), attrs.get("value", ""), ""))

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self.choices.append(tuple(self._option))
            self._option = None
        elif tag == "select":
            self._select = None


# Choice fields that name rows, and the model of those rows.
CHOICE_MODELS = {
    "customer": Organisation,
    "provider": Organisation,
    "owner": Organisation,
    "source": Contract,
    "template": ClauseTemplate,
    "templates": ClauseTemplate,
    "category": ClauseCategory,
}
# On the event lists "source" names an event source (the contract's own or a provider-wide one).
CHOICE_MODELS_BY_PAGE = {
    "compliance:incidents": {"source": EventSource},
    "compliance:outages": {"source": EventSource},
}


def _owned_pks(side: Side) -> dict[type, set[str]]:
    orgs = {side.tenants.provider.pk, side.tenants.customer.pk}
    return {
        Organisation: {str(pk) for pk in orgs},
        Contract: {str(side.contract.pk)},
        ClauseTemplate: {
            str(pk) for pk in ClauseTemplate.objects.filter(owner__in=orgs).values_list("pk", flat=True)
        },
        ClauseCategory: {
            str(pk) for pk in ClauseCategory.objects.filter(owner__in=orgs).values_list("pk", flat=True)
        },
        EventSource: {
            str(pk)
            for pk in EventSource.objects.filter(
                Q(contract__provider__in=orgs) | Q(organisation__in=orgs)
            ).values_list("pk", flat=True)
        },
    }


def _page_urls(side: Side):
    for name, pattern in _patterns():
        if name in PUBLIC or name == "logout":
            continue
        yield name, pattern, _url(name, pattern, side.values)


def _filter_values(other: Side) -> dict[str, str]:
    return {
        "q": f"{other.tag} template",
        "search": f"{other.tag} template",
        "contract": other.contract.reference,
        "customer": other.tenants.customer.slug,
        "provider": other.tenants.provider.slug,
        "organisation": str(other.tenants.provider.pk),
        "status": "active",
    }


def _filters_of(other: Side) -> str:
    return urlencode(_filter_values(other)) + "&period=2026-03&from=1&to=2"


def _without_reflection(text: str, other: Side) -> str:
    """The page without the filter values it echoes (a search box, pagination links)."""
    for value in _filter_values(other).values():
        for shown in (value, quote_plus(value), quote(value), escape(value)):
            text = text.replace(shown, "")
    return text


@pytest.mark.long
@pytest.mark.parametrize("direction", ["A sees B", "B sees A"])
def test_pages_filters_pdfs_and_choices_never_name_the_other_tenant(world, client, direction):
    own, other = world if direction == "A sees B" else world[::-1]
    others_pks = _owned_pks(other)
    checked = 0
    for user in _viewers(own)[: 3 if direction == "A sees B" else 1]:
        client.force_login(user)
        for name, _pattern, url in _page_urls(own):
            for query in ("", "?" + _filters_of(other)):
                headers = {"HTTP_AUTHORIZATION": f"Token {own.secret}"} if url.startswith("/api/") else {}
                response = client.get(url + query, **headers)
                assert response.status_code < 500, (user.email, name, query, response.status_code)
                text = _text_of(response)
                if query:
                    text = _without_reflection(text, other)
                assert not other.leaks_in(text), (user.email, name, query, other.leaks_in(text))
                if "<select" in text or 'type="checkbox"' in text or 'type="radio"' in text:
                    parser = _Choices()
                    parser.feed(text)
                    for field_name, value, label in parser.choices:
                        assert not other.leaks_in(label), (name, field_name, label)
                        key = field_name.rsplit("-", 1)[-1]
                        model = CHOICE_MODELS_BY_PAGE.get(name, {}).get(key, CHOICE_MODELS.get(key))
                        if model is not None:
                            assert value not in others_pks[model], (user.email, name, field_name, value)
                checked += 1
    assert checked > 150


def test_the_other_tenants_ids_in_ones_own_urls_answer_404_and_write_nothing(world, client):
    """Each row keyword of every URL swapped, one at a time, for the other tenant's row."""
    own, other = world
    before = _fingerprint()
    client.force_login(own.tenants.provider_admin)
    mixed = 0
    for name, pattern in _patterns():
        if name in PUBLIC:
            continue
        for key in set(pattern.pattern.regex.groupindex) & ID_KEYWORDS:
            if own.values.get(key, own.contract.reference) == other.values.get(key):
                continue
            values = {**own.values, key: other.values[key]}
            if key == "reference":
                values["reference"] = other.contract.reference
            elif key == "slug":
                values["slug"] = other.tenants.provider.slug
            url = _url(name, pattern, values)
            headers = {"HTTP_AUTHORIZATION": f"Token {own.secret}"} if url.startswith("/api/") else {}
            for method in ("get", "post", "put", "patch", "delete"):
                response = getattr(client, method)(url, **headers)
                assert response.status_code in (404, 405), (name, key, method, response.status_code)
                assert not other.leaks_in(response.content.decode("utf-8", "replace")), (name, key)
            mixed += 1
    assert mixed > 40
    after = _fingerprint()
    assert {k for k in before if before[k] != after.get(k)} == set()


def test_forms_refuse_the_other_tenants_ids(world, client):
    own, other = world
    t = own.tenants
    before = _fingerprint()
    client.force_login(t.provider_author)
    other_template = ClauseTemplate.objects.get(owner=other.tenants.provider, heading=f"{other.tag} template")
    other_category = ClauseCategory.objects.get(pk=other.values["category_id"])
    ref = own.contract.reference
    draft = own.values["number"]
    posts = [
        # A contract for the other tenant's customer, copied from its contract, with its clauses.
        (
            "/contracts/new/",
            {
                "customer": other.tenants.customer.pk,
                "title": "Stolen",
                "currency": "EUR",
                "monthly_fee": "1",
                "time_zone": "Europe/Amsterdam",
                "start_date": "2026-01-01",
                "start_from": "copy",
                "source": other.contract.pk,
            },
            "customer",
        ),
        (
            "/contracts/new/",
            {
                "new_customer_name": "Fresh customer",
                "title": "Stolen",
                "currency": "EUR",
                "monthly_fee": "1",
                "time_zone": "Europe/Amsterdam",
                "start_date": "2026-01-01",
                "start_from": "library",
                "templates": [other_template.pk],
            },
            "templates",
        ),
        (
            f"/contracts/{ref}/versions/{draft}/edit/clauses/add-from-library/",
            {"template": other_template.pk},
            "template",
        ),
        (
            "/contracts/library/templates/new/",
            {
                "owner": other.tenants.provider.pk,
                "heading": "Hijack",
                "legal_text": "x",
                "plain_text": "x",
            },
            "owner",
        ),
        (
            "/contracts/library/templates/new/",
            {
                "owner": t.provider.pk,
                "category": other_category.pk,
                "heading": "Hijack",
                "legal_text": "x",
                "plain_text": "x",
            },
            "category",
        ),
        (
            f"/contracts/{ref}/sign/send/",
            {
                "customer_signers": [other.tenants.customer_signer.pk],
                "provider_signers": [other.tenants.provider_admin.pk],
                "order": "customer_first",
            },
            "signers",
        ),
    ]
    for url, data, field_name in posts:
        response = client.post(url, data)
        # Refused: the form shown again with its errors (400), or no such page (404).
        assert response.status_code in (400, 404), (url, field_name, response.status_code)
        body = response.content.decode()
        assert not other.leaks_in(body), (url, other.leaks_in(body))
    after = _fingerprint()
    assert {k for k in before if before[k] != after.get(k)} == set()


def test_api_with_one_tenants_token_never_reaches_the_others_data(world, client):
    own, other = world
    auth = {"HTTP_AUTHORIZATION": f"Token {own.secret}"}
    listing = client.get("/api/v1/contracts/", **auth)
    assert listing.status_code == 200
    assert own.contract.reference in listing.content.decode()
    assert not other.leaks_in(listing.content.decode())
    for kind in ("incidents", "outages", "worklogs"):
        mine = client.get(f"/api/v1/contracts/{own.contract.reference}/{kind}/", **auth)
        assert mine.status_code == 200 and not other.leaks_in(mine.content.decode())
        base = f"/api/v1/contracts/{other.contract.reference}/{kind}/"
        for url in (base, base + f"{other.tag.upper()}-{kind[:3].upper()}-9/"):
            own_url = url.replace(other.contract.reference, own.contract.reference)
            for method in ("get", "post", "put", "patch", "delete"):
                response = getattr(client, method)(url, {}, content_type="application/json", **auth)
                # 405 only where one's own contract answers 405 too: nothing is learnt.
                unsupported = getattr(client, method)(own_url, {}, content_type="application/json", **auth)
                expected = 405 if unsupported.status_code == 405 else 404
                assert response.status_code == expected, (url, method, response.status_code)
                assert not other.leaks_in(response.content.decode())
        # The other tenant's external id under one's own contract is simply not there.
        response = client.get(
            f"/api/v1/contracts/{own.contract.reference}/{kind}/{other.tag.upper()}-{kind[:3].upper()}-9/",
            **auth,
        )
        assert response.status_code == 404
    for url in (
        f"/api/v1/contracts/{other.contract.reference}/",
        f"/api/v1/contracts/{other.contract.reference}/compliance/2026-03/",
        f"/api/v1/contracts/{other.contract.reference}/kpis/2026-03/csat/",
    ):
        for method in ("get", "put", "delete"):
            response = getattr(client, method)(url, {"value": "1"}, content_type="application/json", **auth)
            assert response.status_code in (404, 405), (url, method, response.status_code)
            assert response.status_code != 405 or method != "get"
    assert Incident.objects.filter(contract=other.contract, external_id=f"{other.tag.upper()}-INC-9").exists()


def test_report_emails_and_pdfs_stay_within_their_tenant(
    world, report_settings, django_capture_on_commit_callbacks
):
    """The monthly run in-process with the locmem backend: every email goes only to its own
    tenant's recipients, and its text and PDF name only that tenant."""
    report_settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for side in world:
        make_active(side.contract)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_run_start(period="2026-03")
    assert mail.outbox, "the run sent no email"
    seen = set()
    for message in mail.outbox:
        recipients = set(message.to) | set(message.cc) | set(message.bcc)
        owners = [side for side in world if recipients & side.emails]
        assert len(owners) == 1, (message.subject, recipients)
        own = owners[0]
        other = world[1] if own is world[0] else world[0]
        assert recipients <= own.emails, (message.subject, recipients - own.emails)
        parts = [message.subject, message.body] + [
            content for content, _ in getattr(message, "alternatives", [])
        ]
        for _filename, content, mimetype in message.attachments:
            parts.append(_pdf_text(content) if mimetype == "application/pdf" else str(content))
        text = "\n".join(str(part) for part in parts)
        assert own.contract.reference in text
        assert not other.leaks_in(text), (message.subject, other.leaks_in(text))
        seen.add(own.tag)
    assert seen == {"Avalon", "Zanzibar"}


def _every_pattern_outside_the_admin(resolver=None, prefix=""):
    from django.urls import URLResolver, get_resolver

    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name != "admin":
                yield from _every_pattern_outside_the_admin(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def test_every_url_pattern_outside_the_admin_is_reached_by_the_walk():
    """The walk and this matrix find pages by name: an unnamed pattern would escape both."""
    walked = {id(pattern) for _name, pattern in _patterns()}
    missed = [route for route, entry in _every_pattern_outside_the_admin() if id(entry) not in walked]
    assert missed == []


def test_a_monthly_run_of_both_tenants_shows_each_only_its_own(world, client, report_settings):
    """The monthly run holds every tenant's contracts; its page and progress panel show each
    viewer only the contracts of their own organisations, and count only those."""
    from django.urls import reverse

    for side in world:
        make_active(side.contract)
    run = report_services.report_run_start(period="2026-03")
    assert set(run.items.values_list("contract", flat=True)) == {side.contract.pk for side in world}
    for own, other in (world, world[::-1]):
        for user in _viewers(own):
            client.force_login(user)
            for name in ("compliance:report_run", "compliance:report_run_progress"):
                response = client.get(reverse(name, args=[run.pk]))
                assert response.status_code == 200, (user.email, name)
                text = response.content.decode()
                assert own.contract.reference in text, (user.email, name)
                assert "of 1 contract." in " ".join(text.split()), (user.email, name)
                assert not other.leaks_in(text), (user.email, name, other.leaks_in(text))
