"""The registrant's own fixes (the form on their page) and the lost-link page. Plain form posts with CSRF
that htmx enhances: a fix comes back as the form's block, saved or with errors beside the fields."""

from litestar import Controller, Request, Response, get, post
from litestar.params import URLEncodedBody
from litestar.response import Redirect

from sportsrun.core.errors import Conflict, InvalidInput, TooManyRequests
from sportsrun.core.web.clients import client_address
from sportsrun.core.web.forms import NO_STORE, form_values, see_other
from sportsrun.core.web.params import PathCode
from sportsrun.core.web.templating import is_htmx, render
from sportsrun.registration import changes, recovery, services
from sportsrun.registration.pages import _own_page

Form = URLEncodedBody[dict[str, str]]


async def _edit_answer(request: Request, code: str, status_code: int, edit: dict) -> Response:
    if not is_htmx(request):
        return await _own_page(request, code, status_code=status_code, edit=edit)
    registration = await services.get_own(code, client_address(request))
    return render(request, "registration/own.html", block="edit", status_code=status_code, headers=NO_STORE,
                  registration=registration, code=code, edit=edit, oob=edit.get("saved", False))  # fmt: skip


class SelfServicePages(Controller):
    include_in_schema = False

    @post("/registrations/{code:str}/edit")
    async def edit(self, request: Request, code: PathCode, data: Form) -> Response | Redirect:
        values = {k: v for k, v in form_values(data).items() if k in changes.OWN_FIELDS}
        try:
            await changes.change_own(code, values, client_address(request))
        except InvalidInput as exc:
            return await _edit_answer(request, code, 422, {"values": values, "errors": exc})
        except Conflict as exc:
            return await _edit_answer(request, code, 409, {"values": values, "problem": exc.detail})
        if is_htmx(request):
            return await _edit_answer(request, code, 200, {"saved": True})
        return see_other(f"/registrations/{code}?saved=1")

    @get("/registrations/recover")
    async def recover_form(self, request: Request) -> Response:
        return render(request, "registration/recover.html", headers=NO_STORE, values={}, errors=None)

    @post("/registrations/recover")
    async def recover(self, request: Request, data: Form) -> Response:
        values = form_values(data)
        body = {k: values.get(k) for k in ("phone", "email", "birth_date") if values.get(k)}
        try:
            answer = await recovery.request_links(body, client_address(request))
        except InvalidInput as exc:
            return render(request, "registration/recover.html", status_code=422, headers=NO_STORE, values=values,
                          errors=exc)  # fmt: skip
        except TooManyRequests as exc:
            return render(request, "registration/recover.html", status_code=429, headers=NO_STORE, values=values,
                          errors=None, problem=exc.detail)  # fmt: skip
        return render(request, "registration/recover.html", headers=NO_STORE, values={}, errors=None,
                      sent=answer["detail"])  # fmt: skip
