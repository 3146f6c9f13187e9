"""The organiser's campaign pages: the list, the form (create and edit), and the campaign's own page with
its events and races, its progress, and the invitations to the Baghdad Marathon made from a rule, listed
with each person's contacts and exported as .xlsx. Everything goes through `campaigns.services`, as the
API does; forms post back and redirect (post/redirect/get)."""

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect

from sportsrun.accounts.guards import page_requires, signed_in
from sportsrun.campaigns import services
from sportsrun.campaigns.figures import METRICS
from sportsrun.campaigns.organiser_forms import (
    campaign_from_form,
    campaign_to_form,
    form_errors,
    rule_from_form,
    target_field,
)
from sportsrun.core.errors import InvalidInput
from sportsrun.core.spreadsheets.workbooks import XLSX
from sportsrun.core.web.forms import NO_STORE, form_values, see_other
from sportsrun.core.web.params import PathId
from sportsrun.core.web.templating import render
from sportsrun.events.provinces import province_names

Form = URLEncodedBody[dict[str, str]]
RULE_DEFAULTS = {"top_women": "10", "top_men": "10", "best_per_province": "on"}


class OrganiserCampaignPages(Controller):
    path = "/organiser/campaigns"
    include_in_schema = False
    guards = [page_requires("organiser")]

    @get("")
    async def campaigns(self, request: Request) -> Response:
        return render(request, "organiser/campaigns.html", headers=NO_STORE, campaigns=await services.list_all())

    # -- the form ----------------------------------------------------------------------------------------

    async def _form(self, request: Request, campaign: dict | None, values: dict, status_code: int = 200,
                    errors: InvalidInput | None = None) -> Response:  # fmt: skip
        return render(request, "organiser/campaign_form.html", status_code=status_code, headers=NO_STORE,
                      campaign=campaign, values=values, errors=errors, metrics=METRICS,
                      target_field=target_field)  # fmt: skip

    @get("/new")
    async def new_campaign(self, request: Request) -> Response:
        return await self._form(request, None, {"best_of": "3"})

    @post("/new")
    async def create_campaign(self, request: Request, data: Form) -> Response | Redirect:
        values = form_values(data)
        body, metrics = campaign_from_form(values)
        try:
            campaign = await services.create(body)
        except InvalidInput as exc:
            return await self._form(request, None, values, 422, form_errors(exc, metrics))
        return see_other(f"/organiser/campaigns/{campaign['id']}?done=saved")

    @get("/{campaign_id:int}/edit")
    async def edit_campaign(self, request: Request, campaign_id: PathId) -> Response:
        campaign = await services.get(campaign_id, include_unpublished=True)
        return await self._form(request, campaign, campaign_to_form(campaign))

    @post("/{campaign_id:int}/edit")
    async def update_campaign(self, request: Request, campaign_id: PathId, data: Form) -> Response | Redirect:
        values = form_values(data)
        body, metrics = campaign_from_form(values)
        try:
            await services.update(campaign_id, body)
        except InvalidInput as exc:
            campaign = await services.get(campaign_id, include_unpublished=True)
            return await self._form(request, campaign, values, 422, form_errors(exc, metrics))
        return see_other(f"/organiser/campaigns/{campaign_id}?done=saved")

    # -- the campaign's page -----------------------------------------------------------------------------

    async def _page(self, request: Request, campaign_id: int, *, done: str = "", status_code: int = 200,
                    errors: InvalidInput | None = None, rule: dict | None = None) -> Response:  # fmt: skip
        campaign = await services.get(campaign_id, include_unpublished=True)
        return render(request, "organiser/campaign.html", status_code=status_code, headers=NO_STORE,
                      campaign=campaign, progress=await services.progress(campaign_id),
                      invitations=await services.invitation_list(campaign_id, organiser=True),
                      province_names=await province_names(), done=done, errors=errors,
                      rule=rule or RULE_DEFAULTS)  # fmt: skip

    @get("/{campaign_id:int}")
    async def campaign(self, request: Request, campaign_id: PathId, done: FromQuery[str] = "") -> Response:
        return await self._page(request, campaign_id, done=done if done in ("saved", "invitations") else "")

    @post("/{campaign_id:int}/invitations")
    async def make_invitations(self, request: Request, campaign_id: PathId, data: Form) -> Response | Redirect:
        values = form_values(data, ("best_per_province",))
        try:
            await services.make_invitations(campaign_id, rule_from_form(values), signed_in(request).id)
        except InvalidInput as exc:
            return await self._page(request, campaign_id, status_code=422, errors=exc, rule=values)
        return see_other(f"/organiser/campaigns/{campaign_id}?done=invitations#invitations")

    @get("/{campaign_id:int}/invitations.xlsx")
    async def invitations_xlsx(self, campaign_id: PathId) -> Response:
        await services.get(campaign_id)  # 404 for an unknown campaign, not an empty file
        name, body = await services.invitations_xlsx(campaign_id)
        return Response(body, media_type=XLSX,
                        headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip
