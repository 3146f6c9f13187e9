"""Accounts: users with roles, passwords, API tokens."""

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sportsrun.accounts.passwords import MIN_LENGTH, hash_password, verify_password
from sportsrun.accounts.tables import ROLES, ApiToken, User
from sportsrun.core.db.sql import fetch, fetch_one, write_transaction
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
        if await fetch_one("SELECT id FROM account_user WHERE email = {}", email):
            raise Conflict(_("A user with this email already exists."))
        rows = await User.insert(User(email=email, role=role, password_hash=password_hash, active=True)).returning(
            *User.all_columns()
        )
    return _public(rows[0])


async def list_users() -> list[dict]:
    rows = await User.select(User.id, User.email, User.role, User.active).order_by(User.id)
    return [_public(r) for r in rows]


async def update_user(user_id: int, data: Mapping[str, Any]) -> dict:
    fields = Fields(data)
    values: dict = {}
    if fields.present("role"):
        values[User.role] = fields.choice("role", ROLES, required=True)
    if fields.present("active"):
        values[User.active] = fields.boolean("active")
    password = _password(fields, required=False) if fields.present("password") else None
    fields.raise_if_any()
    if password is not None:
        values[User.password_hash] = await hash_password(password)
    async with write_transaction():
        if not await fetch_one("SELECT id FROM account_user WHERE id = {}", user_id):
            raise NotFound(_("No such user."))
        if values:
            await User.update(values).where(User.id == user_id)
        if User.password_hash in values or values.get(User.active) is False:
            # A new password or a deactivation ends every session the old credentials opened.
            await ApiToken.delete().where(ApiToken.user == user_id)
        row = await fetch_one("SELECT id, email, role, active FROM account_user WHERE id = {}", user_id)
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
    row = await fetch_one(
        "SELECT id, email, role, password_hash, active FROM account_user WHERE email = {}",
        (email or "").strip().lower(),
    )
    ok = await verify_password(row["password_hash"] if row else None, password or "")
    if not ok or not row["active"]:
        if limit:
            await ratelimit.hit("login", client_address, LOGIN_WINDOW_S)
        raise Unauthorized(_("The email or password is wrong."))
    return AuthUser(id=row["id"], email=row["email"], role=row["role"])


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(data: Mapping[str, Any], client_address: str) -> dict:
    email, password = data.get("email"), data.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        raise Unauthorized(_("The email or password is wrong."))
    user = await check_password(email, password, client_address)
    token = secrets.token_urlsafe(32)
    expires_at = dt.datetime.now(dt.UTC) + TOKEN_LIFETIME
    async with write_transaction():
        await ApiToken.insert(ApiToken(user=user.id, token_hash=_digest(token), expires_at=expires_at))
        await ApiToken.delete().where(ApiToken.expires_at < dt.datetime.now(dt.UTC))
    return {"token": token, "role": user.role, "expires_at": expires_at.isoformat(timespec="seconds")}


async def revoke_token(token: str) -> None:
    async with write_transaction():
        await ApiToken.delete().where(ApiToken.token_hash == _digest(token))


async def user_for_token(token: str) -> AuthUser | None:
    rows = await fetch(
        "SELECT u.id, u.email, u.role, u.active, t.expires_at FROM api_token t "
        'JOIN account_user u ON u.id = t."user" WHERE t.token_hash = {}',
        _digest(token),
    )
    if not rows:
        return None
    row = rows[0]
    expires_at = row["expires_at"]
    if isinstance(expires_at, str):
        expires_at = dt.datetime.fromisoformat(expires_at)
    if not row["active"] or expires_at <= dt.datetime.now(dt.UTC):
        return None
    return AuthUser(id=row["id"], email=row["email"], role=row["role"])
