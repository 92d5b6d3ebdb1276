"""The demo's contract content: starter libraries and versions, created once."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from contracts.library.starter import STARTER_CLAUSES
from contracts.models import (
    Clause,
    ClauseCategory,
    ClauseTemplate,
    Contract,
    CreditTier,
    Organisation,
    Parameter,
    ServiceLevel,
    Version,
    VersionState,
)
from contracts.models.contract import ContractStatus
from contracts.selectors.versions import version_findings, version_parameter_display, version_terms
from contracts.texts.consistency import errors
from contracts.texts.redline import changed_terms

MODELS = (
    Organisation,
    Contract,
    Version,
    Parameter,
    ServiceLevel,
    CreditTier,
    Clause,
    ClauseTemplate,
    ClauseCategory,
)


@pytest.fixture
def seeded(db, capsys):
    call_command("seed_demo")
    capsys.readouterr()


def test_seed_demo_twice_creates_nothing_new(seeded, capsys):
    counts = {m.__name__: m.objects.count() for m in MODELS}
    call_command("seed_demo")
    assert {m.__name__: m.objects.count() for m in MODELS} == counts
    assert counts["Version"] == 5


def test_every_provider_gets_the_starter_library(seeded):
    keys = {clause.key for clause in STARTER_CLAUSES}
    for slug in ("brightline", "acme-it"):
        library = ClauseTemplate.objects.filter(owner__slug=slug)
        assert set(library.values_list("key", flat=True)) == keys
        assert all(t.legal_text and t.plain_text and t.category_id for t in library)


def test_active_contracts_have_a_frozen_version_in_force_and_the_draft_contract_a_draft(seeded):
    for contract in Contract.objects.all():
        first = contract.versions.get(number=1)
        if contract.status == ContractStatus.ACTIVE:
            assert first.state == VersionState.FROZEN and first.signed_outside_portal
            assert first.in_force_from is not None
        else:
            assert first.state == VersionState.DRAFT
        for version in contract.versions.all():
            assert errors(version_findings(version_terms(version))) == [], version


def test_harbour_dental_has_a_draft_raising_the_uptime_target(seeded):
    contract = Contract.objects.get(customer__slug="harbour-dental")
    v1, v2 = (version_terms(v) for v in contract.versions.order_by("number"))
    assert v2.version.state == VersionState.DRAFT
    assert v2.parameters_by_name["uptime_target"].typed_value == Decimal("99.95")
    changed = changed_terms(version_parameter_display(v1), version_parameter_display(v2))
    assert changed, "the redline has a changed term to show"
    assert "imported from contract.yaml" in v1.version.note


def test_internal_sla_uses_the_internal_clause_variant(seeded):
    contract = Contract.objects.get(provider__slug="acme-it")
    clauses = list(contract.versions.get().clauses.values_list("key", "template__owner__slug"))
    assert clauses[0] == ("internal-sla", "acme-it")
    assert "parties" not in {key for key, _ in clauses}
    assert contract.versions.get().credit_tiers.filter(kind="hours").exists()
