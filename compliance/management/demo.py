"""Demo events: a plausible year of incidents, outages and work logs for the demo contracts,
and the compliance reports of the last month that has ended.

Every event is drawn from a random generator seeded by the contract, the month and the
event's number, so a month always gets the same events; running the demo seed again writes
only events that did not exist yet (those of days that have passed since), and makes a report
only for a contract that has none for the period.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from compliance.models import Incident, Outage, Report, WorkLog
from compliance.selectors.events import event_terms
from compliance.selectors.report_runs import contracts_for_period, default_report_period
from compliance.services.evaluations import evaluations_run
from compliance.services.events import events_check, events_write
from compliance.services.reports import report_run_start
from contracts.models import Contract
from contracts.models.contract import ContractStatus

MODELS = {"incidents": Incident, "outages": Outage, "worklogs": WorkLog}

# Wall-clock minutes from opening to first response and to resolution, by priority.
RESPONSE_MINUTES = {"P1": (5, 62), "P2": (15, 150), "P3": (30, 600), "P4": (60, 1440)}
RESOLUTION_MINUTES = {"P1": (45, 360), "P2": (120, 900), "P3": (240, 2880), "P4": (600, 7200)}
PRIORITIES = ("P1", "P2", "P2", "P3", "P3", "P3", "P3", "P4", "P4", "P4")

INCIDENT_SUMMARIES = (
    "Cannot sign in to {service}",
    "{service} slow for several users",
    "Error message when opening {service}",
    "Request: new user account for {service}",
    "{service} not reachable from one site",
    "Password reset for {service}",
    "Printer mapping lost after update on {service}",
    "Request: more storage on {service}",
)
PEOPLE = ("Arthur Author", "Alice Admin", "Sam Service Desk", "Noor Network")
WORK = (
    "Monthly patching and reboots",
    "Backup restore test",
    "Firewall rule review",
    "User onboarding and device setup",
    "Capacity review and clean-up",
    "Vulnerability scan follow-up",
)


def _months(start: date, until: date) -> list[tuple[int, int]]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (until.year, until.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _days_in(year: int, month: int) -> int:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (following - date(year, month, 1)).days


def _weekday_in(rng: random.Random, year: int, month: int) -> date:
    while True:
        day = date(year, month, rng.randint(1, _days_in(year, month)))
        if day.weekday() < 5:
            return day


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _incidents(rng, contract, terms, year, month, now) -> list[dict]:
    zone = ZoneInfo(contract.time_zone)
    in_scope = sorted(name for name, scoped in terms.services.items() if scoped)
    out_of_scope = sorted(name for name, scoped in terms.services.items() if not scoped)
    excluding = sorted(terms.responsibilities)
    rows = []
    count, seed = rng.randint(18, 30), rng.getrandbits(32)
    for number in range(1, count + 1):
        rng = random.Random(seed + number)  # noqa: S311 - one generator per event: stable as days pass
        day = _weekday_in(rng, year, month)
        opened = datetime(
            day.year, day.month, day.day, rng.randint(8, 16), rng.choice((0, 15, 30, 45)), tzinfo=zone
        )
        if opened >= now:
            continue
        priority = rng.choice(PRIORITIES)
        cause, responsibility, service = "provider", "", rng.choice(in_scope)
        draw = rng.random()
        if draw < 0.06 and out_of_scope:
            cause, service = "out_of_scope", rng.choice(out_of_scope)
        elif draw < 0.12 and "risky_behaviour" in excluding:
            cause, responsibility = "customer", "risky_behaviour"
        elif draw < 0.18:
            cause = "third_party"
        responded = opened + timedelta(minutes=rng.randint(*RESPONSE_MINUTES[priority]))
        resolved = responded + timedelta(minutes=rng.randint(*RESOLUTION_MINUTES[priority]))
        pauses = ""
        if rng.random() < 0.2:  # waiting on the customer for an answer or access
            pause_start = responded + timedelta(minutes=30)
            pause_end = pause_start + timedelta(minutes=rng.randint(60, 960))
            resolved += pause_end - pause_start
            if pause_end < now:
                pauses = f"{_iso(pause_start)}/{_iso(pause_end)}"
        rows.append(
            {
                "external_id": f"DEMO-{year}{month:02d}-I{number:02d}",
                "service": service,
                "priority": priority,
                "opened_at": _iso(opened),
                "first_response_at": _iso(responded) if responded < now else "",
                "resolved_at": _iso(resolved) if resolved < now else "",
                "reopened": rng.random() < 0.05,
                "cause": cause,
                "responsibility": responsibility,
                "summary": rng.choice(INCIDENT_SUMMARIES).format(service=service),
                "pauses": pauses,
            }
        )
    return rows


def _outages(rng, contract, terms, year, month, now) -> list[dict]:
    zone = ZoneInfo(contract.time_zone)
    in_scope = sorted(name for name, scoped in terms.services.items() if scoped)
    rows = []
    # The first Sunday's patch window.
    sunday = next(date(year, month, d) for d in range(1, 8) if date(year, month, d).weekday() == 6)
    start = datetime(sunday.year, sunday.month, sunday.day, 2, 0, tzinfo=zone)
    if start + timedelta(minutes=90) < now:
        rows.append(
            {
                "external_id": f"DEMO-{year}{month:02d}-O01",
                "service": in_scope[0],
                "start": _iso(start),
                "end": _iso(start + timedelta(minutes=90)),
                "planned": True,
                "cause": "provider",
                "responsibility": "",
                "summary": "Monthly patch window",
            }
        )
    # Most months a short unplanned outage; now and then a long one that costs credits.
    count, seed = rng.choice((0, 1, 1, 2)), rng.getrandbits(32)
    for number in range(2, 2 + count):
        rng = random.Random(seed + number)  # noqa: S311
        day = date(year, month, rng.randint(1, _days_in(year, month)))
        start = datetime(day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59), tzinfo=zone)
        minutes = rng.choice((6, 12, 18, 25, 35, 50)) if rng.random() < 0.85 else rng.randint(90, 600)
        if start + timedelta(minutes=minutes) >= now:
            continue
        rows.append(
            {
                "external_id": f"DEMO-{year}{month:02d}-O{number:02d}",
                "service": rng.choice(in_scope),
                "start": _iso(start),
                "end": _iso(start + timedelta(minutes=minutes)),
                "planned": False,
                "cause": rng.choice(("provider", "provider", "provider", "third_party")),
                "responsibility": "",
                "summary": rng.choice(
                    (
                        "Storage controller failover",
                        "Switch reboot after firmware fault",
                        "Certificate expired",
                    )
                ),
            }
        )
    return rows


def _worklogs(rng, contract, terms, year, month, now) -> list[dict]:
    rows = []
    count, seed = rng.randint(7, 11), rng.getrandbits(32)
    for number in range(1, count + 1):
        rng = random.Random(seed + number)  # noqa: S311
        day = _weekday_in(rng, year, month)
        if day >= now.date():
            continue
        rows.append(
            {
                "external_id": f"DEMO-{year}{month:02d}-W{number:02d}",
                "date": day.isoformat(),
                "hours": str(rng.choice((1, 1.5, 2, 2.5, 3, 4))),
                "person": rng.choice(PEOPLE),
                "description": rng.choice(WORK),
                "billable": rng.random() < 0.1,
            }
        )
    return rows


GENERATORS = {"incidents": _incidents, "outages": _outages, "worklogs": _worklogs}


def seed_demo_events(*, now: datetime | None = None) -> int:
    """Record the demo events of every active contract, from its start to ``now``; returns
    how many were written (none when run again the same day)."""
    now = now or timezone.now()
    written = 0
    for contract in Contract.objects.filter(status=ContractStatus.ACTIVE).order_by("pk"):
        terms = event_terms(contract)
        if terms.version is None or not any(terms.services.values()):
            continue
        for kind, generate in GENERATORS.items():
            rows = []
            for year, month in _months(contract.start_date, now.date()):
                rng = random.Random(f"{contract.reference}:{kind}:{year}-{month}")  # noqa: S311
                rows += generate(rng, contract, terms, year, month, now)
            known = set(MODELS[kind].objects.filter(contract=contract).values_list("external_id", flat=True))
            rows = [row for row in rows if row["external_id"] not in known]
            if rows:
                cleaned = events_check(kind=kind, contract=contract, rows=rows, terms=terms)
                written += events_write(
                    kind=kind,
                    contract=contract,
                    user=contract.created_by,
                    cleaned=cleaned,
                    via="the demo data",
                ).total
    return written


def seed_demo_reports(*, now: datetime | None = None) -> int:
    """Make the compliance reports of the last month that has ended, for the active contracts
    that have none yet; returns how many contracts were run."""
    period = default_report_period(now)
    contracts = [
        contract
        for contract in contracts_for_period(period)
        if not Report.objects.filter(contract=contract, period=period).exists()
    ]
    if contracts:
        # The months before, evaluated and stored as the monthly runs would have, give the
        # reports their trend charts.
        year, month = map(int, period.split("-"))
        earliest = min(contract.start_date for contract in contracts)
        for earlier_year, earlier_month in _months(earliest, date(year, month, 1))[:-1]:
            evaluations_run(contracts=contracts, period=(earlier_year, earlier_month), now=now)
        # The demo shows the reports as the customers received them: its providers issue them
        # without review (a provider chooses per contract; see the month close in README).
        Contract.objects.filter(pk__in=[c.pk for c in contracts]).update(reports_issued_automatically=True)
        for contract in contracts:
            contract.reports_issued_automatically = True
        report_run_start(period=period, contracts=contracts)
    return len(contracts)
