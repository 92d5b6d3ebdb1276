"""Versions: drafts, deep copies, freezing, publishing, selectors."""

from datetime import date, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from compliance.selectors.contract_terms import business_calendar, credit_tiers
from contracts import services
from contracts.models import (
    Calendar,
    Clause,
    CreditCap,
    CreditTier,
    HoursCommitment,
    MaintenanceWindow,
    Parameter,
    Responsibility,
    Service,
    ServiceLevel,
    Version,
    VersionFrozen,
)
from contracts.selectors.versions import (
    draft_version,
    latest_version,
    version_findings,
    version_for_author,
    version_for_user,
    version_parameter_display,
    version_rendered_clauses,
    version_terms,
)
from tests import factories

PART_MODELS = [
    Parameter,
    Service,
    Calendar,
    MaintenanceWindow,
    ServiceLevel,
    CreditTier,
    CreditCap,
    HoursCommitment,
    Responsibility,
    Clause,
]


@pytest.fixture
def draft(tenants):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    factories.maintenance_window_shown(version, weekday=6, start=time(2), duration_minutes=120)
    return version


@pytest.fixture
def frozen(draft, tenants):
    return services.version_publish(version=draft, user=tenants.provider_admin)


# ---------------------------------------------------------------- drafts


def test_first_draft_is_version_one_and_empty(tenants):
    version = services.version_create_draft(contract=tenants.contract, user=tenants.provider_author)
    assert (version.number, version.is_draft) == (1, True)
    assert version_terms(version).clauses == []
    assert draft_version(tenants.contract) == version


def test_second_draft_is_refused(draft, tenants):
    with pytest.raises(ValidationError, match="still a draft"):
        services.version_create_draft(contract=tenants.contract, user=None)


def test_database_refuses_second_draft_row(draft, tenants):
    with pytest.raises(IntegrityError), transaction.atomic():
        Version.objects.create(contract=tenants.contract, number=2)


def test_new_draft_deep_copies_every_term_and_clause(frozen, tenants):
    copy = services.version_create_draft(contract=tenants.contract, user=None, note="Raise target")
    assert copy.number == 2
    for model in PART_MODELS:
        assert model.objects.filter(version=copy).count() == model.objects.filter(version=frozen).count() > 0
    level = ServiceLevel.objects.get(version=copy, key="response_p1")
    assert {level.target.version_id, level.share.version_id, level.calendar.version_id} == {copy.pk}
    tier = CreditTier.objects.filter(version=copy).first()
    assert tier.service_level.version_id == copy.pk
    old_terms, new_terms = version_terms(frozen), version_terms(copy)
    assert version_parameter_display(old_terms) == version_parameter_display(new_terms)
    assert [(c.key, c.legal_text) for c in old_terms.clauses] == [
        (c.key, c.legal_text) for c in new_terms.clauses
    ]


def test_changing_the_copy_leaves_the_old_version_intact(frozen, tenants):
    copy = services.version_create_draft(contract=tenants.contract, user=None)
    services.parameter_set(version=copy, name="uptime_target", kind="percentage", value="99.95")
    clause = Clause.objects.get(version=copy, key="scope")
    services.clause_update(clause=clause, data={"heading": "What we look after"})
    services.clause_delete(clause=Clause.objects.get(version=copy, key="customer-responsibilities"))
    assert Parameter.objects.get(version=frozen, name="uptime_target").value == "99.9"
    assert list(Clause.objects.filter(version=frozen).values_list("heading", flat=True)) == [
        "Scope",
        "Service levels and credits",
        "Customer responsibilities",
    ]


def test_latest_version_is_the_highest_number(frozen, tenants):
    copy = services.version_create_draft(contract=tenants.contract, user=None)
    assert latest_version(tenants.contract) == copy
    assert latest_version(tenants.outsider_contract) is None


def test_discard_draft_deletes_it_with_its_terms(draft):
    services.version_discard_draft(version=draft)
    assert not Parameter.objects.filter(version_id=draft.pk).exists()


# ---------------------------------------------------------------- frozen versions refuse changes


def test_frozen_version_refuses_save_and_delete(frozen):
    frozen.note = "sneaky"
    with pytest.raises(VersionFrozen):
        frozen.save()
    with pytest.raises(VersionFrozen):
        frozen.delete()
    with pytest.raises(VersionFrozen):
        Version.objects.filter(pk=frozen.pk).update(note="sneaky")
    with pytest.raises(VersionFrozen):
        Version.objects.filter(pk=frozen.pk).delete()
    with pytest.raises(VersionFrozen):
        services.version_discard_draft(version=frozen)
    assert Version.objects.get(pk=frozen.pk).note == "First draft"


def test_frozen_version_takes_signing_fields_once(frozen):
    frozen.document_sha256 = "a" * 64
    frozen.in_force_from = date(2026, 2, 1)
    frozen.save(update_fields=["document_sha256", "in_force_from"])
    frozen.document_sha256 = "b" * 64
    with pytest.raises(VersionFrozen, match="once"):
        frozen.save(update_fields=["document_sha256"])


@pytest.mark.parametrize("model", PART_MODELS, ids=lambda m: m.__name__)
def test_frozen_term_rows_refuse_every_write(frozen, model):
    rows = model.objects.filter(version=frozen)
    row = rows.first()
    with pytest.raises(VersionFrozen):
        row.save()
    with pytest.raises(VersionFrozen):
        row.delete()
    with pytest.raises(VersionFrozen):
        rows.update(version=frozen)
    with pytest.raises(VersionFrozen):
        rows.delete()
    with pytest.raises(VersionFrozen):
        model.objects.bulk_update([row], ["version"])
    row.pk = None
    with pytest.raises(VersionFrozen):
        model.objects.bulk_create([row])
    assert model.objects.filter(version=frozen).count() == rows.count()


def test_term_row_cannot_move_into_a_frozen_version(frozen, tenants):
    draft = services.version_create_draft(contract=tenants.contract, user=None)
    with pytest.raises(VersionFrozen):
        Service.objects.filter(version=draft).update(version=frozen)
    service = Service.objects.filter(version=draft).first()
    service.version = frozen
    with pytest.raises(VersionFrozen):
        service.save()


@pytest.mark.parametrize(
    "write",
    [
        lambda v: services.parameter_set(version=v, name="x", kind="text", value="y"),
        lambda v: services.service_create(version=v, name="Printer"),
        lambda v: services.calendar_create(version=v, name="Always", around_the_clock=True),
        lambda v: services.maintenance_window_create(version=v, weekday=0, start=time(1), duration_minutes=5),
        lambda v: services.credit_cap_set(version=v, kind="amount", value="1"),
        lambda v: services.hours_commitment_set(version=v, hours_per_month=1, deficit_carry_months=0),
        lambda v: services.responsibility_create(
            version=v,
            key="access",
            duty="Give access",
            category="access_cooperation",
            consequence="pause_clock",
        ),
        lambda v: services.clause_add(version=v, heading="H", legal_text="", plain_text=""),
        lambda v: services.clause_move_to(clause=v.clauses.last(), position=1),
        lambda v: services.credit_tiers_set(service_level=v.service_levels.first(), tiers=[]),
        lambda v: services.service_update(service=v.services.first(), data={"name": "Mail"}),
    ],
)
def test_services_refuse_on_a_frozen_version(frozen, write):
    with pytest.raises(ValidationError, match="frozen"):
        write(frozen)


# ---------------------------------------------------------------- publishing


def test_publish_freezes_with_only_warnings(draft, tenants):
    findings = version_findings(version_terms(draft))
    assert [f.code for f in findings] == ["service_level_without_credits"]
    version = services.version_publish(version=draft, user=tenants.provider_admin)
    assert version.is_frozen and version.frozen_by == tenants.provider_admin and version.frozen_at
    assert draft.is_frozen


def test_publish_is_refused_while_the_checker_reports_errors(draft):
    services.clause_add(
        version=draft, heading="Broken", legal_text="{{ nonsense }}", plain_text="{% load evil %}"
    )
    with pytest.raises(ValidationError) as raised:
        services.version_publish(version=draft, user=None)
    assert {e.code for e in raised.value.error_list} == {"unknown_placeholder", "invalid_placeholder"}
    assert Version.objects.get(pk=draft.pk).is_draft


def test_publish_twice_is_refused(frozen):
    with pytest.raises(ValidationError, match="already published"):
        services.version_publish(version=frozen, user=None)


# ---------------------------------------------------------------- selectors


def test_version_for_user_answers_404_to_another_tenant(frozen, tenants):
    reference = tenants.contract.reference
    assert version_for_user(tenants.customer_signer, reference, 1) == frozen
    with pytest.raises(Http404):
        version_for_user(tenants.outsider_admin, reference, 1)
    with pytest.raises(Http404):
        version_for_user(tenants.provider_viewer, reference, 2)
    with pytest.raises(Http404):
        version_for_author(tenants.customer_admin, reference, 1)
    assert version_for_author(tenants.provider_author, reference, 1) == frozen


def _grow(version, count: int) -> None:
    target = Parameter.objects.get(version=version, name="uptime_target")
    calendar = Calendar.objects.get(version=version, name="24×7")
    for n in range(count):
        level = services.service_level_create(
            version=version,
            key=f"extra_{n}",
            name=f"Extra {n}",
            metric="availability",
            target=target,
            calendar=calendar,
        )
        services.credit_tier_create(service_level=level, below="99", value="5")
        services.clause_add(
            version=version, heading=f"Extra {n}", legal_text="{{ uptime_target }}", plain_text="x"
        )


def _queries_to_load(version) -> int:
    with CaptureQueriesContext(connection) as queries:
        terms = version_terms(version)
        version_findings(terms)
        version_rendered_clauses(terms)
        for level in terms.service_levels:
            credit_tiers(level, terms.tiers_of(level))
            if level.calendar_id:
                business_calendar(level.calendar, ZoneInfo(terms.contract.time_zone), [2026])
    return len(queries)


def test_version_terms_loads_in_a_constant_number_of_queries(tenants):
    small = factories.version_with_terms(tenants.contract)
    _grow(small, 1)
    other = factories.contract(tenants.provider, tenants.customer)
    large = factories.version_with_terms(other)
    _grow(large, 28)
    assert len(version_terms(large).clauses) == 31
    assert _queries_to_load(small) == _queries_to_load(large) <= 10


# ---------------------------------------------------------------- new contracts from old ones


def test_contract_create_from_copies_the_latest_version(frozen, tenants):
    copy_of = services.version_create_draft(contract=tenants.contract, user=None)
    services.parameter_set(version=copy_of, name="uptime_target", kind="percentage", value="99.5")
    customer = factories.organisation("Second Dental")
    contract = services.contract_create_from(
        source=tenants.contract, customer=customer, title="Managed IT 2", user=tenants.provider_author
    )
    assert (contract.provider, contract.customer, contract.monthly_fee) == (
        tenants.provider,
        customer,
        Decimal("1000.00"),
    )
    version = latest_version(contract)
    assert (version.number, version.is_draft) == (1, True)
    terms = version_terms(version)
    assert terms.parameters_by_name["uptime_target"].value == "99.5"
    assert len(terms.clauses) == 3 and len(terms.service_levels) == 2
    assert terms.hours_commitment.deficit_carry_months == 3
    assert {level.target.version_id for level in terms.service_levels} == {version.pk}


def test_admin_shows_frozen_rows_read_only(draft, tenants, rf):
    from django.contrib import admin

    request = rf.get("/")
    request.user = factories.user(is_staff=True, is_superuser=True)
    version_admin, parameter_admin = admin.site._registry[Version], admin.site._registry[Parameter]
    parameter = draft.parameters.first()
    assert version_admin.has_change_permission(request, draft)
    assert parameter_admin.has_delete_permission(request, parameter)
    services.version_publish(version=draft, user=None)
    draft.refresh_from_db()
    parameter = Parameter.objects.select_related("version").get(pk=parameter.pk)
    assert not version_admin.has_change_permission(request, draft)
    assert not parameter_admin.has_change_permission(request, parameter)
    assert not parameter_admin.has_delete_permission(request, parameter)


def test_admin_post_cannot_change_a_frozen_parameter(frozen, client):
    operator = factories.user(is_staff=True, is_superuser=True)
    client.force_login(operator)
    parameter = frozen.parameters.get(name="uptime_target")
    url = f"/admin/contracts/parameter/{parameter.pk}/change/"
    assert "99.9" in client.get(url).content.decode()  # readable
    response = client.post(
        url, {"name": "uptime_target", "kind": "percentage", "value": "50", "version": frozen.pk}
    )
    assert response.status_code == 403
    delete = client.post(f"/admin/contracts/parameter/{parameter.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    parameter.refresh_from_db()
    assert parameter.value == "99.9"
