"""What the mini-football API answers, as the OpenAPI schema shows it (the handlers build plain dicts of these
shapes; the request bodies are in `football.schemas`)."""

import datetime as dt
from typing import Literal, NotRequired, TypedDict

TeamStatus = Literal["registered", "waitlisted"]


class Match(TypedDict):
    id: int
    division_id: int
    stage: Literal["group", "knockout"]
    group: str | None
    round: int
    home_team_id: int | None
    away_team_id: int | None
    home_team: str | None
    away_team: str | None
    pitch: int
    kickoff: dt.datetime
    status: Literal["scheduled", "played", "bye"]
    home_goals: int | None
    away_goals: int | None
    home_penalties: int | None
    away_penalties: int | None
    home_cards: int | None
    away_cards: int | None
    home_from: str | None
    away_from: str | None


class Matches(TypedDict):
    matches: list[Match]


class DivisionTeam(TypedDict):
    id: int
    name: str
    province: str
    status: TeamStatus
    group: NotRequired[str | None]


class Division(TypedDict):
    id: int
    event_id: int
    name: str
    name_ar: NotRequired[str | None]
    name_ckb: NotRequired[str | None]
    name_en: NotRequired[str | None]
    gender: Literal["women", "men", "mixed"]
    max_age: int | None
    squad_min: int
    squad_max: int
    max_teams: int
    registration_closes_at: dt.datetime
    qualifiers_per_group: Literal[1, 2]
    third_place_match: bool
    stage: Literal["registration", "drawn", "groups", "knockout", "finished"]
    registration_open: bool
    event_name: str
    champion_team_id: int | None
    teams: list[DivisionTeam]


class TeamRegistered(TypedDict):
    id: int
    code: str
    status: TeamStatus
    division_id: int


class OwnPlayer(TypedDict):
    given_name: str
    family_name: str
    birth_date: dt.date
    shirt_number: int
    gender: Literal["female", "male"] | None
    another_person: bool


class OwnTeam(TypedDict):
    """The captain's team, personal data included: the code is its secret."""

    id: int
    division_id: int
    division: str
    name: str
    province: str
    captain_name: str
    captain_phone: str
    guardian_consent: bool
    status: TeamStatus
    editable: bool
    players: list[OwnPlayer]


class PublicPlayer(TypedDict):
    name: str
    shirt_number: int


class Team(TypedDict):
    id: int
    division_id: int
    name: str
    province: str
    status: TeamStatus
    group: str | None
    players: list[PublicPlayer]
    matches: list[Match]


class DrawnGroup(TypedDict):
    name: str
    team_ids: list[int]


class Draw(TypedDict):
    groups: list[DrawnGroup]
    seed: int


class StandingRow(TypedDict):
    rank: int
    team_id: int
    team: str
    played: int
    won: int
    drawn: int
    lost: int
    goals_for: int
    goals_against: int
    goal_difference: int
    points: int
    cards: int
    tiebreak: Literal["head_to_head", "fair_play", "lots"] | None
    level_with_next: bool


class GroupTable(TypedDict):
    name: str
    rows: list[StandingRow]


class GroupStandings(TypedDict):
    groups: list[GroupTable]


class BracketMatch(Match):
    position: int


class Round(TypedDict):
    """`name`: `final`, `semi_final`, `quarter_final`, then `round_of_16`, `round_of_32` … by the places left."""

    name: str
    matches: list[BracketMatch]


class Bracket(TypedDict):
    """One group with one qualifier: no rounds, the group winner is the champion."""

    rounds: list[Round]
    third_place: BracketMatch | None
    champion_team_id: int | None
    champion: str | None


class Score(TypedDict):
    home_goals: int
    away_goals: int
    home_penalties: int | None
    away_penalties: int | None
    home_cards: int
    away_cards: int


class ScoreCorrection(TypedDict):
    at: dt.datetime
    match_id: int
    change: str
    before: Score | None
    after: Score
    reason: str | None


class FairPlay(TypedDict):
    team_id: int
    team: str
    matches: int
    cards: int
    cards_per_match: float
    rank: int
