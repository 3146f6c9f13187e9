import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.params import JSONBody

from sportsrun.accounts.guards import authenticate, requires_organiser
from sportsrun.campaigns import services, state
from sportsrun.campaigns.schemas import (
    Campaign,
    CampaignWithEvents,
    Invitation,
    NameSearch,
    Progress,
    ProvinceFigures,
    Standings,
    TargetsField,
)
from sportsrun.core.spreadsheets.workbooks import XLSX
from sportsrun.core.web.openapi import file_answer, required
from sportsrun.core.web.params import JSON_BODY_LIMIT, PathId, present
from sportsrun.results.schemas import GenderFilter, Limit, Offset, ProvinceFilter

UNSET = msgspec.UNSET
NO_STORE = {"Cache-Control": "no-store"}


@required("name", "targets")
class CampaignIn(msgspec.Struct):
    name: str | msgspec.UnsetType = UNSET
    description: str | None | msgspec.UnsetType = UNSET
    hashtag: str | None | msgspec.UnsetType = UNSET
    best_of: int | None | msgspec.UnsetType = UNSET
    points_table: list[int] | None | msgspec.UnsetType = UNSET
    targets: TargetsField = UNSET


class CampaignChange(CampaignIn):
    """A partial update: only the fields given change."""


@required("top_women", "top_men", "best_per_province")
class RuleIn(msgspec.Struct):
    top_women: int | msgspec.UnsetType = UNSET
    top_men: int | msgspec.UnsetType = UNSET
    best_per_province: bool | msgspec.UnsetType = UNSET


async def _json(request: Request, campaign_id: int, key: tuple, make) -> Response:
    held = await state.held(campaign_id)

    async def build() -> bytes:
        return msgspec.json.encode(await make())

    return await state.cached(request, held, ("api", *key), build, "application/json", vary="Accept-Encoding")


class CampaignsApi(Controller):
    path = "/api/v1/campaigns"
    tags = ["campaigns"]
    request_max_body_size = JSON_BODY_LIMIT

    @post("", guards=[requires_organiser], status_code=201)
    async def create(self, data: JSONBody[CampaignIn]) -> CampaignWithEvents:
        return await services.create(present(data))

    @get("")
    async def list_campaigns(self) -> list[Campaign]:
        return await services.list_all()

    @get("/{campaign_id:int}", summary="A campaign with its events")
    async def get_campaign(self, request: Request, campaign_id: PathId) -> CampaignWithEvents:
        user = await authenticate(request)
        return await services.get(campaign_id, include_unpublished=user is not None and user.can("organiser"))

    @patch("/{campaign_id:int}", guards=[requires_organiser])
    async def update(self, campaign_id: PathId, data: JSONBody[CampaignChange]) -> CampaignWithEvents:
        return await services.update(campaign_id, present(data))

    @get("/{campaign_id:int}/progress", summary="Each target with its value; registrations and finishers over time")
    async def progress(self, request: Request, campaign_id: PathId) -> Response[Progress]:
        return await _json(request, campaign_id, ("progress",), lambda: services.progress(campaign_id))

    @get("/{campaign_id:int}/provinces", summary="All 19 provinces, most finishers first")
    async def provinces(self, request: Request, campaign_id: PathId) -> Response[list[ProvinceFigures]]:
        return await _json(request, campaign_id, ("provinces",), lambda: services.provinces(campaign_id))

    @get("/{campaign_id:int}/standings", summary="Series points per person, best N counted; paged and searchable")
    async def standings(self, request: Request, campaign_id: PathId, gender: GenderFilter = "",
                        province: ProvinceFilter = "", q: NameSearch = "", limit: Limit = "", offset: Offset = ""
                        ) -> Response[Standings]:  # fmt: skip
        # The query string is read by `read_standings_query` (localised messages); the parameters are for the schema.
        query = services.read_standings_query(request.query_params)
        return await _json(request, campaign_id, ("standings", query), lambda: services.standings(campaign_id, query))

    @post("/{campaign_id:int}/invitations", guards=[requires_organiser], status_code=200)
    async def make_invitations(self, request: Request, campaign_id: PathId, data: JSONBody[RuleIn]
                               ) -> Response[list[Invitation]]:  # fmt: skip
        made = await services.make_invitations(campaign_id, present(data), request.user.id)
        return Response(made, headers=NO_STORE)

    @get("/{campaign_id:int}/invitations", summary="The invitation list: names as each runner chose")
    async def invitations(self, request: Request, campaign_id: PathId) -> Response[list[Invitation]]:
        user = await authenticate(request)
        organiser = user is not None and user.can("organiser")
        items = await services.invitation_list(campaign_id, organiser=organiser)
        return Response(items, headers=NO_STORE if organiser else {"Cache-Control": "no-cache"})

    @get("/{campaign_id:int}/invitations.xlsx", guards=[requires_organiser],
         responses=file_answer(XLSX, "The invitation list with phones and emails."))  # fmt: skip
    async def invitations_xlsx(self, campaign_id: PathId) -> Response[bytes]:
        name, body = await services.invitations_xlsx(campaign_id)
        return Response(body, media_type=XLSX,
                        headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip
