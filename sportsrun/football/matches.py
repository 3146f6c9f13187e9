"""A match as the API and the pages show it, and the lists of a division's and a team's matches."""

from collections.abc import Mapping
from typing import Any

from sportsrun.football import queries
from sportsrun.football.services import load, local_iso


def match_json(row: Mapping[str, Any], names: Mapping[int, str] | None = None) -> dict:
    names = names or {}
    return {
        "id": row["id"],
        "division_id": row["division"],
        "stage": row["stage"],
        "group": row["group_name"],
        "round": row["round"],
        "home_team_id": row["home_team"],
        "away_team_id": row["away_team"],
        "home_team": names.get(row["home_team"]),
        "away_team": names.get(row["away_team"]),
        "pitch": row["pitch"],
        "kickoff": local_iso(row["kickoff"]),
        "status": row["status"],
        "home_goals": row["home_goals"],
        "away_goals": row["away_goals"],
        "home_penalties": row["home_penalties"],
        "away_penalties": row["away_penalties"],
        "home_cards": row["home_cards"],
        "away_cards": row["away_cards"],
        "home_from": row["home_from"],
        "away_from": row["away_from"],
    }


async def team_names(division_id: int) -> dict[int, str]:
    return {t["id"]: t["name"] for t in await queries.teams_of(division_id, ("registered", "waitlisted", "withdrawn"))}


async def division_matches(division_id: int, *, public: bool = True) -> dict:
    await load(division_id, public=public)
    names = await team_names(division_id)
    return {"matches": [match_json(m, names) for m in await queries.matches_of(division_id)]}


async def team_matches(team_id: int, division_id: int) -> list[dict]:
    names = await team_names(division_id)
    return [match_json(m, names) for m in await queries.matches_of_team(team_id)]
