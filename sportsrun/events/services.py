"""Events and races: creating, reading and changing them. Registrations and results take part through
`hooks` (a race's capacity change moves the waitlist; the public pages forget what they cached)."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import FieldError, InvalidInput, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.localised import language_fields, localised, read_languages
from sportsrun.core.validation import Fields
from sportsrun.events import hooks, queries
from sportsrun.events.provinces import province_codes
from sportsrun.events.race_fields import read_race, stored
from sportsrun.events.race_row import RaceRow


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
        **{key: row[key] for key in (*language_fields("name"), *language_fields("city"))},
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
    values.update(read_languages(fields, "name", 200) | read_languages(fields, "city", 100))
    if fields.present("venue"):
        values["venue"] = fields.text("venue", max_length=200)
    if creating or fields.present("date"):
        values["date"] = fields.date("date", required=True)
    if fields.present("description"):
        values["description"] = fields.text("description", max_length=5000) or ""
    if fields.present("campaign_id"):
        campaign = fields.integer("campaign_id", minimum=1, maximum=2_147_483_647)
        if campaign is not None and not await queries.campaign_exists(campaign):
            fields.error("campaign_id", _("No such campaign."))
        values["campaign"] = campaign
    if creating or fields.present("published"):
        values["published"] = fields.boolean("published")
    fields.raise_if_any()
    return values


async def create_event(data: Mapping[str, Any]) -> dict:
    values = await _read_event(Fields(data), creating=True)
    async with write_transaction():
        row = await queries.insert_event(values)
    return {**event_json(row), "races": [], "divisions": []}


async def update_event(event_id: int, data: Mapping[str, Any]) -> dict:
    values = await _read_event(Fields(data), creating=False)
    async with write_transaction():
        if not await queries.event_exists(event_id):
            raise NotFound(_("No such event."))
        if values:
            await queries.update_event(event_id, values)
    await hooks.shown_changed.send(None)  # results pages show the event's name and date
    return await get_event(event_id, include_unpublished=True)


async def list_events(*, include_unpublished: bool = False) -> list[dict]:
    return [event_json(r) for r in await queries.event_rows(include_unpublished=include_unpublished)]


async def get_event(event_id: int, *, include_unpublished: bool = False) -> dict:
    row = await queries.event_row(event_id)
    if row is None or (not row["published"] and not include_unpublished):
        raise NotFound(_("No such event."))
    return (await with_races([event_json(row)]))[0]


async def event_brief(event_id: int, *, include_unpublished: bool = False) -> dict:
    """The event alone, without its races: what a division needs of it."""
    row = await queries.event_row(event_id)
    if row is None or (not row["published"] and not include_unpublished):
        raise NotFound(_("No such event."))
    return event_json(row)


async def with_races(events: list[dict]) -> list[dict]:
    """The events with their races and counts: three queries however many events."""
    races: dict[int, list[RaceRow]] = {e["id"]: [] for e in events}
    for race in await queries.races_of_events(list(races)):
        races[race.event_id].append(race)
    counts = await race_counts([r.id for rows in races.values() for r in rows])
    now = dt.datetime.now(dt.UTC)
    divisions: dict[int, list[dict]] = {}
    for answer in await hooks.event_divisions.send(list(races)):
        divisions.update(answer)
    return [
        {**e, "races": [r.to_json(counts[r.id], now) for r in races[e["id"]]], "divisions": divisions.get(e["id"], [])}
        for e in events
    ]


async def race_counts(race_ids: list[int]) -> dict[int, dict[str, int]]:
    """Registrations by status, per race, as registration counts them."""
    counts: dict[int, dict[str, int]] = {race_id: {} for race_id in race_ids}
    if race_ids:
        for answer in await hooks.race_counts.send(race_ids):
            for race_id, by_status in answer.items():
                counts[race_id].update(by_status)
    return counts


async def podiums(race_ids: list[int]) -> dict[int, dict[str, list[dict]]]:
    """The first three women and men of each race, as results rank them."""
    out: dict[int, dict[str, list[dict]]] = {race_id: {} for race_id in race_ids}
    if race_ids:
        for answer in await hooks.podiums.send(race_ids):
            for race_id, by_gender in answer.items():
                out[race_id].update(by_gender)
    return out


# -- races --------------------------------------------------------------------------------------------


async def load_race(race_id: int, *, public: bool = False) -> RaceRow:
    """The race with its rules; `public` hides the races of unpublished events."""
    race = await queries.race_row(race_id)
    if race is None or (public and not race.published):
        raise NotFound(_("No such race."))
    return race


async def lock_race(race_id: int) -> RaceRow:
    """The race, re-read inside the caller's write transaction and locked until it ends: every change
    to a race's bibs, capacity, waitlist or results runs one at a time."""
    race = await queries.race_row(race_id, lock=True)
    if race is None:
        raise NotFound(_("No such race."))
    return race


async def _check_no_overlap(event_id: int, race_id: int | None, first: int, last: int) -> None:
    """Bibs are unique across an event, so the ranges of its races must not overlap."""
    clash = await queries.overlapping_race(event_id, race_id, first, last)
    if clash:
        message = _("Bibs {first}–{last} overlap the range of {race} ({a}–{b}).", first=first, last=last,
                    race=localised(clash), a=clash["bib_first"], b=clash["bib_last"])  # fmt: skip
        raise InvalidInput([FieldError("bib_first", message)])


async def create_race(event_id: int, data: Mapping[str, Any], user_id: int) -> dict:
    values = read_race(Fields(data), None)
    async with write_transaction():
        if not await queries.event_exists(event_id):
            raise NotFound(_("No such event."))
        await _check_no_overlap(event_id, None, values["bib_first"], values["bib_last"])
        race_id = await queries.insert_race(event_id, stored(values))
        await hooks.race_changed.send(None, await lock_race(race_id), user_id)
    return await get_race(race_id)


async def get_race(race_id: int, *, public: bool = False) -> dict:
    race = await load_race(race_id, public=public)
    return race.to_json((await race_counts([race.id]))[race.id])


async def update_race(race_id: int, data: Mapping[str, Any], user_id: int) -> dict:
    """A partial update. What registrations hold may refuse it (`hooks.race_changing`: a held bib outside
    the range or reserved, the capacity below the confirmed count) or follow it (`hooks.race_changed`:
    raising the capacity promotes the waitlist)."""
    async with write_transaction():
        current = await lock_race(race_id)
        values = read_race(Fields(data), current)
        await _check_no_overlap(current.event_id, race_id, values["bib_first"], values["bib_last"])
        await hooks.race_changing.send(current, values)
        await queries.update_race(race_id, stored(values))
        if values["results_status"] != current.results_status:
            await queries.record_status_change(race_id, values["results_status"], dt.datetime.now(dt.UTC), user_id)
        await hooks.race_changed.send(current, await lock_race(race_id), user_id)
    await hooks.shown_changed.send(race_id)  # provisional/official is shown with the results
    return await get_race(race_id)


# -- what higher domains keep on a race ---------------------------------------------------------------


async def set_bib_next_free(race_id: int, bib: int) -> None:
    """The allocator's lower bound (see `bibs.allocation.BibRange`), inside the caller's transaction."""
    await queries.set_bib_next_free(race_id, bib)


async def set_results_state(race_id: int, updated_at: dt.datetime, stats_json: str) -> None:
    """A new version of the race's results, with the counts the public pages show. Whatever shows the race's
    results in this process (its campaign's figures and feed too) reads them again."""
    await queries.set_results_state(race_id, updated_at, stats_json)
    await hooks.shown_changed.send(race_id)


async def set_results_mapping(race_id: int, mapping_json: str) -> None:
    """The timing-sheet columns a volunteer last confirmed for this race."""
    await queries.set_results_mapping(race_id, mapping_json)


async def results_made_official(race_ids: list[int]) -> list[dict]:
    """Each time one of these races' results were made official: `{"id", "race", "at"}`, oldest first."""
    return await queries.status_changes(race_ids, "official")


async def last_results_status_change(race_ids: list[int]) -> int:
    """Grows with every change of these races' results status (what a cache of them keys on)."""
    return await queries.last_status_change(race_ids)
