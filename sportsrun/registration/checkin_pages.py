"""The volunteer's check-in at bib pickup: a phone page with one big bib field, light on a poor line."""

import datetime as dt

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery

from sportsrun.accounts.guards import page_requires
from sportsrun.core.errors import Conflict, NotFound
from sportsrun.core.validation import to_int
from sportsrun.core.web.forms import NO_STORE, see_other
from sportsrun.core.web.params import PathId
from sportsrun.core.web.templating import is_htmx, render
from sportsrun.events.services import list_events, load_race, with_races
from sportsrun.registration import checkin as services


async def _count(request: Request, race_id: int) -> dict:
    """The race's check-in count; an htmx answer carries it out of band, to replace the one under the title."""
    return {"progress": await services.progress(race_id), "count_out_of_band": is_htmx(request)}


class CheckInPages(Controller):
    path = "/volunteer"
    include_in_schema = False
    guards = [page_requires("volunteer")]

    @get("/")
    async def races(self, request: Request) -> Response:
        since = (dt.date.today() - dt.timedelta(days=2)).isoformat()
        events = await with_races([e for e in await list_events(include_unpublished=True) if e["date"] >= since])
        return render(request, "volunteer/races.html", headers=NO_STORE, events=events)

    @get("/races/{race_id:int}")
    async def check_in_page(self, request: Request, race_id: PathId, bib: FromQuery[str] = "") -> Response:
        race = await load_race(race_id)
        runner, problem = None, None
        if bib.strip():
            number = to_int(bib)
            try:
                if number is None or number < 1 or number > 2_147_483_647:
                    raise NotFound("")
                runner = await services.lookup(race_id, number)
            except NotFound:
                problem = bib  # an answer to show, not an error: the volunteer types the next bib
        return render(request, "volunteer/check_in.html", block="card", headers=NO_STORE, race=race.to_json(),
                      runner=runner, not_found=problem, bib=bib, **await _count(request, race_id))  # fmt: skip

    @post("/races/{race_id:int}/bibs/{bib:int}/check-in")
    async def check_in(self, request: Request, race_id: PathId, bib: PathId) -> Response:
        race = await load_race(race_id)
        problem = None
        try:
            runner = await services.check_in(race_id, bib)
        except Conflict as exc:
            runner, problem = await services.lookup(race_id, bib), exc.detail
        if request.headers.get("hx-request") != "true" and problem is None:
            return see_other(f"/volunteer/races/{race_id}?bib={bib}")
        return render(request, "volunteer/check_in.html", block="card", status_code=409 if problem else 200,
                      headers=NO_STORE, race=race.to_json(), runner=runner, problem=problem, bib=str(bib),
                      just_checked_in=problem is None, **await _count(request, race_id))  # fmt: skip
