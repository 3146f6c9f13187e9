"""The organiser's view of a race's registrations: the table with search and pages, one row, and
moving a runner to another bib."""

import asyncio
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sportsrun.bibs import services as bibs
from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict, FieldError, InvalidInput, NotFound
from sportsrun.core.gc_pause import gc_paused
from sportsrun.core.i18n import gettext as _
from sportsrun.core.text.characters import western_digits
from sportsrun.core.text.names import fold
from sportsrun.core.validation import Fields
from sportsrun.events import services as events
from sportsrun.registration import organiser_queries, queries
from sportsrun.registration.tables import Registration
from sportsrun.settings import get_settings

STATUSES = ("confirmed", "waitlisted", "cancelled")


# What the organiser sees of a registration, in the order organiser_queries.every_slice reads it.
_ROW = ("id", "bib", "status", "given_name", "family_name", "gender", "birth_date", "province", "country", "phone",
        "email", "emergency_contact", "club", "name_display", "guardian_name", "guardian_allows_full_name", "source",
        "checked_in_at", "created_at", "flagged", "language")  # fmt: skip


def _organiser_json(r: Mapping[str, Any]) -> dict:
    """A row read through Piccolo (the table's pages, one registration)."""
    return _slice_json(tuple(r[key] for key in _ROW), get_settings().default_locale)


SLICE = 2000  # rows per read: on SQLite a read runs on the event loop


def _when(value: dt.datetime | str | None) -> str | None:
    if isinstance(value, str):  # SQLite's text
        value = dt.datetime.fromisoformat(value)
    return value.isoformat(timespec="seconds") if value else None


def _slice_json(row: tuple, default_language: str) -> dict:
    """A row in `_ROW`'s order, as read (dates and times as text on SQLite's raw path, as objects otherwise)."""
    (id_, bib, status, given, family, gender, born, province, country, phone, email, emergency, club, display,
     guardian, allows, source, checked_in_at, created_at, flagged, language) = row  # fmt: skip
    return {
        "id": id_, "bib": bib, "status": status, "given_name": given, "family_name": family, "gender": gender,
        "birth_date": str(born), "province": province, "country": country, "phone": phone, "email": email,
        "emergency_contact": emergency, "club": club, "name_display": display, "guardian_name": guardian,
        "guardian_allows_full_name": bool(allows), "source": source, "checked_in": checked_in_at is not None,
        "created_at": _when(created_at), "flagged": bool(flagged), "language": language or default_language,
    }  # fmt: skip


async def list_for_organiser(race_id: int) -> list[dict]:
    """Every registration of the race, by id, as `_organiser_json` gives one. Read a slice at a time with
    other requests let in between, and with the cycle collector paused: through Piccolo, as dicts of
    converted values, 50,000 held a worker's event loop for 1.5 s."""
    await events.load_race(race_id)
    default_language = get_settings().default_locale
    out: list[dict] = []
    with gc_paused():
        after = 0
        while True:
            rows = await organiser_queries.every_slice(race_id, after, SLICE)
            out += [_slice_json(row, default_language) for row in rows]
            if len(rows) < SLICE:
                return out
            after = rows[-1][0]
            await asyncio.sleep(0)


async def search_for_organiser(race_id: int, q: str = "", status: str = "", limit: int = 50, offset: int = 0) -> dict:
    """The organiser's table: a bib, or part of a name (Arabic variants folded), phone or email."""
    await events.load_race(race_id)
    conditions: list[Any] = []
    if status in STATUSES:
        conditions.append(Registration.status == status)
    elif status == "flagged":  # "another person" registrations waiting for the organiser (flags.py)
        conditions.append(Registration.flagged == True)  # noqa: E712 - a Piccolo condition
    text = western_digits(q).strip()
    number = re.sub(r"[\s\-()]", "", text)
    if number.isdigit() and len(number) <= 7:
        conditions.append(Registration.bib == int(number))
    elif number.lstrip("+").isdigit():
        # Phones are stored as E.164: "0770 123 4567" is found as "…7701234567".
        conditions.append(Registration.phone.like("%" + number.lstrip("+0") + "%"))
    elif text:
        pattern = "%" + fold(text).replace("%", "").replace("_", "") + "%"
        conditions.append(Registration.name_key.like(pattern) | Registration.email.like(pattern))
    total, rows = await organiser_queries.search(race_id, conditions, limit, offset)
    return {"total": total, "items": [_organiser_json(r) for r in rows]}


async def organiser_row(registration_id: int) -> dict:
    row = await queries.by_id(registration_id)
    if row is None:
        raise NotFound(_("No such registration."))
    return {**_organiser_json(row), "race_id": row["race"]}


async def reassign(registration_id: int, data: Mapping[str, Any], user_id: int) -> dict:
    """Another bib for a confirmed runner, recorded in the bib audit."""
    fields = Fields(data)
    bib = fields.integer("bib", required=True)
    fields.raise_if_any()
    row = await queries.by_id(registration_id)
    if row is None:
        raise NotFound(_("No such registration."))
    async with write_transaction():
        bib_range = bibs.bib_range(await events.lock_race(row["race"]))
        current = await queries.by_id(registration_id)
        if not bib_range.first <= bib <= bib_range.last:
            message = _("Choose a bib from {first} to {last}.", first=bib_range.first, last=bib_range.last)
            raise InvalidInput([FieldError("bib", message)])
        if current["status"] != "confirmed":
            raise Conflict(_("Only a confirmed registration holds a bib."))
        if current["bib"] != bib:
            if await queries.holder(bib_range.race_id, bib) is not None:
                raise Conflict(_("Bib {bib} is already taken.", bib=bib))
            await queries.set_bib(registration_id, bib)
            await queries.record_bibs([(bib_range.race_id, registration_id, "reassigned", bib, current["bib"], user_id,
                                        "", dt.datetime.now(dt.UTC))])  # fmt: skip
            bib_range.freed(current["bib"])
            await bibs.save_next_free(bib_range)
    return {"id": registration_id, "bib": bib, "status": "confirmed"}
