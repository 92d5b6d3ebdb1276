"""Contract files: export, parse, import (commands and service), signed-outside-portal imports."""

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from contracts import services
from contracts.contract_files.export import ContractFileInvalid, contract_file_text
from contracts.contract_files.parse import parse_contract_file
from contracts.models import (
    Clause,
    Contract,
    CreditTier,
    Organisation,
    Parameter,
    ServiceLevel,
    Version,
    VersionState,
)
from contracts.models.contract import ContractStatus
from contracts.selectors.versions import latest_version, version_findings, version_terms
from contracts.services.imports import PartyChoice, contract_import
from contracts.texts.consistency import errors
from tests import factories

EXAMPLE = Path(settings.BASE_DIR) / "examples" / "contract.yaml"
INTERNAL_EXAMPLE = Path(settings.BASE_DIR) / "examples" / "internal-sla.yaml"
COUNTED = (Organisation, Contract, Version, Parameter, ServiceLevel, CreditTier, Clause)


def counts() -> list[int]:
    return [model.objects.count() for model in COUNTED]


def export(contract: Contract) -> str:
    version = latest_version(contract)
    return contract_file_text(contract, version_terms(version) if version else None)


def import_text(text: str, *, create: bool = False, signed_on: date | None = None, user=None) -> Contract:
    choice = PartyChoice(Organisation.objects.all(), create_missing=create)
    return contract_import(
        document=parse_contract_file(text),
        provider=choice,
        customer=choice,
        user=user,
        file_name="contract.yaml",
        signed_on=signed_on,
    )


def problems_of(text: str) -> list[str]:
    with pytest.raises(ContractFileInvalid) as caught:
        import_text(text)
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def rich_version(tenants):
    """The factory's realistic draft plus unicode, multi-line texts and every optional part."""
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.parameter_set(
        version=version, name="notice_period", kind="text", value="drei Monate — “three months”"
    )
    services.parameter_set(version=version, name="signed_date", kind="date", value="2026-02-01")
    factories.maintenance_window_shown(
        version, weekday=6, start="02:30", duration_minutes=90, description="Patches ✓"
    )
    services.calendar_create(
        version=version,
        name="Bavarian office",
        hours={0: "08:00-12:00,13:00-17:00", 4: "08:00-12:00"},
        holiday_country="DE",
        holiday_subdivision="BY",
        extra_holidays=[("2026-12-24", "Company day"), "2026-12-31"],
    )
    services.clause_add(
        version=version,
        heading="Kündigung – notice",
        key="notice",
        legal_text=(
            "Either party may terminate with {{ notice_period }} notice from {{ signed_date }}.\n\n"
            "  - indented: «quoted»\n"
        ),
        plain_text="You can stop with {{ notice_period }} notice, from {{ signed_date }}.\r\nÜbrigens: ok",
    )
    return version


# ---------------------------------------------------------------- export and round trip


def test_export_import_export_is_byte_identical(tenants, rich_version):
    first = export(tenants.contract)
    copy = import_text(first)
    assert copy.reference != tenants.contract.reference
    assert export(copy) == first


def test_named_extra_holidays_keep_their_names_through_a_file(tenants, rich_version):
    text = export(tenants.contract)
    assert "- date: 2026-12-24\n" in text and "name: Company day" in text and "- 2026-12-31\n" in text
    copy = import_text(text)
    calendar = latest_version(copy).calendars.get(name="Bavarian office")
    assert [(h.day.isoformat(), h.name) for h in calendar.named_extra_holidays] == [
        ("2026-12-24", "Company day"),
        ("2026-12-31", ""),
    ]


def test_export_writes_multi_line_texts_as_literal_blocks_and_unicode_as_is(tenants, rich_version):
    text = export(tenants.contract)
    assert "    legal_text: |\n      Either party may terminate" in text
    assert "name: 24×7" in text and "drei Monate — “three months”" in text
    assert "\r" not in text
    assert "start: '02:30'" in text
    assert "monthly_fee: 1000.00" in text


def test_imported_values_keep_their_exact_types(tenants, rich_version):
    copy = import_text(export(tenants.contract))
    version = copy.versions.get()
    assert version.parameters.get(name="uptime_target").typed_value == Decimal("99.9")
    calendar = version.calendars.get(name="Bavarian office")
    assert (calendar.holiday_country, calendar.holiday_subdivision) == ("DE", "BY")
    assert calendar.hours == {"0": "08:00-12:00,13:00-17:00", "4": "08:00-12:00"}
    assert version.clauses.get(key="notice").plain_text.endswith("\nÜbrigens: ok")
    level = version.service_levels.get(key="response_p1")
    assert (level.target.name, level.share.name, level.calendar.name) == (
        "response_p1",
        "response_p1_share",
        "Business hours",
    )


def test_export_command_writes_the_latest_version(tenants, rich_version):
    services.version_publish(version=rich_version, user=None)
    draft = services.version_create_draft(contract=tenants.contract, user=None)
    services.parameter_set(version=draft, name="uptime_target", kind="percentage", value="99.95")
    out = StringIO()
    call_command("export_contract", tenants.contract.reference, stdout=out)
    assert "value: 99.95" in out.getvalue()
    assert out.getvalue() == export(tenants.contract)


def test_export_command_rejects_an_unknown_reference(db):
    with pytest.raises(CommandError, match="No contract"):
        call_command("export_contract", "SLA-1999-0001", stdout=StringIO())


# ---------------------------------------------------------------- the examples


@pytest.mark.parametrize("example", [EXAMPLE, INTERNAL_EXAMPLE], ids=["msp", "internal"])
def test_example_file_imports_cleanly_and_round_trips(db, example):
    out = StringIO()
    call_command("import_contract", str(example), "--create-parties", stdout=out)
    contract = Contract.objects.get()
    assert contract.reference in out.getvalue()
    version = contract.versions.get()
    assert version.state == VersionState.DRAFT and version.note == f"Imported from {example.name}."
    assert version_findings(version_terms(version)) == []
    assert export(contract) == example.read_text(encoding="utf-8")


def test_msp_example_holds_what_the_dental_group_agreed(db):
    call_command("import_contract", str(EXAMPLE), "--create-parties", stdout=StringIO())
    version = Version.objects.get()
    assert version.contract.provider.name == "Brightline Managed IT" and version.contract.provider.is_provider
    out_of_scope = set(version.services.filter(in_scope=False).values_list("name", flat=True))
    assert out_of_scope == {"Copier", "Practice-management system (DentalCloud)"}
    assert set(version.responsibilities.values_list("consequence", flat=True)) == {
        "indemnify",
        "exclude_from_sla",
        "pause_clock",
    }
    assert version.hours_commitment.hours_per_month == 20
    assert version.credit_cap.value == 50
    assert set(version.service_levels.values_list("priority", flat=True)) == {"", "P1", "P2", "P3"}


# ---------------------------------------------------------------- problems


BROKEN = """\
title: Broken
provider: Brightline Managed IT
monthly_fee: lots
customer: Harbour Dental
start_date: 2026-13-01
parameters:
  - name: uptime_target
    kind: percentage
    value: 120
services:
  - name: Email
    colour: blue
service_levels:
  - key: availability
    name: Availability
    metric: availability
    target: uptime
    calendar: 24x7
clauses:
  - heading: Scope
    legal_text: x
    plain_text: y
"""


def test_a_file_with_several_errors_lists_each_with_its_line_and_creates_nothing(tenants):
    before = counts()
    problems = problems_of(BROKEN)
    assert problems == [
        "line 3: monthly_fee: “lots” is not a number",
        "line 5: start_date: “2026-13-01” is not a date; write it as YYYY-MM-DD",
        "line 9: parameters[0].value: A percentage lies between 0 and 100, not 120",
        "line 12: services[0].colour: unknown key; expected one of: name, in_scope, out_of_scope_reason",
        "line 17: service_levels[0].target: no parameter named 'uptime'",
        "line 18: service_levels[0].calendar: no calendar named '24x7'",
    ]
    assert counts() == before


def test_the_import_command_prints_the_problems_and_exits_with_status_1(tenants, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    before, err = counts(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_contract", str(path), stdout=StringIO(), stderr=err)
    assert caught.value.returncode == 1
    assert "broken.yaml: line 17: service_levels[0].target: no parameter named 'uptime'" in err.getvalue()
    assert "nothing was imported" in str(caught.value)
    assert counts() == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: [unclosed\n", "line 2: not valid YAML"),
        ("- a list\n", "line 1: expected a mapping of keys to values"),
        ("", "line 1: the file is empty"),
        ("title: &t x\nprovider: *t\n", "line 2: not valid YAML: anchors and aliases"),
        ("title: x\ntitle: y\n", "line 2: title: given twice"),
        ("format: 2\ntitle: x\n", "line 1: format: this portal reads format 1, not 2"),
    ],
)
def test_malformed_files_are_reported_with_a_line(db, text, expected):
    problems = problems_of(text)
    assert any(p.startswith(expected) for p in problems), problems


def test_missing_keys_and_bad_references_are_reported(db):
    text = "title: T\nprovider: P\ncustomer: P\nstart_date: 2026-01-01\nclauses:\n  - key: a\n"
    problems = problems_of(text)
    assert "line 3: customer: the customer must be another organisation than the provider" in problems
    assert "line 6: clauses[0].heading: missing" in problems


def test_duplicate_names_and_reserved_parameter_names_are_refused(db):
    text = (
        "title: T\nprovider: P\ncustomer: C\nstart_date: 2026-01-01\nparameters:\n"
        "  - {name: credit_table, kind: integer, value: 1}\n"
        "  - {name: a, kind: integer, value: 1}\n"
        "  - {name: a, kind: integer, value: 2}\n"
    )
    problems = problems_of(text)
    assert any(p.startswith("line 6: parameters[0].name: “credit_table” is reserved") for p in problems)
    assert "line 8: parameters[2].name: another parameter is also “a”" in problems


def test_yaml_type_guesses_do_not_apply(db):
    text = (
        "title: 2026\nprovider: P\ncustomer: C\nstart_date: 2026-01-01\nmonthly_fee: 0.10\n"
        "calendars:\n  - name: Oslo\n    around_the_clock: yes\n    holiday_country: NO\n"
        "parameters:\n  - {name: uptime, kind: percentage, value: 99.90}\n"
    )
    document = parse_contract_file(text)
    assert document.title == "2026"
    assert document.monthly_fee == Decimal("0.10")
    assert document.calendars[0].holiday_country == "NO" and document.calendars[0].around_the_clock
    assert document.parameters[0].value == "99.90"


# ---------------------------------------------------------------- parties


def test_missing_parties_are_reported_unless_created(db, tmp_path):
    path = tmp_path / "contract.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_contract", str(path), stdout=StringIO(), stderr=err)
    assert "line 4: provider: no organisation named 'Brightline Managed IT'" in err.getvalue()
    assert "line 5: customer: no organisation named 'Harbour Dental Group'" in err.getvalue()
    assert counts() == [0] * len(COUNTED)

    call_command("import_contract", str(path), "--create-parties", stdout=StringIO())
    provider = Organisation.objects.get(name="Brightline Managed IT")
    customer = Organisation.objects.get(name="Harbour Dental Group")
    assert provider.is_provider and not customer.is_provider
    # A second import finds the organisations created by the first.
    call_command("import_contract", str(path), stdout=StringIO())
    assert Organisation.objects.count() == 2 and Contract.objects.count() == 2


def test_parties_are_found_only_among_the_given_organisations(tenants):
    text = EXAMPLE.read_text(encoding="utf-8").replace("Harbour Dental Group", "Outsider Customer")
    before = counts()
    with pytest.raises(ContractFileInvalid, match="no organisation named 'Outsider Customer'"):
        contract_import(
            document=parse_contract_file(text),
            provider=PartyChoice(Organisation.objects.filter(pk=tenants.provider.pk)),
            customer=PartyChoice(Organisation.objects.filter(pk=tenants.customer.pk)),
            user=None,
        )
    assert counts() == before


def test_same_named_organisations_are_ambiguous(db):
    factories.organisation("Brightline Managed IT", is_provider=True)
    factories.organisation("Brightline Managed IT", is_provider=True)
    factories.organisation("Harbour Dental Group")
    problems = problems_of(EXAMPLE.read_text(encoding="utf-8"))
    assert problems == ["line 4: provider: more than one organisation is named 'Brightline Managed IT'"]


# ---------------------------------------------------------------- signed outside the portal


def test_signed_outside_portal_import_is_frozen_in_force_and_marked(db, tmp_path):
    out = StringIO()
    call_command(
        "import_contract",
        str(EXAMPLE),
        "--create-parties",
        "--signed-outside-portal",
        "--signed-on",
        "2025-12-15",
        stdout=out,
    )
    contract = Contract.objects.get()
    version = contract.versions.get()
    assert contract.status == ContractStatus.ACTIVE
    assert version.state == VersionState.FROZEN and version.frozen_at is not None
    assert version.signed_outside_portal and version.in_force_from == date(2025, 12, 15)
    assert version.note == "Signed outside the portal on 2025-12-15, imported from contract.yaml."
    assert "signed outside the portal on 2025-12-15" in out.getvalue()


def test_signed_import_is_refused_while_the_checker_reports_errors(tenants):
    text = EXAMPLE.read_text(encoding="utf-8").replace("{{ responsibilities_list }}", "See annex.")
    text = text.replace("{{ responsibility_risky_behaviour }}", "Behave.")
    text = text.replace("Brightline Managed IT", tenants.provider.name).replace(
        "Harbour Dental Group", tenants.customer.name
    )
    before = counts()
    with pytest.raises(ContractFileInvalid) as caught:
        import_text(text, signed_on=date(2026, 1, 1))
    messages = [str(p) for p in caught.value.problems]
    assert any(
        m.startswith("line ")
        and "responsibilities[2]: cannot be signed as it is" in m
        and "risky_behaviour" in m
        for m in messages
    ), messages
    assert counts() == before
    # As a draft it imports: the findings are for the author to fix.
    draft = import_text(text).versions.get()
    assert errors(version_findings(version_terms(draft)))


def test_signed_on_and_the_flag_go_together(db):
    with pytest.raises(CommandError, match="together"):
        call_command("import_contract", str(EXAMPLE), "--signed-on", "2026-01-01", stdout=StringIO())
