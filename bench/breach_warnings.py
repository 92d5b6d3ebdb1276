"""Warnings before a breach: how long beat's check takes over many open incidents.

Builds a throw-away SQLite database (or uses DATABASE_URL when set — then on a scratch
database you can drop), N active contracts with realistic terms and M incidents each in
March 2026, all still open (a fifth of them waiting on the customer, paused), plus outages,
and runs ``breach_warnings_check`` at 20 March 12:00: first when every warning is new (stored
and announced), then again when all were given. Prints the wall time of each, open incidents
per second, and the ratio of the second run to only computing the inputs.

    .venv/bin/python bench/breach_warnings.py [--contracts 20] [--incidents 500]
"""

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import scratch_django  # noqa: E402

NOW = datetime(2026, 3, 20, 11, tzinfo=UTC)  # 12:00 in Amsterdam


def _generate(contracts: int, incidents: int, seed: int = 7) -> list:
    from compliance.models import Incident, IncidentPause, Outage
    from contracts import services as contract_services
    from contracts.models import Contract
    from contracts.models.contract import ContractStatus
    from tests import factories

    rng = random.Random(seed)
    provider = factories.organisation("Bench provider", is_provider=True)
    customer = factories.organisation("Bench customer")
    start = datetime(2026, 2, 28, 23, tzinfo=UTC)  # 1 March, 00:00 in Amsterdam
    span = int((NOW - start).total_seconds())
    rows = []
    for n in range(contracts):
        contract = factories.contract(provider, customer, title=f"Bench {n}")
        version = factories.version_with_terms(contract)
        contract_services.version_publish(version=version, user=None)
        Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.ACTIVE)
        batch = [
            Incident(
                contract=contract,
                external_id=f"INC-{i}",
                service=rng.choice(["Email", "File server"]),
                priority=f"P{rng.randrange(1, 3)}",
                opened_at=start + timedelta(seconds=rng.randrange(span)),
            )
            for i in range(incidents)
        ]
        created = Incident.objects.bulk_create(batch, batch_size=2000)
        IncidentPause.objects.bulk_create(
            [
                IncidentPause(incident=incident, start=incident.opened_at + timedelta(minutes=10), end=None)
                for incident in created
                if rng.random() < 0.2
            ],
            batch_size=2000,
        )
        down = start + timedelta(seconds=rng.randrange(span))
        Outage.objects.create(
            contract=contract,
            external_id="OUT-1",
            service="Email",
            start=down,
            end=down + timedelta(minutes=30),
        )
        rows.append(contract)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=20)
    parser.add_argument("--incidents", type=int, default=500, help="open incidents per contract")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        scratch_django(data_dir)
        from django.db import connection

        from compliance.selectors.evaluation_inputs import evaluation_inputs_for
        from compliance.services.warnings import breach_warnings_check

        started = time.perf_counter()
        contracts = _generate(args.contracts, args.incidents)
        total = args.contracts * args.incidents
        print(
            f"{connection.vendor}: {args.contracts:,} contracts × {args.incidents:,} open incidents "
            f"generated in {time.perf_counter() - started:.1f} s"
        )

        started = time.perf_counter()
        evaluation_inputs_for(contracts, (2026, 2), now=NOW)
        evaluation_inputs_for(contracts, (2026, 3), now=NOW)
        inputs = time.perf_counter() - started

        started = time.perf_counter()
        first = breach_warnings_check(now=NOW)
        new = time.perf_counter() - started
        started = time.perf_counter()
        again = breach_warnings_check(now=NOW)
        repeat = time.perf_counter() - started
        print(
            f"first check: {len(first):,} warnings given in {new:.2f} s ({total / new:,.0f} open incidents/s)"
        )
        print(f"next check:  {len(again):,} new in {repeat:.2f} s ({total / repeat:,.0f} open incidents/s)")
        print(f"reading the inputs alone: {inputs:.2f} s; check / inputs = {repeat / inputs:.1f}")


if __name__ == "__main__":
    main()
