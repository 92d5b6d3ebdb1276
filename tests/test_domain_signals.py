"""The domain signals reach their receivers once the change is committed, and only then."""

import pytest
from django.db import transaction

from compliance import signals
from compliance.models import Report
from slaportal.signals import send_on_commit


@pytest.mark.django_db(transaction=True)
def test_a_signal_is_sent_after_commit_and_not_after_rollback():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs["report"])

    signals.report_issued.connect(receiver, weak=False)
    try:
        with transaction.atomic():
            send_on_commit(signals.report_issued, sender=Report, report="committed", amended=False)
            assert received == []
        with pytest.raises(RuntimeError), transaction.atomic():
            send_on_commit(signals.report_issued, sender=Report, report="rolled back", amended=False)
            raise RuntimeError
    finally:
        signals.report_issued.disconnect(receiver)
    assert received == ["committed"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_is_logged_and_does_not_stop_the_others(caplog):
    received = []

    def broken(sender, **kwargs):
        raise ValueError("boom")

    def working(sender, **kwargs):
        received.append(kwargs["report"])

    signals.report_issued.connect(broken, weak=False)
    signals.report_issued.connect(working, weak=False)
    try:
        with transaction.atomic():
            send_on_commit(signals.report_issued, sender=Report, report="r", amended=False)
    finally:
        signals.report_issued.disconnect(broken)
        signals.report_issued.disconnect(working)
    assert received == ["r"]
    assert "failed" in caplog.text
