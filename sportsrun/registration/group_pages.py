"""The group registration form: one contact block and a block per person (up to 20). Without JavaScript,
"Add a person" posts the form back with one more empty block, keeping what was typed; htmx fetches the
block alone. A block left empty is left out. On success, a page lists each person's bib or place on the
waitlist and their own link."""

import re
import secrets
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect

from sportsrun.core.errors import Conflict, InvalidInput, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web.clients import client_address
from sportsrun.core.web.forms import NO_STORE, form_values, see_other
from sportsrun.core.web.params import PathId
from sportsrun.core.web.templating import render
from sportsrun.events import services as events
from sportsrun.events.provinces import province_options
from sportsrun.events.race_row import RaceRow
from sportsrun.registration import flag_queries, groups
from sportsrun.registration.groups import CONTACT_FIELDS, MAX_PEOPLE, GroupConflict
from sportsrun.registration.services import code_digest

Form = URLEncodedBody[dict[str, str]]
PERSON = re.compile(r"^people\[(\d{1,2})\]\.([a-z_]+)$")
PERSON_CHECKBOXES = ("guardian_allows_full_name", "another_person")
# Radios with a default and checkboxes say nothing about whether a block was filled in.
NOT_TYPED = ("name_display", *PERSON_CHECKBOXES)


def _people(values: dict[str, str], keep_empty: bool) -> list[dict[str, str]]:
    """The person blocks in their order; blocks left empty dropped unless `keep_empty`."""
    blocks: dict[int, dict[str, str]] = {}
    for key, value in values.items():
        if (m := PERSON.match(key)) and int(m[1]) < MAX_PEOPLE * 2:
            blocks.setdefault(int(m[1]), {})[m[2]] = value
    people = [blocks[i] for i in sorted(blocks)]
    if not keep_empty:
        people = [p for p in people if any(v.strip() for k, v in p.items() if k not in NOT_TYPED)]
    return people[:MAX_PEOPLE] or [{}]


def _flat(values: dict[str, str], people: list[dict[str, str]]) -> dict[str, str]:
    """The form's values with the blocks numbered from 0, as the template names the fields."""
    flat = {k: v for k, v in values.items() if not PERSON.match(k)}
    for i, person in enumerate(people):
        flat.update({f"people[{i}].{k}": v for k, v in person.items()})
    return flat


def _body(values: dict[str, str], people: list[dict[str, str]]) -> dict:
    consent = "on" if values.get("consent") in ("on", "true", "1") else "off"
    persons = []
    for person in people:
        p = {k: v for k, v in person.items() if k not in CONTACT_FIELDS}
        for name in PERSON_CHECKBOXES:
            p[name] = "on" if p.get(name) == "on" else "off"
        persons.append(p | {"consent": consent})
    return {**{k: values.get(k, "") for k in CONTACT_FIELDS}, "people": persons}


async def _page(request: Request, race: RaceRow, values: dict, count: int, status_code: int = 200,
                **extra) -> Response:  # fmt: skip
    counts = await events.race_counts([race.id])
    return render(
        request, "registration/group.html", block="form", status_code=status_code, headers=NO_STORE,
        race=race.to_json(counts[race.id]), event=await events.get_event(race.event_id),
        provinces=await province_options(), values=values, count=count, max_people=MAX_PEOPLE,
        errors=extra.get("errors"), problem=extra.get("problem"), refused=extra.get("refused", ()),
        idempotency_key=values.get("idempotency_key") or secrets.token_urlsafe(18),
    )  # fmt: skip


class GroupRegistrationPages(Controller):
    include_in_schema = False

    @get("/races/{race_id:int}/register/group")
    async def form(self, request: Request, race_id: PathId) -> Response:
        return await _page(request, await events.load_race(race_id, public=True), {}, 1)

    @get("/races/{race_id:int}/register/group/person")
    async def person(self, request: Request, race_id: PathId, index: FromQuery[int] = 0) -> Response:
        """One more empty person block (htmx), with the "Add a person" button for the next one."""
        race = await events.load_race(race_id, public=True)
        if not 0 <= index < MAX_PEOPLE:
            raise NotFound(_("A group has from 1 to {n} people.", n=MAX_PEOPLE))
        return render(request, "registration/_group_added.html", headers=NO_STORE, race=race.to_json(), index=index,
                      provinces=await province_options(), values={}, errors=None, max_people=MAX_PEOPLE)  # fmt: skip

    @post("/races/{race_id:int}/register/group")
    async def submit(self, request: Request, race_id: PathId, data: Form) -> Response | Redirect:
        race = await events.load_race(race_id, public=True)
        values = form_values(data)
        action = values.pop("action", None) or ""
        if action == "add":  # the form back with one more empty block, nothing checked
            people = _people(values, keep_empty=True)
            people = people + [{}] if len(people) < MAX_PEOPLE else people
            return await _page(request, race, _flat(values, people), len(people))
        if action.startswith("remove-") and action[7:].isdigit():  # the form back without that block
            people = _people(values, keep_empty=True)
            people = [p for i, p in enumerate(people) if i != int(action[7:])] or [{}]
            return await _page(request, race, _flat(values, people), len(people))
        people = _people(values, keep_empty=False)
        flat = _flat(values, people)
        try:
            await groups.check_rate(client_address(request), len(people))
            key = values.get("idempotency_key") or None
            answer = await groups.register_group(race_id, _body(values, people), idempotency_key=key)
        except InvalidInput as exc:
            return await _page(request, race, flat, len(people), status_code=422, errors=exc)
        except GroupConflict as exc:
            refused = {int(e.field[7 : e.field.index("]")]) for e in exc.errors} if exc.another_person else set()
            return await _page(request, race, flat, len(people), status_code=409,
                               errors=InvalidInput(exc.errors, detail=exc.detail), refused=refused)  # fmt: skip
        except Conflict as exc:
            return await _page(request, race, flat, len(people), status_code=409, problem=exc.detail)
        codes = urlencode([("code", r["code"]) for r in answer["registrations"]])
        return see_other(f"/races/{race_id}/register/group/done?{codes}")

    @get("/races/{race_id:int}/register/group/done")
    async def done(self, request: Request, race_id: PathId, code: FromQuery[list[str]]) -> Response:
        """Each person of the group just registered: bib or waitlist, and their own page (the codes, the
        group's secrets, are in this page's address as a single registrant's is in theirs)."""
        race = await events.load_race(race_id, public=True)
        codes = code[:MAX_PEOPLE]
        rows = {r["code_hash"]: r for r in await flag_queries.by_codes([code_digest(c) for c in codes])}
        people = []
        for c in codes:
            row = rows.get(code_digest(c))
            if row is None or row["race"] != race.id:
                raise NotFound(_("No registration has this code."))
            people.append({**row, "code": c})
        return render(request, "registration/group_done.html", headers=NO_STORE, race=race.to_json(),
                      event=await events.get_event(race.event_id), people=people)  # fmt: skip
