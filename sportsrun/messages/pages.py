"""The outbox for admins: every message, sent or waiting. Messages carry personal data (a phone, a
self-service link), so only admins read them, and never in a log."""

from litestar import Controller, Request, Response, get
from litestar.params import FromQuery

from sportsrun.accounts.guards import page_requires
from sportsrun.core.web.forms import NO_STORE
from sportsrun.core.web.templating import render
from sportsrun.messages import services

PAGE = 100


class OutboxPages(Controller):
    path = "/organiser/messages"
    include_in_schema = False
    guards = [page_requires("admin")]

    @get("/")
    async def outbox(self, request: Request, page: FromQuery[int] = 1) -> Response:
        page = max(page, 1)
        box = await services.outbox(PAGE, (page - 1) * PAGE)
        return render(request, "organiser/messages.html", headers=NO_STORE, box=box, page=page, per_page=PAGE)
