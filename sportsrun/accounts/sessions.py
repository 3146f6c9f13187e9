"""Sessions for the pages (the API uses bearer tokens): an encrypted cookie that carries a random session
id, and a row per session in the database that the id must name. Any worker or host reads the cookie; the
row makes a session revocable: signing out, a new password or a deactivation deletes it, and a copied
cookie then opens nothing. Idle and absolute limits are enforced on each request."""

import datetime as dt
import hashlib
import secrets
import time

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.middleware.session.client_side import CookieBackendConfig

from sportsrun.accounts import queries
from sportsrun.accounts.services import AuthUser
from sportsrun.core.db.sql import write_transaction
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


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


async def start(request: Request, user: AuthUser) -> None:
    """A fresh session at sign-in: nothing a visitor carried before survives into it."""
    session_id, now = secrets.token_urlsafe(32), dt.datetime.now(dt.UTC)
    async with write_transaction():
        await queries.insert_session(user.id, _digest(session_id), now, now - dt.timedelta(seconds=ABSOLUTE_TIMEOUT_S))
    stamp = int(now.timestamp())
    request.clear_session()
    request.set_session({"sid": session_id, "uid": user.id, "login": stamp, "seen": stamp})


async def end(request: Request) -> None:
    """Signs out: this session's row goes, so the cookie opens nothing even where a copy of it is kept."""
    session = request.session if "session" in request.scope else {}
    if isinstance(session.get("sid"), str):
        async with write_transaction():
            await queries.delete_session(_digest(session["sid"]))
    request.clear_session()


async def current_user(request: ASGIConnection) -> AuthUser | None:
    """The signed-in user of a session that still exists, re-read from the database so that a role change
    or deactivation takes effect at once."""
    session = request.session if "session" in request.scope else {}
    if not session or not isinstance(session.get("sid"), str):
        return None
    now = int(time.time())
    if now - session.get("login", 0) > ABSOLUTE_TIMEOUT_S or now - session.get("seen", 0) > IDLE_TIMEOUT_S:
        request.clear_session()
        return None
    if now - session["seen"] > 60:
        session["seen"] = now
    row = await queries.session_user(_digest(session["sid"]))
    if row is None or not row["active"]:
        request.clear_session()
        return None
    return AuthUser(id=row["id"], email=row["email"], role=row["role"])
