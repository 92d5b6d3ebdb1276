"""The demo's events and reports: every page has something to show, and seeding again
writes nothing twice."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from compliance.management.demo import seed_demo_events, seed_demo_reports
from compliance.models import CreditNote, Delivery, Evaluation, Incident, Outage, Report, WorkLog
from compliance.services.evaluations import evaluations_run
from contracts.models import Contract
from contracts.models.contract import ContractStatus
from tests.compliance.report_support import (
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)

NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
EVENT_MODELS = (Incident, Outage, WorkLog)


@pytest.fixture
def demo(db, capsys):
    call_command("seed_demo")  # the contracts; the command's own events use today's date
    for model in EVENT_MODELS:
        model.objects.all().delete()
    capsys.readouterr()
    return list(Contract.objects.filter(status=ContractStatus.ACTIVE).order_by("reference"))


def test_every_active_contract_gets_events_in_every_month_of_its_term(demo):
    assert seed_demo_events(now=NOW) > 0
    for contract in demo:
        months = {i.opened_at.strftime("%Y-%m") for i in Incident.objects.filter(contract=contract)}
        first = contract.start_date.month
        assert months == {f"2026-{m:02d}" for m in range(first, 12)}, contract.reference
        assert Outage.objects.filter(contract=contract, planned=True).exists()
        assert Outage.objects.filter(contract=contract, planned=False).exists()
        assert WorkLog.objects.filter(contract=contract).exists()
        causes = set(Incident.objects.filter(contract=contract).values_list("cause", flat=True))
        assert {"provider", "third_party"} <= causes  # and some excluded ones, below
    assert Incident.objects.filter(cause="out_of_scope").exists()
    assert Incident.objects.filter(cause="customer", responsibility="risky_behaviour").exists()
    # Nothing in the future: the current month is recorded up to now.
    assert not Incident.objects.filter(opened_at__gte=NOW).exists()
    assert not Incident.objects.filter(resolved_at__gte=NOW).exists()
    assert not Outage.objects.filter(end__gte=NOW).exists()


def _incidents() -> dict:
    return {i.external_id: (i.opened_at, i.first_response_at, i.resolved_at) for i in Incident.objects.all()}


def test_seeding_again_writes_only_what_has_happened_since(demo):
    seed_demo_events(now=NOW)
    counts = [model.objects.count() for model in EVENT_MODELS]
    before = _incidents()
    assert seed_demo_events(now=NOW) == 0
    assert [model.objects.count() for model in EVENT_MODELS] == counts

    assert seed_demo_events(now=datetime(2026, 11, 28, 12, 0, tzinfo=UTC)) > 0
    after = _incidents()
    assert len(after) > len(before)
    # Events already recorded are left as they were (an open incident stays open).
    assert {key: after[key] for key in before} == before


def test_the_demo_year_has_missed_targets_and_credits(demo):
    seed_demo_events(now=NOW)
    credits, missed = Decimal(0), 0
    for month in range(1, 11):
        for run in evaluations_run(contracts=demo, period=f"2026-{month:02d}", now=NOW).values():
            credits += Decimal(run.figures["credits"]["capped_total"])
            missed += sum(1 for level in run.figures["service_levels"] if level["met"] is False)
    assert missed > 0 and credits > 0


@pytest.mark.long
@pytest.mark.django_db(transaction=True)
def test_the_last_month_has_its_reports_made_once(report_settings, django_capture_on_commit_callbacks):
    call_command("seed_demo")
    CreditNote.objects.all().delete()  # issued months that owe credits have their credit notes
    Report.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        made = seed_demo_reports(now=NOW)
    active = Contract.objects.filter(status=ContractStatus.ACTIVE).count()
    assert made == active
    assert set(Report.objects.values_list("period", flat=True)) == {"2026-10"}
    # The months before are stored too, for the reports' trend charts.
    assert Evaluation.objects.filter(period="2026-09").count() == active
    assert Report.objects.count() == active
    sent = Delivery.objects.count()
    assert sent > 0
    assert seed_demo_reports(now=NOW) == 0
    assert Report.objects.count() == active and Delivery.objects.count() == sent
