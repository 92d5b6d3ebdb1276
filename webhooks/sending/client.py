"""One POST of a webhook, to an address checked beforehand, following no redirect.

The connection is made to the checked address itself (never by resolving the host again),
while the request still names the host (``Host`` header, and TLS server name and
certificate check for https).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from webhooks.sending.addresses import AddressRefused, IPAddress, checked_addresses, resolve, split_url

RESPONSE_EXCERPT = 500  # characters of the response body kept in the delivery log


@dataclass(frozen=True)
class Outcome:
    """What one attempt got: a status code (None when no answer came), how long it took,
    and the error or the start of the answer's body."""

    status_code: int | None
    duration_ms: int
    error: str = ""
    response_excerpt: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: IPAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = str(address)

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: IPAddress, timeout: float, context) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = str(address)

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _target(url: str) -> str:
    _, _, rest = url.partition("://")
    slash = rest.find("/")
    path = rest[slash:] if slash >= 0 else "/"
    return path.split("#", 1)[0] or "/"


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    allow_private: bool = False,
    timeout: float = 10.0,
    resolver=resolve,
    tls_context: ssl.SSLContext | None = None,
) -> Outcome:
    """POST ``body`` to ``url`` and say what came back; never raises for network trouble.

    A refused address, a connection error, a timeout or a redirect are outcomes with an
    error and no success; only a 2xx answer is a success."""
    started = time.monotonic()

    def elapsed() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        scheme, host, port = split_url(url)
        addresses = checked_addresses(url, allow_private=allow_private, resolver=resolver)
    except AddressRefused as exc:
        return Outcome(None, elapsed(), error=str(exc))
    last_error = ""
    for address in addresses:
        if scheme == "https":
            connection = _PinnedHTTPSConnection(
                host,
                port,
                address=address,
                timeout=timeout,
                context=tls_context or ssl.create_default_context(),
            )
        else:
            connection = _PinnedHTTPConnection(host, port, address=address, timeout=timeout)
        try:
            connection.connect()
        except OSError as exc:  # refused, unreachable, TLS failure: try the next address
            last_error = f"Could not connect to {address}: {exc}"
            connection.close()
            continue
        try:
            connection.request("POST", _target(url), body=body, headers=headers)
            response = connection.getresponse()
            excerpt = response.read(RESPONSE_EXCERPT * 4).decode("utf-8", "replace")[:RESPONSE_EXCERPT]
        except (OSError, http.client.HTTPException) as exc:
            reason = (
                "timed out"
                if isinstance(exc, TimeoutError | socket.timeout)
                else str(exc) or type(exc).__name__
            )
            return Outcome(None, elapsed(), error=f"No answer from {address}: {reason}")
        finally:
            connection.close()
        error = ""
        if 300 <= response.status < 400:
            error = "Redirects are not followed: point the subscription at the final URL."
        elif not 200 <= response.status < 300:
            error = f"The receiver answered {response.status} {response.reason}".strip()
        return Outcome(response.status, elapsed(), error=error, response_excerpt=excerpt)
    return Outcome(None, elapsed(), error=last_error or "Could not connect.")
