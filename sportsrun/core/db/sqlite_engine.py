"""Piccolo's SQLite engine, reworked for a busy web server.

Piccolo hands every SQLite statement to an aiosqlite thread (and opens a new connection, with a new
thread, for each query outside a transaction). An indexed SQLite statement costs a few microseconds
of CPU; the handoffs cost ~200 µs each, and a registration's transaction holds the write lock across
ten of them. So here statements run inline on the event loop, like any other short computation, on
pooled connections configured once.

The one thing that can take long is waiting for another process's write lock. That wait never blocks
the loop: BEGIN IMMEDIATE is tried without a busy handler and retried with short asyncio sleeps, and
the transactions of one process queue behind an asyncio lock so they don't compete with each other.
A write outside a transaction (rare: Piccolo's own helpers) runs in a thread with the busy timeout.
"""

import asyncio
import logging
import os
import re
import sqlite3
import time
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

from sportsrun.core.db.sqlite_threads import to_the_end

PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    # WAL makes a commit an append and lets readers run beside the writer; NORMAL skips the fsync per
    # commit (durable at checkpoints), SQLite's documented pairing with WAL.
    "PRAGMA synchronous = NORMAL",
    "PRAGMA cache_size = -32000",
    "PRAGMA temp_store = MEMORY",
    # Checkpoints run in a thread after writes (InlineSQLiteEngine.wrote), not inside whichever commit
    # crosses SQLite's threshold: a 50,000-row import's commit took twice as long doing it.
    "PRAGMA wal_autocheckpoint = 0",
)
_READ = re.compile(r"\s*(SELECT|PRAGMA|EXPLAIN|WITH\b(?!.*\b(INSERT|UPDATE|DELETE)\b))", re.IGNORECASE | re.DOTALL)
MAX_IDLE = 8
BIG_COMMIT = 10_000  # rows changed by a transaction from which its commit (writing their pages) is in a thread
logger = logging.getLogger(__name__)
CHECKPOINT_AFTER_S = 0.5  # a busy server checkpoints at most about twice a second

# Piccolo converts every INTEGER value through Decimal, for columns that might hold text; ours hold
# integers (SQLite's INTEGER affinity stores numbers as integers), which sqlite3 returns as int
# already. Dropping the converter makes reading 50,000 results rows several times faster.
sqlite3.converters.pop("INTEGER", None)


# What SQLite says when the database cannot be written: files made read-only or immutable, a full disk, a
# failing device. A connection opened while the files were unwritable stays read-only for its whole life,
# even once they are writable again, so it is closed rather than kept.
_UNWRITABLE = ("readonly", "read-only", "disk i/o error", "unable to open", "disk is full", "database or disk is full")


def unwritable(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.Error) and any(words in str(exc).lower() for words in _UNWRITABLE)


def run_sqlite(connection: sqlite3.Connection, query: str, args: Any) -> list[dict]:
    cursor = connection.execute(query, args or ())
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


class InlineSQLiteEngine(SQLiteEngine):
    def __init__(self, path: str, busy_timeout_s: float = 30.0, **kwargs):
        super().__init__(path=path, timeout=busy_timeout_s, check_same_thread=False, **kwargs)
        self.busy_timeout_s = busy_timeout_s
        self._idle: list[sqlite3.Connection] = []
        self._locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}
        self._checkpoint: tuple[asyncio.AbstractEventLoop, asyncio.Handle | asyncio.Future] | None = None
        self._wrote_since = False
        self._read_only: set[int] = set()  # ids of connections opened while the files could not be written

    @property
    def files(self) -> tuple[str, str]:
        path = self.connection_kwargs["database"]
        return path, f"{path}-wal"

    # -- connections ------------------------------------------------------------------------------
    def open(self) -> sqlite3.Connection:
        # SQLite opens a file it may not write read-only, silently, and such a connection stays read-only
        # after the file is writable again: it serves this statement and is then closed, never pooled.
        writable = all(os.access(path, os.W_OK) for path in self.files if os.path.exists(path))
        connection = sqlite3.connect(**self.connection_kwargs)
        connection.row_factory = dict_factory
        for pragma in PRAGMAS:
            connection.execute(pragma)
        if not writable:
            self._read_only.add(id(connection))
        return connection

    def take(self) -> sqlite3.Connection:
        return self._idle.pop() if self._idle else self.open()

    def give(self, connection: sqlite3.Connection) -> None:
        if connection.in_transaction:
            connection.rollback()
        if id(connection) in self._read_only:
            self._read_only.discard(id(connection))
            connection.close()
        elif len(self._idle) < MAX_IDLE:
            self._idle.append(connection)
        else:
            connection.close()

    def discard(self, connection: sqlite3.Connection) -> None:
        """A connection that could not write is closed, and so are the idle ones: any of them may have been
        opened while the files were unwritable. The next statement opens a fresh connection."""
        idle, self._idle = self._idle, []
        for each in (connection, *idle):
            self._read_only.discard(id(each))
            try:
                each.close()
            except sqlite3.Error:
                logger.debug("closing a connection that could not write", exc_info=True)

    def write_lock(self) -> asyncio.Lock:
        """One writer at a time within this process (per event loop: tests run several loops)."""
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock

    async def start_connection_pool(self, **kwargs) -> None:
        self.give(self.take())

    async def close_connection_pool(self) -> None:
        if self._checkpoint is not None:
            loop, pending = self._checkpoint
            if not isinstance(pending, asyncio.Future):  # a timer (uvloop's is not asyncio's TimerHandle)
                pending.cancel()  # closing the last connection checkpoints anyway
            elif loop is asyncio.get_running_loop():
                await asyncio.wait([pending])
            self._checkpoint = None
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    # -- checkpoints ------------------------------------------------------------------------------
    def wrote(self) -> None:
        """A write transaction committed: its pages go from the WAL into the database file a moment
        later, in a thread (SQLite does not hold the GIL while it copies), off every request's path."""
        self._wrote_since = True
        loop = asyncio.get_running_loop()
        if self._checkpoint is not None and self._checkpoint[0] is loop:
            return  # one is due or running; a write during its run gets the next one
        self._checkpoint = (loop, loop.call_later(CHECKPOINT_AFTER_S, self._start_checkpoint, loop))

    def _start_checkpoint(self, loop: asyncio.AbstractEventLoop) -> None:
        self._wrote_since = False
        running = loop.run_in_executor(None, self._run_checkpoint)
        if self._checkpoint is not None and self._checkpoint[0] is loop:  # not replaced by another loop's
            self._checkpoint = (loop, running)
        running.add_done_callback(lambda done: self._checkpointed(loop, done))

    def _checkpointed(self, loop: asyncio.AbstractEventLoop, done: asyncio.Future) -> None:
        if self._checkpoint is not None and self._checkpoint[1] is done:
            self._checkpoint = None
        if not done.cancelled() and done.exception() is not None:
            logger.warning("SQLite checkpoint failed: %s", done.exception())
        if self._wrote_since and loop.is_running():
            self.wrote()

    def _run_checkpoint(self) -> None:
        # PASSIVE never waits for readers or writers: what it cannot copy now, the next one will.
        connection = sqlite3.connect(**self.connection_kwargs)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            connection.close()

    # -- Piccolo's query entry points -------------------------------------------------------------
    async def _run_in_new_connection(self, query, args=None, query_type="generic", table=None):
        connection = self.take()
        try:
            if _READ.match(query):
                return run_sqlite(connection, query, args)
            async with self.write_lock():
                try:
                    return await asyncio.to_thread(run_sqlite, connection, query, args)
                finally:
                    self.wrote()
        except sqlite3.Error as exc:
            if unwritable(exc):
                self.discard(connection)
                connection = None
            raise
        finally:
            if connection is not None:
                self.give(connection)

    async def _run_in_existing_connection(self, connection, query, args=None, query_type="generic", table=None):
        return run_sqlite(connection, query, args)

    def transaction(
        self, transaction_type: TransactionType = TransactionType.deferred, allow_nested: bool = True
    ) -> "InlineSQLiteTransaction":
        return InlineSQLiteTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)


class InlineSQLiteTransaction(SQLiteTransaction):
    __slots__ = ("_write_lock", "_changes_before")

    engine: InlineSQLiteEngine

    async def __aenter__(self) -> SQLiteTransaction:
        if self._parent is not None:
            return self._parent
        self._write_lock = None
        if self.transaction_type is not TransactionType.deferred:
            self._write_lock = self.engine.write_lock()
            await self._write_lock.acquire()
        try:
            self.connection = self.engine.take()
            try:
                await self.begin()
            except BaseException as exc:
                (self.engine.discard if unwritable(exc) else self.engine.give)(self.connection)
                raise
        except BaseException:
            if self._write_lock is not None:
                self._write_lock.release()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def begin(self) -> None:
        self._changes_before = self.connection.total_changes
        statement = f"BEGIN {self.transaction_type.value}"
        if self.transaction_type is TransactionType.deferred:
            self.connection.execute(statement)
            return
        # Another process may hold the write lock: poll for it without blocking the event loop.
        self.connection.execute("PRAGMA busy_timeout = 0")
        deadline = time.monotonic() + self.engine.busy_timeout_s
        pause = 0.0002
        try:
            while True:
                try:
                    self.connection.execute(statement)
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise
                    if time.monotonic() > deadline:
                        raise
                await asyncio.sleep(pause)
                pause = min(pause * 1.5, 0.005)
        finally:
            self.connection.execute(f"PRAGMA busy_timeout = {int(self.engine.busy_timeout_s * 1000)}")

    async def commit(self) -> None:
        if self.connection.total_changes - self._changes_before > BIG_COMMIT:
            await to_the_end(self.connection.execute, "COMMIT")  # an import's: tenths of a second of writing
        else:
            self.connection.execute("COMMIT")
        self._committed = True
        if self.connection.total_changes != self._changes_before:
            self.engine.wrote()

    async def rollback(self) -> None:
        self.connection.execute("ROLLBACK")
        self._rolled_back = True

    async def savepoint(self, name: str | None = None):
        raise NotImplementedError("savepoints are not used with this engine")

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        broken = exception is not None and unwritable(exception)
        try:
            if exception:
                if not self._rolled_back:
                    try:
                        await self.rollback()
                    except sqlite3.Error:  # the first error is the one to report; the connection goes
                        broken = True
            elif not self._committed and not self._rolled_back:
                try:
                    await self.commit()
                except sqlite3.Error as failed:
                    broken = broken or unwritable(failed)
                    raise
        finally:
            self.engine.current_transaction.reset(self.context)
            (self.engine.discard if broken else self.engine.give)(self.connection)
            if self._write_lock is not None:
                self._write_lock.release()
        return exception is None
