from litestar import Controller, get, post

from sportsrun.accounts.guards import requires_volunteer
from sportsrun.core.web.openapi import errors
from sportsrun.core.web.params import PathId
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
