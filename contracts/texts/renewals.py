"""A contract's term on its own clock: the notice deadline, the reminders before it and before
the end, and how an auto-renewing term rolls forward.

Dates are calendar days in the contract's time zone; the caller passes "today" as that zone's
clock shows it (``local_today``). The term includes its end date. Notice must be given no
later than ``notice_period_days`` before the end date: a term ending 31 December 2026 with
90 days' notice has its notice deadline on 2 October 2026.

Pure: plain values in, plain values out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

#: Days before the notice deadline and before the end at which the parties are reminded.
DEFAULT_REMINDER_DAYS = (90, 60, 30)

NOTICE = "notice"
END = "end"


def local_today(now: datetime, time_zone: str) -> date:
    """The date ``now`` falls on in ``time_zone`` (the contract's clock)."""
    return now.astimezone(ZoneInfo(time_zone)).date()


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, kept within the month: 31 January + 1 month → 28/29 February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (following - timedelta(days=1)).day))


def notice_deadline(end_date: date, notice_period_days: int) -> date:
    """The last day on which notice to end the term may be given."""
    return end_date - timedelta(days=notice_period_days)


def next_term_end(end_date: date, renewal_months: int) -> date:
    """The end of the term that follows one ending ``end_date``: it starts the next day and lasts
    ``renewal_months``. 31 December 2026 + 12 months → 31 December 2027; 28 February 2027 →
    29 February 2028 (a whole year from 1 March)."""
    return add_months(end_date + timedelta(days=1), renewal_months) - timedelta(days=1)


def renewed_term_ends(end_date: date, renewal_months: int, today: date) -> list[date]:
    """The end dates an auto-renewing term rolls through by ``today``: none before its end
    date; on or after it, one per renewal until the term runs past ``today`` (several only when
    renewals were missed)."""
    if renewal_months < 1:
        raise ValueError("a renewal lasts at least one month")
    ends = []
    while end_date <= today:
        end_date = next_term_end(end_date, renewal_months)
        ends.append(end_date)
    return ends


@dataclass(frozen=True)
class Reminder:
    """One reminder due: ``milestone`` (``notice`` or ``end``) falls on ``day``, ``threshold``
    is the reminder's number of days ("90 days before"), ``days_left`` what is left today."""

    milestone: str
    day: date
    threshold: int
    days_left: int


def reminders_due(
    *,
    today: date,
    end_date: date,
    notice_period_days: int,
    thresholds=DEFAULT_REMINDER_DAYS,
) -> list[Reminder]:
    """The reminders due ``today`` for a term ending ``end_date``: for the notice deadline and
    for the end, the smallest threshold that ``today`` has reached (days left ≤ threshold) while
    the day is still ahead or today. One per milestone at most: a contract met first 45 days
    before its end is reminded at 60, not at 90 and 60. Without notice (0 days) there is no
    notice deadline apart from the end."""
    milestones = [(END, end_date)]
    if notice_period_days > 0:
        milestones.insert(0, (NOTICE, notice_deadline(end_date, notice_period_days)))
    due = []
    for milestone, day in milestones:
        days_left = (day - today).days
        reached = [t for t in sorted(set(thresholds)) if 0 <= days_left <= t]
        if reached:
            due.append(Reminder(milestone=milestone, day=day, threshold=reached[0], days_left=days_left))
    return due


def in_window(*, today: date, end_date: date, notice_period_days: int, days: int) -> bool:
    """The term ends, or its notice is due, within the next ``days`` days (today included)."""
    last = today + timedelta(days=days)
    notice = notice_deadline(end_date, notice_period_days)
    return today <= end_date <= last or today <= notice <= last
