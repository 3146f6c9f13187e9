"""The queries of self-service (registrants fixing their registration, lost links) and of the organiser's
corrections: the change audit and the queued lost-link requests."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sportsrun.core.db.sql import fetch
from sportsrun.registration.tables import Registration

# The columns a change may write, as the registration table names them.
CHANGEABLE = (
    "given_name", "family_name", "name_key", "gender", "birth_date", "province", "country", "phone", "email",
    "emergency_contact", "club", "name_display", "guardian_name", "guardian_allows_full_name",
)  # fmt: skip


async def same_person(race_id: int, registration_id: int, birth_date: dt.date, name_key: str,
                      phone: str | None, email: str | None) -> int | None:  # fmt: skip
    """Another live registration of the race that the identity rule says is this person."""
    rows = await fetch(
        "SELECT id FROM registration WHERE race = {} AND id <> {} AND status <> 'cancelled' AND birth_date = {} "
        "AND (name_key = {} OR phone = {} OR email = {}) LIMIT 1",
        race_id, registration_id, birth_date, name_key, phone or "", email or "",
    )  # fmt: skip
    return rows[0]["id"] if rows else None


async def current(registration_id: int) -> dict | None:
    rows = await fetch(f"SELECT id, race, status, language, {', '.join(CHANGEABLE)} FROM registration WHERE id = {{}}",
                       registration_id)  # fmt: skip
    return rows[0] if rows else None


async def update_fields(registration_id: int, values: Mapping[str, Any]) -> None:
    assert set(values) <= set(CHANGEABLE)
    await Registration.update(values).where(Registration.id == registration_id)  # type: ignore[arg-type]


async def record_change(registration_id: int, user_id: int | None, fields: str, before: str, after: str,
                        at: dt.datetime) -> None:  # fmt: skip
    await fetch(
        'INSERT INTO registration_change (registration, "user", fields, before, after, at) '
        "VALUES ({}, {}, {}, {}, {}, {})",
        registration_id, user_id, fields, before, after, at,
    )  # fmt: skip


async def changes_of(registration_id: int) -> list[dict]:
    return await fetch('SELECT "user", fields, before, after, at FROM registration_change WHERE registration = {} '
                       "ORDER BY id", registration_id)  # fmt: skip


# -- lost links -----------------------------------------------------------------------------------------


async def queue_recovery(channel: str, recipient: str, birth_date: dt.date, language: str, at: dt.datetime) -> None:
    await fetch("INSERT INTO recovery_request (channel, recipient, birth_date, language, created_at) "
                "VALUES ({}, {}, {}, {}, {})", channel, recipient, birth_date, language, at)  # fmt: skip


async def any_recovery() -> bool:
    return bool(await fetch("SELECT 1 AS one FROM recovery_request LIMIT 1"))


async def take_recoveries(limit: int) -> list[dict]:
    """Removes and returns the oldest waiting requests: a row deleted by one worker is gone for the others."""
    return await fetch(
        "DELETE FROM recovery_request WHERE id IN (SELECT id FROM recovery_request ORDER BY id LIMIT {}) "
        "RETURNING id, channel, recipient, birth_date, language",
        limit,
    )


async def live_for_contact(channel: str, recipient: str, birth_date: dt.date) -> list[dict]:
    """The registrations not cancelled with this birth date and this phone or email, and their races' and
    events' names (`race_name`, `race_name_ar` …: core.localised picks)."""
    column = "email" if channel == "email" else "phone"
    return await fetch(
        "SELECT r.id, r.given_name, r.family_name, r.race, race.name AS race_name, event.name AS event_name, "
        "race.name_ar AS race_name_ar, race.name_ckb AS race_name_ckb, race.name_en AS race_name_en, "
        "event.name_ar AS event_name_ar, event.name_ckb AS event_name_ckb, event.name_en AS event_name_en "
        f"FROM registration r JOIN race ON race.id = r.race JOIN event ON event.id = race.event "
        f"WHERE r.birth_date = {{}} AND r.{column} = {{}} AND r.status <> 'cancelled' ORDER BY r.id",
        birth_date, recipient,
    )  # fmt: skip


async def set_code_hash(registration_id: int, code_hash: str) -> None:
    await Registration.update(code_hash=code_hash).where(Registration.id == registration_id)
