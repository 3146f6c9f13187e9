"""The football API's request bodies. Typed loosely where forms and JSON share one validation
(`football.validation`), which names every problem with its field."""

from typing import Any

import msgspec

from sportsrun.core.web.openapi import required, text

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType
# Fields read as text (their checks give localised messages), shown in the schema in their exact form.
Day = text(format="date")
Moment = text(format="date-time")
MomentOrNull = text(format="date-time", nullable=True)


@required("name", "gender", "squad_min", "squad_max", "max_teams")
class DivisionIn(msgspec.Struct):
    name: str | Unset = UNSET
    name_ar: str | None | Unset = UNSET
    name_ckb: str | None | Unset = UNSET
    name_en: str | None | Unset = UNSET
    gender: str | Unset = UNSET
    max_age: int | None | Unset = UNSET
    squad_min: int | Unset = UNSET
    squad_max: int | Unset = UNSET
    max_teams: int | Unset = UNSET
    registration_closes_at: MomentOrNull = UNSET
    qualifiers_per_group: int | Unset = UNSET
    third_place_match: bool | Unset = UNSET


class DivisionChange(DivisionIn):
    """A partial update: only the fields given change."""


@required("given_name", "family_name", "birth_date", "shirt_number")
class PlayerIn(msgspec.Struct):
    given_name: str | Unset = UNSET
    family_name: str | Unset = UNSET
    birth_date: Day = UNSET
    shirt_number: int | Unset = UNSET
    gender: str | None | Unset = UNSET
    another_person: bool | Unset = UNSET


@required("name", "province", "captain_name", "captain_phone", "players")
class TeamIn(msgspec.Struct):
    name: str | Unset = UNSET
    province: str | Unset = UNSET
    captain_name: str | Unset = UNSET
    captain_phone: str | Unset = UNSET
    guardian_consent: bool | Unset = UNSET
    players: list[PlayerIn] | Unset = UNSET


@required("groups")
class DrawIn(msgspec.Struct):
    groups: int | Unset = UNSET
    seed: int | None | Unset = UNSET
    pots: list[list[int]] | None | Unset = UNSET


@required("pitches", "first_kickoff", "slot_minutes")
class FixturesIn(msgspec.Struct):
    pitches: int | Unset = UNSET
    first_kickoff: Moment = UNSET
    slot_minutes: int | Unset = UNSET


class MatchMove(msgspec.Struct):
    pitch: int | Unset = UNSET
    kickoff: Moment = UNSET


@required("home_goals", "away_goals")
class ScoreIn(msgspec.Struct):
    home_goals: int | Unset = UNSET
    away_goals: int | Unset = UNSET
    home_penalties: int | None | Unset = UNSET
    away_penalties: int | None | Unset = UNSET
    home_cards: int | None | Unset = UNSET
    away_cards: int | None | Unset = UNSET
    reason: str | None | Unset = UNSET


@required("group")
class LotsIn(msgspec.Struct):
    group: str | Unset = UNSET
    seed: int | None | Unset = UNSET


def team_body(data: TeamIn) -> dict[str, Any]:
    """The team as a plain mapping, its players too, with only the fields the client sent."""
    body = {f: v for f in data.__struct_fields__ if (v := getattr(data, f)) is not UNSET and f != "players"}
    players = data.players if data.players is not UNSET else []
    body["players"] = [
        {f: v for f in p.__struct_fields__ if (v := getattr(p, f)) is not UNSET}
        for p in players  # type: ignore[union-attr]
    ]
    return body
