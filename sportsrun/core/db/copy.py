"""Copying the whole database into a new PostgreSQL one (`sportsrun copy-to`): how an installation moves
from SQLite to PostgreSQL, or to another PostgreSQL server, keeping every row, id and sealed secret.

A backup cannot do it: it is a file of its own engine. The target is a new database (createdb) that the
caller has migrated by this same sportsrun, so both hold the same tables; the rows its migrations wrote
(reference data) are replaced by the source's. Everything is written in one transaction with the tables
locked: a failure leaves the target as migrated and empty. Tables go in the order of their foreign keys,
with user triggers off, so that derived tables kept by triggers are copied as they are rather than counted
twice; partitions of a table partitioned by list are made for the values the rows hold; sequences then
start after the largest id. The source is read in one read transaction: a consistent copy even while
the site runs, though what it writes afterwards is not copied (stop the site first)."""

import asyncio
import datetime as dt
import json
import re
import sqlite3
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg

CHUNK = 5000  # rows per COPY


class CopyRefused(Exception):
    """A sentence for the person at the command line; nothing was written."""


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _bool(value: Any) -> bool:
    return value.strip().lower() in ("1", "t", "true") if isinstance(value, str) else bool(value)


def _json(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


# What SQLite stores (text for dates and times, 0/1 for booleans) as the PostgreSQL column's type.
_FROM_SQLITE: dict[str, Callable[[Any], Any]] = {
    "boolean": _bool,
    "date": lambda v: dt.date.fromisoformat(v) if isinstance(v, str) else v,
    "timestamp with time zone": lambda v: _utc(dt.datetime.fromisoformat(v)) if isinstance(v, str) else v,
    "timestamp without time zone": lambda v: dt.datetime.fromisoformat(v) if isinstance(v, str) else v,
    "integer": int,
    "bigint": int,
    "smallint": int,
    "double precision": float,
    "real": float,
    "numeric": lambda v: Decimal(str(v)),
    "character varying": str,
    "text": str,
    "character": str,
    "json": _json,
    "jsonb": _json,
    "bytea": bytes,
}


class SqliteSource:
    """A SQLite file, read in one transaction."""

    def __init__(self, path: str):
        if not Path(path).exists():
            raise CopyRefused(f"there is no database at {path}")
        # Read-only; read from worker threads, one call at a time (so check_same_thread may be off).
        self.connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                                          check_same_thread=False)  # fmt: skip
        self.connection.execute("BEGIN")  # one snapshot for every table (the WAL keeps it)

    def _all(self, sql: str) -> list[tuple]:
        return self.connection.execute(sql).fetchall()

    async def tables(self) -> set[str]:
        rows = await asyncio.to_thread(self._all, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                                  "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")  # fmt: skip
        return {name for (name,) in rows}

    async def migrations(self) -> set[str]:
        return {name for (name,) in await asyncio.to_thread(self._all, "SELECT name FROM migration")}

    async def rows(self, table: str, columns: list[str], types: list[str]) -> AsyncIterator[list[tuple]]:
        converters = []
        for column, kind in zip(columns, types, strict=True):
            if kind not in _FROM_SQLITE:
                raise CopyRefused(f"{table}.{column} is of type {kind}, which this copy does not know")
            converters.append(_FROM_SQLITE[kind])
        cursor = self.connection.execute(f"SELECT {', '.join(_quoted(c) for c in columns)} FROM {_quoted(table)}")
        while chunk := await asyncio.to_thread(cursor.fetchmany, CHUNK):
            try:
                yield [tuple(None if v is None else f(v) for f, v in zip(converters, row, strict=True))
                       for row in chunk]  # fmt: skip
            except (ValueError, TypeError) as exc:
                raise CopyRefused(f"a row of {table} holds a value PostgreSQL's column cannot take: {exc}") from None

    async def close(self) -> None:
        self.connection.close()


class PostgresSource:
    """A PostgreSQL database, read in one repeatable-read transaction."""

    @classmethod
    async def open(cls, url: str) -> "PostgresSource":
        self = cls()
        self.connection = await asyncpg.connect(url)
        self.transaction = self.connection.transaction(isolation="repeatable_read", readonly=True)
        await self.transaction.start()
        return self

    async def tables(self) -> set[str]:
        return await _tables(self.connection)

    async def migrations(self) -> set[str]:
        return {r["name"] for r in await self.connection.fetch("SELECT name FROM migration")}

    async def rows(self, table: str, columns: list[str], types: list[str]) -> AsyncIterator[list[tuple]]:
        query = f"SELECT {', '.join(_quoted(c) for c in columns)} FROM {_quoted(table)}"
        chunk = []
        async for record in self.connection.cursor(query, prefetch=CHUNK):
            chunk.append(tuple(record))
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    async def close(self) -> None:
        await self.connection.close()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def _tables(connection: asyncpg.Connection) -> set[str]:
    """Tables of the public schema; a partitioned table as one, its partitions left out."""
    rows = await connection.fetch(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
    )
    return {r["relname"] for r in rows}


async def _in_order(target: asyncpg.Connection, tables: set[str]) -> list[str]:
    """Every table after the tables its foreign keys point to."""
    edges = await target.fetch(
        "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent "
        "FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
    )
    needs = {t: set() for t in tables}
    for e in edges:
        child, parent = e["child"].strip('"'), e["parent"].strip('"')
        if child in needs and parent != child:
            needs[child].add(parent)
    ordered: list[str] = []
    while needs:
        ready = sorted(t for t, parents in needs.items() if parents <= set(ordered))
        if not ready:
            raise CopyRefused(f"the foreign keys of {', '.join(sorted(needs))} go round in a circle")
        ordered += ready
        for t in ready:
            del needs[t]
    return ordered


async def _columns(target: asyncpg.Connection, table: str) -> tuple[list[str], list[str]]:
    rows = await target.fetch(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
        table,
    )
    return [r["column_name"] for r in rows], [r["data_type"] for r in rows]


async def _partition_key(target: asyncpg.Connection, table: str) -> str | None:
    definition = await target.fetchval(
        "SELECT pg_get_partkeydef(c.oid) FROM pg_class c WHERE c.relname = $1 AND c.relkind = 'p'", table
    )
    if definition is None:
        return None
    match = re.fullmatch(r"LIST \((\w+)\)", definition)
    if not match:
        raise CopyRefused(f"{table} is partitioned by {definition}, which this copy does not know")
    return match.group(1)


async def copy(source: SqliteSource | PostgresSource, target_url: str) -> dict[str, int]:
    """Copies every table of `source` into the migrated, otherwise empty database at `target_url`;
    answers the rows copied per table."""
    target = await asyncpg.connect(target_url)
    try:
        tables = await source.tables()
        theirs = await _tables(target)
        if tables != theirs:
            raise CopyRefused(
                "the databases have different tables (is each migrated by this sportsrun?): only in the source "
                f"{sorted(tables - theirs) or 'none'}, only in the target {sorted(theirs - tables) or 'none'}"
            )
        if await source.migrations() != {r["name"] for r in await target.fetch("SELECT name FROM migration")}:
            raise CopyRefused("the databases are at different migrations: run `sportsrun migrate` on the source first")
        tables.discard("migration")  # the target has its own record of the same migrations
        order = await _in_order(target, tables)
        copied: dict[str, int] = {}
        async with target.transaction():
            await target.execute(f"LOCK TABLE {', '.join(_quoted(t) for t in order)} IN ACCESS EXCLUSIVE MODE")
            for table in order:
                if await target.fetchval(f"SELECT EXISTS (SELECT 1 FROM {_quoted(table)})"):
                    await target.execute(f"DELETE FROM {_quoted(table)}")  # written by a migration
                await target.execute(f"ALTER TABLE {_quoted(table)} DISABLE TRIGGER USER")
            for table in order:
                copied[table] = await _copy_table(source, target, table)
            for table in order:
                await target.execute(f"ALTER TABLE {_quoted(table)} ENABLE TRIGGER USER")
            await _restart_sequences(target)
        await target.execute("ANALYZE")
        return copied
    finally:
        await target.close()


async def _copy_table(source: SqliteSource | PostgresSource, target: asyncpg.Connection, table: str) -> int:
    columns, types = await _columns(target, table)
    key = await _partition_key(target, table)
    made: set = set()
    count = 0
    async for chunk in source.rows(table, columns, types):
        if key is not None:
            at = columns.index(key)
            for value in {row[at] for row in chunk} - made:
                name = _quoted(f"{table}_{key}{value}_copied")
                await target.execute(f"CREATE TABLE {name} PARTITION OF {_quoted(table)} FOR VALUES IN ({int(value)})")
                made.add(value)
        await target.copy_records_to_table(table, records=chunk, columns=columns)
        count += len(chunk)
    return count


async def _restart_sequences(target: asyncpg.Connection) -> None:
    """Each column that takes its value from a sequence: the sequence goes on after its largest value."""
    owned = await target.fetch(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
        "AND column_default LIKE 'nextval(%' AND table_name IN (SELECT relname FROM pg_class WHERE NOT relispartition)"
    )
    for r in owned:
        table, column = _quoted(r["table_name"]), _quoted(r["column_name"])
        await target.execute(
            f"SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX({column}), 0) + 1, false) FROM {table}",
            table, r["column_name"],
        )  # fmt: skip
