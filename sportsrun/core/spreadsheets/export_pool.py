"""Building export files in a child process: off the event loop, and off the interpreter it runs in.

openpyxl is pure Python: a results.xlsx of 50,000 rows took seconds, and on the event loop two of them
held both workers of a server. A thread would not help, as it holds the GIL the loop needs. So each worker
builds its files in a pool of one child process, started on the first export and stopped with the app
(`shutdown`). Only plain data crosses: rows in, the file's bytes out; the function must be a module's
top-level function, named by import path. The arguments are pickled in a thread of the worker, holding
the GIL: tens of thousands of rows are best handed over already encoded (MessagePack, in slices).

The child is spawned, not forked (the worker runs threads, and a fork copies their locks as they are),
runs at a lower priority, so that the pages a worker serves keep the CPU while it writes, and ignores
Ctrl-C: the server stops it."""

import asyncio
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

PROCESSES = 1
NICENESS = 10

T = TypeVar("T")
_pool: ProcessPoolExecutor | None = None
runs = 0  # builds asked of the child since the process started: what tests and benches count


def _child_setup() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(NICENESS)


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        spawn = multiprocessing.get_context("spawn")
        _pool = ProcessPoolExecutor(PROCESSES, mp_context=spawn, initializer=_child_setup)
    return _pool


async def run(build: Callable[..., T], *args: Any) -> T:
    """`build(*args)` in the child; the arguments and the answer are pickled across."""
    global _pool, runs
    runs += 1
    pool = _executor()
    try:
        return await asyncio.wrap_future(pool.submit(build, *args))
    except BrokenProcessPool:
        # The child died (stopped for its memory, say): this export fails, the next starts a new child.
        if _pool is pool:
            _pool = None
            pool.shutdown(wait=False, cancel_futures=True)
        raise


def shutdown() -> None:
    """Stops the child once its current build ends (blocks until then: call it from a thread)."""
    global _pool
    pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
