"""Pages kept while their data stands: served again only when nothing they show changed."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from compliance import services as compliance_services
from contracts.caching import data_version
from contracts.models import Contract, DataVersion
from tests.compliance.event_fixtures import incident_row, with_terms


def contract_page(tenants) -> str:
    return reverse("contracts:contract_detail", args=[tenants.contract.reference])


def keep(client, url: str) -> None:
    """Ask for ``url``, so that it is kept."""
    client.get(url)


def csrf_tokens(page: bytes) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.decode())


def without_csrf_tokens(page: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.decode())


def queries_of(client, url, **headers) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(queries), response.content


def test_a_page_asked_again_is_served_as_it_was_with_few_queries(tenants, client_for):
    client = client_for(tenants.provider_author)
    first_count, first = queries_of(client, contract_page(tenants))
    again_count, again = queries_of(client, contract_page(tenants))
    # The same page; only the forms' CSRF tokens are masked anew, as Django does on each page.
    assert without_csrf_tokens(again) == without_csrf_tokens(first)
    assert csrf_tokens(again) and len(csrf_tokens(again)) == len(csrf_tokens(first))
    # The data's token only: the session and the person are kept too (test_kept_sessions.py).
    assert again_count == 1 < first_count


def test_a_change_shows_at_once_even_one_made_around_the_models(tenants, client_for):
    client = client_for(tenants.provider_author)
    keep(client, contract_page(tenants))
    # An update() sends no model signal: the write itself is what is noticed.
    Contract.objects.filter(pk=tenants.contract.pk).update(title="Managed IT, renewed")
    assert "Managed IT, renewed" in client.get(contract_page(tenants)).content.decode()


def test_each_person_gets_their_own_page_and_tenancy_still_holds(tenants, client_for):
    author = Client()
    author.force_login(tenants.provider_author)
    mine = author.get(contract_page(tenants)).content.decode()
    author.get(contract_page(tenants))  # kept now
    customer = Client()
    customer.force_login(tenants.customer_admin)
    theirs = customer.get(contract_page(tenants)).content.decode()
    assert "Arthur · provider staff" in mine
    assert "Hannah" in theirs and "Arthur" not in theirs
    outsider = Client()
    outsider.force_login(tenants.outsider_admin)
    assert outsider.get(contract_page(tenants)).status_code == 404


def test_a_persons_browsers_share_one_kept_page_each_with_its_own_form_tokens(tenants):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for browser in (first, second):
        browser.force_login(tenants.provider_author)
    first.get(contract_page(tenants))  # made and kept
    # The second browser has no CSRF cookie yet: it is served the kept page and given one.
    count, page = queries_of(second, contract_page(tenants))
    assert count <= 3
    assert "csrftoken" in second.cookies
    token = csrf_tokens(page)[0]
    assert second.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    # The first browser's forms still post with its own token, not the second's.
    own = csrf_tokens(first.get(contract_page(tenants)).content)[0]
    assert first.post(reverse("logout"), {"csrfmiddlewaretoken": own}).status_code == 302


def test_a_token_of_another_browser_is_refused_on_a_kept_page(tenants):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for browser in (first, second):
        browser.force_login(tenants.provider_author)
    first.get(contract_page(tenants))
    second.get(contract_page(tenants))
    token_of_first = csrf_tokens(first.get(contract_page(tenants)).content)[0]
    assert second.post(reverse("logout"), {"csrfmiddlewaretoken": token_of_first}).status_code == 403


def test_a_message_is_shown_once_on_a_kept_page(tenants, client_for):
    client = client_for(tenants.provider_author)
    keep(client, contract_page(tenants))
    client.get(contract_page(tenants))  # served as kept
    # A message waiting in its cookie, as after a form that redirected here.
    client.cookies["messages"] = CookieStorage(HttpRequest())._encode(  # noqa: SLF001
        [Message(constants.SUCCESS, "Reminder sent to Harbour Dental.")]
    )
    assert "Reminder sent to Harbour Dental." in client.get(contract_page(tenants)).content.decode()
    assert "Reminder sent to Harbour Dental." not in client.get(contract_page(tenants)).content.decode()


def test_the_clock_moves_the_page_on_each_minute(tenants, client_for, monkeypatch):
    client = client_for(tenants.provider_author)
    now = timezone.now().replace(second=0)
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    keep(client, contract_page(tenants))
    assert queries_of(client, contract_page(tenants))[0] <= 3
    monkeypatch.setattr("django.utils.timezone.now", lambda: now + timedelta(seconds=61))
    assert queries_of(client, contract_page(tenants))[0] > 3


def test_an_htmx_request_is_kept_apart_from_the_page(tenants, client_for):
    client = client_for(tenants.provider_author)
    keep(client, contract_page(tenants))
    count, _ = queries_of(client, contract_page(tenants), HTTP_HX_REQUEST="true")
    assert count > 3


@pytest.fixture
def api(tenants):
    with_terms(tenants)
    _, secret = compliance_services.api_token_create(user=tenants.provider_author, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_the_api_answers_again_and_shows_a_new_incident(tenants, api):
    url = f"/api/v1/contracts/{tenants.contract.reference}/incidents/"
    assert api.get(url).json()["count"] == 0
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url).json()["count"] == 0
    assert len(queries) <= 4
    assert api.post(url, [incident_row(1)], format="json").status_code in (200, 201)
    assert api.get(url).json()["count"] == 1


def test_another_token_of_the_same_person_is_asked_anew(tenants, api):
    from contracts.models import Membership

    Membership.objects.create(user=tenants.provider_author, organisation=tenants.outsider, role="author")
    assert api.get("/api/v1/contracts/").json()["count"] == 2
    _, secret = compliance_services.api_token_create(
        user=tenants.provider_author, name="limited", organisation=tenants.outsider
    )
    limited = APIClient()
    limited.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert limited.get("/api/v1/contracts/").json()["count"] == 1


# ---------------------------------------------------------------- the data's token


def token() -> str:
    return DataVersion.objects.get().token


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_renews_the_token_once_per_transaction(tenants):
    before = token()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        Contract.objects.filter(pk=tenants.contract.pk).update(title="One")
        Contract.objects.filter(pk=tenants.contract.pk).update(title="Two")
    assert token() != before
    assert sum(data_version.TABLE in q["sql"] for q in queries.captured_queries) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_the_token(tenants):
    before = token()
    writes = data_version.local_writes()
    with pytest.raises(RuntimeError), transaction.atomic():
        Contract.objects.filter(pk=tenants.contract.pk).update(title="Never")
        raise RuntimeError
    assert token() == before
    assert data_version.local_writes() > writes  # this process still makes its pages anew


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_renews_the_token_at_once(tenants):
    before = token()
    Contract.objects.filter(pk=tenants.contract.pk).update(title="Now")
    assert token() != before


def test_reads_do_not_count_as_writes(tenants):
    writes = data_version.local_writes()
    list(Contract.objects.all())
    assert data_version.local_writes() == writes


@pytest.mark.django_db(transaction=True)
def test_a_page_asked_for_outside_a_transaction_has_one_key_in_every_process(tenants, monkeypatch):
    from django.test import RequestFactory

    from contracts.caching.pages import page_key

    request = RequestFactory().get(contract_page(tenants))
    request.user = tenants.provider_author
    request.META["CSRF_COOKIE"] = "secret"
    here = page_key(request)
    monkeypatch.setattr("os.getpid", lambda: 1)
    assert page_key(request) == here
    with transaction.atomic():  # inside one, this process's own writes count too
        assert page_key(request) != here


def test_an_answer_larger_than_the_limit_is_not_kept(tenants, client_for, settings):
    settings.PAGE_CACHE_MAX_BYTES = 1000
    client = client_for(tenants.provider_author)
    keep(client, contract_page(tenants))
    assert queries_of(client, contract_page(tenants))[0] > 3
