"""Webhook intake: Alertmanager deliveries to a source's hook under gunicorn.

Prepares a throw-away database (SQLite in a temporary directory, or a new PostgreSQL database
named by --database-url, created and dropped here), migrates, loads the demo data and adds an
Alertmanager source to the demo contract. Serves the portal with gunicorn as in production,
then posts --deliveries deliveries (each a firing alert with its own fingerprint, bearer
secret) from --concurrency senders, and the same deliveries again (a replay).

Prints deliveries per minute, p50/p95/max acknowledgement time, the outages each pass created
and the answers other than 200. Exits non-zero when a delivery was not acknowledged with 200,
when the replay created anything, or when the targets (1,000 deliveries a minute, p95 under
100 ms) are missed.

    .venv/bin/python bench/intake.py [--deliveries 1000] [--concurrency 4] [--workers 3]
        [--database-url postgres://postgres@127.0.0.1:5432/slaportal_intake]
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from load import (  # bench/load.py: the same production-like environment and gunicorn
    _environment,
    _postgres_create,
    _postgres_drop,
    _progress,
    _serve,
    _stop,
)

TARGET_PER_MINUTE = 1000
TARGET_P95_MS = 100


def _prepare(env: dict[str, str]) -> dict:
    for key in set(os.environ) - set(env):
        del os.environ[key]
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    from datetime import date
    from decimal import Decimal

    from compliance.services.sources import source_create
    from contracts import services
    from contracts.models import Organisation

    provider = Organisation.objects.create(name="Bench provider", slug="bench-provider", is_provider=True)
    customer = Organisation.objects.create(name="Bench customer", slug="bench-customer")
    contract = services.contract_create(
        provider=provider,
        customer=customer,
        title="Intake benchmark",
        start_date=date(2026, 1, 1),
        monthly_fee=Decimal("1000"),
    )
    version = services.version_create_draft(contract=contract, user=None, note="Bench")
    services.service_create(version=version, name="Email")
    _progress("migrated, contract made")
    source = source_create(
        contract=contract,
        user=None,
        kind="alertmanager",
        name="Intake benchmark",
        mapping={"services": {}, "default_service": "Email", "service_label": "service"},
        rate_limit=100_000,
    )
    connections.close_all()
    return {"token": source.token, "secret": source.secret}


def _payloads(count: int) -> list[bytes]:
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    bodies = []
    for n in range(count):
        alert = {
            "status": "firing",
            "labels": {"alertname": "InstanceDown", "instance": f"host-{n}:9100", "service": "node"},
            "annotations": {"summary": f"host-{n} does not answer"},
            "startsAt": (start + timedelta(seconds=n)).isoformat().replace("+00:00", "Z"),
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.example/graph",
            "fingerprint": f"{n:016x}",
        }
        bodies.append(
            json.dumps(
                {
                    "version": "4",
                    "groupKey": f'{{}}:{{instance="host-{n}:9100"}}',
                    "status": "firing",
                    "receiver": "portal",
                    "alerts": [alert],
                }
            ).encode()
        )
    return bodies


def _send_all(url: str, secret: str, bodies: list[bytes], concurrency: int) -> tuple[float, list, dict]:
    import requests

    local = threading.local()
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}

    def send(body: bytes):
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        began = time.perf_counter()
        response = session.post(url, data=body, headers=headers, timeout=30)
        elapsed = time.perf_counter() - began
        try:
            answer = response.json()
        except ValueError:
            answer = {"body": response.text[:200]}
        return elapsed, response.status_code, answer

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(send, bodies))
    wall = time.perf_counter() - started
    codes: dict[int, int] = {}
    changes: dict[str, int] = {}
    for _, code, body in results:
        codes[code] = codes.get(code, 0) + 1
        for change in ("created", "updated", "unchanged"):
            changes[change] = changes.get(change, 0) + body.get(change, 0)
    other = next((body for _, code, body in results if code != 200), None)
    if other is not None:
        print(f"  an answer other than 200: {other}", file=sys.stderr)
    return wall, [seconds for seconds, _, _ in results], {"codes": codes, **changes}


def _report(label: str, count: int, wall: float, latencies: list[float], tally: dict) -> tuple[float, float]:
    per_minute = count / wall * 60
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000
    print(
        f"{label:8} {count} deliveries in {wall:5.1f} s = {per_minute:7.0f}/min; ack p50 "
        f"{statistics.median(ordered) * 1000:5.1f} ms, p95 {p95:5.1f} ms, max {ordered[-1] * 1000:6.1f} ms; "
        f"outages created {tally.get('created', 0)}, unchanged {tally.get('unchanged', 0)}; "
        f"answers {tally['codes']}"
    )
    return per_minute, p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4, help="senders at once (default 4)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--database-url", default="", help="a postgres:// URL to create and drop")
    args = parser.parse_args()
    postgres = args.database_url.startswith(("postgres://", "postgresql://"))
    with tempfile.TemporaryDirectory(prefix="slaportal-intake-") as tmp:
        data_dir = Path(tmp)
        env = _environment(data_dir, args.database_url)
        if postgres:
            _postgres_create(args.database_url)
        server = None
        try:
            values = _prepare(env)
            server, base = _serve(env, data_dir, args.workers)
            url = f"{base}/hooks/{values['token']}/"
            bodies = _payloads(args.deliveries)
            print(
                f"database: {'PostgreSQL' if postgres else 'SQLite'}; gunicorn workers {args.workers}, "
                f"senders {args.concurrency}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            )
            first = _send_all(url, values["secret"], bodies, args.concurrency)
            per_minute, p95 = _report("first", args.deliveries, *first)
            replay = _send_all(url, values["secret"], bodies, args.concurrency)
            _report("replay", args.deliveries, *replay)
            failures = []
            if set(first[2]["codes"]) != {200} or set(replay[2]["codes"]) != {200}:
                failures.append("some deliveries were not acknowledged with 200")
            if replay[2].get("created", 0) or replay[2].get("updated", 0):
                failures.append("the replay changed events")
            if first[2].get("created", 0) != args.deliveries:
                failures.append("the first pass did not create one outage per delivery")
            if per_minute < TARGET_PER_MINUTE:
                failures.append(f"fewer than {TARGET_PER_MINUTE} deliveries a minute")
            if p95 >= TARGET_P95_MS:
                failures.append(f"p95 acknowledgement not under {TARGET_P95_MS} ms")
            print(
                f"targets: >= {TARGET_PER_MINUTE}/min and p95 < {TARGET_P95_MS} ms, replay creates nothing: "
                + ("met" if not failures else "MISSED — " + "; ".join(failures))
            )
            return 1 if failures else 0
        finally:
            if server is not None:
                _stop(server)
            if postgres:
                _postgres_drop(args.database_url)


if __name__ == "__main__":
    sys.exit(main())
