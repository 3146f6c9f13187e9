"""The campaign table, which lives with events (a campaign groups them): storing and reading campaigns and
the events and races they hold. What a campaign computes from them belongs to the campaigns domain."""

import json
from collections.abc import Mapping
from typing import Any

from sportsrun.core.errors import NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.events import queries
from sportsrun.events.race_row import RaceRow
from sportsrun.events.services import event_json


def _campaign(row: Mapping[str, Any]) -> dict:
    def _json(value):
        return json.loads(value) if isinstance(value, str) else value

    return {
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "hashtag": row["hashtag"],
        "best_of": row["best_of"],
        "points_table": _json(row["points_table"]),
        "targets": _json(row["targets"]) or [],
    }


def stored(values: Mapping[str, Any]) -> dict:
    """Columns from checked values: the JSON ones as text."""
    out = dict(values)
    for key in ("points_table", "targets"):
        if key in out:
            out[key] = json.dumps(out[key])
    return out


async def create(values: Mapping[str, Any]) -> int:
    return await queries.insert_campaign(stored(values))


async def update(campaign_id: int, values: Mapping[str, Any]) -> None:
    await queries.update_campaign(campaign_id, stored(values))


async def get(campaign_id: int) -> dict:
    row = await queries.campaign_row(campaign_id)
    if row is None:
        raise NotFound(_("No such campaign."))
    return _campaign(row)


async def created_at(campaign_id: int):
    """When the campaign was made (a datetime): its feed's date before any result is published."""
    row = await queries.campaign_row(campaign_id)
    if row is None:
        raise NotFound(_("No such campaign."))
    return row["created_at"]


async def all_campaigns() -> list[dict]:
    return [_campaign(row) for row in await queries.campaign_rows()]


async def events_and_races(campaign_id: int, *, include_unpublished: bool = False) -> list[tuple[dict, list[RaceRow]]]:
    """The campaign's events (published ones unless asked), by date, each with its races."""
    events = [event_json(r) for r in await queries.events_of_campaign(campaign_id)]
    events = [e for e in events if include_unpublished or e["published"]]
    races: dict[int, list[RaceRow]] = {e["id"]: [] for e in events}
    for race in await queries.races_of_events(list(races)):
        races[race.event_id].append(race)
    return [(e, races[e["id"]]) for e in events]
