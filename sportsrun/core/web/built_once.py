"""Files that cost seconds to build (a workbook of 50,000 rows), built once however many ask at once, and
kept for the next request in a store bounded in bytes.

Single flight: the first request for a key starts the build as a task of its own, and every request for
that key arriving before it ends awaits the same task; a client that goes away does not cancel the build
for the others. What a build gives (a file and its other encodings, say its gzipped copy) goes into a
least-recently-used store that evicts by size, so a few big files cannot take a worker's memory; more
than the whole store holds is served, not kept. A failed build is kept by nobody and the next request
tries again.

The key must name every version the file depends on (as with `page_cache`): a change makes new keys, and
old files age out."""

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable

Built = tuple[bytes, ...]


def _size(built: Built) -> int:
    return sum(len(part) for part in built)


class BuiltOnce:
    def __init__(self, max_bytes: Callable[[], int]):
        self.max_bytes = max_bytes  # read at each store: a setting, say
        self.kept: OrderedDict[tuple, Built] = OrderedDict()
        self.size = 0
        self.building: dict[tuple, asyncio.Task] = {}
        # Builds started, and requests that awaited one already under way: what tests and benches count.
        self.builds = 0
        self.joined = 0

    async def get(self, key: tuple, build: Callable[[], Awaitable[Built]]) -> Built:
        built = self.kept.get(key)
        if built is not None:
            self.kept.move_to_end(key)
            return built
        task = self.building.get(key)
        if task is None:
            self.builds += 1
            task = self.building[key] = asyncio.ensure_future(self._build(key, build))
            # Retrieved here, so that a build whose every requester went away is not reported as unhandled.
            task.add_done_callback(lambda done: done.cancelled() or done.exception())
        else:
            self.joined += 1
        return await asyncio.shield(task)

    async def _build(self, key: tuple, build: Callable[[], Awaitable[Built]]) -> Built:
        try:
            built = await build()
        finally:
            del self.building[key]
        self._keep(key, built)
        return built

    def _keep(self, key: tuple, built: Built) -> None:
        limit = self.max_bytes()
        if _size(built) > limit:
            return
        previous = self.kept.pop(key, None)
        self.size += _size(built) - (_size(previous) if previous is not None else 0)
        self.kept[key] = built
        while self.size > limit:
            _key, dropped = self.kept.popitem(last=False)
            self.size -= _size(dropped)

    def clear(self) -> None:
        """Forget every kept file (builds under way finish and are kept)."""
        self.kept.clear()
        self.size = 0
