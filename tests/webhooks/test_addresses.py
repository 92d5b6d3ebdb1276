"""Which addresses an outgoing webhook may reach (no database): loopback, link-local,
private and other non-public addresses are refused, by literal or by what a name resolves
to, unless the operator allows private addresses."""

import ipaddress
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webhooks.sending.addresses import AddressRefused, checked_addresses, refusal

REFUSED = [
    ("127.0.0.1", "a loopback address"),
    ("127.255.0.9", "a loopback address"),
    ("10.0.0.1", "a private address"),
    ("172.16.5.4", "a private address"),
    ("192.168.1.10", "a private address"),
    ("169.254.169.254", "a link-local address"),  # cloud metadata service
    ("100.64.0.1", "a shared (carrier-grade NAT) address"),
    ("0.0.0.0", "the unspecified address"),  # noqa: S104 - an address refused, not bound
    ("224.0.0.1", "a multicast address"),
    ("240.0.0.1", "a private address"),  # reserved for future use
    ("192.0.2.1", "a private address"),  # documentation range (TEST-NET-1)
    ("::1", "a loopback address"),
    ("::", "the unspecified address"),
    ("fe80::1", "a link-local address"),
    ("fc00::1", "a private address"),
    ("fd12:3456::1", "a private address"),
    ("::ffff:127.0.0.1", "a loopback address"),  # IPv4-mapped
    ("::ffff:10.1.2.3", "a private address"),
    ("64:ff9b::a9fe:a9fe", "a link-local address"),  # NAT64 of 169.254.169.254
    ("2002:c0a8:0101::1", "a private address"),  # 6to4 of 192.168.1.1
    ("ff02::1", "a multicast address"),
    ("2001:db8::1", "a private address"),  # documentation
]
ALLOWED = ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:82b::200e"]


@pytest.mark.parametrize(("address", "kind"), REFUSED)
def test_non_public_addresses_are_refused(address, kind):
    assert refusal(ipaddress.ip_address(address)) == kind
    with pytest.raises(AddressRefused, match=re.escape(f"Refused: {address} is {kind}.")):
        checked_addresses(f"https://[{address}]/hook" if ":" in address else f"https://{address}/hook")


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_are_allowed(address):
    assert refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("address", "allowed"),
    [("127.0.0.1", True), ("10.0.0.1", True), ("fe80::1", True), ("0.0.0.0", False), ("ff02::1", False)],  # noqa: S104
)
def test_the_operator_setting_allows_private_but_never_unspecified_or_multicast(address, allowed):
    assert (refusal(ipaddress.ip_address(address), allow_private=True) is None) is allowed


def _resolver(table):
    def resolve(host, port):
        if host not in table:
            raise OSError("Name or service not known")
        return table[host]

    return resolve


DNS = {
    "hooks.example.com": ["93.184.215.14"],
    "internal.example.com": ["10.20.30.40"],
    "metadata.example.com": ["169.254.169.254"],
    "localhost.example.com": ["::1"],
    # One bad address among good ones refuses the host: the connection could go to it.
    "mixed.example.com": ["93.184.215.14", "192.168.0.7"],
    "v6private.example.com": ["2606:4700:4700::1111", "fd00::7"],
}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://internal.example.com/x", "internal.example.com resolves to 10.20.30.40, a private address"),
        ("https://metadata.example.com/", "resolves to 169.254.169.254, a link-local address"),
        ("http://localhost.example.com:8080/", "resolves to ::1, a loopback address"),
        ("https://mixed.example.com/", "resolves to 192.168.0.7, a private address"),
        ("https://v6private.example.com/", "resolves to fd00::7, a private address"),
        ("https://nowhere.example.com/", "could not be resolved"),
        ("ftp://hooks.example.com/", "must start with https://"),
        ("https://user:pw@hooks.example.com/", "user name or password"),
        ("https:///path", "no host name"),
        ("https://hooks.example.com:99999/", "not valid"),
    ],
)
def test_names_resolving_to_refused_addresses_are_refused(url, message):
    with pytest.raises(AddressRefused, match=re.escape(message)):
        checked_addresses(url, resolver=_resolver(DNS))


def test_a_public_name_answers_its_addresses():
    found = checked_addresses("https://hooks.example.com/x", resolver=_resolver(DNS))
    assert found == [ipaddress.ip_address("93.184.215.14")]


@given(st.integers(min_value=0, max_value=2**24 - 1))
def test_every_address_of_10_slash_8_is_refused(offset):
    address = ipaddress.IPv4Address(int(ipaddress.IPv4Address("10.0.0.0")) + offset)
    assert refusal(address) == "a private address"
    assert refusal(ipaddress.IPv6Address(f"::ffff:{address}")) == "a private address"
