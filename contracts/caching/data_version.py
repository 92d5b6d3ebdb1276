"""Whether the portal's data changed since a page was made, known from one small read.

Every connection gets an execute wrapper (``watch_connection``, connected to Django's
``connection_created``) that notices statements that write. Each write

- counts in this process at once (``local_writes``), so a page this process made before the
  write is not served after it, even inside the transaction that made it (tests, a view that
  writes and then renders);
- gives the one ``DataVersion`` row a new random token once the transaction commits, for every
  other process (gunicorn and Celery workers). The token is written after the commit, in a
  statement of its own, so no transaction holds its row while it runs: writers never wait on
  each other for it. A random token rather than a counter: a rolled-back test transaction
  brings an old token back together with the data it stood for, and never one that another
  state of the data had.

Writes that do not go through Django's connections (``psql``, another program) are not
noticed: pages cached then stay until the next write or for ``PAGE_CACHE_SECONDS``.
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

from contracts.models.data_version import SINGLE_ROW, DataVersion

TABLE = DataVersion._meta.db_table
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|TRUNCATE|REPLACE)\b", re.IGNORECASE)
_counter = itertools.count(1)
_local = 0


def local_writes() -> int:
    """How many writing statements this process has run."""
    return _local


def current_token(connection) -> str:
    """The data's token as this connection sees it ("" before the first write stored one)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TABLE} WHERE id = %s", [SINGLE_ROW])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else ""


#: Within a request: this process's write count and the token read at that count.
_read: ContextVar[list | None] = ContextVar("data_token_read", default=None)


@contextmanager
def one_read_per_request() -> Iterator[None]:
    """While inside, ``data_state`` reads the token once, and again only after this process
    wrote: the session, the person and the page of one request share one read."""
    marker = _read.set([])
    try:
        yield
    finally:
        _read.reset(marker)


def data_state() -> str:
    """The state of the data as this process sees it, for keys of what is kept while it
    stands: the token, and inside a transaction this process's own writes too (a
    transaction may hold writes the token does not know of yet). "" when no write has
    stored a token yet (nothing may be kept then)."""
    connection = connections[DEFAULT_DB_ALIAS]
    read = _read.get()
    if read and read[0] == _local:
        token = read[1]
    else:
        token = current_token(connection)
        if read is not None:
            read[:] = [_local, token]
    if not token:
        return ""
    return f"{token}:{os.getpid()}:{_local}" if connection.in_atomic_block else token


def watch_connection(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: watch the new connection's writes."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if _WRITE.match(sql) and TABLE not in sql:
        _noted(context["connection"])
    return result


def _noted(connection) -> None:
    global _local
    _local = next(_counter)  # itertools.count is atomic under the GIL: no two writes share one
    if not connection.in_atomic_block:
        _store_new_token(connection)  # the statement has committed already
    elif getattr(connection, "_data_version_hooks", None) is not connection.run_on_commit:
        # Once per transaction: commit, rollback and a savepoint's rollback each replace
        # run_on_commit, so a new list means a new transaction (or a hook that may be gone).
        transaction.on_commit(lambda: _store_new_token(connection), using=connection.alias, robust=True)
        connection._data_version_hooks = connection.run_on_commit


def _store_new_token(connection) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (id, token) VALUES (%s, %s) "  # noqa: S608
                "ON CONFLICT (id) DO UPDATE SET token = excluded.token",
                [SINGLE_ROW, secrets.token_hex(16)],
            )
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        # The migrations that come before the table's own write too; with no table there is
        # no token to renew (and no page kept). Outside a transaction nothing else is undone.
