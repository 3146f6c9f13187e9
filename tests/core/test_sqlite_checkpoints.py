"""SQLite's write-ahead log is copied into the database file by a checkpoint in a thread after writes,
not inside the commit that happens to cross SQLite's threshold."""

import asyncio
import os
import time

import pytest
from piccolo.engine.sqlite import TransactionType

from sportsrun.core.db.sqlite_engine import CHECKPOINT_AFTER_S, InlineSQLiteEngine
from tests.conftest import TEST_DB

pytestmark = pytest.mark.skipif(TEST_DB != "sqlite", reason="SQLite's own write-ahead log")

ROWS, ROW_BYTES = 3000, 2000  # some 6 MB: past the 1,000 pages at which a commit would checkpoint itself


async def _engine(path) -> InlineSQLiteEngine:
    engine = InlineSQLiteEngine(path=str(path))
    await engine.start_connection_pool()
    connection = engine.take()
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("CREATE TABLE note (body TEXT)")
    engine.give(connection)
    return engine


async def _write(engine: InlineSQLiteEngine, rows: int = ROWS) -> None:
    async with engine.transaction(transaction_type=TransactionType.immediate) as transaction:
        transaction.connection.executemany("INSERT INTO note VALUES (?)", [("x" * ROW_BYTES,)] * rows)


async def _grows_past(path, size: int, within_s: float) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if os.path.getsize(path) > size:
            return True
        await asyncio.sleep(0.05)
    return False


async def test_a_big_commit_returns_before_its_pages_are_copied_and_a_thread_copies_them_soon(tmp_path):
    path = tmp_path / "db.sqlite"
    engine = await _engine(path)
    try:
        await _write(engine)
        assert os.path.getsize(path) < 1 << 20  # still only in the WAL: the commit did not checkpoint
        assert os.path.getsize(f"{path}-wal") > ROWS * ROW_BYTES
        assert await _grows_past(path, ROWS * ROW_BYTES, within_s=CHECKPOINT_AFTER_S + 5)
        connection = engine.take()
        assert connection.execute("SELECT COUNT(*) AS n FROM note").fetchone() == {"n": ROWS}
        engine.give(connection)
    finally:
        await engine.close_connection_pool()


async def test_writes_while_a_checkpoint_runs_get_the_next_one(tmp_path):
    path = tmp_path / "db.sqlite"
    engine = await _engine(path)
    try:
        await _write(engine)
        assert await _grows_past(path, ROWS * ROW_BYTES, within_s=CHECKPOINT_AFTER_S + 5)
        for _ in range(3):  # more writes, some landing while a checkpoint is pending or running
            await _write(engine, ROWS // 3)
            await asyncio.sleep(CHECKPOINT_AFTER_S / 2)
        assert await _grows_past(path, 2 * ROWS * ROW_BYTES, within_s=CHECKPOINT_AFTER_S + 5)
    finally:
        await engine.close_connection_pool()


async def test_closing_with_a_checkpoint_pending_leaves_everything_in_the_database_file(tmp_path):
    path = tmp_path / "db.sqlite"
    engine = await _engine(path)
    await _write(engine)
    await engine.close_connection_pool()  # the last connection closing checkpoints and removes the WAL
    assert os.path.getsize(path) > ROWS * ROW_BYTES
    assert not os.path.exists(f"{path}-wal")
    await asyncio.sleep(CHECKPOINT_AFTER_S * 2)  # the cancelled checkpoint does not run (nor reopen the file)
    assert not os.path.exists(f"{path}-wal")


@pytest.mark.parametrize("wait_s", [0, CHECKPOINT_AFTER_S + 0.2])
def test_the_servers_event_loop_closes_with_a_checkpoint_due_or_done(tmp_path, wait_s):
    """The server runs on uvloop, whose timers are not asyncio's TimerHandle."""
    uvloop = pytest.importorskip("uvloop")
    path = tmp_path / "db.sqlite"

    async def serve_and_stop() -> None:
        engine = await _engine(path)
        await _write(engine)
        await asyncio.sleep(wait_s)
        await engine.close_connection_pool()

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(serve_and_stop())
    assert os.path.getsize(path) > ROWS * ROW_BYTES
    assert not os.path.exists(f"{path}-wal")
