"""Events and races: creating, reading and changing them, with the rules that keep bibs and the
waitlist consistent."""

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sportsrun.bibs import services as bibs
from sportsrun.core.db.sql import fetch, fetch_one, write_transaction
from sportsrun.core.errors import Conflict, FieldError, InvalidInput, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.validation import Fields
from sportsrun.events.age_groups import DEFAULT_AGE_GROUPS, parse_groups
from sportsrun.events.provinces import province_codes
from sportsrun.events.races import RaceRow, load_race, lock_race, races_of_events, status_counts
from sportsrun.registration.services import count_status, promote_waitlist
from sportsrun.results import cache as results_cache

RANKINGS = ("gun", "chip")
RESULTS_STATUSES = ("provisional", "official")
MAX_BIB = 999_999

_EVENT_COLUMNS = "id, name, province, city, venue, date, description, campaign, published, created_at"


def event_json(row: Mapping[str, Any]) -> dict:
    return {
        "id": row["id"],
        "name": row["name"],
        "province": row["province"],
        "city": row["city"],
        "venue": row["venue"],
        "date": row["date"].isoformat(),
        "description": row["description"],
        "campaign_id": row["campaign"],
        "published": bool(row["published"]),
    }


# -- events -------------------------------------------------------------------------------------------


async def _read_event(fields: Fields, creating: bool) -> dict:
    values: dict[str, Any] = {}
    if creating or fields.present("name"):
        values["name"] = fields.text("name", required=True, max_length=200)
    if creating or fields.present("province"):
        province = fields.text("province", required=True, max_length=8)
        if province is not None and province.upper() not in await province_codes():
            fields.error("province", _("Choose one of Iraq's provinces."))
        values["province"] = province.upper() if province else None
    if creating or fields.present("city"):
        values["city"] = fields.text("city", required=True, max_length=100)
    if fields.present("venue"):
        values["venue"] = fields.text("venue", max_length=200)
    if creating or fields.present("date"):
        values["date"] = fields.date("date", required=True)
    if fields.present("description"):
        values["description"] = fields.text("description", max_length=5000) or ""
    if fields.present("campaign_id"):
        campaign = fields.integer("campaign_id", minimum=1, maximum=2_147_483_647)
        if campaign is not None and not await fetch_one("SELECT id FROM campaign WHERE id = {}", campaign):
            fields.error("campaign_id", _("No such campaign."))
        values["campaign"] = campaign
    if creating or fields.present("published"):
        values["published"] = fields.boolean("published")
    fields.raise_if_any()
    return values


async def create_event(data: Mapping[str, Any]) -> dict:
    values = await _read_event(Fields(data), creating=True)
    values.setdefault("venue", None)
    values.setdefault("description", "")
    values.setdefault("campaign", None)
    async with write_transaction():
        row = await fetch_one(
            "INSERT INTO event (name, province, city, venue, date, description, campaign, published, created_at) "
            f"VALUES ({{}}, {{}}, {{}}, {{}}, {{}}, {{}}, {{}}, {{}}, {{}}) RETURNING {_EVENT_COLUMNS}",
            values["name"],
            values["province"],
            values["city"],
            values["venue"],
            values["date"],
            values["description"],
            values["campaign"],
            values["published"],
            dt.datetime.now(dt.UTC),
        )
    return {**event_json(row), "races": [], "divisions": []}


async def update_event(event_id: int, data: Mapping[str, Any]) -> dict:
    values = await _read_event(Fields(data), creating=False)
    async with write_transaction():
        if not await fetch_one("SELECT id FROM event WHERE id = {}", event_id):
            raise NotFound(_("No such event."))
        if values:
            assignments = ", ".join(f"{column} = {{}}" for column in values)
            await fetch(f"UPDATE event SET {assignments} WHERE id = {{}}", *values.values(), event_id)
    results_cache.forget()  # results pages show the event's name and date
    return await get_event(event_id, include_unpublished=True)


async def list_events(*, include_unpublished: bool = False) -> list[dict]:
    where = "" if include_unpublished else "WHERE published = {}"
    args = () if include_unpublished else (True,)
    rows = await fetch(f"SELECT {_EVENT_COLUMNS} FROM event {where} ORDER BY date, id", *args)
    return [event_json(r) for r in rows]


async def get_event(event_id: int, *, include_unpublished: bool = False) -> dict:
    row = await fetch_one(f"SELECT {_EVENT_COLUMNS} FROM event WHERE id = {{}}", event_id)
    if row is None or (not row["published"] and not include_unpublished):
        raise NotFound(_("No such event."))
    return (await with_races([event_json(row)]))[0]


async def with_races(events: list[dict]) -> list[dict]:
    """The events with their races and counts: three queries however many events."""
    races = await races_of_events([e["id"] for e in events])
    counts = await status_counts([r.id for rows in races.values() for r in rows])
    now = dt.datetime.now(dt.UTC)
    return [{**e, "races": [r.to_json(counts[r.id], now) for r in races[e["id"]]], "divisions": []} for e in events]


# -- races --------------------------------------------------------------------------------------------


def _read_race(fields: Fields, current: RaceRow | None) -> dict:
    """Every field of a race after this change: the current values, overridden by those given."""
    creating = current is None
    v: dict[str, Any] = {}

    def given(name: str) -> bool:
        return creating or fields.present(name)

    v["name"] = fields.text("name", required=True, max_length=100) if given("name") else current.name
    v["distance_m"] = fields.number("distance_m", required=True) if given("distance_m") else current.distance_m
    if v["distance_m"] is not None and v["distance_m"] > 1_000_000:
        fields.error("distance_m", _("Enter the distance in metres (at most 1,000 km)."))
    v["start_time"] = fields.datetime("start_time", required=True) if given("start_time") else current.start_time
    v["capacity"] = (
        fields.integer("capacity", required=True, minimum=0, maximum=1_000_000)
        if given("capacity")
        else current.capacity
    )
    v["bib_first"] = (
        fields.integer("bib_first", required=True, minimum=1, maximum=MAX_BIB)
        if given("bib_first")
        else current.bib_first
    )
    v["bib_last"] = (
        fields.integer("bib_last", required=True, minimum=1, maximum=MAX_BIB) if given("bib_last") else current.bib_last
    )
    reserved = (
        fields.int_list("reserved_bibs")
        if fields.present("reserved_bibs")
        else ([] if creating else current.reserved_bibs)
    )
    v["reserved_bibs"] = sorted(set(reserved)) if reserved is not None else None
    v["registration_opens_at"] = (
        fields.datetime("registration_opens_at")
        if fields.present("registration_opens_at")
        else None
        if creating
        else current.registration_opens_at
    )
    closes = (
        fields.datetime("registration_closes_at")
        if fields.present("registration_closes_at")
        else None
        if creating
        else current.registration_closes_at
    )
    v["registration_closes_at"] = closes or v["start_time"]
    v["min_age"] = (
        fields.integer("min_age", minimum=0, maximum=120)
        if fields.present("min_age")
        else None
        if creating
        else current.min_age
    )
    v["ranking"] = (
        fields.choice("ranking", RANKINGS, default="gun")
        if fields.present("ranking")
        else "gun"
        if creating
        else current.ranking
    )
    v["results_status"] = (
        fields.choice("results_status", RESULTS_STATUSES, default="provisional")
        if fields.present("results_status")
        else "provisional"
        if creating
        else current.results_status
    )
    if fields.present("age_groups") and fields.data.get("age_groups") is not None:
        groups, error = parse_groups(fields.data["age_groups"])
        if error:
            fields.error("age_groups", error)
        v["age_groups"] = groups
    else:
        v["age_groups"] = list(DEFAULT_AGE_GROUPS) if creating or fields.present("age_groups") else current.age_groups

    first, last = v["bib_first"], v["bib_last"]
    if first is not None and last is not None:
        if last < first:
            fields.error("bib_last", _("The last bib must not be below the first."))
        elif v["reserved_bibs"] is not None:
            if any(not first <= b <= last for b in v["reserved_bibs"]):
                fields.error("reserved_bibs", _("Reserved bibs must lie in the race's bib range."))
            elif v["capacity"] is not None and v["capacity"] > last - first + 1 - len(v["reserved_bibs"]):
                fields.error("capacity", _("The capacity is larger than the bibs available in the range."))
    opens, closes = v["registration_opens_at"], v["registration_closes_at"]
    if opens is not None and closes is not None and opens >= closes:
        fields.error("registration_closes_at", _("Registration must close after it opens."))
    fields.raise_if_any()
    return v


async def _check_no_overlap(event_id: int, race_id: int | None, first: int, last: int) -> None:
    """Bibs are unique across an event, so the ranges of its races must not overlap."""
    clash = await fetch_one(
        "SELECT name, bib_first, bib_last FROM race WHERE event = {} AND id <> {} AND bib_first <= {} "
        "AND bib_last >= {} LIMIT 1",
        event_id,
        race_id or 0,
        last,
        first,
    )
    if clash:
        raise InvalidInput(
            [
                FieldError(
                    "bib_first",
                    _(
                        "Bibs {first}–{last} overlap the range of {race} ({a}–{b}).",
                        first=first,
                        last=last,
                        race=clash["name"],
                        a=clash["bib_first"],
                        b=clash["bib_last"],
                    ),
                )
            ]
        )


def _row_values(v: dict) -> list:
    start = v["start_time"]
    return [
        v["name"],
        v["distance_m"],
        start.astimezone(dt.UTC),
        int(start.utcoffset().total_seconds() // 60),
        v["capacity"],
        v["bib_first"],
        v["bib_last"],
        json.dumps(v["reserved_bibs"]),
        v["registration_opens_at"],
        v["registration_closes_at"],
        v["min_age"],
        v["ranking"],
        json.dumps([list(g) for g in v["age_groups"]]),
        v["results_status"],
    ]


_RACE_FIELDS = (
    "name, distance_m, start_time, utc_offset_minutes, capacity, bib_first, bib_last, reserved_bibs, "
    "registration_opens_at, registration_closes_at, min_age, ranking, age_groups, results_status"
)


async def create_race(event_id: int, data: Mapping[str, Any], user_id: int) -> dict:
    v = _read_race(Fields(data), None)
    async with write_transaction():
        if not await fetch_one("SELECT id FROM event WHERE id = {}", event_id):
            raise NotFound(_("No such event."))
        await _check_no_overlap(event_id, None, v["bib_first"], v["bib_last"])
        placeholders = ", ".join(["{}"] * 17)
        row = await fetch_one(
            f"INSERT INTO race (event, {_RACE_FIELDS}, bib_next_free, created_at) VALUES ({placeholders}) RETURNING id",
            event_id,
            *_row_values(v),
            v["bib_first"],
            dt.datetime.now(dt.UTC),
        )
        for bib in v["reserved_bibs"]:
            await bibs.record(row["id"], "reserved", bib, user_id=user_id)
    return await get_race(row["id"])


async def get_race(race_id: int, *, public: bool = False) -> dict:
    race = await load_race(race_id, public=public)
    counts = await status_counts([race.id])
    return race.to_json(counts[race.id])


async def update_race(race_id: int, data: Mapping[str, Any], user_id: int) -> dict:
    """A partial update. Raising the capacity promotes the waitlist; nothing may strand a held bib
    outside the range, reserve a held bib, or push the capacity below the confirmed count."""
    async with write_transaction():
        current = await lock_race(race_id)
        v = _read_race(Fields(data), current)
        await _check_no_overlap(current.event_id, race_id, v["bib_first"], v["bib_last"])
        outside = await fetch_one(
            "SELECT bib FROM registration WHERE race = {} AND bib IS NOT NULL AND (bib < {} OR bib > {}) LIMIT 1",
            race_id,
            v["bib_first"],
            v["bib_last"],
        )
        if outside:
            raise Conflict(_("Bib {bib} is held by a runner and would fall outside the new range.", bib=outside["bib"]))
        added = set(v["reserved_bibs"]) - set(current.reserved_bibs)
        removed = set(current.reserved_bibs) - set(v["reserved_bibs"])
        if added:
            placeholders = ", ".join("{}" for _ in added)
            held = await fetch_one(
                f"SELECT bib FROM registration WHERE race = {{}} AND bib IN ({placeholders}) LIMIT 1", race_id, *added
            )
            if held:
                raise Conflict(_("Bib {bib} is held by a runner: reassign it before reserving it.", bib=held["bib"]))
        confirmed = await count_status(race_id, "confirmed")
        if v["capacity"] < confirmed:
            raise Conflict(_("{n} runners are confirmed: the capacity cannot go below that.", n=confirmed))
        assignments = ", ".join(f"{c.strip()} = {{}}" for c in _RACE_FIELDS.split(","))
        await fetch(f"UPDATE race SET {assignments} WHERE id = {{}}", *_row_values(v), race_id)
        for bib in sorted(added):
            await bibs.record(race_id, "reserved", bib, user_id=user_id)
        for bib in sorted(removed):
            await bibs.record(race_id, "unreserved", bib, user_id=user_id)
        race = await lock_race(race_id)
        bib_range = race.bib_range()
        if (v["bib_first"], v["bib_last"]) != (current.bib_first, current.bib_last):
            bib_range.next_free, bib_range.dirty = v["bib_first"], True
        for bib in removed:
            bib_range.freed(bib)
        await promote_waitlist(race, bib_range, user_id=user_id)
        await bibs.save_next_free(bib_range)
    results_cache.forget(race_id)  # provisional/official is shown with the results
    return await get_race(race_id)
