"""The volunteer's score entry at the pitch side: a phone page per pitch, the next match first. Every form
sends the whole score (goals and cards absolute), so a form sent twice changes nothing."""

import datetime as dt

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect

from sportsrun.accounts.guards import page_requires, signed_in
from sportsrun.core.errors import Conflict, InvalidInput, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web.forms import NO_STORE, form_values, see_other
from sportsrun.core.web.params import PathId
from sportsrun.core.web.templating import is_htmx, render
from sportsrun.events.services import list_events
from sportsrun.football import bracket, queries, scores, services
from sportsrun.football.matches import match_json, team_names
from sportsrun.football.organiser_forms import with_round_names

Form = URLEncodedBody[dict[str, str]]
SENT = (*scores.SCORE_FIELDS, "reason")
CARD = "football/volunteer/_match.html"  # one match's form: what htmx swaps after a save


def is_open(match: dict) -> bool:
    """A match a score can be entered for: both teams known, not a bye."""
    return match["status"] != "bye" and match["home_team_id"] is not None and match["away_team_id"] is not None


async def _matches(division_id: int, has_bracket: bool) -> list[dict]:
    names = await team_names(division_id)
    listed = [match_json(m, names) for m in await queries.matches_of(division_id)]
    return with_round_names(listed, await bracket.bracket(division_id, public=False) if has_bracket else None)


async def _one(row: dict) -> dict:
    listed = await _matches(row["division"], row["stage"] == "knockout")
    return next(m for m in listed if m["id"] == row["id"])


async def _pitch(division_id: int, pitch: int) -> dict:
    division = await services.get_division(division_id, public=False)
    listed = await _matches(division_id, division["stage"] in ("knockout", "finished"))
    pitches = sorted({m["pitch"] for m in listed if m["status"] != "bye"})
    if pitch not in pitches:
        raise NotFound(_("No matches on this pitch."))
    here = [m for m in listed if m["pitch"] == pitch and m["status"] != "bye"]
    upcoming = next((m for m in here if is_open(m) and m["status"] == "scheduled"), None)
    return {"division": division, "pitch": pitch, "pitches": pitches, "next_match": upcoming,
            "others": [m for m in here if m is not upcoming]}  # fmt: skip


class VolunteerScorePages(Controller):
    path = "/volunteer"
    include_in_schema = False
    guards = [page_requires("volunteer")]

    @get("/divisions")
    async def divisions(self, request: Request) -> Response:
        """Divisions with fixtures, of events from two days ago on, each with its pitches."""
        since = (dt.date.today() - dt.timedelta(days=2)).isoformat()
        events = {e["id"]: e for e in await list_events(include_unpublished=True) if e["date"] >= since}
        listed = []
        for division in await queries.divisions_of_events(list(events)):
            pitches = sorted({m["pitch"] for m in await queries.matches_of(division["id"]) if m["status"] != "bye"})
            if pitches:
                listed.append({"id": division["id"], "name": division["name"], "event": events[division["event"]],
                               "pitches": pitches})  # fmt: skip
        return render(request, "football/volunteer/divisions.html", headers=NO_STORE, divisions=listed)

    @get("/divisions/{division_id:int}/pitches/{pitch:int}")
    async def pitch(self, request: Request, division_id: PathId, pitch: PathId, saved: FromQuery[str] = "") -> Response:
        context = await _pitch(division_id, pitch)
        return render(request, "football/volunteer/pitch.html", headers=NO_STORE, **context,
                      saved=int(saved) if saved.isdigit() else None)  # fmt: skip

    @post("/matches/{match_id:int}/score")
    async def score(self, request: Request, match_id: PathId, data: Form) -> Response | Redirect:
        row = await queries.match_row(match_id)
        if row is None:
            raise NotFound(_("No such match."))
        values = form_values(data)
        sent = {k: values[k] for k in SENT if k in values}
        try:
            await scores.enter_score(match_id, sent, signed_in(request).id)
        except (InvalidInput, Conflict) as exc:
            errors = exc if isinstance(exc, InvalidInput) else InvalidInput([], detail=exc.detail)
            match = await _one(row)
            if is_htmx(request):
                return render(request, CARD, status_code=exc.status_code, headers=NO_STORE, m=match,
                              featured=values.get("featured") == "1", errors=errors, values=values)  # fmt: skip
            context = await _pitch(row["division"], row["pitch"])
            return render(request, "football/volunteer/pitch.html", status_code=exc.status_code, headers=NO_STORE,
                          **context, failed=match_id, errors=errors, values=values)  # fmt: skip
        match = await _one(row)
        if not is_htmx(request):
            return see_other(f"/volunteer/divisions/{match['division_id']}/pitches/{match['pitch']}"
                             f"?saved={match_id}#match-{match_id}")  # fmt: skip
        return render(request, CARD, headers=NO_STORE, m=match,
                      featured=values.get("featured") == "1", saved=match_id)  # fmt: skip
