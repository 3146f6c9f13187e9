"""Sets the request's language (cookie, then Accept-Language, then the site default) for gettext."""

from litestar.types import ASGIApp, Receive, Scope, Send

from sportsrun.core.i18n import current_locale, negotiate
from sportsrun.settings import get_settings

LOCALE_COOKIE = "lang"


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _sep, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _headers(scope: Scope) -> tuple[str | None, str]:
    """Accept-Language and Cookie straight from the raw headers: this runs on every request."""
    accept, cookie = None, ""
    for name, value in scope["headers"]:
        if name == b"accept-language":
            accept = value.decode("latin-1")
        elif name == b"cookie":
            cookie = value.decode("latin-1")
    return accept, cookie


def locale_middleware(app: ASGIApp) -> ASGIApp:
    default = get_settings().default_locale

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        accept, cookie = _headers(scope)
        locale = negotiate(accept, _cookie(cookie, LOCALE_COOKIE) if cookie else None, default)
        token = current_locale.set(locale)
        scope.setdefault("state", {})["locale"] = locale
        try:
            await app(scope, receive, send)
        finally:
            current_locale.reset(token)

    return middleware
