from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.params import JSONBody

from sportsrun.accounts.guards import authenticate, requires_organiser, requires_volunteer
from sportsrun.core.web.clients import client_address
from sportsrun.core.web.openapi import errors
from sportsrun.core.web.params import JSON_BODY_LIMIT, PathCode, PathId, present
from sportsrun.football import bracket, matches, rankings, schedule, scores, services, teams
from sportsrun.football.answers import (
    Bracket,
    Division,
    Draw,
    FairPlay,
    GroupStandings,
    Match,
    Matches,
    OwnTeam,
    ScoreCorrection,
    Team,
    TeamRegistered,
)
from sportsrun.football.schemas import (
    DivisionChange,
    DivisionIn,
    DrawIn,
    FixturesIn,
    LotsIn,
    MatchMove,
    ScoreIn,
    TeamIn,
    team_body,
)
from sportsrun.registration.services import check_rate

NO_STORE = {"Cache-Control": "no-store"}


async def _is_organiser(request: Request) -> bool:
    user = await authenticate(request)
    return user is not None and user.can("organiser")


class DivisionsApi(Controller):
    path = "/api/v1"
    tags = ["mini-football"]
    request_max_body_size = JSON_BODY_LIMIT

    @post("/events/{event_id:int}/divisions", guards=[requires_organiser], status_code=201)
    async def create_division(self, event_id: PathId, data: JSONBody[DivisionIn]) -> Division:
        return await services.create_division(event_id, present(data))

    @patch("/divisions/{division_id:int}", guards=[requires_organiser], responses=errors(409))
    async def update_division(self, division_id: PathId, data: JSONBody[DivisionChange]) -> Division:
        return await services.update_division(division_id, present(data))

    @get("/divisions/{division_id:int}", summary="A division with its stage and teams")
    async def get_division(self, request: Request, division_id: PathId) -> Division:
        return await services.get_division(division_id, public=not await _is_organiser(request))

    @post("/divisions/{division_id:int}/draw", guards=[requires_organiser], status_code=200, responses=errors(409))
    async def draw(self, request: Request, division_id: PathId, data: JSONBody[DrawIn]) -> Draw:
        return await schedule.make_draw(division_id, present(data), request.user.id)

    @post("/divisions/{division_id:int}/fixtures", guards=[requires_organiser], status_code=200,
          responses=errors(409))  # fmt: skip
    async def fixtures(self, division_id: PathId, data: JSONBody[FixturesIn]) -> Matches:
        return await schedule.make_fixtures(division_id, present(data))

    @get("/divisions/{division_id:int}/matches")
    async def list_matches(self, request: Request, division_id: PathId) -> Matches:
        return await matches.division_matches(division_id, public=not await _is_organiser(request))

    @get("/divisions/{division_id:int}/standings")
    async def standings(self, request: Request, division_id: PathId) -> GroupStandings:
        return await rankings.standings(division_id, public=not await _is_organiser(request))

    @post("/divisions/{division_id:int}/lots", guards=[requires_organiser], status_code=200,
          summary="Order teams still level after fair play by a recorded drawing of lots",
          responses=errors(409))  # fmt: skip
    async def lots(self, request: Request, division_id: PathId, data: JSONBody[LotsIn]) -> GroupStandings:
        return await rankings.draw_lots(division_id, present(data), request.user.id)

    @post("/divisions/{division_id:int}/knockout", guards=[requires_organiser], status_code=200,
          responses=errors(409))  # fmt: skip
    async def knockout(self, division_id: PathId) -> Bracket:
        return await bracket.make_bracket(division_id)

    @get("/divisions/{division_id:int}/bracket")
    async def get_bracket(self, request: Request, division_id: PathId) -> Bracket:
        return await bracket.bracket(division_id, public=not await _is_organiser(request))

    @delete("/divisions/{division_id:int}/bracket", guards=[requires_organiser], status_code=204,
            responses=errors(409))  # fmt: skip
    async def delete_bracket(self, division_id: PathId) -> None:
        await bracket.delete_bracket(division_id)

    @get("/divisions/{division_id:int}/corrections", summary="Every score written, newest first")
    async def corrections(self, division_id: PathId) -> list[ScoreCorrection]:
        return await scores.corrections(division_id)

    @get("/divisions/{division_id:int}/fair-play")
    async def division_fair_play(self, division_id: PathId) -> list[FairPlay]:
        return await rankings.division_fair_play(division_id)

    @get("/events/{event_id:int}/fair-play")
    async def event_fair_play(self, event_id: PathId) -> list[FairPlay]:
        return await rankings.event_fair_play(event_id)


class MatchesApi(Controller):
    path = "/api/v1/matches"
    tags = ["mini-football"]
    request_max_body_size = JSON_BODY_LIMIT

    @patch("/{match_id:int}", guards=[requires_organiser], summary="Move a match (409 into a clash)",
           responses=errors(409))  # fmt: skip
    async def move(self, match_id: PathId, data: JSONBody[MatchMove]) -> Match:
        return await schedule.move_match(match_id, present(data))

    @put("/{match_id:int}/score", guards=[requires_volunteer], summary="The whole score, never an increment",
         responses=errors(409))  # fmt: skip
    async def score(self, request: Request, match_id: PathId, data: JSONBody[ScoreIn]) -> Match:
        return await scores.enter_score(match_id, present(data), request.user.id)


class TeamsApi(Controller):
    path = "/api/v1"
    tags = ["mini-football"]
    request_max_body_size = JSON_BODY_LIMIT

    @post("/divisions/{division_id:int}/teams", status_code=201, summary="Register a team and its squad",
          responses=errors(409, 429))  # fmt: skip
    async def register(self, request: Request, division_id: PathId, data: JSONBody[TeamIn]) -> TeamRegistered:
        await check_rate(client_address(request))
        return await teams.register(division_id, team_body(data))

    @get("/team-registrations/{code:str}", summary="The captain's team, by its secret code")
    async def get_own(self, code: PathCode) -> Response[OwnTeam]:
        return Response(await teams.get_own(code), headers=NO_STORE)

    @put("/team-registrations/{code:str}", summary="Replace the squad (the same checks)", responses=errors(409))
    async def replace_own(self, code: PathCode, data: JSONBody[TeamIn]) -> Response[OwnTeam]:
        return Response(await teams.replace_own(code, team_body(data)), headers=NO_STORE)

    @delete("/team-registrations/{code:str}", status_code=204, summary="Withdraw the team before the draw",
            responses=errors(409))  # fmt: skip
    async def withdraw_own(self, code: PathCode) -> None:
        await teams.withdraw_own(code)

    @get("/teams/{team_id:int}", summary="A team: public names, shirt numbers and matches")
    async def team(self, team_id: PathId) -> Team:
        team, division = await teams.public_team(team_id)
        return team | {"matches": await matches.team_matches(team_id, division["id"])}
