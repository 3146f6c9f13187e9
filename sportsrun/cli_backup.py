"""`sportsrun backup DIR`, `sportsrun restore DIR` (README, "Backups") and `sportsrun copy-to URL` (README,
"Deployment"): a module of their own, beside cli.py, which wires them in."""

import argparse
import asyncio
import dataclasses
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from sportsrun.settings import get_settings

KEY_FROM_ENVIRONMENT = "the secret key is SPORTSRUN_SECRET_KEY, which is not in the backup: keep it somewhere safe"


def add_commands(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("backup", help="back up the database (and SQLite's key file) into a new directory, live")
    b.add_argument("directory", help="a new or empty directory; made readable by its owner only")
    b.set_defaults(run=backup)
    r = sub.add_parser("restore", help="restore a backup into an empty database, then migrate it forward")
    r.add_argument("directory", help="a directory `sportsrun backup` wrote")
    r.set_defaults(run=restore)
    c = sub.add_parser("copy-to", help="copy the whole database into a new PostgreSQL database, migrated first")
    c.add_argument("url", help="postgresql://user:pass@host:port/db of a new, empty database (createdb)")
    c.set_defaults(run=copy_to)


def backup(args: argparse.Namespace) -> int:
    from sportsrun.core.db import backup as backups

    settings = get_settings()
    try:
        manifest = backups.backup(settings, Path(args.directory))
    except backups.BackupError as exc:
        print(f"backup refused: {exc}", file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error) as exc:  # a full disk, a directory it may not write
        print(f"backup failed, nothing kept: {exc}", file=sys.stderr)
        return 1
    files = ", ".join(manifest["files"])
    print(f"backed up the {manifest['database']} database (migration {manifest['migration']}) into {args.directory}")
    print(f"  files: {files}, manifest.json")
    if manifest["secret_key_file"] is None:
        print(KEY_FROM_ENVIRONMENT)
    elif settings.secret_key_file_made:
        print(
            f"no key file was beside the database, so one was made now ({settings.secret_key_path}): if the site "
            "runs with SPORTSRUN_SECRET_KEY, run the backup with the same environment",
            file=sys.stderr,
        )
    return 0


def restore(args: argparse.Namespace) -> int:
    from sportsrun.core.db import backup as backups
    from sportsrun.core.db import connections, migrations

    settings = get_settings()
    try:
        manifest = backups.restore(settings, Path(args.directory))
    except backups.BackupError as exc:
        print(f"restore refused: {exc}", file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error) as exc:
        print(f"restore failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"restored the backup of {manifest['created_at']} (sportsrun {manifest['sportsrun_version']}, "
        f"migration {manifest['migration']})"
    )
    if manifest["secret_key_file"] is None:
        print("the backed-up site signed with SPORTSRUN_SECRET_KEY: set the same key here")

    async def migrate() -> int:
        try:
            outcome = await migrations.forward(settings)  # the backup may be older than this sportsrun
        finally:
            await connections.stop()
        if not outcome.success:
            print(outcome.piccolo_says, end="", file=sys.stderr)
            print(f"migration failed: {outcome.message} (run `sportsrun migrate` once fixed)", file=sys.stderr)
            return 1
        applied = outcome.after - outcome.before
        print(f"applied {applied} migration{'s' if applied != 1 else ''}" if applied else "no migration to apply")
        return 0

    return asyncio.run(migrate())


def copy_to(args: argparse.Namespace) -> int:
    """SQLite to PostgreSQL (or one PostgreSQL server to another): the target is checked new, migrated by
    this sportsrun, then filled in one transaction."""
    import asyncpg

    from sportsrun.core.db import backup_postgres as postgres
    from sportsrun.core.db import connections, migrations
    from sportsrun.core.db import copy as copying
    from sportsrun.core.db.backup import BackupError

    settings = get_settings()
    url = args.url.strip().replace("postgres://", "postgresql://", 1)
    if not url.startswith("postgresql://"):
        print("copy-to copies into PostgreSQL: give postgresql://user:pass@host:port/db", file=sys.stderr)
        return 2
    if url == settings.database_url.replace("postgres://", "postgresql://", 1):
        print("that is the database sportsrun is configured with: copy into another one", file=sys.stderr)
        return 2

    async def source_pending() -> set:
        await connections.start(settings)
        try:
            return await migrations.pending()
        finally:
            await connections.stop()

    try:
        if asyncio.run(source_pending()):
            print("copy refused: this database has migrations to apply: run `sportsrun migrate` first", file=sys.stderr)
            return 1
        postgres.refuse_unless_empty(dataclasses.replace(settings, database_url=url), doing="copy")
    except BackupError as exc:
        print(f"copy refused: {exc}", file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        print(f"copy refused: cannot read the configured database: {exc}", file=sys.stderr)
        return 1
    # The target is migrated by this same sportsrun, in a process of its own (the engine is per process).
    env = {**os.environ, "SPORTSRUN_DATABASE_URL": url, "SPORTSRUN_SECRET_KEY": settings.secret_key}
    migrated = subprocess.run(
        [sys.executable, "-m", "sportsrun.cli", "migrate"], env=env, capture_output=True, text=True
    )
    if migrated.returncode != 0:
        print(f"migrating the target failed:\n{migrated.stderr}", file=sys.stderr)
        return 1

    async def run() -> dict[str, int]:
        if settings.is_sqlite:
            source = copying.SqliteSource(settings.sqlite_path)
        else:
            source = await copying.PostgresSource.open(connections.postgres_config(settings)["dsn"])
        try:
            return await copying.copy(source, url)
        finally:
            await source.close()

    try:
        copied = asyncio.run(run())
    except (copying.CopyRefused, OSError, sqlite3.Error, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        print(f"copy failed, nothing copied: {exc}", file=sys.stderr)
        print("the target is migrated but empty: drop it and create it again (dropdb, createdb) before retrying",
              file=sys.stderr)  # fmt: skip
        return 1
    print(f"copied {sum(copied.values())} rows of {len(copied)} tables into the new database")
    if settings.is_sqlite and not os.environ.get("SPORTSRUN_SECRET_KEY", "").strip():
        print(f"set SPORTSRUN_SECRET_KEY where the site will run to the key in {settings.secret_key_path}: "
              "sessions and the answers kept for retried registrations need it")  # fmt: skip
    else:
        print("run the site on the new database with the same SPORTSRUN_SECRET_KEY")
    return 0
