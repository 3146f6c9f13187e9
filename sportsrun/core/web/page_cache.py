"""Public pages that hundreds refresh at once, answered from memory or with a 304.

A rendered page (or API answer) is kept per process under a key that includes the version of what it
shows, which its domain supplies (a race's results version, say): a change makes new keys and old
entries simply age out of an LRU bounded in bytes (`SPORTSRUN_PAGE_CACHE_MB`, the bodies and their
gzipped copies counted). An unchanged poll is answered 304 from the key alone. The gzipped copy is made
once per entry, at the first request that accepts it, not on every hit: what is kept here is the same for
every visitor (no CSRF token, no signed-in user), so it may be compressed (`compression`, BREACH)."""

import hashlib
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from litestar import Request, Response

from sportsrun.core.web import compression, hot_answers
from sportsrun.core.web.static import assets
from sportsrun.settings import get_settings

# Room an entry takes beyond its bodies (the key, the entry, the ETag), so that many tiny answers count.
OVERHEAD = 200


class Entry:
    __slots__ = ("body", "etag", "gzipped")

    def __init__(self, body: bytes, etag: str):
        self.body, self.etag = body, etag
        self.gzipped: bytes | None = None

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"") + OVERHEAD


class Rendered:
    """An LRU of rendered responses by key, holding at most `limit` bytes (the setting when None)."""

    def __init__(self, limit: int | None = None):
        self.limit = limit
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.size = 0

    def max_bytes(self) -> int:
        return self.limit if self.limit is not None else get_settings().page_cache_bytes

    def get(self, key: tuple) -> Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: tuple, body: bytes, etag: str) -> Entry:
        entry = Entry(body, etag)
        if not self.entries:
            self.size = 0  # emptied from outside (tests do)
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= old.size
        if entry.size <= self.max_bytes():
            self.entries[key] = entry
            self.size += entry.size
            self._evict()
        return entry

    def gzipped(self, key: tuple, entry: Entry) -> bytes:
        """The entry's body gzipped, made once (at level 9: it is kept) and counted in the cache's size."""
        if entry.gzipped is None:
            entry.gzipped = compression.compress(entry.body, 9)
            if self.entries.get(key) is entry:
                self.size += len(entry.gzipped)
                self._evict()
        return entry.gzipped

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0
        hot_answers.answers.clear()

    def _evict(self) -> None:
        limit = self.max_bytes()
        while self.size > limit and self.entries:
            self.size -= self.entries.popitem(last=False)[1].size


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
        hot_answers.answers.clear()  # what this process changed shows at once in the pages sent again too
        if key is None:
            self.kept.clear()
        else:
            self.kept.pop(key, None)


def etag_of(key: tuple) -> str:
    """A weak ETag for a key; a new release (other templates or static files) makes new ones."""
    seed = (key, assets.release())
    return 'W/"' + hashlib.blake2b(repr(seed).encode(), digest_size=12).hexdigest() + '"'


async def cached_response(
    request: Request, key: tuple, build: Callable[[], Awaitable[bytes]], media_type: str, vary: str
) -> Response:
    """The response for `key` (which must name every version the body depends on), built once; gzipped
    for clients that accept it (once too)."""
    entry = rendered.get(key)
    if entry is None:
        entry = rendered.put(key, await build(), etag_of(key))
    # no-cache: browsers and proxies keep the page but ask each time; the answer is usually a 304.
    headers = {"ETag": entry.etag, "Cache-Control": "no-cache", "Vary": compression.vary_with(vary)}
    request.scope[compression.CHOSEN] = True  # type: ignore[literal-required]
    request.scope[hot_answers.SHARED] = True  # type: ignore[literal-required]
    if entry.etag in request.headers.get("if-none-match", ""):
        return Response(content=None, status_code=304, headers=headers)
    if len(entry.body) >= compression.MIN_SIZE and compression.accepts_gzip(request.scope["headers"]):
        headers["Content-Encoding"] = "gzip"
        return Response(content=rendered.gzipped(key, entry), media_type=media_type, headers=headers)
    return Response(content=entry.body, media_type=media_type, headers=headers)
