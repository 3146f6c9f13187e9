"""The knockout: the bracket made from the group tables, scheduled after the last group slot one round
per slot, and read back as rounds to a champion. The seeding rules are the pure `knockout` module."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict
from sportsrun.core.i18n import gettext as _
from sportsrun.football import queries
from sportsrun.football.knockout import Qualifier, first_round, round_names
from sportsrun.football.matches import match_json, team_names
from sportsrun.football.rankings import group_tables
from sportsrun.football.scores import move_on
from sportsrun.football.services import load


def _qualifiers(tables: Mapping[str, list], per_group: int) -> list[Qualifier]:
    """Winners (and runners-up); a position still level on every rule waits for the organiser's lots."""
    out = []
    for group, rows in tables.items():
        for position, row in enumerate(rows[:per_group], start=1):
            if row.level_with_next:
                raise Conflict(_("Group {group}: teams are level on every rule. Draw lots first.", group=group))
            out.append(Qualifier(row.team, group, position, row.points, row.goal_difference, row.goals_for,
                                 max(row.played, 1)))  # fmt: skip
    return out


def _slots(rounds: list[list[dict]], pitches: int) -> list[list[tuple[int, int]]]:
    """(slot offset, pitch) for every real match, one round after another; a round with more matches than
    pitches takes more slots. Byes take neither."""
    out, slot = [], 1
    for matches in rounds:
        placed, used = [], 0
        for m in matches:
            if m["status"] == "bye":
                placed.append((slot, 1))
                continue
            placed.append((slot + used // pitches, used % pitches + 1))
            used += 1
        out.append(placed)
        slot += max(1, (used + pitches - 1) // pitches)
    return out


async def make_bracket(division_id: int) -> dict:
    async with write_transaction():
        division = await load(division_id, lock=True)
        if division["has_bracket"]:
            raise Conflict(_("The bracket already exists."))
        groups = await queries.matches_of(division_id, "group")
        if not groups or any(m["status"] != "played" for m in groups):
            raise Conflict(_("Every group match needs its score before the knockout."))
        tables = await group_tables(division)
        qualifiers = _qualifiers(tables, division["qualifiers_per_group"])
        if len(qualifiers) == 1:
            await queries.update_division(division_id, {"has_bracket": True, "champion_team": qualifiers[0].team})
        else:
            await _write_bracket(division, qualifiers, groups)
            await queries.update_division(division_id, {"has_bracket": True})
    return await bracket(division_id, public=False)


async def _write_bracket(division: Mapping[str, Any], qualifiers: list[Qualifier], groups: list[dict]) -> None:
    first = first_round(qualifiers)
    names = round_names(len(first) * 2)
    last = max(m["kickoff"] for m in groups)
    minutes, pitches = division["slot_minutes"] or 30, division["pitches"] or 1
    rounds: list[list[dict]] = [[
        {"home_team": s.home.team if s.home else None, "away_team": s.away.team if s.away else None,
         "home_from": s.home.source if s.home else None, "away_from": s.away.source if s.away else None,
         "status": "bye" if s.home is None or s.away is None else "scheduled"}
        for s in first
    ]]  # fmt: skip
    for _n in names[1:]:
        rounds.append(
            [{"home_team": None, "away_team": None, "status": "scheduled"} for _ in range(len(rounds[-1]) // 2)]
        )
    third = division["third_place_match"] and len(rounds) >= 2 and all(m["status"] != "bye" for m in rounds[-2])
    if third:
        rounds[-1].insert(0, {"home_team": None, "away_team": None, "status": "scheduled", "third": True})
    slots = _slots(rounds, pitches)
    ids: list[list[int]] = []
    for number, (matches, placed) in enumerate(zip(rounds, slots, strict=True), start=1):
        ids.append([])
        for position, (m, (slot, pitch)) in enumerate(zip(matches, placed, strict=True)):
            is_third = m.pop("third", False)
            if number > 1 and not is_third:
                index = position - (1 if third and number == len(rounds) else 0)
                feeding = ids[-2]
                verb = "winner of {}"
                m["home_from"], m["away_from"] = verb.format(feeding[2 * index]), verb.format(feeding[2 * index + 1])
                m["position"] = index
            elif is_third:
                semis = ids[-2]
                m["home_from"], m["away_from"] = f"loser of {semis[0]}", f"loser of {semis[1]}"
            else:
                m["position"] = position
            row = {"division": division["id"], "stage": "knockout", "round": 0 if is_third else number,
                   "pitch": pitch, "kickoff": last + dt.timedelta(minutes=minutes * slot), **m}  # fmt: skip
            rows = await queries.insert_match_returning(row)
            if not is_third:
                ids[-1].append(rows)
    knockout = await queries.matches_of(division["id"], "knockout")
    for match in knockout:
        if match["status"] == "bye":
            await move_on(division["id"], knockout, match, match["home_team"] or match["away_team"], None)


async def delete_bracket(division_id: int) -> None:
    async with write_transaction():
        await load(division_id, lock=True)
        if await queries.scored(division_id, "knockout"):
            raise Conflict(_("A knockout match has a score: the bracket can no longer be deleted."))
        await queries.delete_matches(division_id, "knockout")
        await queries.update_division(division_id, {"has_bracket": False, "champion_team": None})


async def bracket(division_id: int, *, public: bool = True) -> dict:
    division = await load(division_id, public=public)
    names = await team_names(division_id)
    knockout = [
        match_json(m, names) | {"position": m["position"]} for m in await queries.matches_of(division_id, "knockout")
    ]
    rounds_count = max((m["round"] for m in knockout), default=0)
    labels = round_names(2**rounds_count) if rounds_count else []
    rounds = [
        {
            "name": labels[n - 1],
            "matches": sorted((m for m in knockout if m["round"] == n), key=lambda m: m["position"]),
        }  # fmt: skip
        for n in range(1, rounds_count + 1)
    ]
    third = next((m for m in knockout if m["round"] == 0), None)
    return {"rounds": rounds, "third_place": third, "champion_team_id": division["champion_team"],
            "champion": names.get(division["champion_team"])}  # fmt: skip
