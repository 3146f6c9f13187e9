"""SQLite work handed to a thread: an import's bulk inserts, its thousands of key lookups, its commit.

SQLite steps without holding the GIL, so the event loop's thread runs meanwhile (an import checking its next
rows, other requests). The statements use a connection nothing else may touch until they end."""

import asyncio
import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
# While SQLite works in a thread, the loop's thread runs Python beside it and the SQLite thread needs the GIL
# back after each step to bind the next values: at CPython's default of 5 ms between forced switches, 50,000
# rows took twice as long to insert as alone; at 0.2 ms, a tenth longer.
QUICK_SWITCH_S = 0.0002
_SWITCH_S = sys.getswitchinterval()
_in_threads = 0


async def to_the_end(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in a thread, awaited to its end even when the awaiting task is cancelled: it uses a
    connection that nothing else may touch (a rollback, the next statement) until it is done."""
    global _in_threads
    if not _in_threads:
        sys.setswitchinterval(QUICK_SWITCH_S)
    _in_threads += 1
    running = asyncio.get_running_loop().run_in_executor(None, function, *args)
    try:
        return await asyncio.shield(running)
    except asyncio.CancelledError:
        await asyncio.wait([running])
        raise
    finally:
        _in_threads -= 1
        if not _in_threads:
            sys.setswitchinterval(_SWITCH_S)
