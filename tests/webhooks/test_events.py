"""Domain events reach the provider's subscribers: each event type follows its signal (sent
after commit), with the data a receiver needs; only subscribers of that type, of that
provider, get a delivery."""

import pytest

from compliance import signals as compliance_signals
from compliance.models import BreachWarning, Report
from compliance.services import credit_notes, disputes
from contracts import signals as contract_signals
from contracts.models import SignatureRequest, Version
from tests.compliance.dispute_support import (
    IN_WINDOW,
    issued_report_fixture,  # noqa: F401 - fixture
)
from tests.compliance.report_support import (
    active_contract_fixture,  # noqa: F401 - fixture
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)
from webhooks import events, services
from webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscribe(tenants, settings):
    # Receivers are not reached here (nothing is run after commit unless a test says so).
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True

    def _subscribe(*types, organisation=None):
        subscription, _ = services.subscription_create(
            organisation=organisation or tenants.provider,
            user=tenants.provider_admin,
            url="http://127.0.0.1:9/hooks",
            event_types=list(types),
        )
        return subscription

    return _subscribe


def _event(event_type) -> Event:
    return Event.objects.get(event_type=event_type)


def test_every_event_type_has_a_label_and_a_signal():
    names = [event_type.name for event_type in events.EVENT_TYPES]
    assert names == [
        "contract.activated",
        "report.issued",
        "report.amended",
        "credit_note.issued",
        "dispute.opened",
        "dispute.resolved",
        "breach.warning",
    ]
    assert all(event_type.label and event_type.signal for event_type in events.EVENT_TYPES)


def test_a_contract_signed_and_active(tenants, subscribe, settings):
    settings.SITE_URL = "https://sla.example"
    subscription = subscribe("contract.activated")
    version = Version.objects.filter(contract=tenants.contract).first() or Version.objects.create(
        contract=tenants.contract, number=1
    )
    Version.objects.filter(pk=version.pk).update(in_force_from="2026-03-01")
    version.refresh_from_db()
    request = SignatureRequest.objects.create(version=version, created_by=tenants.provider_author)
    contract_signals.contract_activated.send(
        sender=SignatureRequest, contract=tenants.contract, request=request, version=version
    )
    event = _event("contract.activated")
    assert event.organisation == tenants.provider
    data = event.payload["data"]
    assert data["contract"] == {
        "reference": tenants.contract.reference,
        "title": "Managed IT",
        "customer": "Harbour Dental",
        "url": f"https://sla.example/contracts/{tenants.contract.reference}/",
    }
    assert data["version"] == version.number
    assert Delivery.objects.get(event=event).subscription == subscription


@pytest.mark.parametrize(("amended", "event_type"), [(False, "report.issued"), (True, "report.amended")])
def test_a_report_issued_or_amended(tenants, subscribe, issued_report, amended, event_type):
    subscribe("report.issued", "report.amended")
    compliance_signals.report_issued.send(sender=Report, report=issued_report, amended=amended)
    assert list(Event.objects.values_list("event_type", flat=True)) == [event_type]
    report = _event(event_type).payload["data"]["report"]
    assert (report["period"], report["revision"], report["issued_at"]) == (
        "2026-03",
        1,
        "2026-12-02T09:00:00Z",
    )
    assert report["url"].startswith("https://sla.example/")
    assert ("amendment_reason" in report) is amended


def test_a_credit_note_issued(tenants, subscribe, issued_report, django_capture_on_commit_callbacks):
    subscribe("credit_note.issued")
    with django_capture_on_commit_callbacks(execute=True):
        note = credit_notes.credit_note_create(report=issued_report, user=tenants.provider_admin)
    data = _event("credit_note.issued").payload["data"]
    assert data["credit_note"]["number"] == note.number
    assert data["credit_note"]["amount"] == "100.00" and data["credit_note"]["currency"] == "EUR"


def test_a_dispute_opened_and_resolved(tenants, subscribe, issued_report, django_capture_on_commit_callbacks):
    subscription = subscribe("dispute.opened", "dispute.resolved")
    with django_capture_on_commit_callbacks(execute=True):
        dispute = disputes.dispute_raise(
            report=issued_report,
            user=tenants.customer_admin,
            kind="exclusion",
            subject="OUT-99",
            reason="We never touched that server.",
            now=IN_WINDOW,
        )
    opened = _event("dispute.opened").payload["data"]["dispute"]
    assert (opened["subject"], opened["status"], opened["reason"]) == (
        "OUT-99",
        "open",
        "We never touched that server.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        disputes.dispute_answer(
            dispute=dispute, user=tenants.provider_admin, accept=False, answer="It was you."
        )
    resolved = _event("dispute.resolved").payload["data"]["dispute"]
    assert (resolved["status"], resolved["answer"]) == ("rejected", "It was you.")
    assert subscription.deliveries.count() == 2


def test_a_warning_before_a_breach(tenants, subscribe):
    subscribe("breach.warning")
    warning = BreachWarning.objects.create(
        contract=tenants.contract,
        period="2026-03",
        key="incident:INC-7:resolution:100",
        kind="incident",
        level_key="p1",
        level_name="P1 resolution",
        threshold="100",
        subject="INC-7",
        used="100.0",
        message="INC-7 has used its whole resolution target.",
    )
    compliance_signals.breach_warning.send(sender=BreachWarning, warning=warning)
    data = _event("breach.warning").payload["data"]
    assert (data["contract"]["reference"], data["incident"], data["threshold"], data["used_percent"]) == (
        tenants.contract.reference,
        "INC-7",
        "100",
        "100.0",
    )
    assert data["message"] == "INC-7 has used its whole resolution target."


def test_only_subscribers_of_the_type_and_of_the_provider_get_it(tenants, subscribe, issued_report):
    mine = subscribe("report.issued")
    subscribe("dispute.opened")  # another type
    theirs = subscribe("report.issued", organisation=tenants.outsider)
    compliance_signals.report_issued.send(sender=Report, report=issued_report, amended=False)
    assert list(Delivery.objects.values_list("subscription", flat=True)) == [mine.pk]
    assert not theirs.deliveries.exists()


def test_nobody_subscribed_records_nothing(tenants, issued_report):
    compliance_signals.report_issued.send(sender=Report, report=issued_report, amended=False)
    assert not Event.objects.exists()
