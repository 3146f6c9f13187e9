"""Signed, encrypted cookie sessions for the pages (the API uses bearer tokens). Every worker can read
them without a shared store; idle and absolute limits are enforced on each request."""

import hashlib
import time

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.middleware.session.client_side import CookieBackendConfig

from sportsrun.accounts import queries
from sportsrun.accounts.services import AuthUser
from sportsrun.settings import Settings

IDLE_TIMEOUT_S = 2 * 3600
ABSOLUTE_TIMEOUT_S = 12 * 3600


def session_config(settings: Settings) -> CookieBackendConfig:
    return CookieBackendConfig(
        secret=hashlib.sha256(("session:" + settings.secret_key).encode()).digest(),
        key="session",
        max_age=ABSOLUTE_TIMEOUT_S,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        # Sessions belong to the pages: the API authenticates with bearer tokens only.
        exclude=["^/api/", "^/schema", "^/static/"],
    )


def start(request: Request, user: AuthUser) -> None:
    """A fresh session at sign-in: nothing a visitor carried before survives into it."""
    now = int(time.time())
    request.clear_session()
    request.set_session({"uid": user.id, "email": user.email, "role": user.role, "login": now, "seen": now})


def end(request: Request) -> None:
    request.clear_session()


async def current_user(request: ASGIConnection) -> AuthUser | None:
    """The signed-in user, re-read from the database so that a role change or deactivation takes
    effect at once."""
    session = request.session if "session" in request.scope else {}
    if not session or "uid" not in session:
        return None
    now = int(time.time())
    if now - session.get("login", 0) > ABSOLUTE_TIMEOUT_S or now - session.get("seen", 0) > IDLE_TIMEOUT_S:
        request.clear_session()
        return None
    if now - session["seen"] > 60:
        session["seen"] = now
    row = await queries.user(session["uid"])
    if row is None or not row["active"]:
        request.clear_session()
        return None
    return AuthUser(id=row["id"], email=row["email"], role=row["role"])
