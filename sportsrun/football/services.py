"""Divisions: creating and changing them, how far each has come, and what the event page and the
campaign read of football."""

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.localised import language_fields
from sportsrun.events import hooks as events_hooks
from sportsrun.events import services as events
from sportsrun.football import queries
from sportsrun.football.validation import read_division

IRAQ = dt.timezone(dt.timedelta(hours=3))
# Changing who may play is refused once teams are drawn; these stay open until the bracket exists.
AFTER_DRAW = {"name", *language_fields("name"), "third_place_match", "qualifiers_per_group"}


def local_iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(IRAQ).isoformat()


def lots_of(division: Mapping[str, Any]) -> dict[str, dict]:
    value = division["lots"]
    return json.loads(value) if isinstance(value, str) else (value or {})


async def load(division_id: int, *, public: bool = False, lock: bool = False) -> dict:
    """The division row with its event's date; a public read of an unpublished event's division is a 404."""
    row = await queries.division_row(division_id, lock=lock)
    if row is None or (public and not row["event_published"]):
        raise NotFound(_("No such division."))
    return row


def stage_of(division: Mapping[str, Any], has_group_matches: bool) -> str:
    if division["champion_team"] is not None:
        return "finished"
    if division["has_bracket"]:
        return "knockout"
    if has_group_matches:
        return "groups"
    if division["draw_seed"] is not None:
        return "drawn"
    return "registration"


def registration_open(division: Mapping[str, Any], now: dt.datetime) -> bool:
    return division["draw_seed"] is None and now < division["registration_closes_at"]


async def promote(division: Mapping[str, Any]) -> None:
    """Waiting teams move up, in arrival order, while the division has room and is not drawn. The caller
    holds the division's lock."""
    if division["draw_seed"] is not None:
        return
    room = division["max_teams"] - await queries.count_registered(division["id"])
    for _place in range(max(room, 0)):
        waiting = await queries.first_waiting(division["id"])
        if waiting is None:
            return
        await queries.update_team(waiting["id"], {"status": "registered"})


def division_json(row: Mapping[str, Any]) -> dict:
    return {
        "id": row["id"],
        "event_id": row["event"],
        "name": row["name"],
        **{key: row[key] for key in language_fields("name")},
        "gender": row["gender"],
        "max_age": row["max_age"],
        "squad_min": row["squad_min"],
        "squad_max": row["squad_max"],
        "max_teams": row["max_teams"],
        "registration_closes_at": local_iso(row["registration_closes_at"]),
        "qualifiers_per_group": row["qualifiers_per_group"],
        "third_place_match": bool(row["third_place_match"]),
    }


async def _event_date(event_id: int) -> dt.date:
    event = await events.event_brief(event_id, include_unpublished=True)
    return dt.date.fromisoformat(event["date"])


async def create_division(event_id: int, data: Mapping[str, Any]) -> dict:
    values = read_division(data, None, await _event_date(event_id))
    async with write_transaction():
        division_id = await queries.insert_division({**values, "event": event_id})
    return await get_division(division_id, public=False)


async def update_division(division_id: int, data: Mapping[str, Any]) -> dict:
    async with write_transaction():
        current = await load(division_id, lock=True)
        values = read_division(data, current, current["event_date"])
        changed = {k for k, v in values.items() if v != current[k]}
        if current["draw_seed"] is not None and changed - AFTER_DRAW:
            raise Conflict(_("The draw is made: only the name, the qualifiers and the third-place match can change."))
        if current["has_bracket"] and changed & {"qualifiers_per_group", "third_place_match"}:
            raise Conflict(_("The bracket exists: delete it first to change who goes through."))
        registered = await queries.count_registered(division_id)
        if values.get("max_teams", registered) < registered:
            raise Conflict(_("{n} teams are registered: the limit cannot be lower.", n=registered))
        await queries.update_division(division_id, values)
        await promote(await load(division_id, lock=True))
    return await get_division(division_id, public=False)


async def get_division(division_id: int, *, public: bool = True) -> dict:
    row = await load(division_id, public=public)
    teams = await queries.teams_of(division_id)
    has_groups = bool(await queries.matches_of(division_id, "group"))
    return division_json(row) | {
        "stage": stage_of(row, has_groups),
        "registration_open": registration_open(row, dt.datetime.now(dt.UTC)),
        "event_name": row["event_name"],
        **{key: row[key] for key in language_fields("event_name")},
        "champion_team_id": row["champion_team"],
        "teams": [
            {
                "id": t["id"],
                "name": t["name"],
                "province": t["province"],
                "status": t["status"],
                "group": t["group_name"],
            }  # fmt: skip
            for t in teams
        ],
    }


@events_hooks.event_divisions.connect
async def divisions_of_events(event_ids: list[int]) -> dict[int, list[dict]]:
    """The event page lists each event's divisions beside its races, with how many teams are in."""
    rows = await queries.divisions_of_events(event_ids)
    counts: dict[int, int] = {}
    for team in await queries.teams_of_divisions([r["id"] for r in rows]):
        counts[team["division"]] = counts.get(team["division"], 0) + 1
    out: dict[int, list[dict]] = {}
    for row in rows:
        brief = division_json(row) | {"teams": counts.get(row["id"], 0)}
        brief["open"] = registration_open(row, dt.datetime.now(dt.UTC)) and brief["teams"] < row["max_teams"]
        out.setdefault(row["event"], []).append(brief)
    return out


async def teams_by_event(event_ids: list[int]) -> dict[int, int]:
    """Registered teams per event: what the campaign counts."""
    rows = await queries.divisions_of_events(event_ids)
    event_of = {r["id"]: r["event"] for r in rows}
    counts = dict.fromkeys(event_ids, 0)
    for team in await queries.teams_of_divisions(list(event_of)):
        counts[event_of[team["division"]]] += 1
    return counts
