import asyncio
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message

import pytest

from tests import factories
from tests.services import CHROMIUM, require_broker, require_chromium


@pytest.fixture(autouse=True)
def _portal_test_settings(settings, request):
    """Fast password hashing; eager Celery unless a test needs a real worker."""
    # Password hashing at production strength would dominate the suite's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from slaportal.celery import app

    eager = request.node.get_closest_marker("worker") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    # The API's rate-limit counters are per user id, and ids come round again between tests.
    from django.core.cache import cache, caches

    cache.clear()
    # Rendered PDFs in this test's own memory: a cache shared on disk by the parallel test
    # processes would be cleared under another test's feet.
    settings.CACHES = {
        **settings.CACHES,
        "documents": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"documents-{request.node.nodeid}",
        },
        # Kept pages too: each test's database starts from the same token.
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"pages-{request.node.nodeid}",
        },
        "pages_memory": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"pages-memory-{request.node.nodeid}",
        },
        "sessions_memory": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"sessions-memory-{request.node.nodeid}",
        },
    }
    caches["documents"].clear()
    yield
    app.conf.task_always_eager = previous


# ---------------------------------------------------------------- parties


@dataclass
class Tenants:
    """A provider with a customer, and an outsider organisation with its own contract."""

    provider: object
    customer: object
    outsider: object
    provider_admin: object
    provider_author: object
    provider_viewer: object
    customer_admin: object
    customer_signer: object
    outsider_admin: object
    contract: object
    outsider_contract: object


@pytest.fixture
def tenants(db) -> Tenants:
    provider = factories.organisation("Brightline Managed IT", is_provider=True)
    customer = factories.organisation("Harbour Dental")
    outsider = factories.organisation("Outsider Ltd", is_provider=True)
    outsider_customer = factories.organisation("Outsider Customer")
    return Tenants(
        provider=provider,
        customer=customer,
        outsider=outsider,
        provider_admin=factories.member(provider, "admin", "alice@brightline.example"),
        provider_author=factories.member(provider, "author", "arthur@brightline.example"),
        provider_viewer=factories.member(provider, "viewer", "victor@brightline.example"),
        customer_admin=factories.member(customer, "admin", "hannah@harbour.example", receives_reports=True),
        customer_signer=factories.member(customer, "signer", "sam@harbour.example"),
        outsider_admin=factories.member(outsider, "admin", "olga@outsider.example"),
        contract=factories.contract(provider, customer, title="Managed IT"),
        outsider_contract=factories.contract(outsider, outsider_customer, title="Secret outsider deal"),
    )


@pytest.fixture
def client_for(client):
    """Log a test client in as the given user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Pages as a reader who asked for reduced motion sees them: no colour transitions, so
    # axe measures a focused button's contrast in its final colours, not half-way.
    return {**browser_context_args, "reduced_motion": "reduce"}


CSP_VIOLATION_SIGNS = ("Content Security Policy", "Refused to")


SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
#: The one screen of a test that sets its viewport itself (it parametrizes ``width`` or
#: ``viewport``, or is marked ``viewport_set_by_test``): it is not run twice.
AS_THE_TEST_SETS_IT = "as-set"


def _sets_its_own_viewport(metafunc) -> bool:
    if {"width", "viewport"} & set(metafunc.fixturenames):
        return True
    if metafunc.definition.get_closest_marker("viewport_set_by_test"):
        return True
    # The browser journeys run at both widths; other browser checks (security headers) once.
    return "browser" not in metafunc.definition.path.parent.name


# Where the long tests go. ``--dist worksteal`` gives each worker an equal run of the collected
# tests to start with (idle workers then take tests from the end of busy ones' runs): each run
# starts with its share of the long tests, so that they run beside the short ones instead of
# several of them in one worker, or alone at the end.
_LONG = ("long", "worker", "flood", "browser")


def pytest_collection_modifyitems(config, items):
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers < 2:
        return

    def rank(item) -> int:
        marks = {mark.name for mark in item.iter_markers()}
        return next((n for n, name in enumerate(_LONG) if name in marks), len(_LONG))

    long = sorted((item for item in items if rank(item) < len(_LONG)), key=rank)
    short = [item for item in items if rank(item) == len(_LONG)]
    size = -(-len(items) // workers)  # each worker's first run, as worksteal splits it
    runs = [long[n::workers] for n in range(workers)]
    for run in runs:
        take = max(0, size - len(run))
        run.extend(short[:take])
        del short[:take]
    runs[-1].extend(short)
    items[:] = [item for run in runs for item in run]


def pytest_generate_tests(metafunc):
    """Every browser journey runs at desktop and at phone width: ids end [desktop] / [phone]."""
    if "screen" not in metafunc.fixturenames:
        return
    if _sets_its_own_viewport(metafunc):
        metafunc.parametrize("screen", [AS_THE_TEST_SETS_IT], indirect=True, ids=[AS_THE_TEST_SETS_IT])
    else:
        metafunc.parametrize("screen", list(SCREENS), indirect=True, ids=list(SCREENS))


@pytest.fixture
def screen(request) -> str:
    """The screen a browser test runs on: "desktop" (1280×800), "phone" (390×844), or
    "as-set" where the test sets its viewport itself."""
    return getattr(request, "param", AS_THE_TEST_SETS_IT)


@pytest.fixture
def browser_page(request, live_server, screen):
    """A Playwright page in Debian's Chromium, with the live server's URL as base, at the
    width of ``screen``.

    Every page the test visits must keep within the Content Security Policy: a violation
    Chromium reports on the console fails the test at teardown."""
    require_chromium()
    page = request.getfixturevalue("page")
    if screen in SCREENS:
        page.set_viewport_size(SCREENS[screen])
    page.screen = screen
    page.set_default_timeout(10_000)
    page.base = live_server.url
    violations: list[str] = []

    def on_console(message):
        if any(sign in message.text for sign in CSP_VIOLATION_SIGNS):
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.csp_violations = violations
    yield page
    if violations:
        pytest.fail("Content Security Policy violations:\n" + "\n".join(violations), pytrace=False)


# ---------------------------------------------------------------- mail


@dataclass
class SMTPServer:
    host: str
    port: int
    messages: list[Message]
    #: Seconds the server takes before it accepts a message (0: at once); a test that
    #: kills a worker in the middle of sending sets it.
    delay: float = 0.0

    @property
    def reports(self) -> list[Message]:
        """The monthly report emails received (not the credit notes or other email)."""
        return [m for m in self.messages if "compliance report for" in " ".join(m["Subject"].split())]

    @property
    def credit_notes(self) -> list[Message]:
        """The credit note emails received."""
        return [m for m in self.messages if ": credit note " in " ".join(m["Subject"].split())]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages

    def wait_until(self, arrived, timeout: float = 20.0) -> list[Message]:
        """Wait until ``arrived(self)`` is true (or the timeout); returns the messages."""
        deadline = time.monotonic() + timeout
        while not arrived(self) and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free loopback port; Django's mail goes to it."""
    from aiosmtpd.controller import Controller

    received: list[Message] = []
    state = SMTPServer("", 0, received)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            if state.delay:
                await asyncio.sleep(state.delay)
            message = message_from_bytes(envelope.original_content or envelope.content)
            message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
            received.append(message)
            return "250 Message accepted for delivery"

    host, port = "127.0.0.1", _free_port()
    controller = Controller(Handler(), hostname=host, port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = host, port
    settings.EMAIL_USE_TLS = False
    state.host, state.port = host, port
    yield state
    controller.stop()


# ---------------------------------------------------------------- background work


@pytest.fixture
def celery_worker_process(transactional_db, smtp_server, settings, tmp_path):
    """A real Celery worker process on the configured broker, using the test database
    and the test SMTP server. Tests using it must be marked ``worker``."""
    broker = require_broker()
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        database_url = f"sqlite:///{db['NAME']}"
    else:
        database_url = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
        "SECURE_HTTPS": "0",
        "DATA_DIR": str(tmp_path / "worker-data"),
    }
    from slaportal.celery import app

    app.control.purge()
    pidfile = tmp_path / "worker.pid"
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "slaportal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            f"--pidfile={pidfile}",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    _wait_for_worker(app, process, tmp_path / "worker.log")
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def _wait_for_worker(app, process, log_path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Celery worker exited early:\n{log_path.read_text()}")
        if app.control.ping(timeout=0.5):
            return
    process.kill()
    raise RuntimeError(f"Celery worker did not answer within {timeout}s:\n{log_path.read_text()}")


def _test_database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def embedded_worker(transactional_db, smtp_server, settings, tmp_path, monkeypatch):
    """What `make run` starts: a real Celery worker process on the file-system broker (no
    broker server), with the test process publishing to the same folder. It shares the test
    database, media files, sealing key and SMTP server."""
    from slaportal.celery import app

    broker_dir = tmp_path / "broker"
    documents = tmp_path / "document-cache"  # rendered PDFs, written by the worker
    settings.CACHES = {
        **settings.CACHES,
        "documents": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(documents),
        },
    }
    env = {
        **os.environ,
        "DOCUMENT_CACHE_URL": f"filecache://{documents}",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": "filesystem://localhost/",
        "BROKER_DIR": str(broker_dir),
        "CELERY_RESULT_BACKEND": "",
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
        "SECURE_HTTPS": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "DATA_DIR": str(tmp_path / "worker-data"),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SIGNING_KEY_FILE": str(settings.SIGNING_KEY_FILE),
        "SIGNING_CERT_FILE": str(settings.SIGNING_CERT_FILE),
        "SIGNING_TSA_URL": settings.SIGNING_TSA_URL,
    }
    for folder in ("queue", "control"):
        (broker_dir / folder).mkdir(parents=True)
    options = {
        "data_folder_in": str(broker_dir / "queue"),
        "data_folder_out": str(broker_dir / "queue"),
        "control_folder": str(broker_dir / "control"),
    }
    saved = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager)
    # Celery reads CELERY_BROKER_URL from the environment before its configuration: where the
    # suite runs against a broker server, the test process would publish there instead.
    monkeypatch.setenv("CELERY_BROKER_URL", "filesystem://localhost/")
    app.conf.broker_url, app.conf.broker_transport_options = "filesystem://localhost/", options
    app.conf.task_always_eager = False
    app._pool, app.amqp._producer_pool = None, None  # connect anew, to the folder above
    log_path = tmp_path / "worker.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "slaportal", "worker", "--pool=solo", "--loglevel=INFO"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while " ready." not in log_path.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"The embedded Celery worker did not start:\n{log_path.read_text()}")
        time.sleep(0.2)
    process.log_path = log_path
    yield process
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
    app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_always_eager = saved
    app._pool, app.amqp._producer_pool = None, None
