"""Scores from the pitch side: always the whole score, so a resent form changes nothing; every change
recorded for the public correction log; a knockout winner moved on at once."""

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict, FieldError, InvalidInput, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.validation import Fields
from sportsrun.football import queries
from sportsrun.football.knockout import winner
from sportsrun.football.matches import match_json, team_names
from sportsrun.football.services import load, local_iso

SCORE_FIELDS = ("home_goals", "away_goals", "home_penalties", "away_penalties", "home_cards", "away_cards")


def read_score(data: Mapping[str, Any], knockout: bool) -> dict[str, int | None]:
    fields = Fields(data)
    score: dict[str, int | None] = {}
    for name in SCORE_FIELDS:
        value = fields.integer(name, required=name.endswith("goals"), minimum=0, maximum=99)
        score[name] = value if value is not None or "penalties" in name else 0
    fields.text("reason", max_length=300)
    fields.raise_if_any()
    has_penalties = score["home_penalties"] is not None or score["away_penalties"] is not None
    drawn = score["home_goals"] == score["away_goals"]
    if not knockout and has_penalties:
        raise InvalidInput([FieldError("home_penalties", _("A group match has no penalties."))])
    if knockout and not drawn and has_penalties:
        raise InvalidInput([FieldError("home_penalties", _("Penalties decide only a drawn match."))])
    if knockout and drawn and winner(score["home_goals"], score["away_goals"], score["home_penalties"],  # type: ignore[arg-type]
                                     score["away_penalties"]) is None:  # fmt: skip
        raise InvalidInput([FieldError("home_penalties", _("A drawn knockout match needs a penalty winner."))])
    return score


def _score_of(match: Mapping[str, Any]) -> dict | None:
    return None if match["scored_at"] is None else {k: match[k] for k in SCORE_FIELDS}


def _next_match(knockout: list[dict], match: Mapping[str, Any]) -> dict | None:
    return next((m for m in knockout if m["round"] == match["round"] + 1 and m["position"] == match["position"] // 2),
                None)  # fmt: skip


def _third_place(knockout: list[dict]) -> dict | None:
    return next((m for m in knockout if m["round"] == 0), None)


async def move_on(division_id: int, knockout: list[dict], match: Mapping[str, Any], winning: int | None,
                  losing: int | None) -> None:  # fmt: skip
    """The winner goes into the next match at once (the semi-finals' losers into the third-place match);
    the final's winner is the champion. `knockout`: the division's knockout matches."""
    side = "home_team" if match["position"] % 2 == 0 else "away_team"
    following = _next_match(knockout, match) if match["round"] > 0 else None
    if following is not None:
        await queries.update_match(following["id"], {side: winning})
        third = _third_place(knockout)
        if third is not None and following["round"] == max(m["round"] for m in knockout):
            await queries.update_match(third["id"], {side: losing})
    elif match["round"] > 0:
        await queries.update_division(division_id, {"champion_team": winning})


def _feeders(match: Mapping[str, Any]) -> set[int]:
    """The matches whose winner (or loser) plays in `match`, from its "winner of 12" sources."""
    return {int(s.rsplit(" ", 1)[1]) for s in (match["home_from"], match["away_from"]) if s and s[-1].isdigit()
            and " of " in s}  # fmt: skip


async def enter_score(match_id: int, data: Mapping[str, Any], user_id: int, *, now: dt.datetime | None = None) -> dict:
    now = now or dt.datetime.now(dt.UTC)
    async with write_transaction():
        match = await queries.match_row(match_id, lock=True)
        if match is None:
            raise NotFound(_("No such match."))
        division = await load(match["division"], lock=True)
        knockout = match["stage"] == "knockout"
        score = read_score(data, knockout)
        if match["status"] == "bye" or match["home_team"] is None or match["away_team"] is None:
            raise Conflict(_("This match has no opponents yet."))
        if not knockout and division["has_bracket"]:
            raise Conflict(_("The knockout bracket exists: group results can no longer change."))
        bracket = await queries.matches_of(division["id"], "knockout") if knockout else []
        if knockout and match["round"] > 0:
            following = _next_match(bracket, match)
            third = _third_place(bracket) if following is not None else None
            fed = [m for m in (following, third) if m is not None and match["id"] in _feeders(m)]
            if any(m["scored_at"] is not None for m in fed):
                raise Conflict(_("The next match already has a score: this result can no longer change."))
        before = _score_of(match)
        if before == score:
            return match_json(match, await team_names(division["id"]))  # a resent form: nothing to record
        await queries.update_match(match_id, {**score, "status": "played", "scored_at": now})
        await queries.insert_change(
            {"division": division["id"], "match": match_id, "at": now, "user": user_id, "before": json.dumps(before),
             "after": json.dumps(score), "reason": (data.get("reason") or "").strip()}
        )  # fmt: skip
        if knockout:
            side = winner(score["home_goals"], score["away_goals"], score["home_penalties"], score["away_penalties"])  # type: ignore[arg-type]
            teams = (match["home_team"], match["away_team"])
            winning, losing = teams if side == "home" else teams[::-1]
            await move_on(division["id"], bracket, match, winning, losing)
        await queries.touch(division["id"])
        row = await queries.match_row(match_id)
    return match_json(row, await team_names(division["id"]))  # type: ignore[arg-type]


def _describe(score: Mapping[str, Any] | None) -> str:
    if score is None:
        return "–"
    text = f"{score['home_goals']}–{score['away_goals']}"
    if score.get("home_penalties") is not None:
        text += f" ({score['home_penalties']}–{score['away_penalties']})"
    return text + f" [{score.get('home_cards') or 0}–{score.get('away_cards') or 0}]"


async def corrections(division_id: int) -> list[dict]:
    """Every score written, newest first: when, which match, what changed (goals, penalties, [cards])."""
    await load(division_id, public=True)
    out = []
    for row in await queries.changes_of(division_id):
        before = json.loads(row["before"]) if isinstance(row["before"], str) else row["before"]
        after = json.loads(row["after"]) if isinstance(row["after"], str) else row["after"]
        change = f"{_describe(before)} → {_describe(after)}"
        out.append({"at": local_iso(row["at"]), "match_id": row["match"], "change": change,
                    "before": before, "after": after, "reason": row["reason"] or None})  # fmt: skip
    return out
