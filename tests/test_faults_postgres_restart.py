"""PostgreSQL really restarted in the middle of a request.

The portal runs under gunicorn against a PostgreSQL cluster of its own (``initdb`` in a
temporary folder, on a free loopback port), so that restarting it disturbs no other test.
A form post that writes several rows in one transaction (a new customer organisation, its
invitation, then the contract) is held half-way on a row lock the test owns; the cluster is
then restarted (``pg_ctl restart -m fast``). The user gets the portal's own error page
saying the change was not saved, nothing of the half-done transaction remains, and the next
request, on a fresh connection, saves it.

Needs PostgreSQL's server programs (``initdb``, ``pg_ctl``: Debian's postgresql package);
under CI their absence is a failure.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings

from tests.services import require
from tests.test_faults_postgres import assert_not_saved_page, contract_form, post_in_background

ROOT = Path(settings.BASE_DIR)
EMAIL, PASSWORD = "author@restart.example", "a long enough password 42"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bindir() -> Path | None:
    for candidate in [os.environ.get("PG_BINDIR", ""), *sorted(glob.glob("/usr/lib/postgresql/*/bin"))[::-1]]:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class Cluster:
    """A throw-away PostgreSQL cluster; as root, run as the ``postgres`` system user."""

    def __init__(self, bindir: Path, folder: Path) -> None:
        self.bindir, self.data, self.port = bindir, folder / "data", _free_port()
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_owner:
            shutil.chown(folder, "postgres")
        self.log = folder / "server.log"

    def run(self, program: str, *args: str, timeout: float = 120) -> None:
        subprocess.run(
            [*self.as_owner, str(self.bindir / program), *args],
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    def init(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", action, "-D", str(self.data), "-w", "-l", str(self.log), "-o", options, *extra)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/portal"

    def connect(self, **kwargs) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="portal", **kwargs)


@pytest.fixture(scope="module")
def cluster():
    bindir = _pg_bindir()
    require(bindir is not None, "PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    require(
        shutil.which("runuser") is not None or os.geteuid() != 0, "runuser is needed to run initdb as root"
    )
    # Not under pytest's temporary folder: that is private to this user, and the server runs
    # as another one.
    folder = Path(tempfile.mkdtemp(prefix="slaportal-pg-"))
    cluster = Cluster(bindir, folder)
    try:
        cluster.init()
        cluster.pg_ctl("start")
        with psycopg.connect(host="127.0.0.1", port=cluster.port, user="postgres", autocommit=True) as pg:
            pg.execute("CREATE DATABASE portal")
        yield cluster
    finally:
        if (cluster.data / "postmaster.pid").exists():
            cluster.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def portal(cluster, tmp_path_factory):
    """The portal under gunicorn on the private cluster, with one provider author."""
    data_dir = tmp_path_factory.mktemp("portal-data")
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "DATA_DIR": str(data_dir),
        "DEBUG": "0",
        "SECRET_KEY": "restart-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_HTTPS": "0",
        "STATICFILES_MANIFEST": "0",
        "CONN_MAX_AGE": "60",
    }
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "EMAIL_HOST", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT, timeout=300)
    setup = (
        "from contracts import services\n"
        "from contracts.models import Organisation, User\n"
        "org = Organisation.objects.create(name='Restart Managed IT', slug='restart-it', is_provider=True)\n"
        f"user = User.objects.create_user(email={EMAIL!r}, password={PASSWORD!r})\n"
        "services.membership_set(user=user, organisation=org, role='author', receives_reports=False)\n"
    )
    subprocess.run([*manage, "shell", "-c", setup], env=env, check=True, cwd=ROOT, timeout=120)
    port = _free_port()
    log = open(data_dir / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "slaportal.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "--threads",
            "4",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(base + "/healthz", timeout=5)
            break
        except requests.RequestException:  # not listening yet, or still starting
            if server.poll() is not None or time.monotonic() > deadline:
                log.close()
                raise RuntimeError((data_dir / "gunicorn.log").read_text()) from None
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=20)
    log.close()


def _signed_in(base: str) -> requests.Session:
    session = requests.Session()
    session.get(base + "/accounts/login/", timeout=10)
    response = session.post(
        base + "/accounts/login/",
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"], "username": EMAIL, "password": PASSWORD},
        headers={"Referer": base + "/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]
    assert session.get(base + "/contracts/new/", timeout=10).status_code == 200
    session.csrf = session.cookies["csrftoken"]
    return session


def _counts(cluster) -> tuple[int, int, int]:
    with cluster.connect() as pg:
        return tuple(
            pg.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
            for table in ("contracts_organisation", "contracts_invitation", "contracts_contract")
        )


def test_postgresql_restart_mid_request_shows_error_page_and_writes_nothing(cluster, portal):
    session = _signed_in(portal)
    before = _counts(cluster)
    year = time.gmtime().tm_year
    with cluster.connect(autocommit=True) as setup:
        setup.execute(
            "INSERT INTO contracts_referencecounter (year, last_number) VALUES (%s, 0) "
            "ON CONFLICT DO NOTHING",
            [year],
        )
    holder = cluster.connect(autocommit=True)
    holder.execute("BEGIN")
    holder.execute("SELECT * FROM contracts_referencecounter WHERE year = %s FOR UPDATE", [year])
    outcome = post_in_background(session, portal + "/contracts/new/", contract_form(session))
    deadline = time.monotonic() + 20
    while True:  # the request has written the organisation and invitation, and waits on the lock
        holder.execute("SELECT pg_stat_clear_snapshot()")
        waiting = holder.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = 'portal' AND wait_event_type = 'Lock'"
        ).fetchone()[0]
        if waiting:
            break
        assert time.monotonic() < deadline, "the request never waited for the locked row"
        time.sleep(0.05)

    cluster.pg_ctl("restart", "-m", "fast")
    holder.close()

    assert_not_saved_page(outcome)
    assert _counts(cluster) == before

    # The next request gets a fresh connection and saves the contract, once.
    response = session.post(portal + "/contracts/new/", data=contract_form(session), allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    organisations, invitations, contracts = _counts(cluster)
    assert (organisations, invitations, contracts) == (before[0] + 1, before[1] + 1, before[2] + 1)
