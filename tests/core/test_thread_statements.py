"""Statements handed to a thread (core.db.sqlite_threads.to_the_end): the connection they use is theirs until
they end, whatever happens to the task awaiting them."""

import asyncio
import sys
import threading
import time

import pytest

from sportsrun.core.db import sqlite_threads
from sportsrun.core.db.sqlite_threads import to_the_end

pytestmark = pytest.mark.pure  # no database: run once, on SQLite


async def test_a_cancelled_wait_still_lasts_until_the_thread_is_done():
    ended = threading.Event()

    def statements() -> None:
        time.sleep(0.2)
        ended.set()

    usual = sys.getswitchinterval()
    waiting = asyncio.ensure_future(to_the_end(statements))
    await asyncio.sleep(0.05)
    # The thread gets the GIL back quickly after each step.
    assert sys.getswitchinterval() == pytest.approx(sqlite_threads.QUICK_SWITCH_S)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    # Only now may the connection roll back: the statements are over.
    assert ended.is_set()
    assert sys.getswitchinterval() == usual


async def test_threads_at_once_keep_quick_switches_until_the_last_ends():
    usual = sys.getswitchinterval()
    first = asyncio.ensure_future(to_the_end(time.sleep, 0.05))
    second = asyncio.ensure_future(to_the_end(time.sleep, 0.15))
    await first
    assert sys.getswitchinterval() == pytest.approx(sqlite_threads.QUICK_SWITCH_S)
    await second
    assert sys.getswitchinterval() == usual
    assert await to_the_end(sum, [1, 2, 3]) == 6
