"""gzip for what is sent: pages, fragments and API answers of 500 bytes or more, to clients that accept it.

Results pages are read on phones over slow mobile networks on race day; gzip makes them 5 to 10 times
smaller (fifty runners: 33 KB, 3 KB gzipped). Answers kept by the page cache are compressed once per
entry (`page_cache`), static files once per process (`static`): each of those chooses its encoding and
says `Vary: Accept-Encoding`, and passes through here untouched. The rest is compressed here, when it
is sent whole (nothing this application streams is worth compressing on the fly). Every answer that
could be compressed says `Vary: Accept-Encoding`, merged with what it already varies by.

BREACH. An attacker who can make a victim's browser send requests with text of the attacker's choosing
reflected in the answer, and who can watch the sizes of the encrypted answers, can guess a secret in the
same answer a character at a time by how well it compresses. Here the secrets that reach a body are the
visitor's CSRF token (in every form and in the header htmx sends: Litestar's token is a double-submit
cookie, the same in every answer) and the self-service codes of registrants and captains
(`/registrations/{code}`, `/team-registrations/{code}`); nearly every page reflects its own address
(the language switcher's return link). The rule is not to compress an answer that may carry a secret:

- only answers to GET (and HEAD) are compressed: answers to a POST carry a code or a token just issued
  beside the text that was posted;
- never an answer marked `Cache-Control: no-store`: what carries a self-service code or personal data
  (the registrant's and captain's pages and API answers, sign-in, organiser and volunteer pages) is;
- never an answer whose body contains the visitor's CSRF token, looked for in the bytes themselves, so
  that no page that renders a form can forget to say so.

The pages many read at once (results, divisions, teams) are shared by every visitor, rendered without a
token (`render_text(shared=True)`), and compressed. A page made for one visitor (2 to 9 KB: the event
pages, the registration form) is sent as it is. Masking the token afresh in every answer would let those
be compressed too, but would mean replacing Litestar's CSRF check for a few kilobytes; the codes would
still need the rule."""

import gzip
from functools import lru_cache

from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

MIN_SIZE = 500
# Set in the scope by what chose the answer's encoding itself (the page cache, static files): the hot
# cached pages then pass through here without their headers being read again.
CHOSEN = "sportsrun.encoding_chosen"
LEVEL = 6  # for answers compressed on every request; the cached ones are compressed once, at 9
COMPRESSIBLE = (
    b"text/",
    b"application/json",
    b"application/problem+json",
    b"application/javascript",
    b"application/vnd.oai.openapi",
    b"image/svg+xml",
)


def _quality(params: bytes) -> float:
    for param in params.split(b";"):
        key, _sep, value = param.partition(b"=")
        if key.strip() == b"q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def accepts_gzip(headers) -> bool:
    """Whether the request's Accept-Encoding (in raw ASGI headers) allows gzip: named, or `*`, with q > 0."""
    for name, value in headers:
        if name == b"accept-encoding":
            return _accepts(value)
    return False


@lru_cache(maxsize=256)  # browsers send a handful of distinct values
def _accepts(value: bytes) -> bool:
    named = star = None
    for part in value.lower().split(b","):
        coding, _sep, params = part.partition(b";")
        coding = coding.strip()
        if coding in (b"gzip", b"x-gzip"):
            named = max(named or 0.0, _quality(params))
        elif coding == b"*":
            star = _quality(params)
    quality = named if named is not None else star
    return quality is not None and quality > 0


def compress(body: bytes, level: int = LEVEL) -> bytes:
    return gzip.compress(body, level, mtime=0)


@lru_cache(maxsize=256)
def vary_with(vary: str | None, name: str = "Accept-Encoding") -> str:
    """`vary` with `name` added once."""
    if not vary:
        return name
    if name.lower() in (part.strip().lower() for part in vary.split(",")):
        return vary
    return f"{vary}, {name}"


def _csrf_token(scope: Scope) -> bytes:
    token = ScopeState.from_scope(scope).csrf_token
    return token.encode() if isinstance(token, str) else b""


def _may_compress(start: Message) -> bool:
    """Whether the answer's headers allow compressing it (its size and body are seen later)."""
    compressible = False
    for name, value in start.get("headers", ()):  # ASGI header names are lower case
        if name == b"content-type":
            compressible = value.lower().startswith(COMPRESSIBLE)
        elif name == b"content-encoding" or (name == b"cache-control" and b"no-store" in value.lower()):
            return False
        elif name == b"vary" and b"accept-encoding" in value.lower():
            return False  # whoever said so chose the encoding (the page cache, static files)
    return compressible


def _encode(scope: Scope, start: Message, message: Message) -> None:
    """Compresses the whole answer `start` + `message` in place when the rules above allow it."""
    body = message.get("body", b"")
    if len(body) < MIN_SIZE:
        return
    token = _csrf_token(scope)
    if token and token in body:
        return
    vary = None
    kept = []
    for name, value in start["headers"]:
        if name == b"vary":
            vary = value.decode("latin-1")
        elif name != b"content-length":
            kept.append((name, value))
    kept.append((b"vary", vary_with(vary).encode("latin-1")))
    if accepts_gzip(scope["headers"]):
        body = message["body"] = compress(body)
        kept.append((b"content-encoding", b"gzip"))
    kept.append((b"content-length", str(len(body)).encode()))
    start["headers"] = kept


def compression_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await app(scope, receive, send)
            return
        held: Message | None = None

        async def send_compressed(message: Message) -> None:
            nonlocal held
            if held is None:
                if message["type"] == "http.response.start" and not scope.get(CHOSEN) and _may_compress(message):
                    held = message  # until the body shows whether it is sent whole
                    return
                await send(message)
                return
            start, held = held, None
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                _encode(scope, start, message)
            await send(start)
            await send(message)

        await app(scope, receive, send_compressed)

    return middleware
