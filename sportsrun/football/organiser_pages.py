"""The organiser's mini-football pages: a division's form, and its page where the championship is run
(the draw, the fixtures, moving matches, lots, the knockout). Every action is a plain form that comes
back to the page (post/redirect/get); with htmx only the section it changes is swapped."""

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect

from sportsrun.accounts.guards import page_requires, signed_in
from sportsrun.core.errors import Conflict, InvalidInput, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web.forms import NO_STORE, form_values, see_other
from sportsrun.core.web.params import PathId
from sportsrun.core.web.templating import is_htmx, render
from sportsrun.events import services as events
from sportsrun.football import bracket, queries, rankings, schedule, services
from sportsrun.football.organiser_forms import (
    division_from_form,
    division_page,
    division_to_form,
    draw_from_form,
    fixtures_from_form,
    local,
    move_errors,
    move_from_form,
)

Form = URLEncodedBody[dict[str, str]]
Action = Callable[[], Awaitable[Any]]
PAGE = "football/organiser/division.html"
# The section of the page that each action changes: what htmx swaps.
BLOCKS = {"draw": "work", "fixtures": "work", "knockout": "work", "bracket": "work", "lots": "standings",
          "move": "matches"}  # fmt: skip
# Where the page opens after an action without JavaScript: the section whose message says what happened.
ANCHORS = {"draw": "draw", "fixtures": "fixtures", "knockout": "knockout", "bracket": "knockout", "lots": "standings"}


def _done(key: str) -> str | None:
    return {
        "saved": _("Saved."),
        "draw": _("The draw is made."),
        "fixtures": _("The fixtures are made."),
        "move": _("The match is moved."),
        "lots": _("The lots are drawn."),
        "knockout": _("The knockout bracket is made."),
        "bracket": _("The bracket is deleted."),
    }.get(key)


def _as_invalid(exc: InvalidInput | Conflict) -> InvalidInput:
    return exc if isinstance(exc, InvalidInput) else InvalidInput([], detail=exc.detail)


class OrganiserDivisionPages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [page_requires("organiser")]

    # -- the division's form ---------------------------------------------------------------------------

    async def _form(self, request: Request, event_id: int, division: dict | None, values: dict, status_code=200,
                    errors=None) -> Response:  # fmt: skip
        event = await events.event_brief(event_id, include_unpublished=True)
        return render(request, "football/organiser/division_form.html", status_code=status_code, headers=NO_STORE,
                      event=event, division=division, values=values, errors=errors)  # fmt: skip

    @get("/events/{event_id:int}/divisions/new")
    async def new_division(self, request: Request, event_id: PathId) -> Response:
        values = {"gender": "mixed", "squad_min": "5", "squad_max": "10", "max_teams": "16",
                  "qualifiers_per_group": "2"}  # fmt: skip
        return await self._form(request, event_id, None, values)

    @post("/events/{event_id:int}/divisions/new")
    async def create_division(self, request: Request, event_id: PathId, data: Form) -> Response | Redirect:
        values = form_values(data, ("third_place_match",))
        try:
            division = await services.create_division(event_id, division_from_form(values))
        except InvalidInput as exc:
            return await self._form(request, event_id, None, values, 422, exc)
        return see_other(f"/organiser/divisions/{division['id']}?done=saved")

    @get("/divisions/{division_id:int}/edit")
    async def edit_division(self, request: Request, division_id: PathId) -> Response:
        division = await services.get_division(division_id, public=False)
        return await self._form(request, division["event_id"], division, division_to_form(division))

    @post("/divisions/{division_id:int}/edit")
    async def update_division(self, request: Request, division_id: PathId, data: Form) -> Response | Redirect:
        division = await services.get_division(division_id, public=False)
        values = form_values(data, ("third_place_match",))
        try:
            await services.update_division(division_id, division_from_form(values, division_to_form(division)))
        except (InvalidInput, Conflict) as exc:
            return await self._form(request, division["event_id"], division, values, exc.status_code, _as_invalid(exc))
        return see_other(f"/organiser/divisions/{division_id}?done=saved")

    # -- the division's page ---------------------------------------------------------------------------

    async def _page(self, request: Request, division_id: int, *, block: str = "work", status_code: int = 200,
                    done: str = "", failed: str = "", errors: InvalidInput | None = None,
                    values: dict | None = None, match_id: int | None = None) -> Response:  # fmt: skip
        context = await division_page(division_id)
        return render(request, PAGE, block=block, status_code=status_code, headers=NO_STORE, **context,
                      local=local, done=done, done_message=_done(done),
                      failed=failed, errors=errors, values=values or {}, match_id=match_id)  # fmt: skip

    @get("/divisions/{division_id:int}")
    async def division(self, request: Request, division_id: PathId, done: FromQuery[str] = "") -> Response:
        return await self._page(request, division_id, done=done if _done(done) else "")

    async def _act(self, request: Request, division_id: int, key: str, values: dict, action: Action,
                   match_id: int | None = None) -> Response | Redirect:  # fmt: skip
        """One action of the page: 303 back to it (the message in the address), or with htmx the changed
        section; a refusal comes back beside its form (422 or 409) and writes nothing."""
        try:
            await action()
        except (InvalidInput, Conflict) as exc:
            errors = _as_invalid(exc)
            if match_id is not None:
                errors = move_errors(errors, match_id)
            return await self._page(request, division_id, block=BLOCKS[key], status_code=exc.status_code,
                                    failed=key, errors=errors, values=values, match_id=match_id)  # fmt: skip
        if not is_htmx(request):
            anchor = f"#match-{match_id}" if match_id else f"#{ANCHORS[key]}"
            return see_other(f"/organiser/divisions/{division_id}?done={key}{anchor}")
        return await self._page(request, division_id, block=BLOCKS[key], done=key, match_id=match_id)

    @post("/divisions/{division_id:int}/draw")
    async def draw(self, request: Request, division_id: PathId, data: Form) -> Response | Redirect:
        values = form_values(data)
        user = signed_in(request).id
        return await self._act(request, division_id, "draw", values,
                               lambda: schedule.make_draw(division_id, draw_from_form(values), user))  # fmt: skip

    @post("/divisions/{division_id:int}/fixtures")
    async def fixtures(self, request: Request, division_id: PathId, data: Form) -> Response | Redirect:
        values = form_values(data)
        return await self._act(request, division_id, "fixtures", values,
                               lambda: schedule.make_fixtures(division_id, fixtures_from_form(values)))  # fmt: skip

    @post("/matches/{match_id:int}/move")
    async def move(self, request: Request, match_id: PathId, data: Form) -> Response | Redirect:
        match = await queries.match_row(match_id)
        if match is None:
            raise NotFound(_("No such match."))
        values = form_values(data)
        return await self._act(request, match["division"], "move", values,
                               lambda: schedule.move_match(match_id, move_from_form(values)), match_id)  # fmt: skip

    @post("/divisions/{division_id:int}/lots")
    async def lots(self, request: Request, division_id: PathId, data: Form) -> Response | Redirect:
        values = form_values(data)
        user = signed_in(request).id
        group = {"group": values.get("group")}
        return await self._act(
            request, division_id, "lots", values, lambda: rankings.draw_lots(division_id, group, user)
        )

    @post("/divisions/{division_id:int}/knockout")
    async def knockout(self, request: Request, division_id: PathId) -> Response | Redirect:
        return await self._act(request, division_id, "knockout", {}, lambda: bracket.make_bracket(division_id))

    @post("/divisions/{division_id:int}/bracket/delete")
    async def delete_bracket(self, request: Request, division_id: PathId) -> Response | Redirect:
        return await self._act(request, division_id, "bracket", {}, lambda: bracket.delete_bracket(division_id))
