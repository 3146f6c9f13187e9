from litestar import Controller, Request, get, post
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from sportsrun.core.api import PathCode, PathId
from sportsrun.core.auth import client_address
from sportsrun.core.errors import Conflict, InvalidInput
from sportsrun.core.pages import NO_STORE, page, see_other
from sportsrun.events.provinces import provinces
from sportsrun.events.races import load_race
from sportsrun.registration import services

Form = URLEncodedBody[dict[str, str]]


async def _form(
    request: Request,
    race_id: PathId,
    values: dict,
    errors: InvalidInput | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> Template:
    race = await load_race(race_id, public=True)
    return page(
        request,
        "registration/form.html",
        status_code=status_code,
        race=race.to_json(),
        provinces=await provinces(),
        values=values,
        errors=errors,
        problem=problem,
    )


class RegistrationPages(Controller):
    include_in_schema = False

    @get("/races/{race_id:int}/register")
    async def form(self, request: Request, race_id: PathId) -> Template:
        return await _form(request, race_id, {})

    @post("/races/{race_id:int}/register")
    async def submit(self, request: Request, race_id: PathId, data: Form) -> Template | Redirect:
        values = {k: v for k, v in data.items() if k != "_csrf_token"}
        try:
            await services.check_rate(client_address(request))
            result = await services.register(race_id, values)
        except InvalidInput as exc:
            return await _form(request, race_id, values, errors=exc, status_code=422)
        except Conflict as exc:
            return await _form(request, race_id, values, problem=exc.detail, status_code=409)
        return see_other(f"/registrations/{result['code']}?new=1")

    @get("/registrations/{code:str}")
    async def own(self, request: Request, code: PathCode, new: FromQuery[bool] = False) -> Template:
        registration = await services.get_own(code)
        return page(request, "registration/own.html", headers=NO_STORE, registration=registration, code=code, new=new)

    @post("/registrations/{code:str}/cancel")
    async def cancel(self, code: PathCode) -> Redirect:
        await services.cancel_own(code)
        return see_other(f"/registrations/{code}")
