from piccolo.columns import JSON, Boolean, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from sportsrun.accounts.tables import User
from sportsrun.events.tables import Event, Province

TEAM_STATUSES = ("registered", "waitlisted", "withdrawn")
MATCH_STATUSES = ("scheduled", "played", "bye")


class Division(Table):
    """A championship of one event: who may play, squad sizes, the window, and how far it has come."""

    event = ForeignKey(Event, null=False)
    name = Varchar(length=100)
    name_ar = Varchar(length=100, null=True, default=None)
    name_ckb = Varchar(length=100, null=True, default=None)
    name_en = Varchar(length=100, null=True, default=None)
    gender = Varchar(length=6)  # women | men | mixed
    max_age = Integer(null=True, default=None)
    squad_min = Integer()
    squad_max = Integer()
    max_teams = Integer()
    registration_closes_at = Timestamptz()
    qualifiers_per_group = Integer(default=2)
    third_place_match = Boolean(default=False)
    # The recorded draw (PRODUCT.md: who, when, seed); null until drawn.
    draw_seed = Integer(null=True, default=None)
    drawn_at = Timestamptz(null=True, default=None)
    drawn_by = ForeignKey(User, null=True)
    # The day's layout, kept so that knockout rounds follow the last group slot on the same pitches.
    pitches = Integer(null=True, default=None)
    first_kickoff = Timestamptz(null=True, default=None)
    slot_minutes = Integer(null=True, default=None)
    # Recorded drawings of lots: {"A": {"seed": 5, "order": [team ids], "by": user id, "at": iso}}.
    lots = JSON(default="{}")
    has_bracket = Boolean(default=False)
    champion_team = Integer(null=True, default=None)
    # Bumped by every change anything public shows: the pages' caches key on it.
    version = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())


class Team(Table):
    division = ForeignKey(Division, null=False, index=True)
    name = Varchar(length=100)
    # The folded name: team names are unique in a division up to Arabic spelling variants and case.
    name_key = Varchar(length=100)
    province = ForeignKey(Province, null=False)
    captain_name = Varchar(length=200)
    captain_phone = Varchar(length=20)
    guardian_consent = Boolean(default=False)
    # SHA-256 of the captain's secret code; the code is shown once.
    code_hash = Varchar(length=64, unique=True)
    status = Varchar(length=12)
    group_name = Varchar(length=2, null=True, default=None)
    withdrawn_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class Player(Table):
    """A squad member. `division` is repeated here so that "one squad per person per division" is one
    indexed lookup (birth date with folded name), as runners' duplicates are."""

    team = ForeignKey(Team, null=False, index=True)
    division = Integer(index=True)
    given_name = Varchar(length=100)
    family_name = Varchar(length=100)
    name_key = Varchar(length=210)
    birth_date = Date()
    shirt_number = Integer()
    gender = Varchar(length=6, null=True, default=None)
    # The captain says this is another person than a namesake born the same day: flagged for the organiser.
    another_person = Boolean(default=False)


class Match(Table):
    division = ForeignKey(Division, null=False, index=True)
    stage = Varchar(length=8)  # group | knockout
    group_name = Varchar(length=2, null=True, default=None)
    round = Integer()
    # Knockout: place in its round (bracket order); the third-place match has round 0.
    position = Integer(default=0)
    home_team = Integer(null=True, default=None)
    away_team = Integer(null=True, default=None)
    home_from = Varchar(length=40, null=True, default=None)
    away_from = Varchar(length=40, null=True, default=None)
    pitch = Integer()
    kickoff = Timestamptz()
    status = Varchar(length=10, default="scheduled")
    home_goals = Integer(null=True, default=None)
    away_goals = Integer(null=True, default=None)
    home_penalties = Integer(null=True, default=None)
    away_penalties = Integer(null=True, default=None)
    home_cards = Integer(null=True, default=None)
    away_cards = Integer(null=True, default=None)
    scored_at = Timestamptz(null=True, default=None)


class ScoreChange(Table):
    """Every score written to a match (who, when, before and after): the public correction log."""

    division = ForeignKey(Division, null=False, index=True)
    match = Integer()
    at = Timestamptz(default=TimestamptzNow())
    user = ForeignKey(User, null=True)
    before = JSON(default="null")
    after = JSON(default="null")
    reason = Text(default="")
