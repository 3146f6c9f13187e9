"""The organiser's day: the draw into groups, the group fixtures laid over pitches and slots, moving a
match. The rules themselves are the pure `draw` and `fixtures` modules."""

import datetime as dt
import secrets
from collections.abc import Mapping
from string import ascii_uppercase
from typing import Any

from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict, FieldError, InvalidInput, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.validation import Fields
from sportsrun.football import queries
from sportsrun.football.draw import draw as draw_groups
from sportsrun.football.fixtures import lay_out
from sportsrun.football.matches import match_json, team_names
from sportsrun.football.services import load

MAX_PITCHES = 20


def groups_of(teams: list[dict]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for t in teams:
        if t["status"] == "registered" and t["group_name"]:
            groups.setdefault(t["group_name"], []).append(t["id"])
    return dict(sorted(groups.items()))


def _read_pots(value: Any, registered: set[int]) -> list[list[int]] | None:
    if value in (None, [], ""):
        return None
    if not isinstance(value, list) or not all(isinstance(p, list) for p in value):
        raise InvalidInput([FieldError("pots", _("Give the pots as lists of team ids."))])
    seen: set[int] = set()
    for pot in value:
        for team_id in pot:
            if not isinstance(team_id, int) or team_id not in registered or team_id in seen:
                raise InvalidInput(
                    [FieldError("pots", _("Each pot lists registered teams of this division, each once."))]
                )
            seen.add(team_id)
    return value


async def make_draw(division_id: int, data: Mapping[str, Any], user_id: int, *, now: dt.datetime | None = None) -> dict:
    """Registered teams into groups of near-equal size; redone freely until the first score."""
    fields = Fields(data)
    count = fields.integer("groups", required=True, minimum=1, maximum=64)
    seed = fields.integer("seed", minimum=0, maximum=2**31 - 1)
    fields.raise_if_any()
    async with write_transaction():
        await load(division_id, lock=True)
        if await queries.scored(division_id):
            raise Conflict(_("A score is entered: the draw can no longer be redone."))
        teams = [t for t in await queries.teams_of(division_id) if t["status"] == "registered"]
        if len(teams) < 2 or count > len(teams) // 2:  # type: ignore[operator]
            most = max(len(teams) // 2, 1)
            message = _(
                "Each group needs at least 2 teams: with {n} teams, at most {most} groups.", n=len(teams), most=most
            )
            raise InvalidInput([FieldError("groups", message)])
        pots = _read_pots(data.get("pots"), {t["id"] for t in teams})
        seed = secrets.randbelow(2**31) if seed is None else seed
        drawn = draw_groups([t["id"] for t in teams], {t["id"]: t["province"] for t in teams}, count, seed, pots)  # type: ignore[arg-type]
        await queries.set_groups(division_id, {ascii_uppercase[i]: g for i, g in enumerate(drawn)})
        await queries.delete_matches(division_id)
        now = now or dt.datetime.now(dt.UTC)
        await queries.update_division(
            division_id,
            {"draw_seed": seed, "drawn_at": now, "drawn_by": user_id, "lots": "{}", "has_bracket": False,
             "champion_team": None},
        )  # fmt: skip
    return {"groups": [{"name": ascii_uppercase[i], "team_ids": g} for i, g in enumerate(drawn)], "seed": seed}


async def make_fixtures(division_id: int, data: Mapping[str, Any]) -> dict:
    fields = Fields(data)
    pitches = fields.integer("pitches", required=True, minimum=1, maximum=MAX_PITCHES)
    first = fields.datetime("first_kickoff", required=True)
    slot = fields.integer("slot_minutes", required=True, minimum=5, maximum=240)
    fields.raise_if_any()
    async with write_transaction():
        division = await load(division_id, lock=True)
        if division["draw_seed"] is None:
            raise Conflict(_("Make the draw first."))
        if division["has_bracket"] or await queries.scored(division_id):
            raise Conflict(_("Scores are entered: the fixtures can no longer be made again."))
        groups = groups_of(await queries.teams_of(division_id))
        placed = lay_out(groups, pitches)  # type: ignore[arg-type]
        await queries.delete_matches(division_id)
        await queries.insert_matches([
            {"division": division_id, "stage": "group", "group_name": p.fixture.group, "round": p.fixture.round,
             "home_team": p.fixture.home, "away_team": p.fixture.away, "pitch": p.pitch,
             "kickoff": first + dt.timedelta(minutes=slot * p.slot), "status": "scheduled"}  # type: ignore[operator]
            for p in placed
        ])  # fmt: skip
        await queries.update_division(division_id, {"pitches": pitches, "first_kickoff": first, "slot_minutes": slot})
    names = await team_names(division_id)
    return {"matches": [match_json(m, names) for m in await queries.matches_of(division_id)]}


def _busy(match: Mapping[str, Any], others: list[dict], pitch: int, kickoff: dt.datetime, minutes: int) -> str | None:
    end = kickoff + dt.timedelta(minutes=minutes)
    teams = {match["home_team"], match["away_team"]} - {None}
    for other in others:
        if other["id"] == match["id"] or other["status"] == "bye":
            continue
        start = other["kickoff"]
        if start < end and kickoff < start + dt.timedelta(minutes=minutes):  # type: ignore[operator]
            if other["pitch"] == pitch:
                return _("Pitch {pitch} is taken at that time.", pitch=pitch)
            if teams & {other["home_team"], other["away_team"]}:
                return _("A team of this match plays another match at that time.")
    return None


async def move_match(match_id: int, data: Mapping[str, Any]) -> dict:
    """The organiser moves a match to another pitch or time; never into a clash (409)."""
    fields = Fields(data)
    pitch = fields.integer("pitch", minimum=1, maximum=MAX_PITCHES)
    kickoff = fields.datetime("kickoff")
    fields.raise_if_any()
    async with write_transaction():
        match = await queries.match_row(match_id, lock=True)
        if match is None:
            raise NotFound(_("No such match."))
        division = await load(match["division"], lock=True)
        most = division["pitches"] or MAX_PITCHES
        if pitch is not None and pitch > most:
            raise InvalidInput([FieldError("pitch", _("Enter a number of at most {n}.", n=most))])
        pitch = pitch or match["pitch"]
        kickoff = kickoff or match["kickoff"]
        clash = _busy(match, await queries.matches_of(division["id"]), pitch, kickoff, division["slot_minutes"] or 30)  # type: ignore[arg-type]
        if clash:
            raise Conflict(clash)
        await queries.update_match(match_id, {"pitch": pitch, "kickoff": kickoff})
        await queries.touch(division["id"])
        row = await queries.match_row(match_id)
    return match_json(row, await team_names(division["id"]))  # type: ignore[arg-type]
