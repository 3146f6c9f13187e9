"""Every query of the football domain. Piccolo's query builder throughout: a division holds tens of teams
and a few hundred matches, and its public pages are served from the per-version cache."""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sportsrun.core.db.connections import is_sqlite
from sportsrun.core.db.sql import Keys, fetch_matching, fetch_one
from sportsrun.football import state
from sportsrun.football.tables import Division, Match, Player, ScoreChange, Team

# -- divisions -------------------------------------------------------------------------------------------


async def insert_division(values: Mapping[str, Any]) -> int:
    rows = await Division.insert(Division(**values)).returning(Division.id)
    return rows[0]["id"]


async def division_row(division_id: int, *, lock: bool = False) -> dict | None:
    """The division with its event's date and publication; with `lock`, locked until the caller's write
    transaction ends (SQLite's IMMEDIATE transaction holds the whole database already)."""
    suffix = " FOR UPDATE OF division" if lock and not is_sqlite() else ""
    return await fetch_one(
        "SELECT division.*, event.date AS event_date, event.published AS event_published, event.name AS event_name, "
        "event.name_ar AS event_name_ar, event.name_ckb AS event_name_ckb, event.name_en AS event_name_en "
        f"FROM division JOIN event ON event.id = division.event WHERE division.id = {{}}{suffix}",
        division_id,
    )


async def division_version(division_id: int) -> int | None:
    row = await fetch_one("SELECT version FROM division WHERE id = {}", division_id)
    return None if row is None else row["version"]


async def update_division(division_id: int, values: Mapping[str, Any]) -> None:
    """Every write to a division bumps its version: the public pages' caches key on it."""
    await Division.update({**values, Division.version: Division.version + 1}).where(Division.id == division_id)
    state.forget(division_id)


async def touch(division_id: int) -> None:
    await Division.update({Division.version: Division.version + 1}).where(Division.id == division_id)
    state.forget(division_id)


async def divisions_of_events(event_ids: list[int]) -> list[dict]:
    if not event_ids:
        return []
    return await Division.select().where(Division.event.is_in(event_ids)).order_by(Division.id)


# -- teams and players ----------------------------------------------------------------------------------


async def teams_of(division_id: int, statuses: Iterable[str] = ("registered", "waitlisted")) -> list[dict]:
    return await Team.select().where(Team.division == division_id, Team.status.is_in(list(statuses))).order_by(Team.id)


async def teams_of_divisions(division_ids: list[int]) -> list[dict]:
    if not division_ids:
        return []
    return await Team.select().where(Team.division.is_in(division_ids), Team.status == "registered").order_by(Team.id)


async def team_row(team_id: int) -> dict | None:
    return await Team.select().where(Team.id == team_id).first()


async def team_by_code(digest: str) -> dict | None:
    return await Team.select().where(Team.code_hash == digest).first()


async def name_taken(division_id: int, key: str, except_team: int | None) -> bool:
    query = Team.select(Team.id).where(Team.division == division_id, Team.name_key == key, Team.status != "withdrawn")
    if except_team is not None:
        query = query.where(Team.id != except_team)
    return bool(await query.first())


async def squad_members(division_id: int, people: list[tuple[dt.date, str]], except_team: int | None) -> list[dict]:
    """Players of the division's other live squads who are, by birth date and folded name, one of `people`:
    only those keys are looked up."""
    return await fetch_matching(
        "t.birth_date, t.name_key, t.team", "player",
        "t.division = {} AND t.team <> {} AND t.team IN (SELECT id FROM team WHERE status <> 'withdrawn')",
        (division_id, except_team or 0), [Keys(("birth_date", "name_key"), ("date", "text"), people)],
    )  # fmt: skip


async def count_registered(division_id: int) -> int:
    return await Team.count().where(Team.division == division_id, Team.status == "registered")


async def first_waiting(division_id: int) -> dict | None:
    return (
        await Team.select(Team.id)
        .where(Team.division == division_id, Team.status == "waitlisted")
        .order_by(Team.id)
        .first()
    )


async def insert_team(values: Mapping[str, Any]) -> int:
    rows = await Team.insert(Team(**values)).returning(Team.id)
    return rows[0]["id"]


async def update_team(team_id: int, values: Mapping[str, Any]) -> None:
    await Team.update(dict(values)).where(Team.id == team_id)


async def replace_players(team_id: int, division_id: int, players: Iterable[Any]) -> None:
    await Player.delete().where(Player.team == team_id)
    rows = [
        Player(
            team=team_id,
            division=division_id,
            given_name=p.given_name,
            family_name=p.family_name,
            name_key=p.name_key,
            birth_date=p.birth_date,
            shirt_number=p.shirt_number,
            gender=p.gender,
            another_person=p.another_person,
        )  # fmt: skip
        for p in players
    ]
    if rows:
        await Player.insert(*rows)


async def players_of(team_ids: list[int]) -> list[dict]:
    if not team_ids:
        return []
    return await Player.select().where(Player.team.is_in(team_ids)).order_by(Player.team, Player.shirt_number)


async def set_groups(division_id: int, groups: Mapping[str, list[int]]) -> None:
    """Each group's teams by name: one statement a group, the others' group cleared."""
    await Team.update({Team.group_name: None}).where(Team.division == division_id)
    for name, team_ids in groups.items():
        await Team.update({Team.group_name: name}).where(Team.id.is_in(team_ids))


# -- matches --------------------------------------------------------------------------------------------


async def matches_of(division_id: int, stage: str | None = None) -> list[dict]:
    query = Match.select().where(Match.division == division_id)
    if stage:
        query = query.where(Match.stage == stage)
    return await query.order_by(Match.kickoff, Match.pitch, Match.id)


async def matches_of_divisions(division_ids: list[int]) -> list[dict]:
    if not division_ids:
        return []
    return await Match.select().where(Match.division.is_in(division_ids)).order_by(Match.kickoff, Match.id)


async def matches_of_team(team_id: int) -> list[dict]:
    return (
        await Match.select()
        .where((Match.home_team == team_id) | (Match.away_team == team_id))
        .order_by(Match.kickoff, Match.id)
    )


async def match_row(match_id: int, *, lock: bool = False) -> dict | None:
    suffix = " FOR UPDATE" if lock and not is_sqlite() else ""
    return await fetch_one(f"SELECT * FROM match WHERE id = {{}}{suffix}", match_id)


async def insert_matches(rows: list[dict]) -> None:
    if rows:
        await Match.insert(*[Match(**r) for r in rows])


async def delete_matches(division_id: int, stage: str | None = None) -> None:
    query = Match.delete().where(Match.division == division_id)
    if stage:
        query = query.where(Match.stage == stage)
    await query


async def update_match(match_id: int, values: Mapping[str, Any]) -> None:
    await Match.update(dict(values)).where(Match.id == match_id)


async def scored(division_id: int, stage: str | None = None) -> bool:
    query = Match.select(Match.id).where(Match.division == division_id, Match.scored_at.is_not_null())
    if stage:
        query = query.where(Match.stage == stage)
    return bool(await query.first())


# -- the correction log ------------------------------------------------------------------------------------


async def insert_change(values: Mapping[str, Any]) -> None:
    await ScoreChange.insert(ScoreChange(**values))


async def changes_of(division_id: int) -> list[dict]:
    return (
        await ScoreChange.select(
            ScoreChange.at, ScoreChange.match, ScoreChange.before, ScoreChange.after, ScoreChange.reason
        )
        .where(ScoreChange.division == division_id)
        .order_by(ScoreChange.id, ascending=False)
    )


async def insert_match_returning(values: Mapping[str, Any]) -> int:
    rows = await Match.insert(Match(**values)).returning(Match.id)
    return rows[0]["id"]


async def division_state(division_id: int) -> dict | None:
    """What a division's public pages depend on besides its own version: its event's name, date and
    publication."""
    return await fetch_one(
        "SELECT division.version, division.name, event.name AS event_name, event.date, event.published, "
        "event.name_ar, event.name_ckb, event.name_en "
        "FROM division JOIN event ON event.id = division.event WHERE division.id = {}",
        division_id,
    )
