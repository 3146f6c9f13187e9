"""Registering runners: validation, duplicates, capacity and the waitlist, bibs, self-service by code."""

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Mapping
from typing import Any

from sportsrun.bibs import services as bibs
from sportsrun.bibs.allocation import BibRange, FreeBibs
from sportsrun.core.db.sql import fetch, fetch_one, write_transaction
from sportsrun.core.errors import Conflict, InvalidInput, NotFound, TooManyRequests
from sportsrun.core.i18n import gettext as _
from sportsrun.core.text.characters import western_digits
from sportsrun.core.text.names import fold
from sportsrun.core.web import ratelimit
from sportsrun.events.provinces import province_codes
from sportsrun.events.races import RaceRow, load_race, lock_race
from sportsrun.registration import writer
from sportsrun.registration.validation import RegistrationInput, read_registration
from sportsrun.results.services import uses_bib
from sportsrun.settings import get_settings

REGISTRATION_WINDOW_S = 60


def new_code() -> tuple[str, str]:
    """The registrant's secret code (shown once: it opens their personal data) and its stored digest."""
    code = secrets.token_urlsafe(12)
    return code, code_digest(code)


def code_digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


async def check_rate(client_address: str) -> None:
    limit = get_settings().registration_rate_limit
    if limit and await ratelimit.hit("registration", client_address, REGISTRATION_WINDOW_S) > limit:
        raise TooManyRequests(
            _("Too many registrations from your address in a minute. Wait a moment and try again."),
            retry_after=ratelimit.retry_after(REGISTRATION_WINDOW_S),
        )


async def validate(
    race: RaceRow, data: Mapping[str, Any], *, consent_required: bool = True, today: dt.date | None = None
) -> RegistrationInput:
    entry, fields = read_registration(
        data,
        race_day=race.race_day,
        min_age=race.min_age,
        provinces=await province_codes(),
        today=today or dt.datetime.now(race.tz).date(),
        consent_required=consent_required,
    )
    if entry is None:
        raise InvalidInput(fields.errors)
    return entry


async def register(race_id: int, data: Mapping[str, Any], *, now: dt.datetime | None = None) -> dict:
    """A public registration: a bib at once while the race has room, else a place on the waitlist."""
    now = now or dt.datetime.now(dt.UTC)
    race = await load_race(race_id, public=True)
    entry = await validate(race, data)
    if not race.is_open(now):
        raise Conflict(_("Registration for this race is closed."))
    code, digest = new_code()
    written = await writer.queue().submit(race.id, writer.NewRegistration(entry, digest))
    if written.error is not None:
        raise written.error
    result = {"id": written.id, "status": written.status, "bib": written.bib, "code": code}
    if written.status == "waitlisted":
        result["waitlist_position"] = written.waitlist_position
    return result


async def count_status(race_id: int, status: str) -> int:
    row = await fetch_one("SELECT COUNT(*) AS n FROM registration WHERE race = {} AND status = {}", race_id, status)
    return row["n"]


async def waitlist_position(race_id: int, registration_id: int) -> int:
    row = await fetch_one(
        "SELECT COUNT(*) AS n FROM registration WHERE race = {} AND status = 'waitlisted' AND id <= {}",
        race_id,
        registration_id,
    )
    return row["n"]


async def promote_waitlist(race: RaceRow, bib_range: BibRange, user_id: int | None = None) -> list[int]:
    """Fills free places from the waitlist in arrival order. The caller holds the race's lock."""
    room = race.capacity - await count_status(race.id, "confirmed")
    if room <= 0:
        return []
    waiting = await fetch(
        "SELECT id FROM registration WHERE race = {} AND status = 'waitlisted' ORDER BY id LIMIT {}", race.id, room
    )
    free = FreeBibs(bib_range, lambda start, limit: writer.held_from(race.id, race.bib_last, start, limit))
    promoted = []
    for row in waiting:
        bib = await free.next()
        if bib is None:
            break
        await fetch("UPDATE registration SET status = 'confirmed', bib = {} WHERE id = {}", bib, row["id"])
        await bibs.record(
            race.id, "allocated", bib, registration_id=row["id"], user_id=user_id, note="promoted from the waitlist"
        )
        promoted.append(row["id"])
    await bibs.save_next_free(bib_range)
    return promoted


# -- the registrant's own view, by secret code --------------------------------------------------------

_OWN_COLUMNS = (
    "r.id, r.race, r.status, r.bib, r.given_name, r.family_name, r.gender, r.birth_date, r.province, r.country, "
    "r.phone, r.email, r.emergency_contact, r.club, r.name_display, r.guardian_name, r.guardian_allows_full_name, "
    "r.checked_in_at, r.cancelled_at, r.created_at"
)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def personal_json(row: Mapping[str, Any]) -> dict:
    return {
        "id": row["id"],
        "race_id": row["race"],
        "status": row["status"],
        "bib": row["bib"],
        "given_name": row["given_name"],
        "family_name": row["family_name"],
        "gender": row["gender"],
        "birth_date": row["birth_date"].isoformat(),
        "province": row["province"],
        "country": row["country"],
        "phone": row["phone"],
        "email": row["email"],
        "emergency_contact": row["emergency_contact"],
        "club": row["club"],
        "name_display": row["name_display"],
        "guardian_name": row["guardian_name"],
        "guardian_allows_full_name": bool(row["guardian_allows_full_name"]),
        "checked_in": row["checked_in_at"] is not None,
        "created_at": _iso(row["created_at"]),
        "cancelled_at": _iso(row["cancelled_at"]),
    }


async def _by_code(code: str) -> dict:
    row = await fetch_one(f"SELECT {_OWN_COLUMNS} FROM registration r WHERE r.code_hash = {{}}", code_digest(code))
    if row is None:
        raise NotFound(_("No registration has this code."))
    return row


async def get_own(code: str) -> dict:
    row = await _by_code(code)
    race = await load_race(row["race"])
    out = personal_json(row)
    out["race"] = {
        "id": race.id,
        "name": race.name,
        "event_id": race.event_id,
        "start_time": race.local(race.start_time),
    }
    if row["status"] == "waitlisted":
        out["waitlist_position"] = await waitlist_position(race.id, row["id"])
    return out


async def cancel_own(code: str) -> None:
    """The registrant withdraws: the bib is freed and the first waitlisted runner takes the place."""
    row = await _by_code(code)
    async with write_transaction():
        race = await lock_race(row["race"])
        current = await fetch_one("SELECT id, status, bib FROM registration WHERE id = {}", row["id"])
        if current["status"] == "cancelled":
            raise Conflict(_("This registration is already cancelled."))
        if await uses_bib(race.id, current["id"]):
            raise Conflict(_("A result uses this registration's bib: ask the organiser."))
        await fetch(
            "UPDATE registration SET status = 'cancelled', bib = NULL, cancelled_at = {} WHERE id = {}",
            dt.datetime.now(dt.UTC),
            current["id"],
        )
        bib_range = race.bib_range()
        if current["bib"] is not None:
            await bibs.record(
                race.id, "released", current["bib"], registration_id=current["id"], note="cancelled by the registrant"
            )
            bib_range.freed(current["bib"])
        if current["status"] == "confirmed":
            await promote_waitlist(race, bib_range)
        await bibs.save_next_free(bib_range)


# -- organisers ---------------------------------------------------------------------------------------


_ORGANISER_COLUMNS = (
    "id, bib, status, given_name, family_name, gender, birth_date, province, country, phone, email, "
    "emergency_contact, club, name_display, guardian_name, guardian_allows_full_name, source, checked_in_at, "
    "created_at"
)


def _organiser_json(r: Mapping[str, Any]) -> dict:
    return {
        "id": r["id"], "bib": r["bib"], "status": r["status"], "given_name": r["given_name"],
        "family_name": r["family_name"], "gender": r["gender"], "birth_date": r["birth_date"].isoformat(),
        "province": r["province"], "country": r["country"], "phone": r["phone"], "email": r["email"],
        "emergency_contact": r["emergency_contact"], "club": r["club"], "name_display": r["name_display"],
        "guardian_name": r["guardian_name"], "guardian_allows_full_name": bool(r["guardian_allows_full_name"]),
        "source": r["source"], "checked_in": r["checked_in_at"] is not None,
        "created_at": _iso(r["created_at"]),
    }  # fmt: skip


async def list_for_organiser(race_id: int) -> list[dict]:
    await load_race(race_id)
    rows = await fetch(f"SELECT {_ORGANISER_COLUMNS} FROM registration WHERE race = {{}} ORDER BY id", race_id)
    return [_organiser_json(r) for r in rows]


async def search_for_organiser(race_id: int, q: str = "", status: str = "", limit: int = 50, offset: int = 0) -> dict:
    """The organiser's table: a bib, or part of a name (Arabic variants folded), phone or email."""
    await load_race(race_id)
    where, args = ["race = {}"], [race_id]
    if status in ("confirmed", "waitlisted", "cancelled"):
        where.append("status = {}")
        args.append(status)
    text = western_digits(q).strip()
    number = re.sub(r"[\s\-()]", "", text)
    if number.isdigit() and len(number) <= 7:
        where.append("bib = {}")
        args.append(int(number))
    elif number.lstrip("+").isdigit():
        # Phones are stored as E.164: "0770 123 4567" is found as "…7701234567".
        where.append("phone LIKE {}")
        args.append("%" + number.lstrip("+0") + "%")
    elif text:
        pattern = "%" + fold(text).replace("%", "").replace("_", "") + "%"
        where.append("(name_key LIKE {} OR email LIKE {})")
        args += [pattern, pattern]
    condition = " AND ".join(where)
    total = (await fetch_one(f"SELECT COUNT(*) AS n FROM registration WHERE {condition}", *args))["n"]
    rows = await fetch(
        f"SELECT {_ORGANISER_COLUMNS} FROM registration WHERE {condition} "
        "ORDER BY CASE WHEN bib IS NULL THEN 1 ELSE 0 END, bib, id LIMIT {} OFFSET {}",
        *args,
        limit,
        offset,
    )
    return {"total": total, "items": [_organiser_json(r) for r in rows]}


async def organiser_row(registration_id: int) -> dict:
    row = await fetch_one(f"SELECT race, {_ORGANISER_COLUMNS} FROM registration WHERE id = {{}}", registration_id)
    if row is None:
        raise NotFound(_("No such registration."))
    return {**_organiser_json(row), "race_id": row["race"]}
