"""Every query of the accounts domain: users and API tokens. Piccolo's query builder for the admin's user
list and changes; raw SQL where every request that carries a token or a session waits on it: a user by
id took a median 27 µs raw on SQLite on this project's 2-core machine, and 270–320 µs as a Piccolo
select (bench/query_costs.py)."""

import datetime as dt
from typing import Any

from sportsrun.accounts.tables import ApiToken, PageSession, User
from sportsrun.core.db.sql import fetch_one

USER = (User.id, User.email, User.role, User.active)


async def email_taken(email: str) -> bool:
    return await User.exists().where(User.email == email)


async def insert_user(email: str, role: str, password_hash: str) -> dict:
    rows = await User.insert(User(email=email, role=role, password_hash=password_hash, active=True)).returning(*USER)
    return rows[0]


async def users() -> list[dict]:
    return await User.select(*USER).order_by(User.id)


async def user(user_id: int) -> dict | None:
    """Raw: read on every page request of a signed-in organiser or volunteer."""
    return await fetch_one("SELECT id, email, role, active FROM account_user WHERE id = {}", user_id)


async def update_user(user_id: int, values: dict[str, Any]) -> None:
    await User.update(values).where(User.id == user_id)


async def credentials(email: str) -> dict | None:
    return await User.select(*USER, User.password_hash).where(User.email == email).first()


async def insert_token(user_id: int, token_hash: str, expires_at: dt.datetime) -> None:
    await ApiToken.insert(ApiToken(user=user_id, token_hash=token_hash, expires_at=expires_at))
    await ApiToken.delete().where(ApiToken.expires_at < dt.datetime.now(dt.UTC))


async def delete_token(token_hash: str) -> None:
    await ApiToken.delete().where(ApiToken.token_hash == token_hash)


async def delete_tokens_of(user_id: int) -> None:
    await ApiToken.delete().where(ApiToken.user == user_id)


async def token_user(token_hash: str) -> dict | None:
    """Raw: read on every API request that carries a token."""
    return await fetch_one(
        "SELECT u.id, u.email, u.role, u.active, t.expires_at FROM api_token t "
        'JOIN account_user u ON u.id = t."user" WHERE t.token_hash = {}',
        token_hash,
    )


# -- page sessions ---------------------------------------------------------------------------------------


async def insert_session(user_id: int, token_hash: str, now: dt.datetime, older_than: dt.datetime) -> None:
    await PageSession.insert(PageSession(user=user_id, token_hash=token_hash, created_at=now))
    await PageSession.delete().where(PageSession.created_at < older_than)


async def delete_session(token_hash: str) -> None:
    await PageSession.delete().where(PageSession.token_hash == token_hash)


async def delete_sessions_of(user_id: int) -> None:
    await PageSession.delete().where(PageSession.user == user_id)


async def session_user(token_hash: str) -> dict | None:
    """Raw: read on every page request of a signed-in organiser or volunteer."""
    return await fetch_one(
        'SELECT u.id, u.email, u.role, u.active FROM page_session s JOIN account_user u ON u.id = s."user" '
        "WHERE s.token_hash = {}",
        token_hash,
    )
