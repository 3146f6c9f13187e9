"""Bib pickup: who holds a bib, and checking them in. A volunteer sees the bib, the public name and the
check-in state, never personal data."""

import datetime as dt

from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.text.names import public_name
from sportsrun.events.age_groups import ADULT_AGE, age_on
from sportsrun.registration import queries


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
        row = await _holder(race_id, bib)
        if row["status"] != "confirmed":
            if row["status"] == "cancelled":
                raise Conflict(_("This registration is cancelled: it cannot be checked in."))
            raise Conflict(_("This registration is on the waitlist: it cannot be checked in yet."))
        if row["checked_in_at"] is None:
            now = dt.datetime.now(dt.UTC)
            await queries.check_in(row["id"], now)
            row = {**row, "checked_in_at": now}
    return _volunteer_view(row)
