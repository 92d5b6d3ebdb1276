"""Queueing background work once the database change it is about has been committed.

A broker outage (Redis down or unreachable) must not turn a saved change into an error
page: the change is committed before the task is published, and the records themselves
say what is still to do (an invitation without ``email_sent_at``, a signer without
``notified_at``, a pending report run item or delivery, a request still sealing). So a
publish that fails after a short, bounded retry is logged as a warning and dropped;
``slaportal.requeue`` queues that work again once the broker is back (beat runs it every
few minutes; ``manage.py requeue_pending`` runs it by hand).

Without a broker (``CELERY_BROKER_URL`` unset) tasks run eagerly in-process as before, and
their own errors propagate as before: only errors of reaching the broker are absorbed.
``make run`` sets ``CELERY_BROKER_URL=filesystem://`` and starts a worker beside the web
server, so that no click waits on a PDF there either.
"""

from __future__ import annotations

import functools
import logging
import socket

from django.db import transaction

logger = logging.getLogger("slaportal.queueing")

# At most about two seconds of a web request are spent waiting for an unreachable broker:
# three tries, 0 s, 0.5 s and 1 s apart (each connection attempt is bounded by the
# transport's socket_connect_timeout, see settings).
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}


@functools.cache
def unreachable_errors() -> tuple[type[BaseException], ...]:
    """What a broker that cannot be reached raises; with the Redis client's own errors (raised
    e.g. by the result backend), loaded on first need: importing the client costs start-up time."""
    from kombu.exceptions import OperationalError as BrokerError

    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is a dependency of the broker transport
        return (BrokerError, ConnectionError, socket.timeout)
    return (BrokerError, ConnectionError, socket.timeout, RedisConnectionError, RedisTimeoutError)


def _app():
    """The portal's Celery app, loaded on first use: a process that queues nothing never
    imports Celery."""
    from slaportal.celery import app

    return app


def runs_in_background() -> bool:
    """True when queued work runs in a worker process (a broker is configured, the embedded
    one of `make run` included); False when it runs in-process, inside the request."""
    return not _app().conf.task_always_eager


def task_named(name: str):
    """The registered Celery task called ``name`` (``"app.tasks.function"``).

    Services queue work by name so that they never import the tasks that call them back."""
    app = _app()
    if name not in app.tasks:
        # Outside a worker nothing imports the apps' task modules: import each app's
        # ``tasks`` now (without the worker's start-up checks, which reconfigure logging).
        app.autodiscover_tasks(force=True)
    return app.tasks[name]


def enqueue(task, *args, **kwargs) -> bool:
    """Publish ``task(*args, **kwargs)`` now; ``task`` is a task or its name. True when queued
    (or run, when eager); False, with a warning logged, when the broker cannot be reached."""
    app = _app()
    if app.conf.task_always_eager:
        task = task_named(task) if isinstance(task, str) else task
        task.apply_async(args=args, kwargs=kwargs)  # runs here; its errors are its own
        return True
    name = task if isinstance(task, str) else task.name
    try:
        # Published by name: the web process never imports the task modules (nor the PDF
        # renderer they load). It never waits for these results either: ignore_result keeps
        # the publish from subscribing to the result backend (one more round trip that can fail).
        app.send_task(
            name, args=args, kwargs=kwargs, retry=True, retry_policy=PUBLISH_RETRY_POLICY, ignore_result=True
        )
    except unreachable_errors() as exc:
        logger.warning(
            "Could not queue %s%r: broker unreachable (%s); the work stays pending and is "
            "queued again by requeue_pending_work.",
            name,
            args,
            exc,
        )
        return False
    return True


def enqueue_on_commit(task, *args, robust: bool = False, **kwargs) -> None:
    """Queue ``task(*args, **kwargs)`` (a task or its name) once the current transaction commits (at once in
    autocommit). ``robust``: an error of the task itself (eager mode) is logged rather than
    raised, see ``transaction.on_commit``."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs), robust=robust)
