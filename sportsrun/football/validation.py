"""Reading a division and a team with its squad (PRODUCT.md, "Mini-football") from a JSON body or a form.

A squad is all or nothing: every player's problem is collected with its field (`players[6].birth_date`)
and a message that names the player as the captain counts them (player 7)."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sportsrun.core.errors import FieldError
from sportsrun.core.i18n import gettext as _
from sportsrun.core.localised import read_languages
from sportsrun.core.text.characters import has_letter
from sportsrun.core.text.names import fold, name_key
from sportsrun.core.text.phones import normalize_phone
from sportsrun.core.validation import Fields
from sportsrun.events.age_groups import ADULT_AGE, age_on

DIVISION_GENDERS = ("women", "men", "mixed")
PLAYER_GENDERS = ("female", "male")
# A women's division takes women players, a men's division men (PRODUCT.md).
GENDER_OF_DIVISION = {"women": "female", "men": "male"}
MAX_SQUAD = 40
MAX_TEAMS = 256


def iraq_day_start(day: dt.date) -> dt.datetime:
    """Registration closes by default when the event day begins in Iraq (UTC+3)."""
    return dt.datetime.combine(day, dt.time(0, 0), dt.timezone(dt.timedelta(hours=3)))


def read_division(data: Mapping[str, Any], current: Mapping[str, Any] | None, event_date: dt.date) -> dict:
    """The values to write; `current` is the division being changed (None when creating)."""
    fields = Fields(data)
    creating = current is None
    values: dict[str, Any] = {}

    def wanted(name: str) -> bool:
        return creating or fields.present(name)

    if wanted("name"):
        values["name"] = fields.text("name", required=True, max_length=100)
    values.update(read_languages(fields, "name", 100))
    if wanted("gender"):
        values["gender"] = fields.choice("gender", DIVISION_GENDERS, required=True)
    if wanted("max_age"):
        values["max_age"] = fields.integer("max_age", minimum=5, maximum=99)
    if wanted("squad_min"):
        values["squad_min"] = fields.integer("squad_min", required=True, minimum=1, maximum=MAX_SQUAD)
    if wanted("squad_max"):
        values["squad_max"] = fields.integer("squad_max", required=True, minimum=1, maximum=MAX_SQUAD)
    if wanted("max_teams"):
        values["max_teams"] = fields.integer("max_teams", required=True, minimum=2, maximum=MAX_TEAMS)
    if wanted("registration_closes_at"):
        values["registration_closes_at"] = fields.datetime("registration_closes_at") or iraq_day_start(event_date)
    if wanted("qualifiers_per_group"):
        values["qualifiers_per_group"] = fields.integer("qualifiers_per_group", minimum=1, maximum=2) or 2
    if wanted("third_place_match"):
        values["third_place_match"] = fields.boolean("third_place_match")
    low = values.get("squad_min", current and current["squad_min"])
    high = values.get("squad_max", current and current["squad_max"])
    if low is not None and high is not None and low > high and not fields.has_error("squad_max"):
        fields.error("squad_max", _("The largest squad cannot be smaller than the smallest."))
    fields.raise_if_any()
    return values


@dataclass(frozen=True, slots=True)
class PlayerInput:
    given_name: str
    family_name: str
    name_key: str
    birth_date: dt.date
    shirt_number: int
    gender: str | None
    another_person: bool


@dataclass(frozen=True, slots=True)
class TeamInput:
    name: str
    name_key: str
    province: str
    captain_name: str
    captain_phone: str
    guardian_consent: bool
    players: tuple[PlayerInput, ...]


@dataclass(frozen=True, slots=True)
class DivisionRules:
    gender: str
    max_age: int | None
    squad_min: int
    squad_max: int
    event_date: dt.date


def _read_player(raw: Any, index: int, rules: DivisionRules, fields: Fields, today: dt.date) -> PlayerInput | None:
    at = f"players[{index}]"
    number = index + 1
    if not isinstance(raw, Mapping):
        fields.error(at, _("Player {n}: enter the player's details.", n=number))
        return None
    player = Fields(raw)
    given = player.text("given_name", required=True, max_length=100)
    family = player.text("family_name", required=True, max_length=100)
    for key, value in (("given_name", given), ("family_name", family)):
        if value is not None and not has_letter(value):
            player.error(key, _("Enter a name with letters."))
    birth = player.date("birth_date", required=True)
    if birth is not None and (birth > today or birth.year < 1900):
        player.error("birth_date", _("Enter a real date of birth."))
    elif birth is not None and rules.max_age is not None and age_on(birth, rules.event_date) > rules.max_age:
        player.error("birth_date", _("Too old for this division: at most {n} years on the event day.", n=rules.max_age))
    shirt = player.integer("shirt_number", required=True, minimum=1, maximum=99)
    gender = player.choice("gender", PLAYER_GENDERS) or GENDER_OF_DIVISION.get(rules.gender)
    needed = GENDER_OF_DIVISION.get(rules.gender)
    if needed and gender != needed and not player.has_error("gender"):
        player.error(
            "gender", _("This division is for women.") if needed == "female" else _("This division is for men.")
        )
    another = player.boolean("another_person")
    for error in player.errors:
        fields.error(f"{at}.{error.field}", _("Player {n}: {problem}", n=number, problem=error.message))
    if player.errors:
        return None
    return PlayerInput(given, family, name_key(given, family), birth, shirt, gender, another)  # type: ignore[arg-type]


def read_team(
    data: Mapping[str, Any], rules: DivisionRules, provinces: frozenset[str], today: dt.date
) -> tuple[TeamInput | None, Fields]:
    fields = Fields(data)
    name = fields.text("name", required=True, max_length=100)
    if name is not None and not has_letter(name) and not any(c.isdigit() for c in name):
        fields.error("name", _("Enter the team's name."))
    province = fields.text("province", required=True, max_length=8)
    if province is not None and province not in provinces:
        fields.error("province", _("Choose a province from the list."))
    captain = fields.text("captain_name", required=True, max_length=200)
    raw_phone = fields.text("captain_phone", required=True, max_length=40)
    phone = normalize_phone(raw_phone) if raw_phone else None
    if raw_phone and phone is None:
        fields.error("captain_phone", _("Enter a phone number, e.g. 0770 123 4567 or +964 770 123 4567."))
    consent = fields.boolean("guardian_consent")
    raw_players = data.get("players")
    if not isinstance(raw_players, list):
        raw_players = []
    players = [_read_player(raw, i, rules, fields, today) for i, raw in enumerate(raw_players)]
    _check_squad(players, rules, fields)
    if not consent and any(p and age_on(p.birth_date, rules.event_date) < ADULT_AGE for p in players):
        fields.error("guardian_consent", _("A player is under 18: confirm that a parent or guardian agreed."))
    if fields.errors:
        return None, fields
    team = TeamInput(name, fold(name), province, captain, phone, consent, tuple(players))  # type: ignore[arg-type]
    return team, fields


def _check_squad(players: list[PlayerInput | None], rules: DivisionRules, fields: Fields) -> None:
    count = len(players)
    if not rules.squad_min <= count <= rules.squad_max:
        fields.error(
            "players",
            _(
                "A squad has {low} to {high} players; this one has {n}.",
                low=rules.squad_min,
                high=rules.squad_max,
                n=count,
            ),
        )
    shirts: dict[int, int] = {}
    people: dict[tuple, int] = {}
    for index, p in enumerate(players):
        if p is None:
            continue
        if p.shirt_number in shirts:
            fields.error(
                f"players[{index}].shirt_number",
                _(
                    "Player {n}: shirt {shirt} is already player {other}'s.",
                    n=index + 1,
                    shirt=p.shirt_number,
                    other=shirts[p.shirt_number] + 1,
                ),  # fmt: skip
            )
        shirts.setdefault(p.shirt_number, index)
        person = (p.birth_date, p.name_key)
        if person in people and not p.another_person:
            fields.error(
                f"players[{index}].given_name",
                _("Player {n}: the same person as player {other}.", n=index + 1, other=people[person] + 1),
            )
        people.setdefault(person, index)


def field_errors_for_players(errors: list[FieldError]) -> dict[int, list[str]]:
    """Messages by player index, for the page to show beside each row."""
    by_player: dict[int, list[str]] = {}
    for e in errors:
        if e.field.startswith("players["):
            index = int(e.field[len("players[") : e.field.index("]")])
            by_player.setdefault(index, []).append(e.message)
    return by_player
