"""Statements and transactions: one write transaction per user action, and the few raw-SQL helpers hot
paths use."""

import asyncio
import datetime as dt
import sqlite3
from collections import deque
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

from piccolo.engine.sqlite import ADAPTERS, TransactionType
from piccolo.querystring import QueryString

from sportsrun.core.db.connections import engine
from sportsrun.core.db.sqlite_engine import run_sqlite
from sportsrun.core.db.sqlite_threads import to_the_end
from sportsrun.core.turns import Turns, bulk


def write_transaction():
    """One transaction per user action. On SQLite it takes the write lock at BEGIN (IMMEDIATE), so two
    writers never both read and then collide on upgrade; on PostgreSQL rows are locked explicitly."""
    db = engine()
    if db.engine_type == "sqlite":
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


@lru_cache(maxsize=2048)
def _compiled(sql: str, engine_type: str) -> str:
    if engine_type == "sqlite":
        return sql.replace("{}", "?")
    parts = sql.split("{}")
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], start=1)) + parts[-1]


async def fetch(sql: str, *args: Any) -> list[dict]:
    """Raw SQL with `{}` placeholders, values always bound, rows as dicts on both engines.

    The hot paths' queries go straight to the connection of the current transaction (or the pool):
    Piccolo's query-string machinery costs more per call than these queries do on SQLite."""
    db = engine()
    transaction = db.current_transaction.get()
    query = _compiled(sql, db.engine_type)
    if db.engine_type == "sqlite":
        if transaction is not None:
            return run_sqlite(transaction.connection, query, args)
        return await db._run_in_new_connection(query, args)
    if transaction is not None:
        rows = await transaction.connection.fetch(query, *args)
    elif db.pool is not None:
        async with db.pool.acquire() as connection:
            rows = await connection.fetch(query, *args)
    else:
        rows = await db.run_querystring(QueryString(sql, *args))
    return [dict(row) for row in rows]


async def fetch_rows(sql: str, *args: Any) -> list[tuple]:
    """Like fetch(), as plain tuples: for reading tens of thousands of rows, where building a dict per
    row costs more than the query."""
    db = engine()
    transaction = db.current_transaction.get()
    query = _compiled(sql, db.engine_type)
    if db.engine_type == "sqlite":
        with _sqlite_connection() as connection:
            cursor = connection.cursor()
            cursor.row_factory = None
            try:
                rows = cursor.execute(query, args).fetchmany(READ_SLICE)
                if len(rows) == READ_SLICE:
                    # A race's 50,000 rows: read on in a thread. In slices on the loop, each slice took the GIL
                    # back after every row's step, and beside a sheet parsed in another thread the loop went
                    # 50–110 ms at a time without a turn.
                    rows += await to_the_end(cursor.fetchall)
                return rows
            finally:
                cursor.close()
    if transaction is not None:
        return await transaction.connection.fetch(query, *args)
    async with db.pool.acquire() as connection:
        return await connection.fetch(query, *args)


@contextmanager
def _sqlite_connection() -> Iterator[sqlite3.Connection]:
    """The current transaction's connection, or one of the pool's for the time of the block."""
    db = engine()
    transaction = db.current_transaction.get()
    if transaction is not None:
        yield transaction.connection
        return
    connection = db.take()
    try:
        yield connection
    finally:
        db.give(connection)


async def fetch_one(sql: str, *args: Any) -> dict | None:
    rows = await fetch(sql, *args)
    return rows[0] if rows else None


READ_SLICE = 2000  # rows fetch_rows reads on SQLite's loop thread, before it reads on in a thread
ROWS_PER_STATEMENT = 500  # a multi-row VALUES statement: a sixth less time than one statement per row
ROWS_PER_THREADED_STATEMENT = 2000


def _sqlite_inserts(connection: sqlite3.Connection, table: str, columns: tuple[str, ...], rows: list[tuple],
                    on_conflict: str, most: int) -> Iterator[None]:  # fmt: skip
    """Runs the statements that insert `rows`, at most `most` a statement, one statement per step."""
    names = ", ".join(f'"{c}"' for c in columns)
    one = f"({', '.join('?' * len(columns))})"
    per = min(most, connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns))
    whole = len(rows) - len(rows) % per if per > 1 else 0
    several = f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * per)}{on_conflict}" if whole else ""
    for start in range(0, whole, per):
        connection.execute(several, list(chain.from_iterable(rows[start : start + per])))
        yield
    if whole < len(rows):
        connection.executemany(f"INSERT INTO {table} ({names}) VALUES {one}{on_conflict}", rows[whole:])
        yield


async def insert_many(table: str, columns: tuple[str, ...], rows: list[tuple], on_conflict: str = "") -> None:
    """Bulk insert inside the current transaction: multi-row INSERTs on SQLite, COPY on PostgreSQL. Values
    must already have the columns' types. `on_conflict`: a clause for SQLite's statements (COPY has none)."""
    if not rows:
        return
    db = engine()
    transaction = db.current_transaction.get()
    assert transaction is not None, "insert_many needs a transaction"
    if db.engine_type == "sqlite":
        connection = transaction.connection
        if len(rows) > ROWS_PER_STATEMENT:
            # In a thread, where SQLite steps without the GIL: an import checks its next rows meanwhile, and
            # other requests run. Long statements, since each takes the GIL back to bind its values.
            statements = _sqlite_inserts(connection, table, columns, rows, on_conflict, ROWS_PER_THREADED_STATEMENT)
            await to_the_end(deque, statements, 0)
            return
        turns = Turns()  # on the loop's own thread, letting other requests in between statements
        for _done in _sqlite_inserts(connection, table, columns, rows, on_conflict, ROWS_PER_STATEMENT):
            if turns.due():
                await asyncio.sleep(0)
        return
    assert not on_conflict, "COPY has no ON CONFLICT"
    # A race's 50,000 results given to COPY at once were encoded in one go on the loop (0.1 s without a
    # turn): given a row at a time, the loop's other requests get their turns in between.
    records = _in_turns(rows) if bulk(len(rows)) else rows
    await transaction.connection.copy_records_to_table(table, records=records, columns=list(columns))


async def _in_turns(rows: list[tuple]) -> AsyncIterator[tuple]:
    turns = Turns()
    for row in rows:
        if turns.due():
            await asyncio.sleep(0)
        yield row


async def execute_long(sql: str, *args: Any) -> None:
    """A statement of the current transaction that may run long and returns no rows wanted (deleting a race's
    50,000 results): on SQLite in a thread, where it steps without the GIL while the loop serves others (the
    same delete in slices on the loop held it for tens of milliseconds at a time)."""
    db = engine()
    transaction = db.current_transaction.get()
    assert transaction is not None, "execute_long needs a transaction"
    if db.engine_type == "sqlite":
        await to_the_end(transaction.connection.execute, _compiled(sql, "sqlite"), args)
        return
    await transaction.connection.execute(_compiled(sql, db.engine_type), *args)


def sqlite_stored(value: Any) -> Any:
    """A value as SQLite stores it (dates and datetimes as Piccolo's adapters write them), for bulk writes that
    convert each distinct value once rather than have the driver call an adapter for every cell."""
    adapter = ADAPTERS.get(value.__class__)
    return value if adapter is None else adapter(value)


def _stored_once(value: Any, stored: dict) -> Any:
    """sqlite_stored(value), each distinct date converted once (keys share a few thousand birth dates)."""
    if value.__class__ is not dt.date:
        return value
    text = stored.get(value)
    if text is None:
        text = stored[value] = sqlite_stored(value)
    return text


# Keys per SQLite statement: a VALUES list of pairs and the statement's own values stay well under the
# 999 parameters of older builds.
KEYS_PER_STATEMENT = 150


@dataclass(frozen=True, slots=True)
class Keys:
    """The rows whose `columns` equal one of `values` (tuples in the columns' order); `types` are the
    columns' PostgreSQL types, for its arrays."""

    columns: tuple[str, ...]
    types: tuple[str, ...]
    values: Sequence[tuple]


async def fetch_matching(select: str, table: str, where: str, args: Sequence[Any], keys: Sequence[Keys]) -> list[dict]:
    """`SELECT select FROM table AS t WHERE where` (its `{}`s bound to `args`) for the rows matching any of
    `keys`: the keys joined to the table, so that each is one lookup in an index beginning with the
    columns of `where` and the keys' columns, never a scan of what the rest of the condition shares.
    PostgreSQL gets each list as arrays (one statement, one text to prepare, however many keys); SQLite
    gets VALUES lists in slices under its parameter limit. A row matching several keys comes back once
    per key."""
    keys = [k for k in keys if k.values]
    if not keys:
        return []
    if engine().engine_type != "sqlite":
        branches, values = [], []
        for k in keys:
            arrays = ", ".join(f"{{}}::{t}[]" for t in k.types)
            names = ", ".join(f"k{n}" for n in range(len(k.columns)))
            on = " AND ".join(f"t.{c} = k.k{n}" for n, c in enumerate(k.columns))
            branches.append(f"SELECT {select} FROM unnest({arrays}) AS k({names}) JOIN {table} AS t ON {on} "
                            f"WHERE {where}")  # fmt: skip
            values += [list(column) for column in zip(*k.values, strict=True)] + list(args)
        return await fetch(" UNION ALL ".join(branches), *values)
    statements, stored = [], {}
    for start in range(0, max(len(k.values) for k in keys), KEYS_PER_STATEMENT):
        branches, values = [], []
        for k in keys:
            part = k.values[start : start + KEYS_PER_STATEMENT]
            if not part:
                continue
            one = "(" + ", ".join(["{}"] * len(k.columns)) + ")"
            on = " AND ".join(f"t.{c} = k.column{n}" for n, c in enumerate(k.columns, start=1))
            # CROSS JOIN: SQLite then walks the keys and looks each up, rather than scanning the table.
            branches.append(f"SELECT {select} FROM (VALUES {', '.join([one] * len(part))}) AS k "
                            f"CROSS JOIN {table} AS t ON {on} WHERE {where}")  # fmt: skip
            values += [_stored_once(v, stored) for v in chain.from_iterable(part)] + list(args)
        statements.append((" UNION ALL ".join(branches), values))
    if len(statements) == 1:
        return await fetch(statements[0][0], *statements[0][1])
    # An import's thousands of keys: looked up in a thread, where SQLite steps without the GIL, while the
    # loop checks the import's next rows and serves others.
    with _sqlite_connection() as connection:
        return await to_the_end(_run_all, connection, statements)


def _run_all(connection: sqlite3.Connection, statements: list[tuple[str, list]]) -> list[dict]:
    return [row for sql, args in statements for row in run_sqlite(connection, _compiled(sql, "sqlite"), args)]


async def refresh_statistics(*tables: str) -> None:
    """After a bulk write, outside its transaction: PostgreSQL's planner then knows how many rows share a
    key (without it, plans made for an empty table expect one row where there are thousands). SQLite
    plans from its indexes alone."""
    if engine().engine_type == "sqlite":
        return
    await fetch("ANALYZE " + ", ".join(tables))
