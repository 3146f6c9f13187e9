import datetime as dt
import secrets

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect

from sportsrun.core.errors import Conflict, InvalidInput
from sportsrun.core.web.clients import client_address
from sportsrun.core.web.forms import NO_STORE, absolute, form_values, see_other
from sportsrun.core.web.params import PathCode, PathId
from sportsrun.core.web.templating import render
from sportsrun.events import services as events
from sportsrun.events.age_groups import ADULT_AGE, age_on
from sportsrun.events.provinces import province_codes, province_names, province_options
from sportsrun.events.race_row import RaceRow
from sportsrun.registration import services
from sportsrun.registration.people import NameTaken
from sportsrun.registration.validation import read_registration

Form = URLEncodedBody[dict[str, str]]
CHECKBOXES = ("consent", "guardian_allows_full_name", "another_person")


def _hide_guardian(race: RaceRow, values: dict) -> bool:
    """Guardian fields show until a date of birth says the runner is an adult."""
    try:
        born = dt.date.fromisoformat(values.get("birth_date") or "")
    except ValueError:
        return False
    return age_on(born, race.race_day) >= ADULT_AGE


async def _form(request: Request, race: RaceRow, values: dict, status_code: int = 200, **extra) -> Response:
    """The form with the race's registration counts: places left and the waitlist as the event page shows them."""
    counts = await events.race_counts([race.id])
    return render(
        request,
        "registration/form.html",
        block="form",
        status_code=status_code,
        race=race.to_json(counts[race.id]),
        event=await events.get_event(race.event_id),
        provinces=await province_options(),
        values=values,
        hide_guardian=_hide_guardian(race, values),
        errors=extra.get("errors"),
        problem=extra.get("problem"),
        # A refusal for a name and birth date only: the form offers "I am another person" (people.NameTaken).
        another_person=extra.get("another_person", False),
        # Made when the form opens and kept while it comes back with errors: a resend of the same form
        # (the answer lost on a weak line) gets the first answer (registration/idempotency.py).
        idempotency_key=values.get("idempotency_key") or secrets.token_urlsafe(18),
    )


async def _own_page(request: Request, code: str, status_code: int = 200, **extra) -> Response:
    registration = await services.get_own(code, client_address(request))
    manage_url = absolute(f"/registrations/{code}")
    # The QR shown is the check-in token's, never this page's address: shown at bib pickup, it opens nothing.
    token = registration["checkin_token"]
    checkin_qr = services.checkin_qr_svg(token) if token and registration["status"] != "cancelled" else None
    return render(request, "registration/own.html", status_code=status_code, headers=NO_STORE,
                  registration=registration, code=code, manage_url=manage_url, checkin_qr=checkin_qr,
                  province_names=await province_names(), new=extra.get("new", False),
                  cancelled=extra.get("cancelled", False), confirming=extra.get("confirming", False),
                  problem=extra.get("problem"), edit=extra.get("edit"))  # fmt: skip


class RegistrationPages(Controller):
    include_in_schema = False

    @get("/races/{race_id:int}/register")
    async def form(self, request: Request, race_id: PathId) -> Response:
        return await _form(request, await events.load_race(race_id, public=True), {})

    @post("/races/{race_id:int}/register")
    async def submit(self, request: Request, race_id: PathId, data: Form) -> Response | Redirect:
        race = await events.load_race(race_id, public=True)
        values = form_values(data)
        try:
            await services.check_rate(client_address(request))
            body = form_values(data, CHECKBOXES)
            key = body.pop("idempotency_key", None) or None
            result = await services.register(race_id, body, idempotency_key=key)
        except InvalidInput as exc:
            return await _form(request, race, values, status_code=422, errors=exc)
        except Conflict as exc:
            return await _form(request, race, values, status_code=409, problem=exc.detail,
                               another_person=isinstance(exc, NameTaken))  # fmt: skip
        return see_other(f"/registrations/{result['code']}?new=1")

    @post("/races/{race_id:int}/register/check")
    async def check(self, request: Request, race_id: PathId, data: Form, field: FromQuery[str]) -> Response:
        """One field re-rendered with its error (htmx, on leaving the field); nothing is written."""
        race = await events.load_race(race_id, public=True)
        values = form_values(data)
        _entry, fields = read_registration(
            form_values(data, CHECKBOXES), race_day=race.race_day, min_age=race.min_age,
            provinces=await province_codes(), today=dt.datetime.now(race.tz).date(),
        )  # fmt: skip
        errors = InvalidInput(fields.errors) if fields.errors else None
        return render(
            request, "registration/_check.html", name=field, race=race.to_json(), values=values, errors=errors,
            provinces=await province_options(), hide_guardian=_hide_guardian(race, values),
        )  # fmt: skip

    @get("/registrations/{code:str}")
    async def own(self, request: Request, code: PathCode, new: FromQuery[bool] = False,
                  cancelled: FromQuery[str] = "", saved: FromQuery[str] = "") -> Response:  # fmt: skip
        return await _own_page(request, code, new=new, cancelled=cancelled == "1", edit={"saved": saved == "1"})

    @post("/registrations/{code:str}/cancel")
    async def cancel(self, request: Request, code: PathCode, data: Form) -> Response | Redirect:
        """Two plain form posts: the first brings the page back asking (the bib is freed, the place goes to
        the waitlist); only the second, with its explicit `confirm`, cancels."""
        if data.get("confirm") != "yes":
            return await _own_page(request, code, confirming=True)
        try:
            await services.cancel_own(code, client_address(request))
        except Conflict as exc:
            return await _own_page(request, code, status_code=409, problem=exc.detail)
        return see_other(f"/registrations/{code}?cancelled=1")
