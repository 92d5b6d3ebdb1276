"""Running untrusted parsing in a bounded pool of short-lived processes, off the request thread.

``isolated_call(function, *args)`` runs ``function`` in a child process forked from a clean
fork server (started once per web process, with the parsing libraries already imported), with
a wall-clock timeout, a CPU-time limit and an address-space limit. At most ``slots`` calls run
at once per web process; a caller that cannot get a slot within ``wait`` seconds is told the
pool is busy instead of queueing without end. A child that overruns is killed, so no request
holds a worker longer than ``timeout`` plus ``wait``, and the parsing never competes with
other requests for the web process's interpreter lock.

The function and its arguments must be picklable (a module-level function, plain values).
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from dataclasses import dataclass

#: Modules the fork server imports once, so each child starts with them loaded.
PRELOAD = ["pyhanko.sign.validation", "pyhanko.pdf_utils.reader", "pyhanko_certvalidator", "pypdf"]


class IsolationError(Exception):
    """The call could not complete; the message is for people to read."""


class PoolBusy(IsolationError):
    """Every slot was taken for longer than the caller would wait."""


class CallTimedOut(IsolationError):
    """The child overran its time or memory and was stopped."""


class CallFailed(IsolationError):
    """The child raised, or died without an answer."""


@dataclass(frozen=True)
class Limits:
    timeout: float = 20.0
    memory_bytes: int = 1024 * 1024 * 1024
    slots: int = 2
    wait: float = 5.0


_lock = threading.Lock()
_semaphores: dict[int, threading.BoundedSemaphore] = {}
_context = None


def _semaphore(slots: int) -> threading.BoundedSemaphore:
    with _lock:
        if slots not in _semaphores:
            _semaphores[slots] = threading.BoundedSemaphore(slots)
        return _semaphores[slots]


def _ctx():
    global _context
    with _lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _context = context
        return _context


def _child(conn, function, args, kwargs, cpu_seconds: int, memory_bytes: int) -> None:
    import os
    import resource

    try:
        os.nice(10)  # the requests of the web process come first
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        if memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ValueError, OSError):  # pragma: no cover - a platform without these limits or nice
        pass
    try:
        conn.send(("ok", function(*args, **kwargs)))
    except MemoryError:
        conn.send(("memory", None))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, never raised here
        conn.send(("error", f"{exc.__class__.__name__}: {exc}"[:500]))
    finally:
        conn.close()


def isolated_call(function, *args, limits: Limits | None = None, **kwargs):
    """``function(*args, **kwargs)`` in a child process under ``limits`` (see the module)."""
    limits = limits or Limits()
    semaphore = _semaphore(limits.slots)
    if not semaphore.acquire(timeout=limits.wait):
        raise PoolBusy("all checking slots are busy")
    try:
        context = _ctx()
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_child,
            args=(sender, function, args, kwargs, int(limits.timeout) + 1, limits.memory_bytes),
            daemon=True,
        )
        started = time.monotonic()
        try:
            process.start()
        except OSError as exc:  # the child died while reading its arguments
            receiver.close()
            raise CallFailed(f"the child could not start: {exc}") from exc
        finally:
            sender.close()
        try:
            remaining = limits.timeout - (time.monotonic() - started)
            if not receiver.poll(max(remaining, 0)):
                raise CallTimedOut(f"stopped after {limits.timeout:g} s")
            try:
                status, value = receiver.recv()
            except EOFError as exc:  # killed by its CPU or memory limit
                raise CallTimedOut("stopped by its time or memory limit") from exc
        finally:
            receiver.close()
            if process.is_alive():
                process.join(0.5)
            if process.is_alive():
                process.kill()
                process.join(1)
            process.close()
        if status == "ok":
            return value
        if status == "memory":
            raise CallTimedOut("stopped by its memory limit")
        raise CallFailed(value)
    finally:
        semaphore.release()
