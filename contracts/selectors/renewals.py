"""Reads of renewals: the user's contracts ending, or with notice due, in the next N days.

Every contract comes through ``contracts_for_user``, so each party sees its own; only the
provider's admins and authors may start a renewal. Three queries whatever the number of
contracts: the contracts, their drafts, the user's authoring memberships.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from contracts.models import Contract, Membership, Version
from contracts.models.contract import ContractStatus
from contracts.selectors.tenancy import AUTHOR_ROLES, contracts_for_user
from contracts.texts import renewals

#: The windows offered as links on the Renewals page; any other number of days may be typed.
WINDOW_CHOICES = (30, 60, 90)
#: The longest notice period a contract may have (``Contract.notice_period_days``).
_LONGEST_NOTICE = 730


@dataclass(frozen=True)
class RenewalRow:
    contract: Contract
    today: date
    notice_deadline: date
    draft: Version | None
    can_start: bool

    @property
    def end_date(self) -> date:
        return self.contract.end_date

    @property
    def days_to_end(self) -> int:
        return (self.end_date - self.today).days

    @property
    def days_to_notice(self) -> int:
        return (self.notice_deadline - self.today).days

    @property
    def notice_passed(self) -> bool:
        return self.days_to_notice < 0

    @property
    def next_end_date(self) -> date | None:
        """Where the term goes when it renews by itself."""
        if not self.contract.auto_renew:
            return None
        return renewals.next_term_end(self.end_date, self.contract.renewal_months)

    @property
    def next_milestone(self) -> date:
        return self.end_date if self.notice_passed else self.notice_deadline


def renewals_for_user(user, *, days: int, now: datetime | None = None) -> list[RenewalRow]:
    """The user's active contracts whose term ends, or whose notice is due, within ``days``
    days of today on each contract's own clock; soonest first."""
    now = now or timezone.now()
    utc_today = now.astimezone(UTC).date()
    candidates = list(
        contracts_for_user(user)
        .filter(
            status=ContractStatus.ACTIVE,
            end_date__isnull=False,
            end_date__gte=utc_today - timedelta(days=1),
            end_date__lte=utc_today + timedelta(days=days + _LONGEST_NOTICE + 1),
        )
        .order_by("end_date", "reference")
    )
    rows = []
    for contract in candidates:
        today = renewals.local_today(now, contract.time_zone)
        if renewals.in_window(
            today=today, end_date=contract.end_date, notice_period_days=contract.notice_period_days, days=days
        ):
            rows.append((contract, today))
    if not rows:
        return []
    drafts = {v.contract_id: v for v in Version.objects.drafts().filter(contract__in=[c for c, _ in rows])}
    authored = set(
        Membership.objects.filter(user=user, role__in=AUTHOR_ROLES).values_list("organisation_id", flat=True)
    )
    found = [
        RenewalRow(
            contract=contract,
            today=today,
            notice_deadline=renewals.notice_deadline(contract.end_date, contract.notice_period_days),
            draft=drafts.get(contract.pk),
            can_start=contract.provider_id in authored,
        )
        for contract, today in rows
    ]
    return sorted(found, key=lambda row: (row.next_milestone, row.contract.reference))
