"""Who is calling, and the guards of every organiser and volunteer route: bearer tokens for the API,
the session cookie for the pages."""

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from sportsrun.accounts import sessions
from sportsrun.accounts.services import AuthUser, user_for_token
from sportsrun.core.errors import Forbidden, SignInRequired, Unauthorized
from sportsrun.core.i18n import gettext as _


async def authenticate(connection: ASGIConnection) -> AuthUser | None:
    """The user behind the request's bearer token, or None. Cached on the request."""
    if "user" in connection.scope:
        return connection.scope["user"]
    header = connection.headers.get("authorization", "")
    scheme, _sep, token = header.partition(" ")
    user = None
    if scheme.lower() == "bearer" and token.strip():
        user = await user_for_token(token.strip())
    connection.scope["user"] = user
    return user


def require(role: str):
    """An API guard admitting `role` and every role above it."""

    async def guard(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
        user = await authenticate(connection)
        if user is None:
            raise Unauthorized(_("Sign in: send a valid token as 'Authorization: Bearer <token>'."))
        if not user.can(role):
            raise Forbidden(_("Your role may not do this."))

    guard.__name__ = f"require_{role}"
    guard.bearer_role = role  # type: ignore[attr-defined]  # the API's schema shows the bearer scheme (core.web.openapi)
    return guard


requires_volunteer = require("volunteer")
requires_organiser = require("organiser")
requires_admin = require("admin")


async def page_user(connection: ASGIConnection) -> AuthUser | None:
    """Who is signed in on the pages (the session cookie)."""
    if "page_user" not in connection.scope:
        connection.scope["page_user"] = await sessions.current_user(connection)  # type: ignore[arg-type]
    return connection.scope["page_user"]


def page_requires(role: str):
    """A page guard: signing in first when nobody is, refused when the role may not."""

    async def guard(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
        user = await page_user(connection)
        if user is None:
            target = connection.url.path + (f"?{connection.url.query}" if connection.url.query else "")
            raise SignInRequired(target if connection.method == "GET" else "/")
        if not user.can(role):
            raise Forbidden(_("Your role may not open this page."))

    guard.__name__ = f"page_requires_{role}"
    return guard


def signed_in(request: Request) -> AuthUser:
    user = request.scope.get("page_user")
    assert user is not None, "page guard missing"
    return user
