"""Real services the suite may need, and what to do when one is missing.

Outside CI a missing service skips the test with the reason; under CI (CI=true) it fails,
so that CI always exercises the real parts.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    if condition:
        return
    if in_ci():
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_chromium() -> None:
    require(
        os.path.exists(CHROMIUM),
        f"Chromium not found at {CHROMIUM} (install it with: apt-get install chromium)",
    )


def require_broker() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    require(bool(url), "CELERY_BROKER_URL is not set: no real Celery worker to test against")
    parsed = urlparse(url)
    require(
        port_open(parsed.hostname or "127.0.0.1", parsed.port or 6379),
        f"the Celery broker at {parsed.hostname}:{parsed.port} does not answer",
    )
    return url


def require_tool(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} is not installed")
    return path


def api_error_fields(response) -> set[str]:
    """The fields an API error answer (400 or 409, the one error shape) names."""
    return {field for item in response.json().get("errors", []) for field in item["errors"]}
