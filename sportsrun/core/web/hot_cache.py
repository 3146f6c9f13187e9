"""Shared public pages sent again for up to half a second without going through the application.

A page kept for every visitor (`page_cache.cached_response`) still passed through routing, the session, CSRF
and locale middleware and its domain's version reads on every request: half a millisecond each, some 1,250
campaign pages a second on two workers while a city refreshes them. The finished answer is kept here, under
its path, query and the request headers its `Vary` names, and sent again until half a second has passed,
this process has written something (any request but GET and HEAD, during and after it) or a domain said
that what it shows changed (`page_cache.Recent.forget`). Another worker's or host's change shows within a
second and a half: the domains' own version reads (`page_cache.Recent`) are a second old at most.

Kept: 200 answers the page cache marked shared, sent in one body. Never their Set-Cookie: the CSRF
middleware gives each cookie-less visitor a cookie of their own, and a shared page carries no form that
needs it."""

import time

from litestar.types import ASGIApp, Message, Receive, Scope, Send

SHARED = "sportsrun.shared"  # set in the scope by page_cache.cached_response
TTL_S = 0.5  # with the domains' one-second version reads, another worker's change shows within 1.5 s
MAX_ANSWERS = 4096  # searches make a query string each: past this many, start again
_DROPPED = {b"set-cookie", b"content-length"}
_NOT_MODIFIED_DROPS = {b"content-type", b"content-encoding"}


class _Answer:
    __slots__ = ("expires", "headers", "body", "etag", "route")

    def __init__(self, expires: float, headers: list, body: bytes, etag: bytes | None, route: str | None):
        self.expires, self.headers, self.body, self.etag, self.route = expires, headers, body, etag, route


class HotAnswers:
    def __init__(self) -> None:
        # (path, query) → (the request headers the answers vary on, answers by those headers' values)
        self.paths: dict[tuple[str, bytes], tuple[tuple[bytes, ...], dict[tuple, _Answer]]] = {}
        self.count = 0

    def clear(self) -> None:
        self.paths.clear()
        self.count = 0

    def find(self, scope: Scope) -> _Answer | None:
        known = self.paths.get((scope["path"], scope["query_string"]))
        if known is None:
            return None
        answer = known[1].get(_values(scope["headers"], known[0]))
        if answer is None or answer.expires < time.monotonic():
            return None
        return answer

    def keep(self, scope: Scope, headers: list, body: bytes) -> None:
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
        known[1][_values(scope["headers"], vary)] = _Answer(time.monotonic() + TTL_S, kept, body, etag,
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


def hot_cache_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        method = scope["method"]
        if method != "GET":
            if method != "HEAD":
                answers.clear()
                try:
                    await app(scope, receive, send)
                finally:
                    answers.clear()  # a page kept while the write ran may show what it changed
                return
            await app(scope, receive, send)
            return
        answer = answers.find(scope)
        if answer is not None:
            await _send(scope, answer, send)
            return
        start: dict = {}
        parts: list[bytes] = []

        async def recording(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                if message.get("more_body", False):
                    parts.append(b"")  # streamed: more than one part, not kept
            await send(message)

        await app(scope, receive, recording)
        if scope.get(SHARED) and start.get("status") == 200 and len(parts) == 1:
            answers.keep(scope, list(start.get("headers", ())), parts[0])

    return middleware


async def _send(scope: Scope, answer: _Answer, send: Send) -> None:
    if answer.route is not None:
        scope["path_template"] = answer.route  # for the access log around this
    matches = answer.etag is not None and any(
        answer.etag in value for name, value in scope["headers"] if name == b"if-none-match"
    )
    if matches:
        headers = [(n, v) for n, v in answer.headers if n.lower() not in _NOT_MODIFIED_DROPS]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    headers = [*answer.headers, (b"content-length", str(len(answer.body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})
