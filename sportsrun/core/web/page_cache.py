"""Public pages that hundreds refresh at once, answered from memory or with a 304.

A rendered page (or API answer) is kept per process under a key that includes the version of what it
shows, which its domain supplies (a race's results version, say): a change makes new keys and old
entries simply age out of a small LRU. An unchanged poll is answered 304 from the key alone."""

import hashlib
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from litestar import Request, Response


class Rendered:
    """A small LRU of rendered responses (body, ETag) by key."""

    def __init__(self, size: int = 2000):
        self.size = size
        self.entries: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()

    def get(self, key: tuple) -> tuple[bytes, str] | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: tuple, body: bytes, etag: str) -> None:
        self.entries[key] = (body, etag)
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


rendered = Rendered()


class Recent:
    """What `load` answered for a key, reused for `ttl` seconds: how a worker learns within a second of a
    change another worker made, without asking the database on every request. A change made in this
    process calls `forget`, and is seen at once."""

    def __init__(self, load: Callable[[int], Awaitable[object]], ttl: float = 1.0):
        self.load, self.ttl = load, ttl
        self.kept: dict[int, tuple[float, object]] = {}

    async def get(self, key: int) -> object:
        now = time.monotonic()
        kept = self.kept.get(key)
        if kept and now - kept[0] < self.ttl:
            return kept[1]
        value = await self.load(key)
        self.kept[key] = (now, value)
        return value

    def forget(self, key: int | None = None) -> None:
        if key is None:
            self.kept.clear()
        else:
            self.kept.pop(key, None)


def etag_of(key: tuple) -> str:
    return 'W/"' + hashlib.blake2b(repr(key).encode(), digest_size=12).hexdigest() + '"'


async def cached_response(
    request: Request, key: tuple, build: Callable[[], Awaitable[bytes]], media_type: str, vary: str
) -> Response:
    """The response for `key` (which must name every version the body depends on), built once."""
    entry = rendered.get(key)
    if entry is None:
        body = await build()
        entry = (body, etag_of(key))
        rendered.put(key, *entry)
    body, etag = entry
    # no-cache: browsers and proxies keep the page but ask each time; the answer is usually a 304.
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": vary}
    if etag in request.headers.get("if-none-match", ""):
        return Response(content=None, status_code=304, headers=headers)
    return Response(content=body, media_type=media_type, headers=headers)
