from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect

from sportsrun.accounts import services, sessions
from sportsrun.accounts.guards import page_requires, page_user, signed_in
from sportsrun.accounts.tables import ROLES
from sportsrun.core.errors import Conflict, InvalidInput, TooManyRequests, Unauthorized
from sportsrun.core.web.clients import client_address
from sportsrun.core.web.forms import NO_STORE, form_values, safe_next, see_other
from sportsrun.core.web.params import PathId
from sportsrun.core.web.templating import render

Form = URLEncodedBody[dict[str, str]]


class AccountPages(Controller):
    include_in_schema = False

    @get("/login")
    async def login_form(self, request: Request, next: FromQuery[str | None] = None) -> Response:
        await page_user(request)
        return render(request, "accounts/login.html", headers=NO_STORE, next=safe_next(next), email="", problem=None)

    @post("/login")
    async def login(self, request: Request, data: Form) -> Response | Redirect:
        email, password = data.get("email", ""), data.get("password", "")
        try:
            user = await services.check_password(email, password, client_address(request))
        except (Unauthorized, TooManyRequests) as exc:
            return render(request, "accounts/login.html", status_code=exc.status_code, headers=NO_STORE,
                          next=safe_next(data.get("next")), email=email, problem=exc.detail)  # fmt: skip
        await sessions.start(request, user)
        target = data.get("next")
        if not target or safe_next(target) == "/":
            target = "/organiser" if user.can("organiser") else "/volunteer"
        return see_other(safe_next(target))

    @post("/logout")
    async def logout(self, request: Request) -> Redirect:
        await sessions.end(request)
        return see_other("/")


class UserPages(Controller):
    path = "/organiser/users"
    include_in_schema = False
    guards = [page_requires("admin")]

    async def _page(self, request: Request, status_code: int = 200, **extra) -> Response:
        return render(request, "organiser/users.html", status_code=status_code, headers=NO_STORE,
                      users=await services.list_users(), roles=ROLES, values=extra.get("values", {}),
                      errors=extra.get("errors"), problem=extra.get("problem"), me=signed_in(request),
                      row_errors=extra.get("row_errors"), row_user=extra.get("row_user"),
                      saved=extra.get("saved", False))  # fmt: skip

    @get("/")
    async def users(self, request: Request, saved: FromQuery[str] = "") -> Response:
        return await self._page(request, saved=saved == "1")

    @post("/")
    async def create(self, request: Request, data: Form) -> Response | Redirect:
        values = form_values(data)
        try:
            await services.create_user(values)
        except InvalidInput as exc:
            return await self._page(request, 422, values={**values, "password": ""}, errors=exc)
        except Conflict as exc:
            return await self._page(request, 409, values={**values, "password": ""}, problem=exc.detail)
        return see_other("/organiser/users?saved=1")

    @post("/{user_id:int}")
    async def update(self, request: Request, user_id: PathId, data: Form) -> Response | Redirect:
        values = form_values(data)
        change: dict[str, str] = {}
        # An administrator cannot lock themselves out by demoting or deactivating their own account.
        if user_id != signed_in(request).id:
            if "role" in values:
                change["role"] = values["role"]
            if "active_present" in values:
                change["active"] = "on" if values.get("active") == "on" else "off"
        if values.get("password"):
            change["password"] = values["password"]
        try:
            await services.update_user(user_id, change)
        except InvalidInput as exc:  # shown against the user's own row, not the form that adds users
            return await self._page(request, 422, row_errors=exc, row_user=user_id)
        return see_other("/organiser/users?saved=1")
