"""Reminders before a contract's notice deadline and before its end, to the admins of both
parties (the provider's and the customer's, of that contract only).

Run by beat (``notifications.tasks.renewal_reminders_send``). Each reminder is a notification
whose key names the contract, the term's end date, the milestone and the threshold, so it is
made once per person whatever the number of runs; a renewed term (a new end date) is reminded
of afresh. Days are counted on the contract's clock (``contracts.texts.renewals``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from contracts.models.contract import ContractStatus
from contracts.texts import renewals
from contracts.texts.formats import format_date
from notifications import selectors
from notifications.models import Kind
from notifications.services import notify

#: The longest notice period a contract may have (``Contract.notice_period_days``).
_LONGEST_NOTICE = 730


def _in_days(days: int) -> str:
    if days == 0:
        return "today"
    return f"in {days} day{'' if days == 1 else 's'}"


def reminder_texts(contract: Contract, reminder: renewals.Reminder) -> tuple[str, str]:
    """The title and body of one reminder."""
    end = format_date(contract.end_date)
    notice = format_date(renewals.notice_deadline(contract.end_date, contract.notice_period_days))
    when = f"{_in_days(reminder.days_left)}, on {format_date(reminder.day)}"
    if reminder.milestone == renewals.NOTICE:
        title = f"{contract.reference}: notice to end the contract is due {when}"
    else:
        title = f"{contract.reference}: the contract's term ends {when}"
    if contract.auto_renew:
        following = renewals.next_term_end(contract.end_date, contract.renewal_months)
        months = f"{contract.renewal_months} month{'' if contract.renewal_months == 1 else 's'}"
        body = (
            f"“{contract.title}” between {contract.provider} and {contract.customer} renews automatically "
            f"on {end} for {months}, until {format_date(following)}, unless either party gives notice "
            f"by {notice}."
        )
    else:
        body = (
            f"“{contract.title}” between {contract.provider} and {contract.customer} ends on {end}. "
            f"To continue it, the provider starts the renewal from the Renewals list; notice to end it "
            f"is due by {notice}."
        )
    return title, body


def renewal_reminders_send(*, now: datetime | None = None, thresholds=None) -> int:
    """Remind the admins of both parties of every active contract whose notice deadline or end
    is ``thresholds`` days away or less (default ``RENEWAL_REMINDER_DAYS``: 90, 60, 30), each
    threshold once; how many notifications were made now."""
    now = now or timezone.now()
    thresholds = tuple(thresholds or settings.RENEWAL_REMINDER_DAYS)
    utc_today = now.astimezone(UTC).date()
    candidates = Contract.objects.filter(
        status=ContractStatus.ACTIVE,
        end_date__gte=utc_today - timedelta(days=1),
        end_date__lte=utc_today + timedelta(days=max(thresholds) + _LONGEST_NOTICE + 1),
    ).select_related("provider", "customer")
    made = 0
    for contract in candidates.order_by("pk"):
        due = renewals.reminders_due(
            today=renewals.local_today(now, contract.time_zone),
            end_date=contract.end_date,
            notice_period_days=contract.notice_period_days,
            thresholds=thresholds,
        )
        if not due:
            continue
        admins = selectors.party_admins(contract)
        for reminder in due:
            title, body = reminder_texts(contract, reminder)
            made += len(
                notify(
                    users=admins,
                    kind=Kind.RENEWAL_REMINDER,
                    key=(
                        f"renewal:{contract.pk}:{contract.end_date.isoformat()}:"
                        f"{reminder.milestone}:{reminder.threshold}"
                    ),
                    contract=contract,
                    title=title,
                    body=body,
                    url=f"{reverse('contracts:renewal_list')}?days={max(reminder.threshold, 1)}",
                    now=now,
                )
            )
    return made
