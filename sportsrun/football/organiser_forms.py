"""The organiser's division pages: form fields to the services' values and back, and what the division's
page shows (teams with the captains' contacts, the recorded draw, matches, standings, the bracket)."""

import datetime as dt
import re
from typing import Any

from sportsrun.accounts.services import list_users
from sportsrun.core.errors import FieldError, InvalidInput
from sportsrun.core.i18n import gettext as _
from sportsrun.core.text.characters import western_digits
from sportsrun.events.provinces import province_names
from sportsrun.football import bracket, matches, queries, rankings, services
from sportsrun.football.schedule import groups_of
from sportsrun.football.services import local_iso, lots_of

IRAQ = "+03:00"  # datetime-local fields are Iraq time, as on the race form
DIVISION_FIELDS = ("name", "name_ar", "name_ckb", "name_en", "gender", "max_age", "squad_min", "squad_max",
                   "max_teams", "registration_closes_at", "qualifiers_per_group", "third_place_match")  # fmt: skip


def local(value: str | None) -> str:
    """An ISO date-time with offset as a datetime-local input shows it (Iraq time)."""
    return value[:16] if value else ""


def with_offset(value: str | None) -> str | None:
    value = western_digits(value or "").strip()
    return f"{value}{IRAQ}" if value else None


def division_to_form(division: dict) -> dict:
    values = {k: division[k] for k in DIVISION_FIELDS}
    values["max_age"] = "" if division["max_age"] is None else division["max_age"]
    values["registration_closes_at"] = local(division["registration_closes_at"])
    values["third_place_match"] = "on" if division["third_place_match"] else "off"
    values["qualifiers_per_group"] = str(division["qualifiers_per_group"])
    return {k: "" if v is None else str(v) for k, v in values.items()}


def division_from_form(values: dict, shown: dict | None = None) -> dict:
    """The services' fields from the form. When editing (`shown` is what the form showed), a field left as
    it was is not sent: a closing time shown to the minute must not count as a change after the draw."""
    data = {k: values.get(k, "") for k in DIVISION_FIELDS}
    if shown is not None:
        data = {k: v for k, v in data.items() if v != shown.get(k)}
    if "registration_closes_at" in data:
        data["registration_closes_at"] = with_offset(data["registration_closes_at"])
    return data


def read_pots(text: str) -> list[list[int]] | None:
    """One pot per line, its teams' numbers separated by commas or spaces."""
    pots = []
    for line in western_digits(text or "").splitlines():
        parts = [p for p in re.split(r"[\s,،;]+", line) if p]
        if not parts:
            continue
        if not all(p.isdigit() and p.isascii() for p in parts):
            raise InvalidInput(
                [FieldError("pots", _("Write each pot on its own line: team numbers separated by commas."))]
            )
        pots.append([int(p) for p in parts])
    return pots or None


def draw_from_form(values: dict) -> dict:
    return {"groups": values.get("groups"), "seed": values.get("seed"), "pots": read_pots(values.get("pots", ""))}


def fixtures_from_form(values: dict) -> dict:
    return {"pitches": values.get("pitches"), "first_kickoff": with_offset(values.get("first_kickoff")),
            "slot_minutes": values.get("slot_minutes")}  # fmt: skip


def move_from_form(values: dict) -> dict:
    data: dict[str, Any] = {}
    if (values.get("pitch") or "").strip():
        data["pitch"] = values["pitch"]
    if (values.get("kickoff") or "").strip():
        data["kickoff"] = with_offset(values["kickoff"])
    return data


def move_errors(exc: InvalidInput, match_id: int) -> InvalidInput:
    """The move forms repeat per match: their fields' ids end with the match's id."""
    return InvalidInput([FieldError(f"{e.field}-{match_id}", e.message) for e in exc.errors], exc.detail)


def with_round_names(listed: list[dict], knockout: dict | None) -> list[dict]:
    """Each knockout match with its round's name (the third-place match is in no round)."""
    round_of = {m["id"]: r["name"] for r in (knockout or {}).get("rounds", []) for m in r["matches"]}
    for m in listed:
        m["round_name"] = round_of.get(m["id"], "third_place")
    return listed


async def _teams(division_id: int) -> list[dict]:
    teams = await queries.teams_of(division_id)
    players = await queries.players_of([t["id"] for t in teams])
    for team in teams:
        squad = [p for p in players if p["team"] == team["id"]]
        team["players"] = len(squad)
        team["another_person"] = [p for p in squad if p["another_person"]]
    return teams


async def _user_emails() -> dict[int, str]:
    return {u["id"]: u["email"] for u in await list_users()}


async def division_page(division_id: int) -> dict:
    """Everything the organiser's division page shows."""
    division = await services.get_division(division_id, public=False)
    row = await services.load(division_id)
    teams = await _teams(division_id)
    names = {t["id"]: t["name"] for t in teams}
    emails = await _user_emails() if row["drawn_by"] or row["lots"] else {}
    all_matches = (await matches.division_matches(division_id, public=False))["matches"]
    standings = (await rankings.standings(division_id, public=False))["groups"]
    lots = lots_of(row)
    knockout = await bracket.bracket(division_id, public=False) if row["has_bracket"] else None
    with_round_names(all_matches, knockout)
    for group in standings:
        group["needs_lots"] = any(r["level_with_next"] for r in group["rows"])
        drawn = lots.get(group["name"])
        group["lots"] = drawn and {
            "seed": drawn["seed"],
            "at": local_iso(dt.datetime.fromisoformat(drawn["at"])),  # stored as text in the lots JSON
            "by": emails.get(drawn["by"], ""),
        }
    return {
        "division": division,
        "teams": teams,
        "registered": [t for t in teams if t["status"] == "registered"],
        "waitlisted": [t for t in teams if t["status"] == "waitlisted"],
        "groups": [{"name": g, "teams": [names.get(t, "") for t in ids]} for g, ids in groups_of(teams).items()],
        "draw": None if row["draw_seed"] is None else {
            "seed": row["draw_seed"], "at": local_iso(row["drawn_at"]), "by": emails.get(row["drawn_by"], "")},
        "layout": {"pitches": row["pitches"], "first_kickoff": local_iso(row["first_kickoff"]),
                   "slot_minutes": row["slot_minutes"]},
        "matches": all_matches,
        "has_group_matches": any(m["stage"] == "group" for m in all_matches),
        "standings": standings,
        "bracket": knockout,
        "has_bracket": bool(row["has_bracket"]),
        "province_names": await province_names(),
        "event_date": row["event_date"].isoformat(),
    }  # fmt: skip
