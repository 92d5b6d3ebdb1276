"""Which network addresses an outgoing webhook may reach.

A subscriber's URL is typed by a user, so the portal must not become a way to reach what
only the server can reach (server-side request forgery): its own loopback, the cloud's
metadata service on a link-local address, or machines of the private network. The host is
resolved, every address it resolves to is checked, and the request is then made to one of
the checked addresses (see ``client``), so that a second, different DNS answer cannot slip
in between the check and the connection.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 prefixes that carry an IPv4 address, checked as that IPv4 address.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT


class AddressRefused(Exception):
    """The URL may not be called; the message says why, in words for the subscriber."""


def refusal(address: IPAddress, *, allow_private: bool = False) -> str | None:
    """What kind of address ``address`` is when it may not be called ("a loopback
    address"), or None when it may.

    Multicast and the unspecified address are never callable; loopback, link-local, private,
    shared (carrier-grade NAT) and reserved addresses only when ``allow_private``."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return refusal(embedded, allow_private=allow_private)
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if allow_private:
        return None
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if isinstance(address, ipaddress.IPv4Address) and address in SHARED:
        return "a shared (carrier-grade NAT) address"
    if address.is_private:
        return "a private address"
    if address.is_reserved or not address.is_global:
        return "a reserved address"
    return None


Resolver = Callable[[str, int], Sequence[str]]


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6), in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for *_, sockaddr in infos:
        address = sockaddr[0].split("%", 1)[0]
        if address not in seen:
            seen.append(address)
    return seen


def split_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL; AddressRefused when it is not one."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise AddressRefused(f"The URL is not valid: {exc}.") from None
    if parts.scheme not in ("http", "https"):
        raise AddressRefused("The URL must start with https:// (or http://).")
    if not parts.hostname:
        raise AddressRefused("The URL has no host name.")
    if parts.username or parts.password:
        raise AddressRefused("The URL may not carry a user name or password.")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def checked_addresses(
    url: str, *, allow_private: bool = False, resolver: Resolver = resolve
) -> list[IPAddress]:
    """The addresses the URL's host resolves to, every one of them allowed.

    Raises AddressRefused when the URL is not http(s), the host does not resolve, or any of
    its addresses is refused: one bad address among good ones refuses the host, since the
    connection could otherwise be steered to it."""
    _, host, port = split_url(url)
    literal = None
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        try:
            found = resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise AddressRefused(f"The host {host} could not be resolved ({exc}).") from None
        addresses = [ipaddress.ip_address(a) for a in found]
    else:
        addresses = [literal]
    is_literal = len(addresses) == 1 and addresses[0] == literal
    if not addresses:
        raise AddressRefused(f"The host {host} has no address.")
    for address in addresses:
        kind = refusal(address, allow_private=allow_private)
        if kind:
            if is_literal:
                raise AddressRefused(f"Refused: {host} is {kind}.")
            raise AddressRefused(f"Refused: {host} resolves to {address}, {kind}.")
    return addresses
