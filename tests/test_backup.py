"""`sportsrun backup` and `sportsrun restore` as an operator runs them: the suite's database (SQLite, or
PostgreSQL in the PostgreSQL pass) filled through the app, backed up while the app holds it open, restored
into a new empty database and compared table by table, row by row."""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from sportsrun.core.db import migrations
from tests.conftest import TEST_DB
from tests.support import make_race, register, runner, sign_in, token_headers
from tests.timing.support import csv_bytes, upload

SPORTSRUN = str(Path(sys.executable).parent / "sportsrun")
SOURCE = os.environ["SPORTSRUN_DATABASE_URL"]  # the suite's database, as conftest set it
KEY = os.environ["SPORTSRUN_SECRET_KEY"]


def postgres_bin() -> str | None:
    """pg_dump and pg_restore of the server's own version: .ci/postgres runs the newest installed cluster,
    and Debian's /usr/bin wrappers may pick another."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return str(found[-1]) if found else None


def run(*args: str, **env: str | None) -> subprocess.CompletedProcess:
    """The console script, with environment changes (None removes a variable)."""
    environ = {**os.environ, "PATH": os.pathsep.join(filter(None, (postgres_bin(), os.environ["PATH"])))}
    for name, value in env.items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    return subprocess.run([SPORTSRUN, *args], capture_output=True, text=True, timeout=300, env=environ)


def admin_postgres_url() -> str:
    url = os.environ.get("SPORTSRUN_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but SPORTSRUN_TEST_POSTGRES_URL is not set")
        pytest.skip("needs PostgreSQL: set SPORTSRUN_TEST_POSTGRES_URL (see README, Tests on PostgreSQL)")
    return url


@pytest.fixture
async def new_database(tmp_path):
    """Makes empty databases (a new file name, or CREATE DATABASE), of the suite's kind unless told."""
    made: list[str] = []

    async def make(kind: str = TEST_DB) -> str:
        name = f"sportsrun_backup_{os.getpid()}_{len(made)}"
        made.append(name)
        if kind == "sqlite":
            return f"sqlite:///{tmp_path}/{name}.db"
        admin = await asyncpg.connect(admin_postgres_url())
        try:
            await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            await admin.execute(f"CREATE DATABASE {name}")
        finally:
            await admin.close()
        return admin_postgres_url().rsplit("/", 1)[0] + "/" + name

    yield make
    if os.environ.get("SPORTSRUN_TEST_POSTGRES_URL"):
        admin = await asyncpg.connect(os.environ["SPORTSRUN_TEST_POSTGRES_URL"])
        try:
            for name in made:
                await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            await admin.close()


async def snapshot(url: str) -> dict[str, list]:
    """Every table's rows (sorted, as the order of a scan is no promise), and the schema's objects."""
    if url.startswith("sqlite:"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            return {}
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            schema = connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
            tables = [name for kind, name, _sql in schema if kind == "table"]
            found = {t: sorted(connection.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
        finally:
            connection.close()
        return {"(schema)": schema, **found}
    connection = await asyncpg.connect(url)
    try:
        schema = [tuple(r) for r in await connection.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname")]  # fmt: skip
        sequences = [tuple(r) for r in await connection.fetch(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1")]  # fmt: skip
        tables = [
            r["tablename"]
            for r in await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        found = {
            t: sorted((tuple(r) for r in await connection.fetch(f'SELECT * FROM "{t}"')), key=repr) for t in tables
        }
    finally:
        await connection.close()
    return {"(schema)": schema, "(sequences)": sequences, **found} if tables else {}


async def fill(client) -> None:
    """A race with confirmed and waitlisted runners, a retry-safe registration, a page session and results."""
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=3)
    for name in ("Zainab", "زينب", "ئاراس", "Omar"):
        assert (await register(client, race["id"], given_name=name)).status_code == 201
    keyed = await client.post(
        f"/api/v1/races/{race['id']}/registrations", json=runner(), headers={"Idempotency-Key": "k1"}
    )
    assert keyed.status_code == 201 and keyed.json()["status"] == "waitlisted", keyed.text
    await sign_in(client, "volunteer")
    sheet = csv_bytes([["Bib", "Time"], [1, "0:41:07.3"], [2, "0:44:00"], [3, "DNF"]])
    imported = await upload(client, await token_headers(client, "volunteer"), race["id"], sheet, name="times.csv")
    assert imported.status_code == 201, imported.text


async def migration_names(url: str) -> list[str]:
    if url.startswith("sqlite:"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            return sorted(name for (name,) in connection.execute("SELECT name FROM migration"))
        finally:
            connection.close()
    connection = await asyncpg.connect(url)
    try:
        return sorted(r["name"] for r in await connection.fetch("SELECT name FROM migration"))
    finally:
        await connection.close()


def with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    user, _at, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{user}:{password}@{host}"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def key_file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///") + ".secret")


async def test_a_backup_restores_every_row_into_an_empty_database(client, new_database, tmp_path):
    await fill(client)
    backup = tmp_path / "backups" / "today"
    # On SQLite, the key kept beside the database (SPORTSRUN_SECRET_KEY unset) goes into the backup.
    keys = {"SPORTSRUN_SECRET_KEY": None} if TEST_DB == "sqlite" else {}
    made = run("backup", str(backup), **keys)
    assert made.returncode == 0, made.stderr
    manifest = json.loads((backup / "manifest.json").read_text())
    database = "database.sqlite3" if TEST_DB == "sqlite" else "database.pgdump"
    assert {p.name for p in backup.iterdir()} == {"manifest.json", *manifest["files"]}
    modes = {p.name: oct(mode(p)) for p in backup.iterdir()}
    assert mode(backup) == 0o700 and set(modes.values()) == {"0o600"}, modes
    latest = max(name for _app, name in migrations.on_disk())
    assert manifest["database"] == ("sqlite" if TEST_DB == "sqlite" else "postgresql")
    assert (manifest["migration"], manifest["sportsrun_version"]) == (latest, version("sportsrun"))
    assert dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(manifest["created_at"]) < dt.timedelta(minutes=5)
    for name, listed in manifest["files"].items():
        assert hashlib.sha256((backup / name).read_bytes()).hexdigest() == listed["sha256"]
    if TEST_DB == "sqlite":
        assert manifest["secret_key_file"] == "secret.key" and set(manifest["files"]) == {database, "secret.key"}
        assert (backup / "secret.key").read_text() == key_file(SOURCE).read_text()
    else:
        assert manifest["secret_key_file"] is None and set(manifest["files"]) == {database}
        assert "SPORTSRUN_SECRET_KEY" in made.stdout

    target = await new_database()
    restored = run("restore", str(backup), SPORTSRUN_DATABASE_URL=target, **keys)
    assert restored.returncode == 0, restored.stderr
    assert "no migration to apply" in restored.stdout
    source_rows, target_rows = await snapshot(SOURCE), await snapshot(target)
    assert target_rows["registration"] and target_rows["result"] and target_rows["kept_answer"]
    assert target_rows.keys() == source_rows.keys()
    for table in source_rows:
        assert target_rows[table] == source_rows[table], table
    if TEST_DB == "sqlite":
        assert key_file(target).read_text() == key_file(SOURCE).read_text() and mode(key_file(target)) == 0o600
        assert mode(Path(target.removeprefix("sqlite:///"))) == 0o600


@pytest.mark.skipif(TEST_DB != "sqlite", reason="SQLite's own write-ahead log")
async def test_a_sqlite_backup_holds_the_writes_still_in_the_write_ahead_log(new_database, tmp_path):
    # A database of its own: holding the suite's database open from outside left it unusable for the
    # command-line tests that follow.
    source, target = await new_database(), await new_database()
    assert subprocess.run([SPORTSRUN, "migrate"], capture_output=True,
                          env={**os.environ, "SPORTSRUN_DATABASE_URL": source}).returncode == 0  # fmt: skip
    path = Path(source.removeprefix("sqlite:///"))
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # the writes stay in the WAL, as while the app serves
    reader = sqlite3.connect(path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM kept_answer").fetchone()  # holds the WAL: no checkpoint passes it
    try:
        with writer:
            writer.executemany(
                "INSERT INTO kept_answer (key_hash, body_hash, answer, created_at) VALUES (?, ?, ?, ?)",
                [(f"k{i}", "b", b"sealed", "2026-12-05 00:00:00+00:00") for i in range(50)],
            )
        shutil.copy(path, tmp_path / "copied.db")  # what copying the file would have kept
        made = run("backup", str(tmp_path / "b"), SPORTSRUN_DATABASE_URL=source)
        assert made.returncode == 0, made.stderr
    finally:
        reader.close()
        writer.close()
    copied = sqlite3.connect(tmp_path / "copied.db")
    assert copied.execute("SELECT count(*) FROM kept_answer").fetchone() == (0,)
    copied.close()
    assert run("restore", str(tmp_path / "b"), SPORTSRUN_DATABASE_URL=target).returncode == 0
    restored = await snapshot(target)
    assert len(restored["kept_answer"]) == 50 and restored["kept_answer"] == (await snapshot(source))["kept_answer"]


async def test_an_older_backup_is_migrated_forward(new_database, tmp_path):
    source, target = await new_database(), await new_database()
    older = sorted(name for _app, name in migrations.on_disk())[-2]
    code = f"import asyncio; from piccolo.apps.migrations.commands.forwards import run_forwards as f; asyncio.run(f('sportsrun', migration_id={older!r}))"  # noqa: E501
    forwards = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                              env={**os.environ, "SPORTSRUN_DATABASE_URL": source})  # fmt: skip
    assert forwards.returncode == 0, forwards.stderr
    assert run("backup", str(tmp_path / "b"), SPORTSRUN_DATABASE_URL=source).returncode == 0
    assert json.loads((tmp_path / "b" / "manifest.json").read_text())["migration"] == older
    restored = run("restore", str(tmp_path / "b"), SPORTSRUN_DATABASE_URL=target)
    assert restored.returncode == 0 and "applied 1 migration" in restored.stdout, restored.stdout + restored.stderr
    assert await migration_names(target) == sorted(name for _app, name in migrations.on_disk())


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A backup of the suite's database (with its key file on SQLite), copied by each test that spoils it."""
    backup = tmp_path_factory.mktemp("pristine") / "b"
    made = run("backup", str(backup), **({"SPORTSRUN_SECRET_KEY": None} if TEST_DB == "sqlite" else {}))
    assert made.returncode == 0, made.stderr
    return backup


def flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def edit_manifest(**changes):
    def edit(backup: Path) -> None:
        manifest = json.loads((backup / "manifest.json").read_text())
        (backup / "manifest.json").write_text(json.dumps({**manifest, **changes}))

    return edit


SPOILED = {
    "a byte of the database": (lambda b: flip_byte(next(b.glob("database.*"))), "database.* is damaged"),
    "the manifest gone": (lambda b: (b / "manifest.json").unlink(), "has no manifest.json"),
    "a backup from a newer sportsrun": (edit_manifest(migration="2999-01-01T00:00:00:000000"), "does not know"),
    "the other kind of database": (
        edit_manifest(database="postgresql" if TEST_DB == "sqlite" else "sqlite"),
        "restore it into the same kind of database",
    ),
}
if TEST_DB == "sqlite":
    SPOILED["a byte of the key"] = (lambda b: flip_byte(b / "secret.key"), "secret.key is damaged")


@pytest.mark.parametrize("spoil", SPOILED, ids=list(SPOILED))
async def test_a_damaged_or_mismatched_backup_is_refused_and_nothing_written(spoil, pristine, new_database, tmp_path):
    backup = tmp_path / "b"
    shutil.copytree(pristine, backup)
    change, says = SPOILED[spoil]
    change(backup)
    target = await new_database()
    refused = run("restore", str(backup), SPORTSRUN_DATABASE_URL=target)
    assert refused.returncode == 1 and "restore refused" in refused.stderr, refused.stderr
    said = refused.stderr.replace("database.sqlite3", "database.*").replace("database.pgdump", "database.*")
    assert says in said, refused.stderr
    assert await snapshot(target) == {}
    if TEST_DB == "sqlite":
        assert not Path(target.removeprefix("sqlite:///")).exists() and not key_file(target).exists()


async def test_restore_refuses_a_database_that_is_not_empty(pristine, new_database):
    target = await new_database()
    assert run("migrate", SPORTSRUN_DATABASE_URL=target).returncode == 0
    before = await snapshot(target)
    refused = run("restore", str(pristine), SPORTSRUN_DATABASE_URL=target)
    assert refused.returncode == 1 and "already holds" in refused.stderr and "empty" in refused.stderr, refused.stderr
    assert await snapshot(target) == before and before["migration"]
    if TEST_DB == "sqlite":
        assert not key_file(target).exists()


@pytest.mark.skipif(TEST_DB != "sqlite", reason="SQLite's key file")
async def test_restore_refuses_to_replace_a_different_key(pristine, new_database):
    target = await new_database()
    key_file(target).write_text("another key, in use somewhere")
    refused = run("restore", str(pristine), SPORTSRUN_DATABASE_URL=target, SPORTSRUN_SECRET_KEY=None)
    assert refused.returncode == 1 and "holds a different secret key" in refused.stderr, refused.stderr
    assert key_file(target).read_text() == "another key, in use somewhere"
    assert not Path(target.removeprefix("sqlite:///")).exists()
    # The same key beside it is no conflict; a key made by this very command (none was there) is replaced.
    key_file(target).write_text((pristine / "secret.key").read_text())
    assert run("restore", str(pristine), SPORTSRUN_DATABASE_URL=target, SPORTSRUN_SECRET_KEY=None).returncode == 0
    other = await new_database()
    assert run("restore", str(pristine), SPORTSRUN_DATABASE_URL=other, SPORTSRUN_SECRET_KEY=None).returncode == 0
    assert key_file(other).read_text() == (pristine / "secret.key").read_text()


def test_backup_wants_a_new_or_empty_directory(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    refused = run("backup", str(tmp_path / "full"))
    assert refused.returncode == 1 and "not an empty directory" in refused.stderr
    assert os.listdir(tmp_path / "full") == ["notes.txt"]
    (tmp_path / "empty").mkdir(mode=0o755)
    assert run("backup", str(tmp_path / "empty")).returncode == 0
    assert mode(tmp_path / "empty") == 0o700


def test_without_pg_dump_a_postgresql_backup_says_so(tmp_path):
    refused = run("backup", str(tmp_path / "b"), PATH="/nonexistent",
                  SPORTSRUN_DATABASE_URL="postgresql://sportsrun:pw@127.0.0.1:9/nowhere")  # fmt: skip
    assert refused.returncode == 1 and "pg_dump is not on PATH" in refused.stderr, refused.stderr
    assert not (tmp_path / "b").exists()


async def test_the_postgresql_password_stays_off_the_command_line(new_database, tmp_path):
    """pg_dump and pg_restore get the password in their environment (the server trusts local connections
    here, so any password opens it); wrappers on PATH record what each was given."""
    source, target = await new_database("postgresql"), await new_database("postgresql")
    assert run("migrate", SPORTSRUN_DATABASE_URL=source, SPORTSRUN_SECRET_KEY=KEY).returncode == 0
    wrappers = tmp_path / "bin"
    wrappers.mkdir()
    for tool in ("pg_dump", "pg_restore"):
        real = shutil.which(tool, path=os.pathsep.join(filter(None, (postgres_bin(), os.environ["PATH"]))))
        (wrappers / tool).write_text(
            f'#!/bin/sh\nprintf "%s\\n" "$*" "$PGPASSWORD" >> "{tmp_path}/{tool}.log"\nexec "{real}" "$@"\n'
        )
        (wrappers / tool).chmod(0o700)
    path = f"{wrappers}{os.pathsep}{os.environ['PATH']}"
    env = {"SPORTSRUN_SECRET_KEY": KEY, "PATH": path}
    made = run("backup", str(tmp_path / "b"), SPORTSRUN_DATABASE_URL=with_password(source, "s3cr%2Ft"), **env)
    assert made.returncode == 0, made.stderr
    restored = run("restore", str(tmp_path / "b"), SPORTSRUN_DATABASE_URL=with_password(target, "s3cr%2Ft"), **env)
    assert restored.returncode == 0, restored.stderr
    for tool in ("pg_dump", "pg_restore"):
        arguments, password = (tmp_path / f"{tool}.log").read_text().splitlines()
        assert "s3cr" not in arguments and "--dbname=postgresql://" in arguments
        assert password == "s3cr/t"
    assert await migration_names(target) == await migration_names(source) != []
