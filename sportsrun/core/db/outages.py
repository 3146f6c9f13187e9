"""Failures of the database itself, not of a request: a stopped or restarting PostgreSQL, a read-only or
full disk, a SQLite file made unwritable, a write lock held past the busy timeout. The error funnel
answers these 503 with Retry-After and a sentence a person can act on, instead of a 500."""

import errno
import sqlite3

import asyncpg.exceptions as pg

from sportsrun.core.db.sqlite_engine import unwritable

RETRY_AFTER_S = 30
_POSTGRES = (
    pg.PostgresConnectionError,  # the connection is gone
    pg.OperatorInterventionError,  # shutting down, starting up, crashed
    pg.InsufficientResourcesError,  # a full disk, out of memory, too many connections
    pg.ReadOnlySQLTransactionError,  # a standby, or a database set read-only
    pg.InterfaceError,  # the pool is closed under a request
    # A pooled connection the server has just ended (PostgreSQL restarting, pg_terminate_backend): its last
    # message has arrived but not yet the end of its socket, and asyncpg refuses to run anything on it
    # ("cannot switch to state 11; another operation (2) is in progress") until the socket closes and the
    # pool opens another.
    pg.InternalClientError,
)
_OS = {errno.ECONNREFUSED, errno.ECONNRESET, errno.EHOSTUNREACH, errno.ETIMEDOUT, errno.ENOSPC, errno.EROFS, errno.EIO}


def is_outage(exc: BaseException) -> bool:
    """Whether `exc`, or an error it was raised from, says the database is unavailable."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if unwritable(exc) or isinstance(exc, _POSTGRES) or isinstance(exc, TimeoutError):
            return True
        if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
            return True
        if isinstance(exc, OSError) and exc.errno in _OS:
            return True
        exc = exc.__cause__ or exc.__context__
    return False
