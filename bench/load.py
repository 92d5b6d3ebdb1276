"""Load on the portal: gunicorn on loopback, driven by locust, page by page, against /healthz.

Prepares a throw-away database (a SQLite file in a temporary directory, or a new PostgreSQL
database named by --database-url, created here and dropped at the end), migrates, loads the
demo data plus six months of events on the active contracts and last month's reports, signs
in through the login form once per simulated user and creates an API token. Then it serves
the portal with gunicorn as in production (DEBUG off, collected static files), runs locust
headless for --seconds on each page alone with --concurrency users that send their next
request as soon as the last one is answered, and finally on all pages mixed.

Prints per page: requests, requests per second, p50 and p95 latency, errors, and the ratio of
the page's p95 to that of /healthz (a view that reads nothing) and of its requests per second
to /healthz's. Exits non-zero when any request failed (anything but 200 with the expected
content type).

    .venv/bin/python bench/load.py [--seconds 20] [--concurrency 8] [--workers N]
        [--database-url postgres://postgres@127.0.0.1:5432/slaportal_load] [--only PAGE ...]
"""

import argparse
import csv
import io
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

USER = "author@brightline.example"  # the demo provider's author
CONTRACT_TITLE = "Managed IT for Harbour Dental clinics"
MONTHS_OF_EVENTS = 6
STARTED = time.perf_counter()


# ---------------------------------------------------------------- environment and database


def _environment(data_dir: Path, database_url: str) -> dict[str, str]:
    """The production-like settings, through environment variables, for every process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "SECURE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="slaportal.settings",
        DATA_DIR=str(data_dir),
        STATIC_ROOT=str(data_dir / "static"),
        STATICFILES_MANIFEST="1",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_HTTPS="0",  # plain HTTP on loopback; TLS would sit in front in production
        LOG_LEVEL="WARNING",
        # The load is one user hammering the API: measure the pages, not the rate limit.
        API_THROTTLE_USER="1000000/hour",
    )
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _postgres_admin(database_url: str):
    """A connection to the server's ``postgres`` database and the benchmark database's name."""
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit("--database-url needs a database name, e.g. .../slaportal_load")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(admin_url, autocommit=True), name


def _postgres_create(database_url: str) -> None:
    connection, name = _postgres_admin(database_url)
    with connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            raise SystemExit(f"database {name} exists: drop it or name a new one (it is dropped at the end)")
        connection.execute(f'CREATE DATABASE "{name}"')


def _postgres_drop(database_url: str) -> None:
    connection, name = _postgres_admin(database_url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---------------------------------------------------------------- data


def _prepare(env: dict[str, str]) -> dict:
    """Migrate, collect static files, load the demo and events; the URLs' values."""
    for key in set(os.environ) - set(env):
        del os.environ[key]
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    _progress("migrated, static files collected")
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    _progress("demo data loaded")

    from compliance.engine.periods import format_period, previous_period
    from compliance.services.reports import report_run_start
    from compliance.services.tokens import api_token_create
    from compliance.views.compliance import default_period
    from contracts.models import Contract, User
    from contracts.models.contract import ContractStatus

    contract = Contract.objects.get(title=CONTRACT_TITLE)
    period = default_period(contract.time_zone)
    events = 0
    for active in Contract.objects.filter(status=ContractStatus.ACTIVE):
        events += _events(active, previous_period(*period), months=MONTHS_OF_EVENTS)
    _progress(f"{events} events added")
    run = report_run_start(period=format_period(*period))  # in-process without a broker
    _progress("reports made")
    run.refresh_from_db()
    _token, secret = api_token_create(user=User.objects.get(email=USER), name="Load benchmark")
    version = contract.versions.filter(in_force_from__isnull=False).order_by("-number").first()
    connections.close_all()
    return {
        "reference": contract.reference,
        "version": version.number,
        "period": format_period(*period),
        "token": secret,
        "events": events,
        "reports": run.items.filter(report__isnull=False).count(),
    }


def _progress(step: str) -> None:
    print(f"  {time.perf_counter() - STARTED:6.1f} s  {step}", file=sys.stderr)


def _events(contract, last: tuple[int, int], *, months: int, seed: int = 7) -> int:
    """Incidents, pauses, outages and work logs in the ``months`` months up to ``last``."""
    from compliance.engine.periods import period_bounds, previous_period
    from compliance.models import Incident, IncidentPause, Outage, WorkLog

    rng = random.Random(seed + contract.pk)
    version = contract.versions.filter(in_force_from__isnull=False).order_by("-number").first()
    names = list(version.services.filter(in_scope=True).values_list("name", flat=True)) or ["Service desk"]
    periods = [last]
    while len(periods) < months:
        periods.append(previous_period(*periods[-1]))
    incidents, outages, worklogs = [], [], []
    for year, month in periods:
        start, end = period_bounds(year, month, ZoneInfo(contract.time_zone))
        seconds = int((end - start).total_seconds())
        tag = f"{year}{month:02d}"
        for i in range(40):
            opened = start + timedelta(seconds=rng.randrange(seconds - 86400))
            response = opened + timedelta(minutes=rng.randrange(5, 240))
            resolved = response + timedelta(minutes=rng.randrange(10, 2000))
            customer_cause = rng.random() < 0.05
            incidents.append(
                Incident(
                    contract=contract,
                    external_id=f"INC-{tag}-{i}",
                    service=rng.choice(names),
                    priority=f"P{rng.randrange(1, 4)}",
                    opened_at=opened,
                    first_response_at=response,
                    resolved_at=resolved,
                    cause="customer" if customer_cause else "provider",
                    responsibility="risky_behaviour" if customer_cause else "",
                )
            )
        for i in range(3):
            down = start + timedelta(seconds=rng.randrange(seconds - 3600))
            outages.append(
                Outage(
                    contract=contract,
                    external_id=f"OUT-{tag}-{i}",
                    service=rng.choice(names),
                    start=down,
                    end=down + timedelta(minutes=rng.randrange(1, 45)),
                    planned=i == 0,
                )
            )
        for i in range(6):
            worklogs.append(
                WorkLog(
                    contract=contract,
                    external_id=f"WL-{tag}-{i}",
                    date=(start + timedelta(days=2 + 4 * i)).date(),
                    hours=rng.randrange(1, 8),
                    person="Load benchmark",
                )
            )
    created = Incident.objects.bulk_create(incidents)
    IncidentPause.objects.bulk_create(
        IncidentPause(
            incident=incident,
            start=incident.first_response_at,
            end=incident.first_response_at + timedelta(minutes=rng.randrange(10, 300)),
        )
        for incident in created
        if rng.random() < 0.2
    )
    Outage.objects.bulk_create(outages)
    WorkLog.objects.bulk_create(worklogs)
    return len(incidents) + len(outages) + len(worklogs)


def _pages(values: dict) -> list[dict]:
    """The pages under load: name, path, authentication, content type, weight when mixed."""
    ref, number, period = values["reference"], values["version"], values["period"]

    def page(name, path, auth, content_type, weight):
        return {"name": name, "path": path, "auth": auth, "content_type": content_type, "weight": weight}

    html, api = "text/html", "application/json"
    return [
        page("/healthz", "/healthz", "none", "text/plain", 0),
        page("login page", "/accounts/login/", "none", html, 2),
        page("dashboard", "/", "session", html, 10),
        page("contract", f"/contracts/{ref}/", "session", html, 10),
        page("terms", f"/contracts/{ref}/versions/{number}/terms/", "session", html, 5),
        page("compliance", f"/contracts/{ref}/compliance/?period={period}", "session", html, 8),
        page("scorecard", "/compliance/provider/", "session", html, 5),
        page("reports", f"/contracts/{ref}/reports/", "session", html, 4),
        page("contract PDF", f"/contracts/{ref}/versions/{number}/pdf/", "session", "application/pdf", 1),
        page("API contracts", "/api/v1/contracts/", "token", api, 10),
        page("API incidents", f"/api/v1/contracts/{ref}/incidents/?period={period}", "token", api, 10),
        page("API compliance", f"/api/v1/contracts/{ref}/compliance/{period}/", "token", api, 5),
    ]


# ---------------------------------------------------------------- serving


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(env: dict[str, str], data_dir: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    log = open(data_dir / "gunicorn.log", "w")  # noqa: SIM115 - kept open while it serves
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "slaportal.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=sync",
            "--timeout=60",
            "--graceful-timeout=20",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    import requests

    deadline = time.monotonic() + 90
    while True:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}:\n{_tail(data_dir / 'gunicorn.log')}")
        try:
            if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                return server, base
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            _stop(server)
            raise SystemExit("gunicorn did not answer /healthz within 90 s")
        time.sleep(0.2)


def _stop(server: subprocess.Popen) -> int:
    """SIGTERM: gunicorn finishes the requests in flight, then exits."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return server.returncode


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# ---------------------------------------------------------------- sessions and checks


def _sign_in(base: str, count: int) -> list[str]:
    """Sign in through the login form (with its CSRF token) ``count`` times: each browser's
    cookies (session and CSRF), as a ``Cookie`` header sends them."""
    import requests

    from contracts.management.demo import DEMO_PASSWORD

    login = f"{base}/accounts/login/"
    sessions = []
    for _ in range(count):
        with requests.Session() as browser:
            form = browser.get(login, timeout=30)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
            if form.status_code != 200 or not token:
                raise SystemExit(f"login page: HTTP {form.status_code}, CSRF token found: {bool(token)}")
            answer = browser.post(
                login,
                data={"username": USER, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token.group(1)},
                headers={"Referer": login},
                allow_redirects=False,
                timeout=30,
            )
            session = browser.cookies.get("sessionid")
            if answer.status_code != 302 or not session:
                raise SystemExit(f"signing in as {USER} failed: HTTP {answer.status_code}")
            sessions.append("; ".join(f"{name}={value}" for name, value in browser.cookies.items()))
    return sessions


def _check(base: str, pages: list[dict], cookies: str, token: str) -> list[str]:
    """One request per page before the load: what does not answer as expected."""
    import requests

    problems = []
    for page in pages:
        headers = {
            "session": {"Cookie": cookies},
            "token": {"Authorization": f"Token {token}"},
        }.get(page["auth"], {})
        answer = requests.get(base + page["path"], headers=headers, allow_redirects=False, timeout=120)
        content_type = answer.headers.get("Content-Type", "")
        if answer.status_code != 200 or not content_type.startswith(page["content_type"]):
            problems.append(f"{page['name']} ({page['path']}): HTTP {answer.status_code} {content_type}")
    return problems


# ---------------------------------------------------------------- load


def _locust(base: str, scenario: str, config: Path, out: Path, seconds: int, users: int) -> tuple[dict, bool]:
    """Run locust headless on one scenario: its stats rows by name, and whether locust
    reported its own CPU as the limit."""
    prefix = out / re.sub(r"[^a-z0-9]+", "-", scenario.lower()).strip("-")
    env = {**os.environ, "LOAD_CONFIG": str(config), "LOAD_SCENARIO": scenario}
    result = subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            f"--users={users}",
            f"--spawn-rate={users}",
            f"--run-time={seconds}s",
            f"--host={base}",
            f"--csv={prefix}",
            "--only-summary",
            "--stop-timeout=30",
            "--loglevel=WARNING",
        ],
        cwd=out,
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.exists():
        raise SystemExit(f"locust failed on {scenario} ({result.returncode}):\n{result.stderr[-3000:]}")
    with stats_file.open(newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open(newline="") as handle:
            for row in csv.DictReader(handle):
                print(f"  failures on {row['Name']}: {row['Occurrences']} × {row['Error']}", file=sys.stderr)
    return rows, "CPU usage" in result.stderr


def _figures(row: dict) -> dict:
    return {
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
    }


def _print_table(results: list[tuple[str, dict, bool]], base: dict) -> None:
    print(
        f"{'page':<16} {'requests':>9} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}"
        f" {'p95 ×healthz':>12} {'req/s ÷healthz':>14}"
    )
    for name, figures, cpu_bound in results:
        p95_ratio = figures["p95"] / base["p95"] if base["p95"] else float("nan")
        # A page's share of the mixed load says nothing next to /healthz alone.
        share = name.startswith("  ")
        rps_ratio = "" if share else f"{figures['rps'] / base['rps'] if base['rps'] else float('nan'):.3f}"
        mark = "  (locust at its CPU limit)" if cpu_bound else ""
        print(
            f"{name:<16} {figures['requests']:>9} {figures['rps']:>8.1f} {figures['p50']:>7.0f}"
            f" {figures['p95']:>7.0f} {figures['errors']:>6} {p95_ratio:>12.1f} {rps_ratio:>14}{mark}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="load time per page (default 20)")
    parser.add_argument("--concurrency", type=int, default=8, help="simulated users (default 8)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL URL of a database to create and drop (default: SQLite in a temporary directory)",
    )
    parser.add_argument(
        "--only", nargs="*", default=None, help="page names to load (default: all, then mixed)"
    )
    args = parser.parse_args()

    names = [page["name"] for page in _pages({"reference": "", "version": 1, "period": ""})]
    unknown = set(args.only or ()) - set(names)
    if unknown:
        parser.error(f"unknown pages {sorted(unknown)}; the pages are {names}")
    postgres = args.database_url.startswith(("postgres://", "postgresql://"))
    if args.database_url and not postgres:
        raise SystemExit("--database-url must be a postgres:// URL")
    with tempfile.TemporaryDirectory(prefix="slaportal-load-") as tmp:
        data_dir = Path(tmp)
        env = _environment(data_dir, args.database_url)
        if postgres:
            _postgres_create(args.database_url)
        server = None
        try:
            started = time.perf_counter()
            values = _prepare(env)
            pages = _pages(values)
            print(
                f"database: {'PostgreSQL' if postgres else 'SQLite'}; demo data, {values['events']} events,"
                f" {values['reports']} reports for {values['period']}; prepared in"
                f" {time.perf_counter() - started:.0f} s"
            )
            server, base = _serve(env, data_dir, args.workers)
            sessions = _sign_in(base, args.concurrency)
            problems = _check(base, pages, sessions[0], values["token"])
            if problems:
                print("pages that do not answer as expected:\n  " + "\n  ".join(problems), file=sys.stderr)
                return 1
            config = data_dir / "load.json"
            config.write_text(json.dumps({"pages": pages, "sessions": sessions, "token": values["token"]}))
            print(
                f"gunicorn: {args.workers} sync workers on {base}; locust: {args.concurrency} users,"
                f" {args.seconds} s per page, {os.cpu_count()} cores shared by both;"
                f" {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
            )
            names = [page["name"] for page in pages]
            chosen = ["/healthz"] + [n for n in names[1:] if args.only is None or n in args.only]
            if args.only is None:
                chosen.append("mixed")
            results = []
            for scenario in chosen:
                rows, cpu_bound = _locust(base, scenario, config, data_dir, args.seconds, args.concurrency)
                if scenario == "mixed":
                    results.extend((f"  {n}", _figures(rows[n]), False) for n in names if n in rows)
                    results.append(("mixed (all)", _figures(rows["Aggregated"]), cpu_bound))
                else:
                    results.append((scenario, _figures(rows[scenario]), cpu_bound))
                print(f"  {scenario}: {results[-1][1]['rps']:.1f} req/s", file=sys.stderr)
            print()
            _print_table(results, results[0][1])
            errors = sum(figures["errors"] for name, figures, _ in results if not name.startswith("  "))
        finally:
            if server is not None:
                code = _stop(server)
                print(f"\ngunicorn stopped (exit {code})")
                log = data_dir / "gunicorn.log"
                if re.search(r"Traceback|\[ERROR\]|\[CRITICAL\]", log.read_text(errors="replace")):
                    print(f"gunicorn log:\n{_tail(log)}", file=sys.stderr)
            if postgres:
                _postgres_drop(args.database_url)
    if errors:
        print(f"{errors} requests failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
