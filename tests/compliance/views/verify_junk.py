"""Hostile uploads for /verify/: files that are not sealed PDFs of the portal."""

from __future__ import annotations

MB = 1024 * 1024


def header_and_zeros(size: int = 24 * MB) -> bytes:
    """A PDF header and zero bytes: what once held a web worker for a minute."""
    return b"%PDF-1.7\n" + bytes(size - 9)


def crafted(size: int = 24 * MB, *, tail: bytes | None = None) -> bytes:
    """Junk shaped to pass every cheap structural check (a header, a signature dictionary
    with a plausible /ByteRange, a cross-reference offset, an end-of-file marker): only
    parsing tells it apart from a sealed PDF."""
    contents = b"<" + b"0" * 64 + b">"
    prefix = (
        b"%PDF-1.7\n1 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /Contents "
    )
    tail = tail if tail is not None else b"\nstartxref\n9\n%%EOF\n"
    first, second = len(prefix), len(prefix) + len(contents)
    range_len = len(b" /ByteRange [0 0000000000 0000000000 0000000000] >>\nendobj\n")
    filler = size - second - range_len - len(tail)
    byte_range = b" /ByteRange [0 %010d %010d %010d] >>\nendobj\n" % (first, second, size - second)
    return prefix + contents + byte_range + bytes(filler) + tail


def flood(base: str, seconds: float, out, csrf_cookie: str = "csrftoken") -> None:
    """Four attackers uploading 24 MB junk to ``base``/verify/ in parallel for ``seconds``;
    the status codes (or errors) go to the queue ``out``. Run in a process of its own, so the
    attackers' work does not share the server's interpreter lock as it would not in reality.
    Three attackers spread over many addresses (sent as X-Forwarded-For), one keeps one."""
    import itertools
    import threading
    import time

    import requests

    junk = [header_and_zeros(), crafted()]
    deadline = time.monotonic() + seconds
    statuses: list = []
    counter = itertools.count(1)

    def attacker(number: int):
        try:
            session = requests.Session()
            session.get(base + "/verify/", timeout=30)
            token = session.cookies[csrf_cookie]
            for turn in itertools.count():
                if time.monotonic() > deadline:
                    return
                address = "203.0.113.9" if number == 3 else f"198.51.{next(counter) % 250}.{number + 1}"
                response = session.post(
                    base + "/verify/",
                    data={"csrfmiddlewaretoken": token},
                    files={"file": ("file.pdf", junk[(turn + number) % 2], "application/pdf")},
                    headers={"Referer": base + "/verify/", "X-Forwarded-For": address},
                    timeout=120,
                )
                statuses.append(response.status_code)
        except Exception as exc:  # reported to the test
            statuses.append(repr(exc))

    threads = [threading.Thread(target=attacker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put(statuses)
