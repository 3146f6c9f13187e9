"""Security headers on every response: no framing, no sniffing, scripts and styles from this site only."""

from litestar.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # Registrants' addresses carry their secret code: never tell another site where a visitor came from.
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
WITH_CSP = [*HEADERS, (b"content-security-policy", CSP.encode())]
# The one policy a page may set for itself (the volunteer's check-in scanner): this site's own camera.
CAMERA_ALLOWED = {"Permissions-Policy": "camera=(self), microphone=(), geolocation=()"}


def _added(headers, extra: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Ours after the response's own, except a permissions policy the page chose (CAMERA_ALLOWED)."""
    if any(name.lower() == b"permissions-policy" for name, _value in headers):
        return [header for header in extra if header[0] != b"permissions-policy"]
    return extra


def security_headers_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        # The interactive API docs load their viewer from a CDN; everything else is self-contained.
        extra = HEADERS if scope["path"].startswith("/schema") else WITH_CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", ())
                message["headers"] = [*headers, *_added(headers, extra)]
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware
