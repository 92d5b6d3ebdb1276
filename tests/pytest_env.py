"""Loaded with ``-p tests.pytest_env`` before Django's settings are imported (see pyproject.toml).

The live server builds its middleware once per session, so settings that middleware reads at
start-up must already hold when the settings module is first imported.
"""

import os

# Tests talk plain HTTP to the live server; production keeps HTTPS-only cookies and redirects.
os.environ.setdefault("SECURE_HTTPS", "0")
# Static files are served from their source folders, without a collectstatic manifest.
os.environ.setdefault("STATICFILES_MANIFEST", "0")
# Playwright's sync API runs an event loop in the test thread; Django must allow ORM use there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Under pytest-xdist each worker process gets a Redis database of its own for the Celery
# broker, so the real Celery workers that tests start never take each other's tasks, and
# purges and pings stay within one test process.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_broker = os.environ.get("CELERY_BROKER_URL", "")
if _worker.startswith("gw") and _broker.startswith("redis"):
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(_broker)
    _base = int(_parts.path.strip("/") or 0)
    _db = (_base + 1 + int(_worker[2:])) % 16
    os.environ["CELERY_BROKER_URL"] = urlunsplit(_parts._replace(path=f"/{_db}"))

# PostgreSQL: a test's commit need not wait for the write-ahead log to reach the disk (a
# crash loses nothing a test needs); the transactional tests commit often.
os.environ.setdefault("PGOPTIONS", "-c synchronous_commit=off")
