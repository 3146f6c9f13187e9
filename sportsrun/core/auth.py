"""Who is calling: bearer tokens for the API, role guards for every organiser and volunteer route."""

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from sportsrun.accounts.services import AuthUser, user_for_token
from sportsrun.core.errors import Forbidden, Unauthorized
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
    """A guard admitting `role` and every role above it."""

    async def guard(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
        user = await authenticate(connection)
        if user is None:
            raise Unauthorized(_("Sign in: send a valid token as 'Authorization: Bearer <token>'."))
        if not user.can(role):
            raise Forbidden(_("Your role may not do this."))

    guard.__name__ = f"require_{role}"
    return guard


requires_volunteer = require("volunteer")
requires_organiser = require("organiser")
requires_admin = require("admin")


def client_address(connection: ASGIConnection) -> str:
    client = connection.client
    return client.host if client else "unknown"
