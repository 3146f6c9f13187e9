"""Pausing the cyclic garbage collector during a big import.

Reading a 50,000-row sheet makes half a million cell objects and then tens of thousands of results; each
burst of allocations sets off collections that walk every object alive, again and again: a third of the
import's time. Reference counting still frees everything as usual meanwhile; only cycles wait."""

import functools
import gc
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_pauses = 0
_was_enabled = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """Reentrant and safe across overlapping imports: collection resumes when the last one ends."""
    global _pauses, _was_enabled
    if _pauses == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _pauses += 1
    try:
        yield
    finally:
        _pauses -= 1
        if _pauses == 0 and _was_enabled:
            gc.enable()


def gc_paused_call(function: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """`function` (async) run under gc_paused, which ends once its frame is gone. Paused inside it, collection
    resumed while its 50,000 rows were still held, and the first collection walked them all: up to 0.2 s of
    the loop at once."""

    @functools.wraps(function)
    async def run(*args: P.args, **kwargs: P.kwargs) -> T:
        with gc_paused():
            return await function(*args, **kwargs)

    return run
