"""Piccolo's SQLite engine with the connection handling a busy web server needs.

Piccolo opens a new aiosqlite connection (and so a new thread) for every query outside a transaction
and re-runs `PRAGMA foreign_keys` before every statement inside one. Under load that costs more than
the queries. This engine keeps a small pool of configured connections per event loop, and serialises
IMMEDIATE transactions of one process behind an asyncio lock, so that coroutines of a process queue
in order instead of spinning in SQLite's busy handler; processes still meet at SQLite's own lock.
"""

import asyncio
import sqlite3
from dataclasses import dataclass, field

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    # WAL makes a commit an append; NORMAL skips the fsync per commit (durable at checkpoints), the
    # documented pairing for web servers. Readers never block the writer.
    "PRAGMA synchronous = NORMAL",
    "PRAGMA cache_size = -32000",
    "PRAGMA temp_store = MEMORY",
)


@dataclass
class _LoopState:
    loop: asyncio.AbstractEventLoop
    slots: asyncio.Semaphore
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    idle: list[aiosqlite.Connection] = field(default_factory=list)
    all: list[aiosqlite.Connection] = field(default_factory=list)


class PooledSQLiteEngine(SQLiteEngine):
    def __init__(self, path: str, pool_size: int = 4, busy_timeout_s: float = 30.0, **kwargs):
        super().__init__(path=path, timeout=busy_timeout_s, check_same_thread=False, **kwargs)
        self.pool_size = pool_size
        self._states: dict[asyncio.AbstractEventLoop, _LoopState] = {}

    # -- pool -------------------------------------------------------------------------------------
    def _state(self) -> _LoopState:
        loop = asyncio.get_running_loop()
        state = self._states.get(loop)
        if state is None:
            # An event loop that has gone away (tests run one per session) leaves its connections;
            # they are closed by close_connection_pool() or at garbage collection.
            state = self._states[loop] = _LoopState(loop=loop, slots=asyncio.Semaphore(self.pool_size))
        return state

    async def _open(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(**self.connection_kwargs)
        connection.row_factory = dict_factory  # type: ignore[assignment]
        for pragma in PRAGMAS:
            await connection.execute(pragma)
        return connection

    async def acquire(self) -> aiosqlite.Connection:
        state = self._state()
        await state.slots.acquire()
        try:
            if state.idle:
                return state.idle.pop()
            connection = await self._open()
            state.all.append(connection)
            return connection
        except BaseException:
            state.slots.release()
            raise

    async def release(self, connection: aiosqlite.Connection, broken: bool = False) -> None:
        state = self._state()
        try:
            if connection.in_transaction:
                await connection.execute("ROLLBACK")
        except sqlite3.Error:
            broken = True
        if broken:
            state.all.remove(connection)
            await connection.close()
        else:
            state.idle.append(connection)
        state.slots.release()

    async def start_connection_pool(self, **kwargs) -> None:
        self._state()

    async def close_connection_pool(self) -> None:
        states, self._states = self._states, {}
        for state in states.values():
            for connection in state.all:
                await connection.close()

    async def get_connection(self) -> aiosqlite.Connection:
        """A connection of its own, for Piccolo's internals (batch reads, its own transactions)."""
        return await self._open()

    # -- queries ----------------------------------------------------------------------------------
    async def _run_in_new_connection(self, query, args=None, query_type="generic", table=None):
        connection = await self.acquire()
        broken = False
        try:
            async with connection.execute(query, args or []) as cursor:
                return await cursor.fetchall()
        except sqlite3.OperationalError:
            broken = True
            raise
        finally:
            await self.release(connection, broken=broken)

    async def _run_in_existing_connection(self, connection, query, args=None, query_type="generic", table=None):
        async with connection.execute(query, args or []) as cursor:
            return await cursor.fetchall()

    def transaction(
        self, transaction_type: TransactionType = TransactionType.deferred, allow_nested: bool = True
    ) -> "PooledSQLiteTransaction":
        return PooledSQLiteTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)


class PooledSQLiteTransaction(SQLiteTransaction):
    __slots__ = ("_write_lock",)

    engine: PooledSQLiteEngine

    async def __aenter__(self) -> SQLiteTransaction:
        if self._parent is not None:
            return self._parent
        self._write_lock = None
        if self.transaction_type is not TransactionType.deferred:
            self._write_lock = self.engine._state().write_lock
            await self._write_lock.acquire()
        try:
            self.connection = await self.engine.acquire()
            try:
                await self.begin()
            except BaseException:
                await self.engine.release(self.connection, broken=True)
                raise
        except BaseException:
            if self._write_lock is not None:
                self._write_lock.release()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        broken = False
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        except sqlite3.Error:
            broken = True
            raise
        finally:
            self.engine.current_transaction.reset(self.context)
            await self.engine.release(self.connection, broken=broken)
            if self._write_lock is not None:
                self._write_lock.release()
        return exception is None
