"""The database engine, transactions and the few raw-SQL helpers hot paths use."""

from contextlib import asynccontextmanager
from typing import Any

from piccolo.engine import engine_finder
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import TransactionType
from piccolo.querystring import QueryString

from sportsrun.core.sqlite_engine import PooledSQLiteEngine
from sportsrun.settings import Settings


def engine_from_settings(settings: Settings) -> Engine:
    if settings.is_sqlite:
        return PooledSQLiteEngine(path=settings.sqlite_path)
    dsn = settings.database_url.replace("postgres://", "postgresql://", 1)
    return PostgresEngine(config={"dsn": dsn})


def engine() -> Engine:
    db = engine_finder()
    if db is None:
        raise RuntimeError("no database engine: is PICCOLO_CONF importable?")
    return db


def is_sqlite() -> bool:
    return engine().engine_type == "sqlite"


def write_transaction():
    """One transaction per user action. On SQLite it takes the write lock at BEGIN (IMMEDIATE), so two
    writers never both read and then collide on upgrade; on PostgreSQL rows are locked explicitly."""
    db = engine()
    if db.engine_type == "sqlite":
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


@asynccontextmanager
async def read_transaction():
    """A consistent snapshot for reads that span several queries."""
    async with engine().transaction():
        yield


async def fetch(sql: str, *args: Any) -> list[dict]:
    """Raw SQL with `{}` placeholders, compiled for the engine in use; rows as dicts on both engines."""
    rows = await engine().run_querystring(QueryString(sql, *args))
    if rows and not isinstance(rows[0], dict):
        rows = [dict(row) for row in rows]  # asyncpg's Records
    return rows


async def fetch_one(sql: str, *args: Any) -> dict | None:
    rows = await fetch(sql, *args)
    return rows[0] if rows else None


def for_update() -> str:
    """Row lock suffix: PostgreSQL locks the row; SQLite's IMMEDIATE transaction already holds the
    whole database."""
    return "" if is_sqlite() else " FOR UPDATE"


_users = 0


async def start(settings: Settings) -> None:
    """Opens the connection pool; nested starts (the app inside a CLI command or a test session) share it."""
    global _users
    _users += 1
    if _users > 1:
        return
    db = engine()
    if db.engine_type == "sqlite":
        await fetch("PRAGMA journal_mode = WAL")
        await db.start_connection_pool()
    else:
        await db.start_connection_pool(min_size=2, max_size=20)


async def stop() -> None:
    global _users
    _users = max(_users - 1, 0)
    if _users:
        return
    db = engine()
    if db.engine_type == "sqlite" or getattr(db, "pool", None):
        await db.close_connection_pool()
