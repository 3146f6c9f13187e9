"""Helpers for tests: database reset, users and tokens, races, registrations."""

import datetime as dt
import hashlib
import io
import itertools
import secrets

import openpyxl

from sportsrun.core.db import connections
from sportsrun.core.db import sql as db

_TABLES = [
    "score_change",
    "match",
    "player",
    "team",
    "division",
    "bib_audit",
    "registration_change",
    "registration",
    "person",
    "race",
    "event",
    "campaign",
    "api_token",
    "page_session",
    "account_user",
    "rate_counter",
    "kept_answer",
    "recovery_request",
    "outbox_message",
]
_phones = itertools.count(1000)


async def run_migrations() -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    result = await run_forwards("all")
    assert result.success, result.message


async def reset_database() -> None:
    if connections.is_sqlite():
        async with db.write_transaction():
            for table in _TABLES:
                await db.fetch(f"DELETE FROM {table}")
    else:
        await db.fetch(f"TRUNCATE {', '.join(_TABLES)} RESTART IDENTITY CASCADE")


async def count(table: str, where: str = "1 = 1", *args) -> int:
    rows = await db.fetch(f"SELECT COUNT(*) AS n FROM {table} WHERE {where}", *args)
    return rows[0]["n"]


async def row_counts() -> dict[str, int]:
    return {t: await count(t) for t in _TABLES if t != "rate_counter"}


# Fixture setup only: argon2id costs ~0.4 s a hash on this 2-core machine and the suite makes hundreds of
# users, so each password is hashed once per session and users and tokens are written as the services
# write them. Creating users and signing in through the API and the pages are tested in tests/accounts.
_password_hashes: dict[str, str] = {}


async def make_user(role: str, email: str | None = None, password: str = "a long enough password") -> dict:
    from sportsrun.accounts import queries
    from sportsrun.accounts.passwords import hash_password

    if password not in _password_hashes:
        _password_hashes[password] = await hash_password(password)
    async with db.write_transaction():
        row = await queries.insert_user(email or f"{role}@example.test", role, _password_hashes[password])
    return {k: row[k] for k in ("id", "email", "role", "active")}


async def token_headers(client, role: str, email: str | None = None) -> dict:
    """Bearer headers for a new user of this role, with a token stored as `POST /api/v1/auth/token` stores it."""
    from sportsrun.accounts import queries

    user = await make_user(role, email)
    token = secrets.token_urlsafe(32)
    async with db.write_transaction():
        await queries.insert_token(
            user["id"], hashlib.sha256(token.encode()).hexdigest(), now() + dt.timedelta(days=30)
        )
    return {"Authorization": f"Bearer {token}"}


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def race_body(**overrides) -> dict:
    start = (now() + dt.timedelta(days=20)).astimezone(dt.timezone(dt.timedelta(hours=3)))
    body = {
        "name": "10 km",
        "distance_m": 10000,
        "start_time": start.replace(microsecond=0).isoformat(),
        "capacity": 100,
        "bib_first": 1,
        "bib_last": 500,
        "registration_opens_at": (now() - dt.timedelta(days=1)).isoformat(),
    }
    body.update(overrides)
    return body


async def make_event(client, headers, **overrides) -> dict:
    body = {
        "name": "Baghdad Peace Run",
        "province": "IQ-BG",
        "city": "Baghdad",
        "date": (dt.date.today() + dt.timedelta(days=20)).isoformat(),
        "published": True,
    }
    body.update(overrides)
    r = await client.post("/api/v1/events", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def make_race(client, headers, event_id: int | None = None, **overrides) -> dict:
    if event_id is None:
        event_id = (await make_event(client, headers))["id"]
    r = await client.post(f"/api/v1/events/{event_id}/races", json=race_body(**overrides), headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def runner(**overrides) -> dict:
    n = next(_phones)
    body = {
        "given_name": "Zainab",
        "family_name": f"Hamid{n}",
        "gender": "female",
        "birth_date": "1995-03-01",
        "province": "IQ-BA",
        "phone": f"+96477012{n:05d}",
        "consent": True,
    }
    body.update(overrides)
    return body


async def register(client, race_id: int, **overrides):
    return await client.post(f"/api/v1/races/{race_id}/registrations", json=runner(**overrides))


def xlsx(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def soup(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.text, "html.parser")


def csrf_token(response) -> str:
    field = soup(response).find("input", {"name": "_csrf_token"})
    assert field is not None, "no CSRF field on the page"
    return field["value"]


async def sign_in(client, role: str, email: str | None = None) -> str:
    """Signs a page session in as a new user of this role; returns a CSRF token for later posts."""
    user = await make_user(role, email or f"{role}-pages@example.test")
    page = await client.get("/login")
    token = csrf_token(page)
    r = await client.post(
        "/login", data={"_csrf_token": token, "email": user["email"], "password": "a long enough password"}
    )
    assert r.status_code == 303, r.text
    return token


HTMX = {"HX-Request": "true"}


def count_parses(monkeypatch) -> list[int]:
    """Counts how often a spreadsheet is parsed (python-calamine opening a workbook); the list's length."""
    from python_calamine import CalamineWorkbook

    from sportsrun.core.spreadsheets import reader

    parses: list[int] = []

    class Counted:
        @staticmethod
        def from_filelike(*args, **kwargs):
            parses.append(1)
            return CalamineWorkbook.from_filelike(*args, **kwargs)

    monkeypatch.setattr(reader, "CalamineWorkbook", Counted)
    return parses
