"""Bibs: allocation inside the registration's transaction, reassignment, the audit trail, and the
volunteer's lookup and check-in."""

import datetime as dt

from sportsrun.bibs.allocation import BibRange
from sportsrun.core.db.sql import fetch, fetch_one, write_transaction
from sportsrun.core.errors import Conflict, FieldError, InvalidInput, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.text.names import public_name
from sportsrun.core.validation import Fields
from sportsrun.events.age_groups import ADULT_AGE, age_on
from sportsrun.events.races import lock_race


async def save_next_free(bibs: BibRange) -> None:
    if bibs.dirty:
        await fetch("UPDATE race SET bib_next_free = {} WHERE id = {}", bibs.next_free, bibs.race_id)
        bibs.dirty = False


async def record_many(
    race_id: int, action: str, given: list[tuple[int, int, str]], *, user_id: int | None, at: dt.datetime
) -> None:
    """Audit rows for many (registration id, bib, note) at once."""
    for start in range(0, len(given), 400):
        chunk = given[start : start + 400]
        await fetch(
            'INSERT INTO bib_audit (race, registration, action, bib, "user", note, at) VALUES '
            + ", ".join(["({}, {}, {}, {}, {}, {}, {})"] * len(chunk)),
            *[v for registration, bib, note in chunk for v in (race_id, registration, action, bib, user_id, note, at)],
        )


async def record(
    race_id: int,
    action: str,
    bib: int,
    *,
    registration_id: int | None = None,
    previous_bib: int | None = None,
    user_id: int | None = None,
    note: str = "",
) -> None:
    await fetch(
        'INSERT INTO bib_audit (race, registration, action, bib, previous_bib, "user", note, at) '
        "VALUES ({}, {}, {}, {}, {}, {}, {}, {})",
        race_id,
        registration_id,
        action,
        bib,
        previous_bib,
        user_id,
        note,
        dt.datetime.now(dt.UTC),
    )


async def reassign(registration_id: int, data: dict, user_id: int) -> dict:
    fields = Fields(data)
    bib = fields.integer("bib", required=True)
    fields.raise_if_any()
    row = await fetch_one("SELECT race FROM registration WHERE id = {}", registration_id)
    if row is None:
        raise NotFound(_("No such registration."))
    async with write_transaction():
        bibs = (await lock_race(row["race"])).bib_range()
        reg = await fetch_one("SELECT id, status, bib FROM registration WHERE id = {}", registration_id)
        if not bibs.first <= bib <= bibs.last:
            raise InvalidInput(
                [FieldError("bib", _("Choose a bib from {first} to {last}.", first=bibs.first, last=bibs.last))]
            )
        if reg["status"] != "confirmed":
            raise Conflict(_("Only a confirmed registration holds a bib."))
        if reg["bib"] != bib:
            holder = await fetch_one("SELECT id FROM registration WHERE race = {} AND bib = {}", bibs.race_id, bib)
            if holder is not None:
                raise Conflict(_("Bib {bib} is already taken.", bib=bib))
            await fetch("UPDATE registration SET bib = {} WHERE id = {}", bib, registration_id)
            await record(
                bibs.race_id,
                "reassigned",
                bib,
                registration_id=registration_id,
                previous_bib=reg["bib"],
                user_id=user_id,
            )
            bibs.freed(reg["bib"])
            await save_next_free(bibs)
    return {"id": registration_id, "bib": bib, "status": "confirmed"}


async def _holder(race_id: int, bib: int) -> dict:
    row = await fetch_one(
        "SELECT r.id, r.bib, r.status, r.given_name, r.family_name, r.name_display, r.birth_date, "
        "r.guardian_allows_full_name, r.checked_in_at, race.start_time, race.utc_offset_minutes "
        "FROM registration r JOIN race ON race.id = r.race WHERE r.race = {} AND r.bib = {}",
        race_id,
        bib,
    )
    if row is None:
        raise NotFound(_("No runner holds bib {bib} in this race.", bib=bib))
    return row


def _volunteer_view(row: dict) -> dict:
    """Only what the bib pickup needs: a volunteer never sees personal data."""
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


async def check_in(race_id: int, bib: int) -> dict:
    async with write_transaction():
        row = await _holder(race_id, bib)
        if row["status"] != "confirmed":
            if row["status"] == "cancelled":
                raise Conflict(_("This registration is cancelled: it cannot be checked in."))
            raise Conflict(_("This registration is on the waitlist: it cannot be checked in yet."))
        if row["checked_in_at"] is None:
            now = dt.datetime.now(dt.UTC)
            await fetch("UPDATE registration SET checked_in_at = {} WHERE id = {}", now, row["id"])
            row = {**row, "checked_in_at": now}
    return _volunteer_view(row)
