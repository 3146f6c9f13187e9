import asyncio
import gc
import weakref

import pytest

from sportsrun.core.gc_pause import gc_paused, gc_paused_call

pytestmark = pytest.mark.pure


def test_collection_resumes_when_the_last_overlapping_pause_ends():
    assert gc.isenabled()
    first, second = gc_paused(), gc_paused()
    first.__enter__()
    second.__enter__()
    assert not gc.isenabled()
    first.__exit__(None, None, None)  # imports overlap: the first to finish must not resume collection
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_failing_import_resumes_collection():
    with pytest.raises(ValueError), gc_paused():
        raise ValueError
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_a_paused_call_resumes_collection_once_its_rows_are_gone(monkeypatch):
    """Resumed while the call's rows were still held, the first collection walked them all (0.2 s)."""

    class Row:
        pass

    held, paused, alive_at_resume = [], [], []
    enable = gc.enable
    monkeypatch.setattr(gc, "enable", lambda: alive_at_resume.append(held[0]() is not None) or enable())

    @gc_paused_call
    async def work() -> int:
        rows = [Row() for _ in range(3)]
        held.append(weakref.ref(rows[0]))
        paused.append(not gc.isenabled())
        await asyncio.sleep(0)
        return len(rows)

    assert await work() == 3
    assert paused == [True] and alive_at_resume == [False] and gc.isenabled()
