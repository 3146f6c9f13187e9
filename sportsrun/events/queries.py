"""Every query of the events domain: campaigns, provinces, events and races.

Piccolo's query builder for the organisers' writes and lists; raw SQL for reading one race, which every
registration, results page and import does first: reading a 50,000-runner race with its event took a
median 0.14–0.24 ms raw on SQLite on this project's 2-core machine, and 1.5–2.5 ms through Piccolo's
query objects (bench/query_costs.py)."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sportsrun.core.db.connections import is_sqlite
from sportsrun.core.db.sql import fetch, fetch_one
from sportsrun.events.race_row import RaceRow
from sportsrun.events.tables import Campaign, Event, Province, Race, ResultsStatusChange

EVENT_COLUMNS = (Event.id, Event.name, Event.province, Event.city, Event.venue, Event.date, Event.description,
                 Event.campaign, Event.published, Event.name_ar, Event.name_ckb, Event.name_en, Event.city_ar,
                 Event.city_ckb, Event.city_en)  # fmt: skip
# What RaceRow holds: the race and what it shows of its event.
_RACE = (
    "race.id, race.event, race.name, race.distance_m, race.start_time, race.utc_offset_minutes, race.capacity, "
    "race.bib_first, race.bib_last, race.reserved_bibs, race.bib_next_free, race.registration_opens_at, "
    "race.registration_closes_at, race.min_age, race.ranking, race.age_groups, race.results_status, race.in_series, "
    "race.results_version, race.results_mapping, race.results_updated_at, race.results_stats, "
    "event.published, event.date AS event_date, event.name AS event_name, event.city AS event_city, "
    "race.name_ar, race.name_ckb, race.name_en, event.name_ar AS event_name_ar, event.name_ckb AS event_name_ckb, "
    "event.name_en AS event_name_en, event.city_ar AS event_city_ar, event.city_ckb AS event_city_ckb, "
    "event.city_en AS event_city_en"
)
_RACE_FROM = f"SELECT {_RACE} FROM race JOIN event ON event.id = race.event"


# -- reference data ------------------------------------------------------------------------------------


async def provinces() -> list[dict]:
    return await Province.select(Province.code, Province.name_en, Province.name_ar, Province.name_ckb).order_by(
        Province.name_en
    )


async def insert_campaign(values: Mapping[str, Any]) -> int:
    rows = await Campaign.insert(Campaign(**values, created_at=dt.datetime.now(dt.UTC))).returning(Campaign.id)
    return rows[0]["id"]


async def campaign_exists(campaign_id: int) -> bool:
    return await Campaign.exists().where(Campaign.id == campaign_id)


CAMPAIGN_COLUMNS = (Campaign.id, Campaign.name, Campaign.description, Campaign.hashtag, Campaign.best_of,
                    Campaign.points_table, Campaign.targets, Campaign.created_at)  # fmt: skip


async def campaign_row(campaign_id: int) -> dict | None:
    return await Campaign.select(*CAMPAIGN_COLUMNS).where(Campaign.id == campaign_id).first()


async def campaign_rows() -> list[dict]:
    return await Campaign.select(*CAMPAIGN_COLUMNS).order_by(Campaign.id)


async def update_campaign(campaign_id: int, values: Mapping[str, Any]) -> None:
    await Campaign.update(values).where(Campaign.id == campaign_id)


async def events_of_campaign(campaign_id: int) -> list[dict]:
    return await Event.select(*EVENT_COLUMNS).where(Event.campaign == campaign_id).order_by(Event.date, Event.id)


# -- events --------------------------------------------------------------------------------------------


async def insert_event(values: Mapping[str, Any]) -> dict:
    rows = await Event.insert(Event(**values, created_at=dt.datetime.now(dt.UTC))).returning(*EVENT_COLUMNS)
    return rows[0]


async def event_exists(event_id: int) -> bool:
    return await Event.exists().where(Event.id == event_id)


async def update_event(event_id: int, values: Mapping[str, Any]) -> None:
    await Event.update(values).where(Event.id == event_id)


async def event_row(event_id: int) -> dict | None:
    return await Event.select(*EVENT_COLUMNS).where(Event.id == event_id).first()


async def event_rows(*, include_unpublished: bool) -> list[dict]:
    query = Event.select(*EVENT_COLUMNS).order_by(Event.date, Event.id)
    return await (query if include_unpublished else query.where(Event.published == True))  # noqa: E712


# -- races ---------------------------------------------------------------------------------------------


async def race_row(race_id: int, *, lock: bool = False) -> RaceRow | None:
    """The race; with `lock`, locked until the caller's write transaction ends (SQLite's IMMEDIATE
    transaction already holds the whole database; PostgreSQL locks the row)."""
    suffix = " FOR UPDATE OF race" if lock and not is_sqlite() else ""
    row = await fetch_one(f"{_RACE_FROM} WHERE race.id = {{}}{suffix}", race_id)
    return None if row is None else RaceRow.from_row(row)


async def races_of_events(event_ids: list[int]) -> list[RaceRow]:
    if not event_ids:
        return []
    placeholders = ", ".join("{}" for _ in event_ids)
    rows = await fetch(f"{_RACE_FROM} WHERE race.event IN ({placeholders}) ORDER BY race.start_time, race.id",
                       *event_ids)  # fmt: skip
    return [RaceRow.from_row(row) for row in rows]


async def insert_race(event_id: int, values: Mapping[str, Any]) -> int:
    rows = await Race.insert(
        Race(event=event_id, **values, bib_next_free=values["bib_first"], created_at=dt.datetime.now(dt.UTC))
    ).returning(Race.id)
    return rows[0]["id"]


async def update_race(race_id: int, values: Mapping[str, Any]) -> None:
    await Race.update(values).where(Race.id == race_id)


async def overlapping_race(event_id: int, race_id: int | None, first: int, last: int) -> dict | None:
    """Another race of the event whose bib range meets [first, last]."""
    return (
        await Race.select(Race.name, Race.name_ar, Race.name_ckb, Race.name_en, Race.bib_first, Race.bib_last)
        .where((Race.event == event_id) & (Race.id != (race_id or 0)))
        .where((Race.bib_first <= last) & (Race.bib_last >= first))
        .first()
    )


async def set_bib_next_free(race_id: int, bib: int) -> None:
    """Raw: written inside every registration batch's transaction."""
    await fetch("UPDATE race SET bib_next_free = {} WHERE id = {}", bib, race_id)


async def set_results_state(race_id: int, updated_at: dt.datetime, stats_json: str) -> None:
    """A new version of the race's results (caches key on it), with the counts the pages show."""
    await fetch(
        "UPDATE race SET results_version = results_version + 1, results_updated_at = {}, results_stats = {} "
        "WHERE id = {}",
        updated_at,
        stats_json,
        race_id,
    )


async def set_results_mapping(race_id: int, mapping_json: str) -> None:
    await fetch("UPDATE race SET results_mapping = {} WHERE id = {}", mapping_json, race_id)


async def record_status_change(race_id: int, status: str, at: dt.datetime, user_id: int | None) -> None:
    await ResultsStatusChange.insert(ResultsStatusChange(race=race_id, status=status, at=at, user=user_id))


async def status_changes(race_ids: list[int], status: str) -> list[dict]:
    if not race_ids:
        return []
    c = ResultsStatusChange
    return await c.select(c.id, c.race, c.at).where(c.race.is_in(race_ids) & (c.status == status)).order_by(c.id)


async def last_status_change(race_ids: list[int]) -> int:
    if not race_ids:
        return 0
    placeholders = ", ".join("{}" for _ in race_ids)
    rows = await fetch(f"SELECT MAX(id) AS last FROM results_status_change WHERE race IN ({placeholders})", *race_ids)
    return rows[0]["last"] or 0
