"""Writes on versions: drafts, deep copies, publishing; new contracts from existing ones."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from contracts.models import (
    AuditAction,
    Calendar,
    Clause,
    ClauseTemplate,
    Contract,
    CreditCap,
    CreditTier,
    HoursCommitment,
    MaintenanceWindow,
    Organisation,
    Parameter,
    Responsibility,
    Service,
    ServiceLevel,
    User,
    Version,
    VersionFrozen,
    VersionState,
)
from contracts.selectors.versions import version_findings, version_terms
from contracts.services.audit import audit_record
from contracts.services.clauses import clause_add_from_template
from contracts.services.contracts import contract_create
from contracts.services.drafts import ensure_draft
from contracts.texts.consistency import errors


def _clone(model: type[models.Model], rows: Iterable[models.Model], **overrides) -> dict[int, models.Model]:
    """Insert copies of ``rows`` with ``overrides`` applied; returns old pk → new row."""
    old_ids = []
    copies = []
    for row in rows:
        old_ids.append(row.pk)
        row.pk = None
        row._state.adding = True
        for name, value in overrides.items():
            setattr(row, name, value(row) if callable(value) else value)
        copies.append(row)
    model.objects.bulk_create(copies)
    return dict(zip(old_ids, copies, strict=True))


def _copy_terms(*, source: Version, target: Version) -> None:
    """Copy every term and clause of ``source`` into the empty ``target``, keeping references."""
    parameters = _clone(Parameter, Parameter.objects.filter(version=source), version=target)
    services = _clone(Service, Service.objects.filter(version=source), version=target)
    calendars = _clone(Calendar, Calendar.objects.filter(version=source), version=target)
    _clone(MaintenanceWindow, MaintenanceWindow.objects.filter(version=source), version=target)
    _clone(Responsibility, Responsibility.objects.filter(version=source), version=target)

    def new_id(mapping, old_id):
        return None if old_id is None else mapping[old_id].pk

    levels = _clone(
        ServiceLevel,
        ServiceLevel.objects.filter(version=source),
        version=target,
        target_id=lambda row: new_id(parameters, row.target_id),
        share_id=lambda row: new_id(parameters, row.share_id),
        service_id=lambda row: new_id(services, row.service_id),
        calendar_id=lambda row: new_id(calendars, row.calendar_id),
    )
    _clone(
        CreditTier,
        CreditTier.objects.filter(version=source),
        version=target,
        service_level_id=lambda row: new_id(levels, row.service_level_id),
    )
    _clone(CreditCap, CreditCap.objects.filter(version=source), version=target)
    _clone(HoursCommitment, HoursCommitment.objects.filter(version=source), version=target)
    _clone(Clause, Clause.objects.filter(version=source), version=target)


@transaction.atomic
def version_create_draft(
    *,
    contract: Contract,
    user: User | None,
    note: str = "",
    templates: Sequence[ClauseTemplate] = (),
) -> Version:
    """Start the next version of a contract as a draft.

    The first version starts empty, or with clauses copied from ``templates`` (the
    provider's library); later ones are a deep copy of the latest version: all terms and
    clauses. A contract has at most one draft: ValidationError when it has one already.
    """
    Contract.objects.select_for_update().filter(pk=contract.pk).first()
    existing = Version.objects.drafts().filter(contract=contract).first()
    if existing is not None:
        raise ValidationError(
            f"Version {existing.number} is still a draft: edit it, or publish it before starting another.",
            code="draft_exists",
        )
    latest = Version.objects.filter(contract=contract).order_by("-number").first()
    try:
        with transaction.atomic():
            version = Version.objects.create(
                contract=contract,
                number=(latest.number + 1) if latest else 1,
                note=note,
                created_by=user,
            )
    except IntegrityError as exc:
        raise ValidationError("Another draft was started at the same moment; reload the page.") from exc
    if latest is not None:
        _copy_terms(source=latest, target=version)
        audit_record(
            contract=contract,
            action=AuditAction.DRAFT_STARTED,
            actor=user,
            summary=f"Started draft version {version.number} from version {latest.number}",
            details={"version": version.number},
        )
    else:
        for template in templates:
            clause_add_from_template(version=version, template=template)
    return version


@transaction.atomic
def version_publish(*, version: Version, user: User | None) -> Version:
    """Freeze a draft version (before it goes for review or signature).

    Refused with a ValidationError listing them while the consistency checker reports
    errors; warnings do not stop it. From then on the version and its terms are read-only.
    """
    locked = Version.objects.select_for_update().get(pk=version.pk)
    if not locked.is_draft:
        raise VersionFrozen(f"Version {locked.number} is already published.")
    problems = errors(version_findings(version_terms(locked)))
    if problems:
        raise ValidationError([ValidationError(f.message, code=f.code) for f in problems])
    locked.state = VersionState.FROZEN
    locked.frozen_at = timezone.now()
    locked.frozen_by = user
    locked.save(update_fields=["state", "frozen_at", "frozen_by"])
    version.state, version.frozen_at, version.frozen_by = locked.state, locked.frozen_at, locked.frozen_by
    audit_record(
        contract=locked.contract,
        action=AuditAction.VERSION_PUBLISHED,
        actor=user,
        summary=f"Published version {locked.number}",
        details={"version": locked.number},
    )
    return locked


@transaction.atomic
def version_discard_draft(*, version: Version) -> None:
    """Delete a draft version with its terms and clauses; frozen versions stay forever."""
    ensure_draft(version)
    version.delete()


@transaction.atomic
def contract_create_from(
    *,
    source: Contract,
    customer: Organisation,
    title: str,
    user: User | None,
    start_date: date | None = None,
) -> Contract:
    """A new contract of the same provider for ``customer``, whose draft version 1 copies the
    latest version of ``source`` (terms and clauses). Fee, currency and time zone are copied
    too; the term starts ``start_date`` (default today)."""
    contract = contract_create(
        provider=source.provider,
        customer=customer,
        title=title,
        start_date=start_date or timezone.localdate(),
        created_by=user,
        currency=source.currency,
        monthly_fee=source.monthly_fee,
        time_zone=source.time_zone,
        auto_renew=source.auto_renew,
        reports_issued_automatically=source.reports_issued_automatically,
    )
    latest = Version.objects.filter(contract=source).order_by("-number").first()
    note = f"Copied from {source.reference} version {latest.number}." if latest else ""
    version = Version.objects.create(contract=contract, number=1, note=note, created_by=user)
    if latest is not None:
        _copy_terms(source=latest, target=version)
    return contract
