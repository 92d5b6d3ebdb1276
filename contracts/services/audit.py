"""Writes to the audit log. Each service that changes a contract calls :func:`audit_record`
inside its own transaction, so the change and its log entry are committed (or rolled back)
together."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from contracts.models import SYSTEM_ACTOR, AuditEvent, Contract, Membership, Organisation, User

SUMMARY_LENGTH = AuditEvent._meta.get_field("summary").max_length


def _shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _organisation_of(actor: User, contract: Contract) -> Organisation | None:
    """The party the actor belongs to: the provider when they are a member of both."""
    parties = [contract.provider_id, contract.customer_id]
    memberships = Membership.objects.filter(user=actor, organisation_id__in=parties).select_related(
        "organisation"
    )
    found = {m.organisation_id: m.organisation for m in memberships}
    return next((found[pk] for pk in parties if pk in found), None)


def audit_record(
    *,
    contract: Contract,
    action: str,
    actor: User | None = None,
    summary: str,
    details: Mapping[str, Any] | None = None,
    organisation: Organisation | None = None,
) -> AuditEvent:
    """Append one event to ``contract``'s log and return it.

    ``actor`` None is background work, shown as “SLA portal (automatic)”. ``organisation``
    is the party the actor acted for; left out, it is the actor's membership among the
    contract's parties (the provider first). ``summary`` is one short line of text;
    ``details`` a small JSON object. Call it inside the transaction of the change.
    """
    anonymous = actor is None or not getattr(actor, "is_authenticated", False)
    if not anonymous and organisation is None:
        organisation = _organisation_of(actor, contract)
    return AuditEvent.objects.create(
        contract=contract,
        actor=None if anonymous else actor,
        actor_name=SYSTEM_ACTOR if anonymous else _shorten(actor.display_name, 200),
        organisation=None if anonymous else organisation,
        action=action,
        summary=_shorten(summary),
        details=dict(details or {}),
    )


def audit_record_automatic_many(*, action: str, entries: Iterable[tuple[int, str, Mapping[str, Any]]]) -> int:
    """Append one background-work event per ``(contract_id, summary, details)`` in a single
    insert (the monthly run evaluates many contracts at once). Returns how many."""
    rows = [
        AuditEvent(
            contract_id=contract_id,
            actor_name=SYSTEM_ACTOR,
            action=action,
            summary=_shorten(summary),
            details=dict(details),
        )
        for contract_id, summary, details in entries
    ]
    AuditEvent.objects.bulk_create(rows)
    return len(rows)


def audit_record_many(
    *, action: str, actor: User | None, entries: Iterable[tuple[Contract, str, Mapping[str, Any]]]
) -> int:
    """Append one event per ``(contract, summary, details)``, all by ``actor`` (None:
    background work), in one query for the actor's memberships and a single insert (a
    provider issuing a month's reports at once). Returns how many."""
    entries = list(entries)
    anonymous = actor is None or not getattr(actor, "is_authenticated", False)
    member_of: dict[int, Organisation] = {}
    if not anonymous:
        parties = {pk for contract, _, _ in entries for pk in (contract.provider_id, contract.customer_id)}
        member_of = {
            m.organisation_id: m.organisation
            for m in Membership.objects.filter(user=actor, organisation_id__in=parties).select_related(
                "organisation"
            )
        }
    rows = []
    for contract, summary, details in entries:
        organisation = None
        if not anonymous:
            organisation = member_of.get(contract.provider_id) or member_of.get(contract.customer_id)
        rows.append(
            AuditEvent(
                contract_id=contract.pk,
                actor=None if anonymous else actor,
                actor_name=SYSTEM_ACTOR if anonymous else _shorten(actor.display_name, 200),
                organisation=organisation,
                action=action,
                summary=_shorten(summary),
                details=dict(details),
            )
        )
    AuditEvent.objects.bulk_create(rows)
    return len(rows)


def audit_draft_change(*, version, user: User | None, action: str, change: str) -> AuditEvent:
    """Log one change an author made to a draft's terms or clauses; ``change`` is the
    confirmation the author was shown, e.g. “Service level Email availability saved.”"""
    return audit_record(
        contract=version.contract,
        action=action,
        actor=user,
        summary=f"{change.strip().rstrip('.')} (version {version.number})",
        details={"version": version.number},
    )
