"""Teams: a captain registers a squad, sees and changes it by a secret code, withdraws it; the waitlist
moves up; what the public sees of a team."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict, InvalidInput, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.text.names import public_name
from sportsrun.events.age_groups import ADULT_AGE, age_on
from sportsrun.events.provinces import province_codes
from sportsrun.football import queries
from sportsrun.football.services import load, promote, registration_open
from sportsrun.football.validation import DivisionRules, TeamInput, read_team
from sportsrun.registration.services import code_digest, new_code


def rules_of(division: Mapping[str, Any]) -> DivisionRules:
    return DivisionRules(division["gender"], division["max_age"], division["squad_min"], division["squad_max"],
                         division["event_date"])  # fmt: skip


async def validate(division: Mapping[str, Any], data: Mapping[str, Any]) -> TeamInput:
    team, fields = read_team(data, rules_of(division), await province_codes(), dt.date.today())
    if team is None:
        raise InvalidInput(fields.errors)
    return team


async def _check_unique(division_id: int, team: TeamInput, except_team: int | None) -> None:
    if await queries.name_taken(division_id, team.name_key, except_team):
        raise Conflict(_("A team of this name is already registered in this division."))
    people = [(p.birth_date, p.name_key) for p in team.players if not p.another_person]
    taken = {(r["birth_date"], r["name_key"]) for r in await queries.squad_members(division_id, people, except_team)}
    for index, p in enumerate(team.players):
        if (p.birth_date, p.name_key) in taken and not p.another_person:
            raise Conflict(
                _(
                    "Player {n} is already in another squad of this division. If this is another person with the "
                    "same name and date of birth, tick “another person”.",
                    n=index + 1,
                )  # fmt: skip
            )


def _closed() -> Conflict:
    return Conflict(_("Registration for this division is closed."))


async def register(division_id: int, data: Mapping[str, Any], *, now: dt.datetime | None = None) -> dict:
    """All or nothing: a squad with any problem writes nothing. Beyond the team limit, the team waits."""
    now = now or dt.datetime.now(dt.UTC)
    division = await load(division_id, public=True)
    team = await validate(division, data)
    code, digest = new_code()
    async with write_transaction():
        division = await load(division_id, public=True, lock=True)
        if not registration_open(division, now):
            raise _closed()
        await _check_unique(division_id, team, None)
        full = await queries.count_registered(division_id) >= division["max_teams"]
        status = "waitlisted" if full else "registered"
        team_id = await queries.insert_team(
            {"division": division_id, "name": team.name, "name_key": team.name_key, "province": team.province,
             "captain_name": team.captain_name, "captain_phone": team.captain_phone,
             "guardian_consent": team.guardian_consent, "code_hash": digest, "status": status, "created_at": now}
        )  # fmt: skip
        await queries.replace_players(team_id, division_id, team.players)
        await queries.touch(division_id)
    return {"id": team_id, "code": code, "status": status, "division_id": division_id}


async def _by_code(code: str) -> dict:
    row = await queries.team_by_code(code_digest(code))
    if row is None or row["status"] == "withdrawn":
        raise NotFound(_("No such team registration."))
    return row


async def get_own(code: str) -> dict:
    """The captain's view, personal data included: the code is its secret."""
    row = await _by_code(code)
    division = await load(row["division"])
    players = await queries.players_of([row["id"]])
    return {
        "id": row["id"],
        "division_id": row["division"],
        "division": division["name"],
        "name": row["name"],
        "province": row["province"],
        "captain_name": row["captain_name"],
        "captain_phone": row["captain_phone"],
        "guardian_consent": bool(row["guardian_consent"]),
        "status": row["status"],
        "editable": registration_open(division, dt.datetime.now(dt.UTC)),
        "players": [
            {
                "given_name": p["given_name"],
                "family_name": p["family_name"],
                "birth_date": p["birth_date"].isoformat(),
                "shirt_number": p["shirt_number"],
                "gender": p["gender"],
                "another_person": bool(p["another_person"]),
            }  # fmt: skip
            for p in players
        ],
    }


async def replace_own(code: str, data: Mapping[str, Any], *, now: dt.datetime | None = None) -> dict:
    now = now or dt.datetime.now(dt.UTC)
    row = await _by_code(code)
    division = await load(row["division"])
    team = await validate(division, data)
    async with write_transaction():
        division = await load(row["division"], lock=True)
        if not registration_open(division, now):
            raise Conflict(_("The squad can no longer change: the registration has closed or the draw is made."))
        await _check_unique(row["division"], team, row["id"])
        await queries.update_team(
            row["id"],
            {"name": team.name, "name_key": team.name_key, "province": team.province, "captain_name": team.captain_name,
             "captain_phone": team.captain_phone, "guardian_consent": team.guardian_consent},
        )  # fmt: skip
        await queries.replace_players(row["id"], row["division"], team.players)
        await queries.touch(row["division"])
    return await get_own(code)


async def withdraw_own(code: str, *, now: dt.datetime | None = None) -> None:
    """The team leaves before the draw; the first waiting team takes its place."""
    now = now or dt.datetime.now(dt.UTC)
    row = await _by_code(code)
    async with write_transaction():
        division = await load(row["division"], lock=True)
        if not registration_open(division, now):
            raise Conflict(_("The team can no longer withdraw here: the registration has closed or the draw is made."))
        current = await queries.team_row(row["id"])
        if current["status"] == "withdrawn":
            raise NotFound(_("No such team registration."))
        await queries.update_team(row["id"], {"status": "withdrawn", "withdrawn_at": now})
        if current["status"] == "registered":
            await promote(division)
        await queries.touch(row["division"])


def public_players(players: list[dict], event_date: dt.date) -> list[dict]:
    """Names as the public sees them (under-18s by initials) and shirt numbers; never a birth date."""
    return [
        {
            "name": public_name(
                p["given_name"],
                p["family_name"],
                "full",
                age_on(p["birth_date"], event_date) < ADULT_AGE,
                False,
            ),
            "shirt_number": p["shirt_number"],
        }  # fmt: skip
        for p in players
    ]


async def public_team(team_id: int) -> tuple[dict, dict]:
    """The team as the public sees it, and its division."""
    row = await queries.team_row(team_id)
    if row is None or row["status"] == "withdrawn":
        raise NotFound(_("No such team."))
    division = await load(row["division"], public=True)
    players = await queries.players_of([team_id])
    team = {
        "id": row["id"],
        "division_id": row["division"],
        "name": row["name"],
        "province": row["province"],
        "status": row["status"],
        "group": row["group_name"],
        "players": public_players(players, division["event_date"]),
    }
    return team, division
