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

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from sportsrun.core.web.hot_answers import SHARED, Answer, answers

_NOT_MODIFIED_DROPS = {b"content-type", b"content-encoding"}


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
                    answers.clear()  # and no page rendered while the write ran is kept (generation)
                return
            await app(scope, receive, send)
            return
        answer = answers.find(scope)
        if answer is not None:
            await _send(scope, answer, send)
            return
        start: dict = {}
        parts: list[bytes] = []
        generation = answers.generation

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
            answers.keep(scope, list(start.get("headers", ())), parts[0], generation)

    return middleware


async def _send(scope: Scope, answer: Answer, send: Send) -> None:
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
