"""The captain's pages: registering a team with its squad, and the team's own page by its secret code.

Players are added and removed by the form's own buttons: without JavaScript each press posts the form
and it comes back with a row more or less (nothing saved); with htmx only the form is swapped."""

import re
from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect

from sportsrun.core.errors import Conflict, InvalidInput
from sportsrun.core.web.clients import client_address
from sportsrun.core.web.forms import NO_STORE, absolute, see_other
from sportsrun.core.web.params import PathCode, PathId
from sportsrun.core.web.templating import is_htmx, render
from sportsrun.events.provinces import province_names, province_options
from sportsrun.football import services, teams
from sportsrun.football.validation import field_errors_for_players
from sportsrun.registration.services import check_rate

Form = URLEncodedBody[dict[str, str]]
_PLAYER_FIELD = re.compile(r"^players\[(\d{1,2})\]\.(\w+)$")
PLAYER_KEYS = ("given_name", "family_name", "birth_date", "shirt_number", "gender", "another_person")


def team_from_form(data: Mapping[str, str], keep_empty: bool = False) -> dict[str, Any]:
    """The API's team body from the form: players in row order; rows left wholly empty are dropped when
    saving and kept while the captain adds and removes rows."""
    body: dict[str, Any] = {
        k: (data.get(k) or "").strip() for k in ("name", "province", "captain_name", "captain_phone")
    }
    body["guardian_consent"] = data.get("guardian_consent") == "on"
    rows: dict[int, dict[str, str]] = {}
    for key, value in data.items():
        m = _PLAYER_FIELD.match(key)
        if m and m.group(2) in PLAYER_KEYS:
            rows.setdefault(int(m.group(1)), {})[m.group(2)] = value.strip()
    players = []
    for index in sorted(rows):
        row = rows[index]
        if not keep_empty and not any(row.get(k) for k in ("given_name", "family_name", "birth_date", "shirt_number")):
            continue
        player: dict[str, Any] = {
            k: row[k] for k in ("given_name", "family_name", "birth_date", "shirt_number") if row.get(k)
        }
        if row.get("gender"):
            player["gender"] = row["gender"]
        player["another_person"] = row.get("another_person") == "on"
        players.append(player)
    body["players"] = players
    return body


def _go(request: Request, path: str) -> Response | Redirect:
    """After a save: a plain post is redirected; htmx, which would follow a redirect inside the form, is
    told to load the page whole."""
    if is_htmx(request):
        return Response(content=None, status_code=204, headers={"HX-Redirect": path})
    return see_other(path)


def _rows(body: Mapping[str, Any], division: Mapping[str, Any], action: str | None) -> list[dict]:
    rows = [dict(p) for p in body.get("players", [])]
    if action == "add" and len(rows) < division["squad_max"]:
        rows.append({})
    elif action and action.startswith("remove-") and action[7:].isdigit() and int(action[7:]) < len(rows):
        del rows[int(action[7:])]
    while len(rows) < division["squad_min"] and action != "save":
        rows.append({})
    return rows


async def _form(request: Request, division: dict, body: Mapping[str, Any], rows: list[dict], *, action_url: str,
                status_code: int = 200, errors: InvalidInput | None = None, problem: str | None = None,
                code: str | None = None) -> Response:  # fmt: skip
    return render(
        request, "football/register.html", block="form", status_code=status_code, headers=NO_STORE,
        division=division, values=body, rows=rows, errors=errors, problem=problem, action_url=action_url,
        player_errors=field_errors_for_players(errors.errors) if errors else {}, provinces=await province_options(),
        code=code,
    )  # fmt: skip


class TeamRegistrationPages(Controller):
    include_in_schema = False

    @get("/divisions/{division_id:int}/register")
    async def form(self, request: Request, division_id: PathId) -> Response:
        division = await services.get_division(division_id)
        return await _form(
            request, division, {}, _rows({}, division, None), action_url=f"/divisions/{division_id}/register"
        )

    @post("/divisions/{division_id:int}/register")
    async def submit(self, request: Request, division_id: PathId, data: Form) -> Response | Redirect:
        division = await services.get_division(division_id)
        action = data.get("action", "save")
        body = team_from_form(data, keep_empty=action != "save")
        url = f"/divisions/{division_id}/register"
        if action != "save":
            return await _form(request, division, body, _rows(body, division, action), action_url=url)
        try:
            await check_rate(client_address(request))
            made = await teams.register(division_id, body)
        except InvalidInput as exc:
            return await _form(request, division, body, body["players"], action_url=url, status_code=422, errors=exc)
        except Conflict as exc:
            return await _form(request, division, body, body["players"], action_url=url, status_code=409,
                               problem=exc.detail)  # fmt: skip
        return _go(request, f"/team-registrations/{made['code']}?new=1")

    @get("/team-registrations/{team_code:str}")
    async def own(self, request: Request, team_code: PathCode, new: FromQuery[bool] = False,
                  saved: FromQuery[bool] = False) -> Response:  # fmt: skip
        return await _own(request, team_code, new=new, saved=saved)

    @get("/team-registrations/{team_code:str}/edit")
    async def edit(self, request: Request, team_code: PathCode) -> Response:
        code = team_code
        team = await teams.get_own(code)
        if not team["editable"]:
            return await _own(request, code, status_code=409)
        division = await services.get_division(team["division_id"], public=False)
        url = f"/team-registrations/{code}"
        return await _form(request, division, team, _rows(team, division, None), action_url=url, code=code)

    @post("/team-registrations/{team_code:str}")
    async def save(self, request: Request, team_code: PathCode, data: Form) -> Response | Redirect:
        code = team_code
        team = await teams.get_own(code)
        division = await services.get_division(team["division_id"], public=False)
        action = data.get("action", "save")
        body = team_from_form(data, keep_empty=action != "save")
        url = f"/team-registrations/{code}"
        if action != "save":
            return await _form(request, division, body, _rows(body, division, action), action_url=url, code=code)
        try:
            await teams.replace_own(code, body)
        except InvalidInput as exc:
            return await _form(request, division, body, body["players"], action_url=url, status_code=422, errors=exc,
                               code=code)  # fmt: skip
        except Conflict as exc:
            return await _own(request, code, status_code=409, problem=exc.detail)
        return _go(request, f"{url}?saved=1")

    @post("/team-registrations/{team_code:str}/withdraw")
    async def withdraw(self, request: Request, team_code: PathCode, data: Form) -> Response | Redirect:
        """Two posts, as a runner's cancelling: the first asks, only the second with `confirm` withdraws."""
        code = team_code
        if data.get("confirm") != "yes":
            return await _own(request, code, confirming=True)
        team = await teams.get_own(code)
        try:
            await teams.withdraw_own(code)
        except Conflict as exc:
            return await _own(request, code, status_code=409, problem=exc.detail)
        return see_other(f"/divisions/{team['division_id']}?withdrawn=1")


async def _own(request: Request, code: str, status_code: int = 200, **extra: Any) -> Response:
    team = await teams.get_own(code)
    division = await services.get_division(team["division_id"], public=False)
    return render(request, "football/own.html", status_code=status_code, headers=NO_STORE, team=team,
                  division=division, code=code, province_names=await province_names(),
                  own_url=absolute(f"/team-registrations/{code}"), **extra)  # fmt: skip
