"""PostgreSQL going away in the middle of a request (a restart, a failover, a killed backend).

The request is a form post that writes several rows in one transaction (a new customer
organisation, its invitation, then the contract). It is held half-way on a row lock the test
owns (the year's reference counter), and its database connection is then killed: this is what
a client sees when PostgreSQL restarts. The user gets the portal's own error page saying the
change was not saved, nothing of the half-done transaction remains, and the next request works.

PostgreSQL only (SQLite has no server to lose). ``test_faults_postgres_restart.py`` really
restarts a cluster of its own.
"""

import threading
import time

import psycopg
import pytest
import requests
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract, Invitation, Organisation, ReferenceCounter
from tests.services import require

NEW = reverse("contracts:contract_new")


@pytest.fixture
def postgres(transactional_db, monkeypatch):
    require(
        connection.vendor == "postgresql",
        "needs PostgreSQL (set DATABASE_URL=postgres://...): SQLite has no server connection to lose",
    )
    db = connection.settings_dict
    # The live server's request threads close their connections after each request, so
    # that none is left open on the test database when it is dropped.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    pg = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    )
    yield pg
    pg.close()


@pytest.fixture
def logged_in(live_server, client, tenants):
    """An HTTP session on the live server for the provider's author, with its CSRF token."""
    client.force_login(tenants.provider_author)
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    response = session.get(live_server.url + NEW, timeout=10)
    assert response.status_code == 200
    session.csrf = session.cookies[settings.CSRF_COOKIE_NAME]
    return session


def contract_form(session) -> dict:
    return {
        "csrfmiddlewaretoken": session.csrf,
        "new_customer_name": "Lighthouse Clinics",
        "new_customer_email": "it@lighthouse.example",
        "title": "Managed workplace",
        "currency": "EUR",
        "monthly_fee": "1500.00",
        "time_zone": "Europe/Amsterdam",
        "start_date": "2026-03-01",
        "end_date": "2027-02-28",
        "start_from": "blank",
    }


def post_in_background(session, url: str, data: dict) -> dict:
    outcome: dict = {}

    def run():
        try:
            outcome["response"] = session.post(url, data=data, allow_redirects=False, timeout=60)
        except Exception as exc:  # reported by the test
            outcome["error"] = exc

    outcome["thread"] = threading.Thread(target=run, daemon=True)
    outcome["thread"].start()
    return outcome


def wait_for_blocked_backend(pg, own_pid: int, timeout: float = 20.0) -> int:
    """The pid of the backend waiting for a lock in the test database (not ours)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # Inside the lock's transaction the statistics views are a snapshot: drop it each time.
        pg.execute("SELECT pg_stat_clear_snapshot()")
        row = pg.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> %s",
            [own_pid],
        ).fetchone()
        if row:
            return row[0]
        time.sleep(0.05)
    raise AssertionError("the request never waited for the locked row")


def assert_not_saved_page(outcome) -> None:
    outcome["thread"].join(60)
    assert "error" not in outcome, outcome.get("error")
    response = outcome["response"]
    assert response.status_code == 500
    assert "it was not saved" in response.text
    assert "try again in a moment" in response.text


def row_counts() -> tuple[int, int, int]:
    return Organisation.objects.count(), Invitation.objects.count(), Contract.objects.count()


def assert_nothing_written(counts_before) -> None:
    assert row_counts() == counts_before
    assert not Organisation.objects.filter(name="Lighthouse Clinics").exists()


def hold_counter_lock(pg) -> None:
    ReferenceCounter.objects.get_or_create(year=timezone.localdate().year)
    pg.execute("BEGIN")
    pg.execute(
        "SELECT * FROM contracts_referencecounter WHERE year = %s FOR UPDATE", [timezone.localdate().year]
    )


def test_connection_killed_mid_request_shows_error_page_and_writes_nothing(
    postgres, live_server, logged_in, tenants
):
    counts_before = row_counts()
    hold_counter_lock(postgres)
    outcome = post_in_background(logged_in, live_server.url + NEW, contract_form(logged_in))
    try:
        victim = wait_for_blocked_backend(postgres, postgres.info.backend_pid)
        # The request has written the new organisation and its invitation by now.
        assert postgres.execute("SELECT pg_terminate_backend(%s)", [victim]).fetchone()[0]
    finally:
        postgres.execute("ROLLBACK")

    assert_not_saved_page(outcome)
    assert_nothing_written(counts_before)

    # The next request gets a fresh connection and saves the contract.
    response = logged_in.post(live_server.url + NEW, data=contract_form(logged_in), allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    saved = Contract.objects.filter(title="Managed workplace", customer__name="Lighthouse Clinics")
    assert saved.count() == 1
    assert Invitation.objects.filter(email="it@lighthouse.example").count() == 1
