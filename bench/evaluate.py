"""Evaluation throughput: N contracts with M incidents (and M/10 outages) each, one period.

Builds a throw-away SQLite database (or uses DATABASE_URL when set — then on a scratch
database you can drop), N contracts with realistic terms and random events in March 2026,
then evaluates every contract for that month (storing the evaluations) and prints the wall
time, events per second, and the ratio of evaluation time to the time of only reading the
same rows with ``values_list``.

    .venv/bin/python bench/evaluate.py [--contracts 1000] [--incidents 1000] [--chunk 100]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PERIOD = (2026, 3)
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _setup_django(data_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slaportal.settings")
    os.environ["DATA_DIR"] = data_dir
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _generate(contracts: int, incidents: int, seed: int = 7) -> list:
    from compliance.models import Incident, IncidentPause, Outage, WorkLog
    from contracts import services as contract_services
    from tests import factories

    rng = random.Random(seed)
    provider = factories.organisation("Bench provider", is_provider=True)
    customer = factories.organisation("Bench customer")
    start = datetime(2026, 2, 28, 23, tzinfo=UTC)  # 1 March, 00:00 in Amsterdam
    services = ["Email", "File server", "Email", "File server", "Copier"]
    rows = []
    for n in range(contracts):
        contract = factories.contract(provider, customer, title=f"Bench {n}")
        version = factories.version_with_terms(contract)
        contract_services.version_publish(version=version, user=None)
        batch = []
        for i in range(incidents):
            opened = start + timedelta(seconds=rng.randrange(31 * 86400))
            response = opened + timedelta(minutes=rng.randrange(5, 240))
            resolved = None if rng.random() < 0.02 else response + timedelta(minutes=rng.randrange(10, 3000))
            customer_cause = rng.random() < 0.05
            batch.append(
                Incident(
                    contract=contract,
                    external_id=f"INC-{i}",
                    service=rng.choice(services),
                    priority=f"P{rng.randrange(1, 5)}",
                    opened_at=opened,
                    first_response_at=response,
                    resolved_at=resolved,
                    cause="customer" if customer_cause else "provider",
                    responsibility="risky_behaviour" if customer_cause else "",
                )
            )
        created = Incident.objects.bulk_create(batch, batch_size=2000)
        IncidentPause.objects.bulk_create(
            [
                IncidentPause(
                    incident=incident,
                    start=incident.first_response_at,
                    end=incident.first_response_at + timedelta(minutes=rng.randrange(10, 900)),
                )
                for incident in created
                if rng.random() < 0.2
            ],
            batch_size=2000,
        )
        outages = []
        for i in range(max(1, incidents // 10)):
            down = start + timedelta(seconds=rng.randrange(31 * 86400))
            outages.append(
                Outage(
                    contract=contract,
                    external_id=f"OUT-{i}",
                    service=rng.choice(services),
                    start=down,
                    end=down + timedelta(minutes=rng.randrange(1, 30)),
                    planned=rng.random() < 0.1,
                )
            )
        Outage.objects.bulk_create(outages, batch_size=2000)
        WorkLog.objects.create(
            contract=contract, external_id="WL-1", date=datetime(2026, 3, 5).date(), hours=8, person="Bench"
        )
        rows.append(contract)
    return rows


def _read_only(contracts) -> int:
    """Read the same event rows as the evaluation does, with values_list, and nothing else."""
    from zoneinfo import ZoneInfo

    from django.db.models import Q

    from compliance.models import Incident, IncidentPause, Outage
    from compliance.periods import period_bounds

    ids = [c.pk for c in contracts]
    low = min(period_bounds(*PERIOD, ZoneInfo(c.time_zone))[0] for c in contracts)
    high = max(period_bounds(*PERIOD, ZoneInfo(c.time_zone))[1] for c in contracts)
    count = len(
        list(
            Incident.objects.filter(contract_id__in=ids, opened_at__gte=low, opened_at__lt=high).values_list(
                "id",
                "contract_id",
                "external_id",
                "service",
                "priority",
                "opened_at",
                "first_response_at",
                "resolved_at",
                "cause",
                "responsibility",
            )
        )
    )
    list(
        IncidentPause.objects.filter(
            incident__contract_id__in=ids, incident__opened_at__gte=low, incident__opened_at__lt=high
        ).values_list("incident_id", "start", "end")
    )
    count += len(
        list(
            Outage.objects.filter(
                Q(end__isnull=True) | Q(end__gt=low), contract_id__in=ids, start__lt=high
            ).values_list(
                "contract_id", "external_id", "service", "start", "end", "planned", "cause", "responsibility"
            )
        )
    )
    return count


def _chunks(items, size):
    for index in range(0, len(items), size):
        yield items[index : index + size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument(
        "--incidents", type=int, default=1000, help="incidents per contract (outages: a tenth)"
    )
    parser.add_argument("--chunk", type=int, default=100, help="contracts evaluated per batch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        _setup_django(data_dir)
        from django.db import connection

        from compliance.models import Evaluation
        from compliance.services.evaluations import evaluations_run

        started = time.perf_counter()
        contracts = _generate(args.contracts, args.incidents)
        print(
            f"{connection.vendor}: {args.contracts:,} contracts × {args.incidents:,} incidents "
            f"(+ {max(1, args.incidents // 10):,} outages) generated in {time.perf_counter() - started:.1f} s"
        )

        started = time.perf_counter()
        events = sum(_read_only(chunk) for chunk in _chunks(contracts, args.chunk))
        read = time.perf_counter() - started

        started = time.perf_counter()
        for chunk in _chunks(contracts, args.chunk):
            evaluations_run(contracts=chunk, period=PERIOD, now=NOW)
        evaluated = time.perf_counter() - started
        assert Evaluation.objects.count() == args.contracts

        started = time.perf_counter()
        for chunk in _chunks(contracts, args.chunk):
            evaluations_run(contracts=chunk, period=PERIOD, now=NOW)
        again = time.perf_counter() - started
        assert Evaluation.objects.count() == args.contracts

        print(f"read only (values_list)  {read:8.2f} s  {events / read:12,.0f} events/s")
        print(f"evaluate and store       {evaluated:8.2f} s  {events / evaluated:12,.0f} events/s")
        print(f"re-evaluate (unchanged)  {again:8.2f} s  {events / again:12,.0f} events/s")
        print(f"ratio evaluation / read  {evaluated / read:8.2f}")


if __name__ == "__main__":
    main()
