"""Two workers checking at the same instant on PostgreSQL: each warning is stored and
announced once. Both compute the same warnings before either stores any; the unique row
decides who announces (the other's insert waits for the first's commit, then fails)."""

import threading

import pytest
from django.db import connection

from compliance.models import BreachWarning
from compliance.services import warnings
from compliance.signals import breach_warning
from tests.notifications.notification_support import WARNED_AT, warned_contract_fixture  # noqa: F401
from tests.services import require


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_announce_each_warning_once(warned_contract, monkeypatch):
    require(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL=postgres://...)")
    now = WARNED_AT.replace(minute=59)  # INC-1 at 98 %: the 75 % warning only
    announced = []
    lock = threading.Lock()

    def receiver(sender, warning, **kwargs):
        with lock:
            announced.append(warning.key)

    breach_warning.connect(receiver, dispatch_uid="test-concurrency")
    both_computed = threading.Barrier(2, timeout=30)
    compute = warnings.breach_warnings_due

    def computed_then_wait(**kwargs):
        due = compute(**kwargs)
        both_computed.wait()
        return due

    monkeypatch.setattr(warnings, "breach_warnings_due", computed_then_wait)
    results, errors = [], []

    def worker():
        try:
            results.append(warnings.breach_warnings_check(now=now))
        except Exception as exc:  # pragma: no cover - shown in the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        breach_warning.disconnect(dispatch_uid="test-concurrency")
    assert errors == []
    assert sorted(len(created) for created in results) == [0, 1]
    assert announced == ["incident:INC-1:response_p1:75"]
    assert BreachWarning.objects.count() == 1
