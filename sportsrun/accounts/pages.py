from litestar import Controller, Request, get, post
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from sportsrun.accounts.services import check_password
from sportsrun.core import sessions
from sportsrun.core.auth import client_address
from sportsrun.core.errors import TooManyRequests, Unauthorized
from sportsrun.core.pages import NO_STORE, page, safe_next, see_other

Form = URLEncodedBody[dict[str, str]]


class AccountPages(Controller):
    include_in_schema = False

    @get("/login")
    async def login_form(self, request: Request, next: FromQuery[str | None] = None) -> Template:
        user = await sessions.current_user(request)
        return page(
            request, "accounts/login.html", headers=NO_STORE, next=safe_next(next), user=user, email="", problem=None
        )

    @post("/login")
    async def login(self, request: Request, data: Form) -> Template | Redirect:
        email, password = data.get("email", ""), data.get("password", "")
        try:
            user = await check_password(email, password, client_address(request))
        except (Unauthorized, TooManyRequests) as exc:
            return page(
                request,
                "accounts/login.html",
                status_code=exc.status_code,
                headers=NO_STORE,
                next=safe_next(data.get("next")),
                user=None,
                email=email,
                problem=exc.detail,
            )
        sessions.start(request, user)
        return see_other(safe_next(data.get("next")))

    @post("/logout")
    async def logout(self, request: Request) -> Redirect:
        sessions.end(request)
        return see_other("/")
