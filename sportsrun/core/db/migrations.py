"""Applying migrations, one host at a time, and telling whether any is pending (`sportsrun migrate`,
`serve`'s migration before it starts, `/readyz`)."""

import contextlib
import io
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import cache

import asyncpg
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration

from sportsrun.core.db import connections
from sportsrun.core.db import sql as db
from sportsrun.settings import Settings

# Any fixed number every host shares: PostgreSQL names the advisory lock by it, database-wide.
LOCK = 0x5350_5254_4D49_4752  # "SPRTMIGR"


@dataclass(frozen=True, slots=True)
class Outcome:
    success: bool
    before: int
    after: int
    message: str = ""
    piccolo_says: str = ""


async def applied() -> set[tuple[str, str]]:
    """(app, migration) recorded as applied; none on a database that has no record of them yet."""
    if not await Migration.table_exists():
        return set()
    rows = await Migration.select(Migration.app_name, Migration.name)
    return {(r["app_name"], r["name"]) for r in rows}


@cache
def on_disk() -> frozenset[tuple[str, str]]:
    """(app, migration) of every installed app's migrations folder: fixed for the life of the process."""
    manager = BaseMigrationManager()
    found = set()
    for module in manager.get_app_modules():
        config = module.APP_CONFIG
        modules = manager.get_migration_modules(config.resolved_migrations_folder_path)
        found.update((config.app_name, name) for name in manager.get_migration_ids(modules))
    return frozenset(found)


async def pending() -> set[tuple[str, str]]:
    return set(on_disk()) - await applied()


@contextlib.asynccontextmanager
async def lock(settings: Settings) -> AsyncIterator[None]:
    """One migrator at a time on PostgreSQL: hosts starting together wait for the first, then find
    nothing left to apply (without it the second crashed with a unique violation). The lock is held on
    a connection of its own, outside the pool, so it ends with that connection if the process dies; it
    needs a server session of its own, so not through a PgBouncer in transaction mode. A SQLite database
    serves one host, whose `serve` migrates before it starts its workers."""
    if settings.is_sqlite:
        yield
        return
    config = connections.postgres_config(settings)
    connection = await asyncpg.connect(config["dsn"], timeout=config["timeout"])
    try:
        if not await connection.fetchval("SELECT pg_try_advisory_lock($1)", LOCK):
            print("another process is migrating this database: waiting for it", file=sys.stderr, flush=True)
            await connection.execute("SELECT pg_advisory_lock($1)", LOCK)
        yield
    finally:
        await connection.close()  # and the lock with it


async def forward(settings: Settings) -> Outcome:
    async with lock(settings):
        before = len(await applied())
        with contextlib.redirect_stdout(io.StringIO()) as piccolo_says:
            result = await run_forwards("all")
        if not result.success:
            return Outcome(False, before, before, result.message, piccolo_says.getvalue())
        if connections.is_sqlite():
            await db.fetch("PRAGMA journal_mode = WAL")
        return Outcome(True, before, len(await applied()))
