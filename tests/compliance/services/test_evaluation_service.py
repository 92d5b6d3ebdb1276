"""evaluation_run: inputs from the database, stored revisions, constant queries."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance import services
from compliance.models import Evaluation
from compliance.selectors.evaluation_inputs import choose_version, evaluation_inputs_for
from compliance.services.evaluations import evaluation_run, evaluations_run
from contracts import services as contract_services
from tests import factories
from tests.compliance.compliance_fixtures import PERIOD, outage_row, published_contract, record_month

pytestmark = pytest.mark.django_db
LATER = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def contract(tenants):
    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author)
    return contract


def test_run_stores_the_figures_of_an_ended_period(contract):
    run = evaluation_run(contract=contract, period=PERIOD, now=LATER)
    assert run.created and run.stored
    stored = Evaluation.objects.get(contract=contract, period=PERIOD)
    assert (stored.revision, stored.version.number) == (1, 1)
    figures = stored.figures
    availability, response = figures["service_levels"]
    assert (availability["key"], availability["met"], availability["achieved_display"]) == (
        "availability",
        False,
        "99.8",
    )
    assert availability["error_budget"]["allowed_minutes"] == "44.58"
    assert availability["error_budget"]["used_minutes"] == "60.00"
    (excluded,) = availability["excluded_events"]
    assert excluded["external_id"] == "OUT-99"
    assert excluded["clause"] == {"number": 3, "heading": "Customer responsibilities"}
    # 30 minutes less the 5-minute pause: within the 60-minute target.
    assert (response["met"], response["within"], response["counted"]) == (True, 1, 1)
    assert figures["credits"]["lines"][0]["amount"] == "100.00"
    assert (figures["credits"]["capped_total"], figures["credits"]["cap"]) == ("100.00", "500.00")
    bank = figures["hours_bank"]
    # January and February had no work: 20 h owed each, the January lot still open.
    assert (bank["committed"], bank["delivered"], bank["brought_forward"], bank["carried_on"]) == (
        "20.00",
        "8.00",
        "-40.00",
        "-52.00",
    )


def test_rerun_with_unchanged_inputs_keeps_the_revision(contract):
    first = evaluation_run(contract=contract, period=PERIOD, now=LATER)
    again = evaluation_run(contract=contract, period=PERIOD, now=datetime(2026, 7, 1, tzinfo=UTC))
    assert not again.created
    assert again.evaluation.pk == first.evaluation.pk


def test_changed_inputs_make_a_new_revision_and_keep_the_old(contract, tenants):
    evaluation_run(contract=contract, period=PERIOD, now=LATER)
    services.events_upsert(
        kind="outages", contract=contract, user=tenants.provider_author, rows=[outage_row(5)]
    )
    run = evaluation_run(contract=contract, period=PERIOD, now=LATER)
    assert run.created and run.evaluation.revision == 2
    revisions = list(Evaluation.objects.filter(contract=contract).values_list("revision", flat=True))
    assert sorted(revisions) == [1, 2]
    assert run.figures["service_levels"][0]["error_budget"]["used_minutes"] == "120.00"


def test_running_period_is_computed_but_not_stored(contract):
    run = evaluation_run(contract=contract, period=PERIOD, now=datetime(2026, 3, 15, tzinfo=UTC))
    assert not run.stored and run.evaluation.pk is None
    assert run.figures["final"] is False
    assert not Evaluation.objects.exists()


def test_bad_period_is_refused(contract):
    with pytest.raises(ValidationError):
        evaluation_run(contract=contract, period="2026-13")


def test_contract_without_version_is_refused(tenants):
    with pytest.raises(ValidationError):
        evaluation_run(contract=tenants.outsider_contract, period=PERIOD)


def test_signed_document_hash_is_recorded(contract):
    version = contract.versions.get()
    version.document_sha256 = "a" * 64
    version.save(update_fields=["document_sha256"])
    run = evaluation_run(contract=contract, period=PERIOD, now=LATER)
    assert run.evaluation.document_sha256 == "a" * 64
    assert run.figures["document_sha256"] == "a" * 64


def test_version_in_force_at_period_end_is_chosen(contract, tenants):
    first = contract.versions.get()
    draft = contract_services.version_create_draft(contract=contract, user=tenants.provider_author)
    assert choose_version([first, draft], (2026, 3)) == first
    first.in_force_from = datetime(2026, 4, 1).date()
    first.save(update_fields=["in_force_from"])
    assert choose_version([first, draft], (2026, 3)) == first
    assert choose_version([draft], (2026, 3)) == draft


def _queries(contracts):
    with CaptureQueriesContext(connection) as captured:
        evaluation_inputs_for(contracts, (2026, 3), now=LATER)
    return len(captured)


def test_inputs_load_in_constant_queries(tenants):
    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author, outages=1, incidents=1)
    few = _queries([contract])
    record_month(contract, tenants.provider_author, outages=30, incidents=30)
    other = factories.contract(tenants.provider, tenants.customer)
    factories.version_with_terms(other)
    record_month(other, tenants.provider_author, outages=5, incidents=5)
    assert _queries([contract, other]) == few <= 11


def test_many_contracts_evaluated_at_once(tenants):
    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author)
    other = factories.contract(tenants.provider, tenants.customer)
    factories.version_with_terms(other)
    runs = evaluations_run(contracts=[contract, other], period=PERIOD, now=LATER)
    assert {run.evaluation.figures["contract"] for run in runs.values()} == {
        contract.reference,
        other.reference,
    }
    assert Evaluation.objects.count() == 2
