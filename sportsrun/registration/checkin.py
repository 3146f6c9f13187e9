"""Bib pickup: who holds a bib, and checking them in. A volunteer sees the bib, the public name and the
check-in state, never personal data."""

import datetime as dt

from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.localised import localised
from sportsrun.core.text.names import fold, public_name
from sportsrun.events import services as events
from sportsrun.events.age_groups import ADULT_AGE, age_on
from sportsrun.registration import checkin_queries, queries
from sportsrun.registration.checkin_token import token_from_scan


async def _holder(race_id: int, bib: int) -> dict:
    row = await queries.bib_holder(race_id, bib)
    if row is None:
        raise NotFound(_("No runner holds bib {bib} in this race.", bib=bib))
    return row


def _volunteer_view(row: dict) -> dict:
    offset = dt.timezone(dt.timedelta(minutes=row["utc_offset_minutes"]))
    race_day = row["start_time"].astimezone(offset).date()
    minor = age_on(row["birth_date"], race_day) < ADULT_AGE
    checked_in_at = row["checked_in_at"]
    return {
        "bib": row["bib"],
        "name": public_name(
            row["given_name"], row["family_name"], row["name_display"], minor, bool(row["guardian_allows_full_name"])
        ),
        "status": row["status"],
        "checked_in": checked_in_at is not None,
        "checked_in_at": checked_in_at.isoformat(timespec="seconds") if checked_in_at else None,
    }


async def lookup(race_id: int, bib: int) -> dict:
    return _volunteer_view(await _holder(race_id, bib))


async def progress(race_id: int) -> dict:
    """How many of the race's confirmed runners are checked in: `checked_in` of `confirmed`."""
    row = await queries.check_in_count(race_id)
    return {"checked_in": row["checked_in"], "confirmed": row["confirmed"]}


async def check_in(race_id: int, bib: int) -> dict:
    """Idempotent: checking in twice keeps the first time."""
    async with write_transaction():
        row = await _checking_in(await _holder(race_id, bib))
    return _volunteer_view(row)


async def _checking_in(row: dict) -> dict:
    """Checks the holder of a bib or a check-in token in, inside the caller's transaction: the row as it is now."""
    if row["status"] != "confirmed":
        if row["status"] == "cancelled":
            raise Conflict(_("This registration is cancelled: it cannot be checked in."))
        raise Conflict(_("This registration is on the waitlist: it cannot be checked in yet."))
    if row["checked_in_at"] is None:
        now = dt.datetime.now(dt.UTC)
        await queries.check_in(row["id"], now)
        row = {**row, "checked_in_at": now}
    return row


async def _token_holder(race_id: int, scanned: str) -> dict:
    token = token_from_scan(scanned)
    row = await checkin_queries.token_holder(token) if token else None
    if row is None:
        raise NotFound(_("No registration has this check-in code: it is not from this system, or the "
                         "registration was cancelled."))  # fmt: skip
    if row["race"] != race_id:
        raise Conflict(_("This check-in code is for another race: {race}.", race=localised(row, "race_name")))
    return row


async def check_in_by_token(race_id: int, scanned: str) -> dict:
    """The runner whose check-in QR was scanned (its text, or the bare token), checked in as by bib: the same
    answer. Refused for another race's runner (409) and for a token that is unknown or died with a
    cancellation (404)."""
    return (await scan(race_id, scanned))[0]


async def scan(race_id: int, scanned: str) -> tuple[dict, bool]:
    """`check_in_by_token`, and whether this scan is the one that checked the runner in (a second scan of the
    same QR is told so)."""
    await events.load_race(race_id)
    async with write_transaction():
        before = await _token_holder(race_id, scanned)
        row = await _checking_in(before)
    return _volunteer_view(row), before["checked_in_at"] is None


async def lookup_by_token(race_id: int, scanned: str) -> dict:
    """Who holds this check-in token, without checking them in (to show beside a refusal)."""
    return _volunteer_view(await _token_holder(race_id, scanned))


async def search_by_name(race_id: int, text: str) -> list[dict]:
    """The volunteer's search for a runner without their bib or QR: part of the full name as the runner says
    it (Arabic spelling variants folded), answered with the public name only, as a bib lookup is."""
    folded = fold(text).replace("%", "").replace("_", "")
    if len(folded) < 2:
        return []
    return [_volunteer_view(row) for row in await checkin_queries.by_name(race_id, f"%{folded}%")]
