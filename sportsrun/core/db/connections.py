"""Which database this process talks to, and opening and closing its connection pool."""

from typing import Any

from piccolo.engine import engine_finder
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from sportsrun.core.db.sqlite_engine import InlineSQLiteEngine
from sportsrun.settings import Settings


def engine_from_settings(settings: Settings) -> Engine:
    if settings.is_sqlite:
        return InlineSQLiteEngine(path=settings.sqlite_path)
    return PostgresEngine(config=postgres_config(settings))


def postgres_config(settings: Settings) -> dict[str, Any]:
    """asyncpg's arguments for every connection, pooled or not. Behind a PgBouncer in transaction mode
    statement_cache_size must be 0: a prepared statement lives on one server connection, and the next
    transaction may get another."""
    return {
        "dsn": settings.database_url.replace("postgres://", "postgresql://", 1),
        "timeout": settings.db_connect_timeout_s,
        "command_timeout": settings.db_command_timeout_s,
        "statement_cache_size": settings.db_statement_cache_size,
        # A prepared statement's plan is made for each execution, from the table as it is: the generic plan
        # PostgreSQL settles on after five made it when `registration` was empty (a new installation, a
        # first race day) and kept scanning it as it filled.
        "server_settings": {"plan_cache_mode": "force_custom_plan"},
    }


_engine: Engine | None = None


def engine() -> Engine:
    """Piccolo's engine from piccolo_conf, looked up once: the lookup imports modules each time."""
    global _engine
    if _engine is None:
        _engine = engine_finder()
        if _engine is None:
            raise RuntimeError("no database engine: is PICCOLO_CONF importable?")
    return _engine


def is_sqlite() -> bool:
    return engine().engine_type == "sqlite"


_users = 0


async def start(settings: Settings) -> None:
    """Opens the connection pool; nested starts (the app inside a CLI command or a test session) share it."""
    global _users
    _users += 1
    if _users > 1:
        return
    db = engine()
    if db.engine_type == "sqlite":
        await db._run_in_new_connection("PRAGMA journal_mode = WAL")
        await db.start_connection_pool()
    else:
        await db.start_connection_pool(
            min_size=settings.db_pool_min, max_size=settings.db_pool_max, reset=_keep_session
        )


async def _keep_session(connection: Any) -> None:
    """What a connection needs before going back to the pool. asyncpg already rolls back an open
    transaction; its default reset (RESET ALL, UNLISTEN, advisory unlocks) is one more round trip per
    query, for session state this app never sets."""


async def stop() -> None:
    global _users
    _users = max(_users - 1, 0)
    if _users:
        return
    db = engine()
    if db.engine_type == "sqlite" or getattr(db, "pool", None):
        await db.close_connection_pool()
