"""The organiser resolving a flagged registration from the registrations page: keep it (the flag is
cleared) or cancel it as a real duplicate. A plain form post; htmx swaps the row."""

from litestar import Controller, Request, Response, post
from litestar.params import URLEncodedBody
from litestar.response import Redirect

from sportsrun.accounts.guards import page_requires, signed_in
from sportsrun.core.errors import Conflict, InvalidInput
from sportsrun.core.web.forms import NO_STORE, see_other
from sportsrun.core.web.params import PathId
from sportsrun.core.web.templating import render
from sportsrun.events import services as events
from sportsrun.events.provinces import province_names
from sportsrun.registration import flags, organiser


class FlagPages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [page_requires("organiser")]

    @post("/registrations/{registration_id:int}/flag")
    async def resolve(self, request: Request, registration_id: PathId,
                      data: URLEncodedBody[dict[str, str]]) -> Response | Redirect:  # fmt: skip
        problem = None
        try:
            await flags.resolve(registration_id, data.get("decision"), signed_in(request).id)
        except (InvalidInput, Conflict) as exc:
            problem = exc.errors[0].message if isinstance(exc, InvalidInput) and exc.errors else exc.detail
        row = await organiser.organiser_row(registration_id)
        if request.headers.get("hx-request") != "true":
            if problem is None:
                return see_other(f"/organiser/races/{row['race_id']}/registrations?status=flagged")
            race = await events.load_race(row["race_id"])
            return render(request, "organiser/registrations.html", status_code=409, headers=NO_STORE,
                          race=race.to_json(), found={"total": 1, "items": [row]}, q="", status="", page=1,
                          pages=1, problem=problem, problem_row=registration_id,
                          province_names=await province_names())  # fmt: skip
        return render(request, "organiser/_registration_row.html", status_code=409 if problem else 200,
                      headers=NO_STORE, r=row, problem=problem, province_names=await province_names())  # fmt: skip
