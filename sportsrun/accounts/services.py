"""Accounts: users with roles, passwords, API tokens."""

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sportsrun.accounts import queries
from sportsrun.accounts.passwords import MIN_LENGTH, hash_password, verify_password
from sportsrun.accounts.tables import ROLES
from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict, NotFound, TooManyRequests, Unauthorized
from sportsrun.core.i18n import gettext as _
from sportsrun.core.validation import Fields
from sportsrun.core.web import ratelimit
from sportsrun.settings import get_settings

TOKEN_LIFETIME = dt.timedelta(days=30)
LOGIN_WINDOW_S = 300
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES, start=1)}


@dataclass(frozen=True, slots=True)
class AuthUser:
    id: int
    email: str
    role: str

    def can(self, role: str) -> bool:
        """Roles nest: admin ⊃ organiser ⊃ volunteer."""
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


def _public(row: Mapping[str, Any]) -> dict:
    return {"id": row["id"], "email": row["email"], "role": row["role"], "active": row["active"]}


def _email(fields: Fields, required: bool) -> str | None:
    email = fields.text("email", required=required, max_length=254)
    if email is not None:
        local, _at, domain = email.partition("@")
        if not local or "." not in domain or " " in email:
            fields.error("email", _("Enter an email address like name@example.com."))
            return None
        email = email.lower()
    return email


def _password(fields: Fields, required: bool) -> str | None:
    password = fields.data.get("password")
    if password is None and not required:
        return None
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        fields.error("password", _("Use a password of at least {n} characters.", n=MIN_LENGTH))
        return None
    if len(password) > 1024:
        fields.error("password", _("Use at most {n} characters.", n=1024))
        return None
    return password


async def create_user(data: Mapping[str, Any]) -> dict:
    fields = Fields(data)
    email = _email(fields, required=True)
    role = fields.choice("role", ROLES, required=True)
    password = _password(fields, required=True)
    fields.raise_if_any()
    password_hash = await hash_password(password)
    async with write_transaction():
        if await queries.email_taken(email):
            raise Conflict(_("A user with this email already exists."))
        row = await queries.insert_user(email, role, password_hash)
    return _public(row)


async def list_users() -> list[dict]:
    return [_public(r) for r in await queries.users()]


async def update_user(user_id: int, data: Mapping[str, Any]) -> dict:
    fields = Fields(data)
    values: dict = {}
    if fields.present("role"):
        values["role"] = fields.choice("role", ROLES, required=True)
    if fields.present("active"):
        values["active"] = fields.boolean("active")
    password = _password(fields, required=False) if fields.present("password") else None
    fields.raise_if_any()
    if password is not None:
        values["password_hash"] = await hash_password(password)
    async with write_transaction():
        if not await queries.user(user_id):
            raise NotFound(_("No such user."))
        if values:
            await queries.update_user(user_id, values)
        if "password_hash" in values or values.get("active") is False:
            # A new password or a deactivation ends every session the old credentials opened: API tokens
            # and page sessions alike.
            await queries.delete_tokens_of(user_id)
            await queries.delete_sessions_of(user_id)
        row = await queries.user(user_id)
    return _public(row)


async def check_password(email: str, password: str, client_address: str) -> AuthUser:
    """The user these credentials belong to. Failed attempts are counted per client address; past the
    limit every attempt is refused for the rest of the window, right or wrong."""
    limit = get_settings().login_rate_limit
    if limit and await ratelimit.count("login", client_address, LOGIN_WINDOW_S) >= limit:
        raise TooManyRequests(
            _("Too many failed sign-ins from your address. Try again in a few minutes."),
            retry_after=ratelimit.retry_after(LOGIN_WINDOW_S),
        )
    row = await queries.credentials((email or "").strip().lower())
    ok = await verify_password(row["password_hash"] if row else None, password or "")
    if not ok or not row["active"]:
        if limit:
            await ratelimit.hit("login", client_address, LOGIN_WINDOW_S)
        raise Unauthorized(_("The email or password is wrong."))
    return AuthUser(id=row["id"], email=row["email"], role=row["role"])


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(data: Mapping[str, Any], client_address: str) -> dict:
    fields = Fields(data)
    email = fields.text("email", required=True, max_length=254)
    password = data.get("password")
    if not isinstance(password, str) or not password:
        fields.error("password", _("This field is required."))
    fields.raise_if_any()
    user = await check_password(email, password, client_address)
    token = secrets.token_urlsafe(32)
    expires_at = dt.datetime.now(dt.UTC) + TOKEN_LIFETIME
    async with write_transaction():
        await queries.insert_token(user.id, _digest(token), expires_at)
    return {"token": token, "role": user.role, "expires_at": expires_at.isoformat(timespec="seconds")}


async def revoke_token(token: str) -> None:
    async with write_transaction():
        await queries.delete_token(_digest(token))


async def user_for_token(token: str) -> AuthUser | None:
    row = await queries.token_user(_digest(token))
    if row is None:
        return None
    expires_at = row["expires_at"]
    if isinstance(expires_at, str):
        expires_at = dt.datetime.fromisoformat(expires_at)
    if not row["active"] or expires_at <= dt.datetime.now(dt.UTC):
        return None
    return AuthUser(id=row["id"], email=row["email"], role=row["role"])
