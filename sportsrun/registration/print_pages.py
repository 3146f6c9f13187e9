"""The organiser's printed lists of a race, printed from the browser on A4 in the organiser's language and
direction: the start list, and the bib-pickup list by bib or by name (`printables`)."""

from litestar import Controller, Request, Response, get
from litestar.params import FromQuery

from sportsrun.accounts.guards import page_requires
from sportsrun.core.i18n import current_locale
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web.forms import NO_STORE
from sportsrun.core.web.params import PathId
from sportsrun.core.web.templating import stream
from sportsrun.events.provinces import province_names
from sportsrun.registration import printables


def _context(listing: printables.PrintList, kind: str, heading: str) -> dict:
    race = listing.race
    return {
        "race": race.to_json(),
        "event": race.event_brief(),
        "rows": listing.rows,
        "order": listing.order,
        "kind": kind,
        "heading": heading,
        "genders": {"female": _("Female"), "male": _("Male")},
    }


class PrintPages(Controller):
    path = "/organiser/races/{race_id:int}/print"
    include_in_schema = False
    guards = [page_requires("organiser")]

    @get("/start-list")
    async def start_list(self, request: Request, race_id: PathId) -> Response:
        listing = await printables.start_list(race_id)
        context = _context(listing, "start", _("Start list"))
        return stream(request, "organiser/print_list.html", headers=NO_STORE, **context,
                      province_names=await province_names())  # fmt: skip

    @get("/pickup")
    async def pickup(self, request: Request, race_id: PathId, order: FromQuery[str] = "bib") -> Response:
        listing = await printables.pickup_list(race_id, order, current_locale.get())
        heading = _("Bib pickup by name") if listing.order == "name" else _("Bib pickup by bib")
        context = _context(listing, "pickup", heading)
        return stream(request, "organiser/print_list.html", headers=NO_STORE, **context,
                      province_names=await province_names())  # fmt: skip
