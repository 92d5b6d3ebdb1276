"""Importing contract files: a parsed :class:`ContractDocument` → a new contract and version.

Everything goes through the same services the editor uses, in one transaction: when any
part is refused, every problem is collected with the line it was written on and nothing is
kept (:class:`ContractFileInvalid`). Parties are found by name among the organisations the
caller may use, so that an import never reaches into another tenant's organisations.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify

from contracts.contract_files.export import ContractDocument, ContractFileInvalid, Item, Problem
from contracts.models import AuditAction, Contract, Organisation, User, Version
from contracts.models.contract import ContractStatus
from contracts.selectors.versions import version_findings, version_terms
from contracts.services.audit import audit_record
from contracts.services.clauses import clause_add
from contracts.services.contracts import contract_create
from contracts.services.parties import organisation_create
from contracts.services.terms import (
    calendar_create,
    credit_cap_set,
    credit_tiers_set,
    hours_commitment_set,
    maintenance_window_create,
    parameter_set,
    responsibility_create,
    service_create,
    service_level_create,
)
from contracts.services.versions import version_create_draft, version_publish
from contracts.texts.consistency import errors


@dataclass(frozen=True)
class PartyChoice:
    """Where to look for one party by name, and whether to create it when it is missing."""

    candidates: QuerySet[Organisation]
    create_missing: bool = False
    #: Said when it is missing and may not be created, e.g. "tick “create missing customers”".
    missing_hint: str = "create it first, or import with --create-parties"


class _Problems(list):
    @contextmanager
    def collect(self, item: Item) -> Iterator[None]:
        """Turn a ValidationError from a service into problems at ``item``'s lines."""
        try:
            yield
        except ValidationError as exc:
            self.extend(_problems_from(exc, item))


def _problems_from(exc: ValidationError, item: Item) -> list[Problem]:
    if hasattr(exc, "error_dict"):
        return [
            Problem(
                item.line_of("" if name == "__all__" else name),
                f"{item.path}.{name}" if item.path and name != "__all__" else item.path or name,
                message.rstrip("."),
            )
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [Problem(item.line, item.path, message.rstrip(".")) for message in exc.messages]


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "organisation")[:70]
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _party(
    document: ContractDocument, role: str, choice: PartyChoice, problems: list[Problem]
) -> Organisation | None:
    name = getattr(document, role)
    if not name:
        return None
    found = list(choice.candidates.filter(name=name).distinct()[:2])
    if len(found) == 1:
        return found[0]
    line = document.line_of(role)
    if found:
        problems.append(Problem(line, role, f"more than one organisation is named '{name}'"))
        return None
    if not choice.create_missing:
        problems.append(Problem(line, role, f"no organisation named '{name}'; {choice.missing_hint}"))
        return None
    return organisation_create(name=name, slug=_unique_slug(name), is_provider=role == "provider")


def version_fill(*, version: Version, document: ContractDocument, clauses: bool = True) -> list[Problem]:
    """Write the document's terms (and, with ``clauses``, its clauses) into the empty draft.

    Returns the problems the services raised, each at the line of the part refused; parts
    that depend on a refused one are skipped. The caller rolls back when any are returned.
    """
    problems = _Problems()
    parameters, services, calendars = {}, {}, {}
    for p in document.parameters:
        with problems.collect(p):
            parameters[p.name] = parameter_set(
                version=version,
                name=p.name,
                kind=p.kind,
                value=p.value,
                business_time=p.business_time,
                description=p.description,
            )
    for s in document.services:
        with problems.collect(s):
            services[s.name] = service_create(
                version=version, name=s.name, in_scope=s.in_scope, out_of_scope_reason=s.out_of_scope_reason
            )
    for c in document.calendars:
        with problems.collect(c):
            calendars[c.name] = calendar_create(
                version=version,
                name=c.name,
                around_the_clock=c.around_the_clock,
                hours=c.hours,
                holiday_country=c.holiday_country,
                holiday_subdivision=c.holiday_subdivision,
                extra_holidays=c.extra_holidays,
            )
    for w in document.maintenance_windows:
        with problems.collect(w):
            maintenance_window_create(
                version=version,
                weekday=w.weekday,
                start=w.start,
                duration_minutes=w.duration_minutes,
                description=w.description,
            )
    for level in document.service_levels:
        wanted = (level.target, level.share, level.service, level.calendar)
        found = (
            parameters.get(level.target),
            parameters.get(level.share),
            services.get(level.service),
            calendars.get(level.calendar),
        )
        if any(name and row is None for name, row in zip(wanted, found, strict=True)):
            continue  # refused above, and reported there
        target, share, service, calendar = found
        with problems.collect(level):
            row = service_level_create(
                version=version,
                key=level.key,
                name=level.name,
                metric=level.metric,
                target=target,
                share=share,
                service=service,
                calendar=calendar,
                priority=level.priority,
                remove_excluded_from_measured=level.remove_excluded_from_measured,
            )
            if level.credit_tiers:
                credit_tiers_set(
                    service_level=row, tiers=[(t.below, t.kind, t.value) for t in level.credit_tiers]
                )
    if document.credit_cap is not None:
        with problems.collect(document.credit_cap):
            credit_cap_set(version=version, kind=document.credit_cap.kind, value=document.credit_cap.value)
    if document.hours_commitment is not None:
        hours = document.hours_commitment
        with problems.collect(hours):
            hours_commitment_set(
                version=version,
                hours_per_month=hours.hours_per_month,
                deficit_carry_months=hours.deficit_carry_months,
                surplus_carry_months=hours.surplus_carry_months,
            )
    for r in document.responsibilities:
        with problems.collect(r):
            responsibility_create(
                version=version, key=r.key, duty=r.duty, category=r.category, consequence=r.consequence
            )
    for c in document.clauses if clauses else ():
        with problems.collect(c):
            clause_add(
                version=version,
                key=c.key,
                heading=c.heading,
                legal_text=c.legal_text,
                plain_text=c.plain_text,
            )
    return list(problems)


def _finding_line(document: ContractDocument, finding) -> tuple[int | None, str]:
    """The line a consistency finding is about: its clause, or the term it names."""
    if finding.clause:
        for clause in document.clauses:
            if clause.key == finding.clause:
                return clause.line_of(finding.field or ""), clause.path
    if finding.subject:
        for items in (document.service_levels, document.responsibilities):
            for item in items:
                if item.key == finding.subject:
                    return item.line, item.path
        for parameter in document.parameters:
            if parameter.name == finding.subject:
                return parameter.line, parameter.path
    return None, ""


@transaction.atomic
def contract_import(
    *,
    document: ContractDocument,
    provider: PartyChoice,
    customer: PartyChoice,
    user: User | None,
    file_name: str = "",
    signed_on: date | None = None,
) -> Contract:
    """A new contract (new reference) from a contract file, with version 1 holding all of it.

    Without ``signed_on`` version 1 is a draft. With it, the contract was signed outside the
    portal: version 1 is published (frozen), marked ``signed_outside_portal`` and in force
    from ``signed_on``, the contract becomes active, and the version's note records it.
    That is refused when the consistency checker reports errors on the version.

    Raises :class:`ContractFileInvalid` listing every problem; then nothing is created.
    """

    problems: list[Problem] = []
    provider_org = _party(document, "provider", provider, problems)
    customer_org = _party(document, "customer", customer, problems)
    if problems:
        raise ContractFileInvalid(problems)
    source = f", imported from {file_name}" if file_name else ""
    if signed_on is not None:
        note = f"Signed outside the portal on {signed_on.isoformat()}{source}."
    else:
        note = f"Imported from {file_name}." if file_name else "Imported from a contract file."

    contract = None
    collected = _Problems()
    with collected.collect(document):
        contract = contract_create(
            provider=provider_org,
            customer=customer_org,
            title=document.title,
            start_date=document.start_date,
            end_date=document.end_date,
            auto_renew=document.auto_renew,
            notice_period_days=document.notice_period_days,
            renewal_months=document.renewal_months,
            currency=document.currency,
            monthly_fee=document.monthly_fee,
            time_zone=document.time_zone,
            created_by=user,
        )
    if contract is None:
        raise ContractFileInvalid(list(collected))
    version = version_create_draft(contract=contract, user=user, note=note)
    problems = version_fill(version=version, document=document)
    if problems:
        raise ContractFileInvalid(problems)
    if signed_on is not None:
        findings = errors(version_findings(version_terms(version)))
        if findings:
            raise ContractFileInvalid(
                [
                    Problem(*_finding_line(document, f), f"cannot be signed as it is: {f.message}")
                    for f in findings
                ]
            )
        version = version_publish(version=version, user=user)
        version.signed_outside_portal = True
        version.in_force_from = signed_on
        version.save(update_fields=["signed_outside_portal", "in_force_from"])
        contract.status = ContractStatus.ACTIVE
        contract.save(update_fields=["status", "updated_at"])
    audit_record(
        contract=contract,
        action=AuditAction.CONTRACT_IMPORTED,
        actor=user,
        summary=f"Imported from {file_name or 'a contract file'}"
        + (f", signed outside the portal on {signed_on.isoformat()}" if signed_on else ""),
        details={"file": file_name, "signed_on": signed_on.isoformat() if signed_on else None},
    )
    if signed_on is not None:
        audit_record(
            contract=contract,
            action=AuditAction.CONTRACT_ACTIVATED,
            actor=user,
            summary=f"Version {version.number} in force from {signed_on}, signed outside the portal",
            details={"version": version.number, "in_force_from": signed_on.isoformat()},
        )
    return contract
