"""Agreement templates: a contract started from a starter template is ready to send, and a
contract saved as a template starts the next one with the same clauses and terms."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contracts.contract_files.export import ContractFileInvalid
from contracts.contract_files.starter_agreements import STARTER_AGREEMENTS, starter_agreement
from contracts.models import AgreementTemplate, Contract
from contracts.selectors.versions import latest_version, version_findings, version_terms
from contracts.services.agreement_templates import agreement_template_save
from contracts.services.contract_start import AgreementChoice, contract_start
from contracts.texts.consistency import errors


def start(tenants, agreement: AgreementChoice, **changes):
    arguments = {
        "user": tenants.provider_author,
        "provider": tenants.provider,
        "customer": tenants.customer,
        "title": "",
        "start_date": date(2027, 1, 1),
        "currency": "EUR",
        "monthly_fee": Decimal("2500.00"),
        "time_zone": "Europe/Amsterdam",
        "agreement": agreement,
    }
    return contract_start(**{**arguments, **changes})


@pytest.mark.parametrize("starter", STARTER_AGREEMENTS, ids=lambda a: a.key)
def test_a_contract_from_each_starter_template_has_no_consistency_error(tenants, starter):
    contract = start(tenants, AgreementChoice(starter.name, starter.text))
    version = latest_version(contract)
    assert version.is_draft
    assert [f.message for f in errors(version_findings(version_terms(version)))] == []
    # The contract's own values are the ones given; the title the template's.
    assert (contract.customer, contract.monthly_fee, contract.start_date) == (
        tenants.customer,
        Decimal("2500.00"),
        date(2027, 1, 1),
    )
    assert contract.title and contract.title != "The provider"
    assert version.service_levels.exists() and version.clauses.count() >= 7


def test_clauses_keep_the_templates_order(tenants):
    starter = starter_agreement("hosting-availability")
    version = latest_version(start(tenants, AgreementChoice(starter.name, starter.text)))
    keys = list(version.clauses.order_by("position").values_list("key", flat=True))
    assert keys[:3] == ["parties", "scope", "availability"]
    assert keys[-1] == "term-termination"


def test_a_saved_template_starts_the_next_contract_with_the_same_terms(tenants):
    starter = starter_agreement("managed-it-support")
    first = start(tenants, AgreementChoice(starter.name, starter.text), title="Managed IT for Harbour")
    template = agreement_template_save(
        contract=first, user=tenants.provider_author, name="Our managed IT", description="Clinics"
    )
    assert template.owner == tenants.provider
    second = start(tenants, AgreementChoice(template.name, template.document), title="Second")
    terms = {
        contract.pk: sorted(latest_version(contract).parameters.values_list("name", "value"))
        for contract in (first, second)
    }
    assert terms[first.pk] == terms[second.pk]
    assert second.title == "Second"


def test_a_template_name_is_unique_per_provider(tenants):
    starter = starter_agreement("internal-sla")
    contract = start(tenants, AgreementChoice(starter.name, starter.text))
    agreement_template_save(contract=contract, user=tenants.provider_author, name="Internal")
    with pytest.raises(ValidationError, match="already has a template named"):
        agreement_template_save(contract=contract, user=tenants.provider_author, name=" Internal ")
    assert AgreementTemplate.objects.count() == 1


def test_a_broken_template_creates_nothing(tenants):
    before = Contract.objects.count()
    with pytest.raises(ContractFileInvalid):
        start(tenants, AgreementChoice("Broken", "format: 1\ntitle: x\nprovider: a\n"))
    assert Contract.objects.count() == before
