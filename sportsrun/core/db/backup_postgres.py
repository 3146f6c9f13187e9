"""PostgreSQL's half of backups: pg_dump and pg_restore from PATH, and the two questions asked of the
database itself (which migration it is at, whether it is empty)."""

import asyncio
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg

from sportsrun.core.db import connections
from sportsrun.core.db.backup import BackupError, private_file
from sportsrun.settings import Settings


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not on PATH: install PostgreSQL's client programs (Debian: postgresql-client) of the "
            "server's major version or newer"
        )
    return found


def libpq(settings: Settings) -> tuple[str, dict[str, str]]:
    """The database URL without its password, and an environment carrying the password: a command line
    is readable by every user of the machine (ps), a process's environment only by its owner."""
    parts = urlsplit(settings.database_url)
    userinfo, at, host = parts.netloc.rpartition("@")
    user, _colon, password = userinfo.partition(":")
    url = urlunsplit((parts.scheme, f"{user}@{host}" if at else host, parts.path, parts.query, parts.fragment))
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = unquote(password)
    return url, env


def _database_name(settings: Settings) -> str:
    return unquote(urlsplit(settings.database_url).path.lstrip("/"))


async def _connect(settings: Settings) -> asyncpg.Connection:
    config = connections.postgres_config(settings)
    try:
        return await asyncpg.connect(config["dsn"], timeout=config["timeout"])
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        raise BackupError(f"cannot connect to the database {_database_name(settings)}: {exc}") from None


def migration(settings: Settings) -> str:
    """The last migration applied. Read just before pg_dump takes its snapshot: a migration in between
    would have to run in that instant."""
    return asyncio.run(_migration(settings))


async def _migration(settings: Settings) -> str:
    connection = await _connect(settings)
    try:
        if await connection.fetchval("SELECT to_regclass('migration')") is None:
            raise BackupError(f"the database {_database_name(settings)} has no sportsrun tables: nothing to back up")
        return await connection.fetchval("SELECT max(name) FROM migration")
    finally:
        await connection.close()


def refuse_unless_empty(settings: Settings, doing: str = "restore") -> None:
    """Empty: no table, view or sequence outside PostgreSQL's own schemas (a new `createdb`)."""
    relations = asyncio.run(_relations(settings))
    if relations:
        raise BackupError(
            f"the database {_database_name(settings)} already holds {relations} tables, views or sequences: "
            f"{doing} only into a new, empty database (createdb)"
        )


async def _relations(settings: Settings) -> int:
    connection = await _connect(settings)
    try:
        return await connection.fetchval(
            """SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                 AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"""
        )
    finally:
        await connection.close()


def _run(command: list[str], env: dict[str, str], stdout=subprocess.PIPE) -> None:
    # pg_dump or pg_restore as PATH finds them, with arguments built here; no shell.
    done = subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, env=env, check=False)  # noqa: S603
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip()
        raise BackupError(f"{Path(command[0]).name} failed: {said or f'exit status {done.returncode}'}")


def dump(settings: Settings, target: Path) -> None:
    url, env = libpq(settings)
    # Written through our own descriptor, so the file is 0600 from its first byte.
    with os.fdopen(private_file(target), "wb") as out:
        _run([tool("pg_dump"), "--format=custom", "--no-password", f"--dbname={url}"], env, stdout=out)


def restore(settings: Settings, source: Path) -> None:
    url, env = libpq(settings)
    # One transaction: a restore that fails half way leaves the database as empty as it was. Owners and
    # grants name roles of the server the backup came from, which this one may not have.
    command = ["--no-owner", "--no-privileges", "--single-transaction", "--no-password", f"--dbname={url}"]
    _run([tool("pg_restore"), *command, str(source)], env)
