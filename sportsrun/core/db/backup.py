"""Backups of an installation and restoring them (`sportsrun backup DIR`, `sportsrun restore DIR`).

A backup is a directory only its owner may open: the database (SQLite's online backup API, or pg_dump's
custom format), the secret key file a SQLite installation keeps when SPORTSRUN_SECRET_KEY is unset, and
manifest.json naming each file with its SHA-256. The manifest is written last, so a backup cut short has
none and restore refuses it. Restore checks everything before it writes anything, and writes only into
an empty database: merging a backup into live data would silently mix two histories."""

import datetime as dt
import hashlib
import json
import os
import sqlite3
from importlib.metadata import version
from pathlib import Path

from sportsrun.core.db import migrations
from sportsrun.settings import Settings

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
KEY_FILE = "secret.key"
DATABASE_FILES = {"sqlite": SQLITE_FILE, "postgresql": POSTGRES_FILE}


class BackupError(Exception):
    """A sentence for the person at the command line."""


def private_file(path: Path) -> int:
    """A new file only its owner may read. O_EXCL: never write through a file or link already there."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _synced(path: Path) -> None:
    """On disk before the manifest names it: after a crash, a manifest never vouches for a file the
    machine had not written yet."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def kind(settings: Settings) -> str:
    return "sqlite" if settings.is_sqlite else "postgresql"


def _sqlite_uri(path: Path, mode: str) -> str:
    # A URI, so that a mistyped path is an error (mode=rw/ro) instead of a new empty database.
    return f"{path.resolve().as_uri()}?mode={mode}"


def _key_from_file(settings: Settings) -> bool:
    """Whether the key in use is the one kept beside a SQLite database (not SPORTSRUN_SECRET_KEY)."""
    path = settings.secret_key_path
    return settings.is_sqlite and path.is_file() and path.read_text().strip() == settings.secret_key


# -- backup ---------------------------------------------------------------------------------------


def _take_directory(directory: Path) -> bool:
    """DIR, new or empty, readable by its owner only; says whether it was made here."""
    if directory.exists():
        if not directory.is_dir() or any(directory.iterdir()):
            raise BackupError(f"{directory} is not an empty directory: back up into a new one")
        made = False
    else:
        directory.parent.mkdir(parents=True, exist_ok=True)
        directory.mkdir(mode=0o700)
        made = True
    os.chmod(directory, 0o700)  # mkdir's mode loses what the umask masks, and an existing one keeps its own
    return made


def _copy_sqlite(source: Path, target: Path) -> str:
    """Copies the live database; returns the last migration applied to the copy."""
    os.close(private_file(target))
    src = sqlite3.connect(_sqlite_uri(source, "rw"), timeout=30)
    try:
        dest = sqlite3.connect(target)
        try:
            # All pages in one step, inside one read transaction: in WAL mode a consistent snapshot, pages
            # still in the WAL included, that never blocks the app's writers. Copied a few pages at a time,
            # every write by the app would start the copy again.
            src.backup(dest)
            # One self-contained file (no -wal beside it), so that its hash covers all of it.
            dest.execute("PRAGMA journal_mode = DELETE")
            try:
                return dest.execute("SELECT max(name) FROM migration").fetchone()[0]
            except sqlite3.OperationalError:
                raise BackupError(f"{source} has no sportsrun tables: nothing to back up") from None
        finally:
            dest.close()
    finally:
        src.close()


def backup(settings: Settings, directory: Path) -> dict:
    """Writes the backup into DIR; returns its manifest. A failed backup leaves nothing behind."""
    from sportsrun.core.db import backup_postgres as postgres

    if settings.is_sqlite and not Path(settings.sqlite_path).is_file():
        raise BackupError(f"there is no database at {settings.sqlite_path}")
    if not settings.is_sqlite:
        postgres.tool("pg_dump")  # before DIR is made
    made = _take_directory(directory)
    database = directory / DATABASE_FILES[kind(settings)]
    try:
        if settings.is_sqlite:
            migration = _copy_sqlite(Path(settings.sqlite_path), database)
        else:
            migration = postgres.migration(settings)
            postgres.dump(settings, database)
        written = [database]
        key_in_file = _key_from_file(settings)
        if key_in_file:
            with os.fdopen(private_file(directory / KEY_FILE), "w") as f:
                f.write(settings.secret_key)
            written.append(directory / KEY_FILE)
        for path in written:
            _synced(path)
        manifest = {
            "format": FORMAT,
            "database": kind(settings),
            "sportsrun_version": version("sportsrun"),
            "migration": migration,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "secret_key_file": KEY_FILE if key_in_file else None,  # None: SPORTSRUN_SECRET_KEY
            "files": {p.name: {"sha256": sha256(p), "bytes": p.stat().st_size} for p in written},
        }
        with os.fdopen(private_file(directory / MANIFEST), "w") as f:
            json.dump(manifest, f, indent=2)
            f.write("\n")
        _synced(directory / MANIFEST)
        _synced(directory)
        return manifest
    except BaseException:
        for leftover in directory.iterdir():  # DIR was empty: all of it is this backup's
            leftover.unlink()
        if made:
            directory.rmdir()
        raise


# -- restore --------------------------------------------------------------------------------------


def read_manifest(directory: Path, kind: str) -> dict:
    """The manifest of a backup of this kind of database, once every file it lists is there with its hash."""
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise BackupError(f"{directory} has no {MANIFEST}: not a sportsrun backup, or one cut short") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path} cannot be read ({exc}): the backup is damaged") from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a manifest this sportsrun can read: the backup is damaged or too new")
    if manifest.get("database") != kind:
        raise BackupError(
            f"this is a backup of a {manifest.get('database')} database, and SPORTSRUN_DATABASE_URL names a {kind} "
            "one: restore it into the same kind of database"
        )
    database = DATABASE_FILES[kind]
    wanted = {database, *([KEY_FILE] if manifest.get("secret_key_file") == KEY_FILE else [])}
    if set(files) != wanted or not isinstance(manifest.get("migration"), str):
        raise BackupError(f"{path} does not describe a sportsrun backup: the backup is damaged")
    for name in sorted(wanted):  # names from the set above only: a manifest never opens ../elsewhere
        listed = files[name]
        if not (directory / name).is_file():
            raise BackupError(f"{name} is missing from {directory}: the backup is incomplete")
        if not isinstance(listed, dict) or sha256(directory / name) != listed.get("sha256"):
            raise BackupError(f"{name} is damaged: its SHA-256 is not the one in {MANIFEST}. Nothing was restored.")
    return manifest


def _refuse_unless_empty_sqlite(target: Path) -> None:
    if not target.exists():
        for leftover in (Path(f"{target}-wal"), Path(f"{target}-journal")):
            if leftover.exists():  # SQLite would read it into the new database
                raise BackupError(f"{leftover} is left from an earlier database: remove it first")
        return
    connection = sqlite3.connect(_sqlite_uri(target, "ro"))
    try:
        objects = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{target} is not an empty SQLite database ({exc}): restore into a new file") from None
    finally:
        connection.close()
    if objects:
        raise BackupError(
            f"{target} already holds a database ({objects} tables and indexes): restore only into a new, empty "
            "one (another file name in SPORTSRUN_DATABASE_URL)"
        )


def _key_to_write(settings: Settings, directory: Path, manifest: dict) -> str | None:
    """The backup's key, when it must be written beside the database; refuses to replace a key in use."""
    if manifest["secret_key_file"] is None:
        return None
    key = (directory / KEY_FILE).read_text().strip()
    path = settings.secret_key_path
    if not path.exists():
        return key
    existing = path.read_text().strip()
    if existing == key:
        return None
    if settings.secret_key_file_made:  # made by this very command: nothing was signed with it yet
        return key
    raise BackupError(f"{path} holds a different secret key: move it away to restore the backup's key with it")


def _restore_sqlite(settings: Settings, directory: Path, key: str | None) -> None:
    backup_file = directory / SQLITE_FILE
    src = sqlite3.connect(_sqlite_uri(backup_file, "ro"))
    try:
        try:
            checked = src.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            checked = str(exc)
        if checked != "ok":
            raise BackupError(
                f"{backup_file} fails SQLite's check ({checked}): the backup is damaged. Nothing was restored."
            )
        target = Path(settings.sqlite_path)
        made = not target.exists()
        if made:
            os.close(private_file(target))  # personal data: its owner's only, as in the backup
        try:
            dest = sqlite3.connect(target, timeout=30)
            try:
                src.backup(dest)
                dest.execute("PRAGMA journal_mode = WAL")  # as the app runs it
            finally:
                dest.close()
        except BaseException:
            if made:  # a full disk, say: no half database left to look restored
                target.unlink(missing_ok=True)
            raise
    finally:
        src.close()
    if key is not None:
        path = settings.secret_key_path
        fresh = path.with_name(path.name + ".restoring")
        fresh.unlink(missing_ok=True)
        with os.fdopen(private_file(fresh), "w") as f:
            f.write(key)
        os.replace(fresh, path)  # the key file is whole or absent, never half written


def restore(settings: Settings, directory: Path) -> dict:
    """Checks the backup and the target, then restores; returns the backup's manifest. The caller
    migrates forward: the backup may be older than this sportsrun."""
    from sportsrun.core.db import backup_postgres as postgres

    manifest = read_manifest(directory, kind(settings))
    if manifest["migration"] not in {name for _app, name in migrations.on_disk()}:
        raise BackupError(
            f"the backup's database is at migration {manifest['migration']}, which this sportsrun "
            f"({version('sportsrun')}) does not know: restore it with sportsrun {manifest.get('sportsrun_version')} "
            "or newer"
        )
    if settings.is_sqlite:
        key = _key_to_write(settings, directory, manifest)
        _refuse_unless_empty_sqlite(Path(settings.sqlite_path))
        _restore_sqlite(settings, directory, key)
    else:
        postgres.tool("pg_restore")
        postgres.refuse_unless_empty(settings)
        postgres.restore(settings, directory / POSTGRES_FILE)
    return manifest
