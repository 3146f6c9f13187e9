import msgspec
from litestar import Controller, get, post
from litestar.params import JSONBody

from sportsrun.accounts.guards import requires_volunteer
from sportsrun.core.validation import Fields
from sportsrun.core.web.openapi import errors, required
from sportsrun.core.web.params import JSON_BODY_LIMIT, PathId, present
from sportsrun.registration import checkin as services
from sportsrun.registration.schemas import BibHolder


class BibsApi(Controller):
    path = "/api/v1/races/{race_id:int}/bibs"
    tags = ["bibs and check-in"]
    guards = [requires_volunteer]

    @get("/{bib:int}", summary="Who holds this bib: public name and check-in state only")
    async def lookup(self, race_id: PathId, bib: PathId) -> BibHolder:
        return await services.lookup(race_id, bib)

    @post("/{bib:int}/check-in", status_code=200, summary="Check a runner in at bib pickup (idempotent)",
          responses=errors(409))  # fmt: skip
    async def check_in(self, race_id: PathId, bib: PathId) -> BibHolder:
        return await services.check_in(race_id, bib)


@required("token")
class CheckInIn(msgspec.Struct):
    token: str | msgspec.UnsetType = msgspec.UNSET


class CheckInsApi(Controller):
    path = "/api/v1/races/{race_id:int}/check-ins"
    tags = ["bibs and check-in"]
    guards = [requires_volunteer]
    request_max_body_size = JSON_BODY_LIMIT

    @post(
        "/",
        status_code=200,
        summary="Check a runner in by the token of their check-in QR (idempotent)",
        description="The same answer as the bib check-in; 409 for a token of another race, or a waitlisted "
        "runner; 404 for an unknown token or one that died with a cancellation. The QR's whole text "
        "(`sportsrun-checkin:<token>`) is taken as well as the bare token.",
        responses=errors(409),
    )
    async def check_in(self, race_id: PathId, data: JSONBody[CheckInIn]) -> BibHolder:
        fields = Fields(present(data))
        token = fields.text("token", required=True, max_length=200)
        fields.raise_if_any()
        return await services.check_in_by_token(race_id, token)
