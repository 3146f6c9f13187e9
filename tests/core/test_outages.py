"""Which failures mean the database is unavailable (503, try again) rather than a bug (500)."""

import errno
import sqlite3

import asyncpg.exceptions as pg
import pytest

from sportsrun.core.db.outages import is_outage


@pytest.mark.parametrize(
    "exc",
    [
        sqlite3.OperationalError("attempt to write a readonly database"),
        sqlite3.OperationalError("disk I/O error"),
        sqlite3.OperationalError("database or disk is full"),
        sqlite3.OperationalError("unable to open database file"),
        sqlite3.OperationalError("database is locked"),
        pg.CannotConnectNowError("the database system is starting up"),
        pg.AdminShutdownError("terminating connection due to administrator command"),
        pg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        pg.InternalClientError("cannot switch to state 11; another operation (2) is in progress"),
        pg.DiskFullError("could not extend file"),
        pg.ReadOnlySQLTransactionError("cannot execute INSERT in a read-only transaction"),
        ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"),
        OSError(errno.ENOSPC, "No space left on device"),
        TimeoutError(),
    ],
)
def test_the_database_is_unavailable(exc):
    assert is_outage(exc)


def test_a_cause_further_down_counts():
    try:
        try:
            raise OSError(errno.EROFS, "Read-only file system")
        except OSError as inner:
            raise RuntimeError("while writing") from inner
    except RuntimeError as outer:
        assert is_outage(outer)


@pytest.mark.parametrize(
    "exc",
    [
        sqlite3.OperationalError("no such table: result"),
        sqlite3.IntegrityError("UNIQUE constraint failed: registration.race, registration.bib"),
        pg.UniqueViolationError("duplicate key"),
        KeyError("bib"),
        OSError(errno.ENOENT, "No such file or directory"),
    ],
)
def test_a_bug_is_not_an_outage(exc):
    assert not is_outage(exc)
