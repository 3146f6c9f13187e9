"""The answers `hot_cache` sends again: kept per path, query and the request headers their `Vary` names, for
half a second (see hot_cache). Apart from the middleware so that the page cache and the domains, inside it,
can end them without calling back into the module around them."""

import time

from litestar.types import Scope

SHARED = "sportsrun.shared"  # set in the scope by page_cache.cached_response
TTL_S = 0.5  # with the domains' one-second version reads, another worker's change shows within 1.5 s
MAX_ANSWERS = 4096  # searches make a query string each: past this many, start again
_DROPPED = {b"set-cookie", b"content-length"}


class Answer:
    __slots__ = ("expires", "headers", "body", "etag", "route")

    def __init__(self, expires: float, headers: list, body: bytes, etag: bytes | None, route: str | None):
        self.expires, self.headers, self.body, self.etag, self.route = expires, headers, body, etag, route


class HotAnswers:
    def __init__(self) -> None:
        # (path, query) → (the request headers the answers vary on, answers by those headers' values)
        self.paths: dict[tuple[str, bytes], tuple[tuple[bytes, ...], dict[tuple, Answer]]] = {}
        self.count = 0
        self.generation = 0

    def clear(self) -> None:
        self.paths.clear()
        self.count = 0
        self.generation += 1  # an answer rendered before this clear is not kept after it

    def find(self, scope: Scope) -> Answer | None:
        known = self.paths.get((scope["path"], scope["query_string"]))
        if known is None:
            return None
        answer = known[1].get(_values(scope["headers"], known[0]))
        if answer is None or answer.expires < time.monotonic():
            return None
        return answer

    def keep(self, scope: Scope, headers: list, body: bytes, generation: int) -> None:
        """Keeps an answer rendered from `generation` on (its value when the request came), unless something
        ended the answers since: a write that ran while it rendered."""
        if generation != self.generation:
            return
        vary = tuple(sorted({name.strip().lower().encode() for value in _all(headers, b"vary")
                             for name in value.decode("latin-1").split(",") if name.strip()}))  # fmt: skip
        if b"*" in vary:
            return
        if self.count >= MAX_ANSWERS:
            self.clear()
        at = (scope["path"], scope["query_string"])
        known = self.paths.get(at)
        if known is None or known[0] != vary:
            known = self.paths[at] = (vary, {})
        etag = next(iter(_all(headers, b"etag")), None)
        kept = [(name, value) for name, value in headers if name.lower() not in _DROPPED]
        known[1][_values(scope["headers"], vary)] = Answer(time.monotonic() + TTL_S, kept, body, etag,
                                                             scope.get("path_template"))  # fmt: skip
        self.count += 1


def _all(headers, name: bytes) -> list[bytes]:
    return [value for key, value in headers if key.lower() == name]


def _values(headers, names: tuple[bytes, ...]) -> tuple:
    found = dict.fromkeys(names, b"")
    for name, value in headers:
        if name in found:
            found[name] = found[name] + b"," + value if found[name] else value
    return tuple(found.values())


answers = HotAnswers()
