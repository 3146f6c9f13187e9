"""The single-flight store of costly bodies, and the child process that builds export files."""

import asyncio
import os
from concurrent.futures.process import BrokenProcessPool

import pytest

from sportsrun.core.spreadsheets import export_pool
from sportsrun.core.web.built_once import BuiltOnce

pytestmark = pytest.mark.pure


def builder(bodies: dict, gate: asyncio.Event | None = None):
    """A build that records each call by key and, given a gate, waits for it to open."""
    calls: list[tuple] = []

    def make(key: tuple):
        async def build() -> bytes:
            calls.append(key)
            if gate is not None:
                await gate.wait()
            return bodies[key]

        return build

    return calls, make


async def test_requests_at_once_await_one_build_and_the_next_is_kept():
    store, gate = BuiltOnce(lambda: 1000), asyncio.Event()
    calls, make = builder({("a",): (b"x" * 10,)}, gate)
    waiting = [asyncio.ensure_future(store.get(("a",), make(("a",)))) for _ in range(5)]
    while store.joined < 4 or not calls:
        await asyncio.sleep(0)
    assert calls == [("a",)] and not any(w.done() for w in waiting)
    gate.set()
    assert await asyncio.gather(*waiting) == [(b"x" * 10,)] * 5
    assert await store.get(("a",), make(("a",))) == (b"x" * 10,)
    assert calls == [("a",)] and (store.builds, store.joined, store.size) == (1, 4, 10)


async def test_a_requester_that_goes_away_does_not_stop_the_build_for_the_others():
    store, gate = BuiltOnce(lambda: 1000), asyncio.Event()
    calls, make = builder({("a",): (b"body",)}, gate)
    leaving = asyncio.ensure_future(store.get(("a",), make(("a",))))
    staying = asyncio.ensure_future(store.get(("a",), make(("a",))))
    while store.joined < 1:
        await asyncio.sleep(0)
    leaving.cancel()
    gate.set()
    assert await staying == (b"body",) and leaving.cancelled() and store.kept[("a",)] == (b"body",)


async def test_the_store_is_bounded_in_bytes_least_recently_used_first():
    limit = [100]
    store = BuiltOnce(lambda: limit[0])
    bodies = {("a",): (b"a" * 30, b"A" * 10), ("b",): (b"b" * 40,), ("c",): (b"c" * 40,), ("huge",): (b"h" * 101,)}
    calls, make = builder(bodies)
    for key in [("a",), ("b",), ("a",), ("c",)]:  # "a" used again: "b" is the oldest when "c" comes
        assert await store.get(key, make(key)) == bodies[key]
    assert list(store.kept) == [("a",), ("c",)] and store.size == 80  # every part of what was built counts
    assert await store.get(("huge",), make(("huge",))) == bodies[("huge",)]  # served, not kept
    assert ("huge",) not in store.kept and store.size == 80
    await store.get(("b",), make(("b",)))
    assert calls == [("a",), ("b",), ("c",), ("huge",), ("b",)]
    limit[0] = 0  # kept nothing (SPORTSRUN_EXPORT_CACHE_MB=0): each request builds
    await store.get(("d",), make(("b",)))
    assert ("d",) not in store.kept
    store.clear()
    assert not store.kept and store.size == 0


async def test_a_failed_build_is_kept_by_nobody_and_tried_again():
    store, attempts = BuiltOnce(lambda: 100), []

    async def build() -> bytes:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("the database went away")
        return (b"ok",)

    with pytest.raises(RuntimeError):
        await store.get(("a",), build)
    assert not store.building and not store.kept
    assert await store.get(("a",), build) == (b"ok",) and len(attempts) == 2


async def test_the_export_child_is_another_process_at_a_lower_priority():
    pid = await export_pool.run(os.getpid)
    assert pid != os.getpid()
    assert await export_pool.run(os.nice, 0) == os.nice(0) + export_pool.NICENESS
    assert await export_pool.run(os.getpid) == pid  # one child, kept


async def test_a_child_that_dies_fails_its_build_and_the_next_starts_a_new_one():
    before = await export_pool.run(os.getpid)
    with pytest.raises(BrokenProcessPool):
        await export_pool.run(os._exit, 1)
    after = await export_pool.run(os.getpid)
    assert after not in (before, os.getpid())
    await asyncio.to_thread(export_pool.shutdown)  # as the app's lifespan does
    assert export_pool._pool is None
    assert await export_pool.run(os.getpid) not in (after, os.getpid())
