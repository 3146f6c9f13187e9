"""The volunteer's check-in at bib pickup: a phone page with a QR scanner (the runner's check-in QR), one big
bib field and a search by name, light on a poor line. Only this page may use the camera."""

import datetime as dt

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, URLEncodedBody

from sportsrun.accounts.guards import page_requires
from sportsrun.core.errors import Conflict, NotFound
from sportsrun.core.validation import to_int
from sportsrun.core.web.forms import NO_STORE, see_other
from sportsrun.core.web.params import PathId
from sportsrun.core.web.security_headers import CAMERA_ALLOWED
from sportsrun.core.web.templating import is_htmx, render
from sportsrun.events.services import list_events, load_race, with_races
from sportsrun.registration import checkin as services

SCANNER_PAGE = {**NO_STORE, **CAMERA_ALLOWED}


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
    async def check_in_page(self, request: Request, race_id: PathId, bib: FromQuery[str] = "",
                            name: FromQuery[str] = "") -> Response:  # fmt: skip
        race = await load_race(race_id)
        runner, problem, matches = None, None, None
        if bib.strip():
            number = to_int(bib)
            try:
                if number is None or number < 1 or number > 2_147_483_647:
                    raise NotFound("")
                runner = await services.lookup(race_id, number)
            except NotFound:
                problem = bib  # an answer to show, not an error: the volunteer types the next bib
        elif name.strip():
            matches = await services.search_by_name(race_id, name[:100])
        return render(request, "volunteer/check_in.html", block="card", headers=SCANNER_PAGE, race=race.to_json(),
                      runner=runner, not_found=problem, bib=bib, name=name, matches=matches,
                      **await _count(request, race_id))  # fmt: skip

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
                      headers=SCANNER_PAGE, race=race.to_json(), runner=runner, problem=problem, bib=str(bib),
                      just_checked_in=problem is None, **await _count(request, race_id))  # fmt: skip

    @post("/races/{race_id:int}/check-ins")
    async def scan(self, request: Request, race_id: PathId, data: URLEncodedBody[dict[str, str]]) -> Response:
        """A scanned check-in QR (the scanner's script, or a handheld scanner typing into the field): the runner
        checked in at once, or told why not. Answered with the page (or its card), not a redirect: a second scan
        of the same QR must say "already checked in"."""
        race = await load_race(race_id)
        scanned = (data.get("token") or "")[:200]
        runner, problem, unknown, just_checked_in = None, None, False, False
        try:
            runner, just_checked_in = await services.scan(race_id, scanned)
        except NotFound:
            unknown = True  # an answer to show (200), as an unknown bib is: the volunteer scans the next runner
        except Conflict as exc:
            problem = exc.detail
            try:
                runner = await services.lookup_by_token(race_id, scanned)
            except Conflict:
                runner = None  # another race's runner: the message says which race
        return render(request, "volunteer/check_in.html", block="card", status_code=409 if problem else 200,
                      headers=SCANNER_PAGE, race=race.to_json(), runner=runner, problem=problem,
                      unknown_token=unknown, just_checked_in=just_checked_in, scanned=True,
                      **await _count(request, race_id))  # fmt: skip
