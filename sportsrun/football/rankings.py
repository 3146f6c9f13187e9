"""Group standings with the rule that broke each tie, the organiser's drawing of lots, and the fair-play
tables. The ranking itself is the pure `standings` module."""

import datetime as dt
import json
import random
import secrets
from collections.abc import Mapping
from typing import Any

from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict, FieldError, InvalidInput
from sportsrun.core.i18n import gettext as _
from sportsrun.core.text.names import fold
from sportsrun.core.validation import Fields
from sportsrun.events import services as events
from sportsrun.football import queries
from sportsrun.football.schedule import groups_of
from sportsrun.football.services import load, lots_of
from sportsrun.football.standings import Result, Row, needs_lots, rank


def results_of(matches: list[dict], group: str) -> list[Result]:
    return [
        Result(
            m["home_team"], m["away_team"], m["home_goals"], m["away_goals"], m["home_cards"] or 0, m["away_cards"] or 0
        )  # fmt: skip
        for m in matches
        if m["stage"] == "group" and m["group_name"] == group and m["status"] == "played"
    ]


def row_json(row: Row, names: Mapping[int, str]) -> dict:
    return {
        "rank": row.rank,
        "team_id": row.team,
        "team": names.get(row.team),
        "played": row.played,
        "won": row.won,
        "drawn": row.drawn,
        "lost": row.lost,
        "goals_for": row.goals_for,
        "goals_against": row.goals_against,
        "goal_difference": row.goal_difference,
        "points": row.points,
        "cards": row.cards,
        "tiebreak": row.tiebreak,
        "level_with_next": row.level_with_next,
    }


async def group_tables(division: Mapping[str, Any], teams: list[dict] | None = None) -> dict[str, list[Row]]:
    """Every group's rows, ranked; teams still level are listed by name. `teams`: the division's, if read."""
    teams = teams if teams is not None else await queries.teams_of(division["id"])
    names = {t["id"]: t["name"] for t in teams}
    matches = await queries.matches_of(division["id"], "group")
    lots = lots_of(division)
    out = {}
    for group, ids in groups_of(teams).items():
        ordered = sorted(ids, key=lambda t: (fold(names[t]), t))
        out[group] = rank(ordered, results_of(matches, group), lots.get(group, {}).get("order"))
    return out


async def standings(division_id: int, *, public: bool = True) -> dict:
    division = await load(division_id, public=public)
    teams = await queries.teams_of(division_id)
    names = {t["id"]: t["name"] for t in teams}
    tables = await group_tables(division, teams)
    return {"groups": [{"name": g, "rows": [row_json(r, names) for r in rows]} for g, rows in tables.items()]}


async def draw_lots(division_id: int, data: Mapping[str, Any], user_id: int) -> dict:
    """Teams of the group still level after fair play, ordered by a recorded random draw."""
    fields = Fields(data)
    group = fields.text("group", required=True, max_length=2)
    seed = fields.integer("seed", minimum=0, maximum=2**31 - 1)
    fields.raise_if_any()
    async with write_transaction():
        division = await load(division_id, lock=True)
        if division["has_bracket"]:
            raise Conflict(_("The knockout bracket exists: the groups are final."))
        tables = await group_tables(division)
        if group not in tables:
            raise InvalidInput([FieldError("group", _("No such group."))])
        seed = secrets.randbelow(2**31) if seed is None else seed
        draw = random.Random(seed)
        order: list[int] = []
        for level in needs_lots(tables[group]):
            level = sorted(level)
            draw.shuffle(level)
            order.extend(level)
        if order:
            lots = lots_of(division)
            lots[group] = {"seed": seed, "order": order, "by": user_id, "at": dt.datetime.now(dt.UTC).isoformat()}
            await queries.update_division(division_id, {"lots": json.dumps(lots)})
    return await standings(division_id, public=False)


def fair_play_rows(teams: Mapping[int, str], matches: list[dict]) -> list[dict]:
    """Fewest cards per match first, over every played match (group and knockout)."""
    played: dict[int, list[int]] = {}
    for m in matches:
        if m["status"] != "played":
            continue
        for side in ("home", "away"):
            team = m[f"{side}_team"]
            if team in teams:
                tally = played.setdefault(team, [0, 0])
                tally[0] += 1
                tally[1] += m[f"{side}_cards"] or 0
    rows = [
        {"team_id": t, "team": teams[t], "matches": n, "cards": c, "cards_per_match": round(c / n, 3)}
        for t, (n, c) in played.items()
    ]
    rows.sort(key=lambda r: (r["cards"] / r["matches"], -r["matches"], fold(r["team"]), r["team_id"]))
    for place, row in enumerate(rows, start=1):
        row["rank"] = place
    return rows


async def division_fair_play(division_id: int) -> list[dict]:
    await load(division_id, public=True)
    teams = {t["id"]: t["name"] for t in await queries.teams_of(division_id, ("registered",))}
    return fair_play_rows(teams, await queries.matches_of(division_id))


async def event_fair_play(event_id: int) -> list[dict]:
    await events.event_brief(event_id)
    divisions = {d["id"]: d["name"] for d in await queries.divisions_of_events([event_id])}
    registered = await queries.teams_of_divisions(list(divisions))
    rows = fair_play_rows({t["id"]: t["name"] for t in registered}, await queries.matches_of_divisions(list(divisions)))
    division_of = {t["id"]: t["division"] for t in registered}
    for row in rows:
        row["division_id"] = division_of[row["team_id"]]
        row["division"] = divisions[row["division_id"]]
    return rows
