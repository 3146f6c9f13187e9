"""Who is signed in on the pages (session cookie), and the guards of organiser and volunteer pages."""

from urllib.parse import quote

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from sportsrun.accounts.services import AuthUser
from sportsrun.core import sessions
from sportsrun.core.errors import DomainError, Forbidden
from sportsrun.core.i18n import gettext as _


class SignInRequired(DomainError):
    status_code = 401

    def __init__(self, next_path: str):
        super().__init__(_("Sign in to continue."))
        self.next_path = next_path

    @property
    def login_url(self) -> str:
        return "/login?next=" + quote(self.next_path, safe="/")


async def page_user(connection: ASGIConnection) -> AuthUser | None:
    if "page_user" not in connection.scope:
        connection.scope["page_user"] = await sessions.current_user(connection)  # type: ignore[arg-type]
    return connection.scope["page_user"]


def page_requires(role: str):
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
