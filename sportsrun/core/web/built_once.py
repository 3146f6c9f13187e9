"""Bodies that cost seconds to build (a workbook of 50,000 rows), built once however many ask at once,
and kept for the next request in a store bounded in bytes.

Single flight: the first request for a key starts the build as a task of its own, and every request for
that key arriving before it ends awaits the same task; a client that goes away does not cancel the build
for the others. A finished body goes into a least-recently-used store that evicts by size, so a few big
files cannot take a worker's memory; a body larger than the whole store is served, not kept. A failed
build is kept by nobody and the next request tries again.

The key must name every version the body depends on (as with `page_cache`): a change makes new keys, and
old bodies age out."""

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable


class BuiltOnce:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.kept: OrderedDict[tuple, bytes] = OrderedDict()
        self.size = 0
        self.building: dict[tuple, asyncio.Task] = {}
        # Builds started, and requests that awaited one already under way: what tests and benches count.
        self.builds = 0
        self.joined = 0

    async def get(self, key: tuple, build: Callable[[], Awaitable[bytes]]) -> bytes:
        body = self.kept.get(key)
        if body is not None:
            self.kept.move_to_end(key)
            return body
        task = self.building.get(key)
        if task is None:
            self.builds += 1
            task = self.building[key] = asyncio.ensure_future(self._build(key, build))
            # Retrieved here, so that a build whose every requester went away is not reported as unhandled.
            task.add_done_callback(lambda done: done.cancelled() or done.exception())
        else:
            self.joined += 1
        return await asyncio.shield(task)

    async def _build(self, key: tuple, build: Callable[[], Awaitable[bytes]]) -> bytes:
        try:
            body = await build()
        finally:
            del self.building[key]
        self._keep(key, body)
        return body

    def _keep(self, key: tuple, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        previous = self.kept.pop(key, None)
        self.size += len(body) - (len(previous) if previous is not None else 0)
        self.kept[key] = body
        while self.size > self.max_bytes:
            _key, dropped = self.kept.popitem(last=False)
            self.size -= len(dropped)

    def clear(self) -> None:
        """Forget every kept body (builds under way finish and are kept)."""
        self.kept.clear()
        self.size = 0
