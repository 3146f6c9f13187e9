"""`sportsrun backup DIR` and `sportsrun restore DIR` (README, "Backups"): a module of their own, beside
cli.py, which wires them in."""

import argparse
import asyncio
import sqlite3
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
