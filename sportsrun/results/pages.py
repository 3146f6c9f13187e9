"""Public results pages: the race's results (filters, search, pages, self-refreshing on race day), one
runner's result with share links and its share card, a printable certificate, and the correction log."""

import datetime as dt
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.enums import MediaType

from sportsrun.core.errors import NotFound
from sportsrun.core.i18n import current_locale
from sportsrun.core.i18n import gettext as _
from sportsrun.core.localised import localised
from sportsrun.core.web.forms import absolute
from sportsrun.core.web.params import PathId
from sportsrun.core.web.share import share_links
from sportsrun.core.web.templating import is_htmx, render, render_text
from sportsrun.events.provinces import province_names
from sportsrun.events.services import load_race
from sportsrun.results import card, public
from sportsrun.results.state import cached
from sportsrun.results.times import zone_name

PAGE_SIZE = 50
POLL_SECONDS = 30


def _live(race) -> bool:
    """Provisional results on the race's own day (or the day after): the page refreshes itself."""
    today = dt.datetime.now(race.tz).date()
    return race.results_status == "provisional" and 0 <= (today - race.race_day).days <= 1


def _runner_title(result: dict, race) -> str:
    """What a shared link says: the runner, their time (or status) and the race."""
    finished = result["status"] == "finished"
    outcome = result["time"] if finished else public.status_label(result["status"], result["gender"])
    return f"{result['name']}: {outcome} · {localised(race)}"


class ResultsPages(Controller):
    include_in_schema = False

    @get("/races/{race_id:int}/results")
    async def results(self, request: Request, race_id: PathId) -> Response:
        params = dict(request.query_params)
        page = params.pop("page", "1")
        page_number = int(page) if str(page).isdigit() and int(page) > 0 else 1
        query = public.read_query({**params, "offset": (page_number - 1) * PAGE_SIZE, "limit": PAGE_SIZE})
        fragment = is_htmx(request)

        async def build() -> bytes:
            race = await load_race(race_id, public=True)
            listing = await public.listing(race_id, query, race=race)
            event = race.event_brief()
            total = listing["total"]
            pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
            shown = {
                k: v
                for k, v in (
                    ("gender", query.gender),
                    ("age_group", query.age_group),
                    ("province", query.province),
                    ("q", query.q),
                )
                if v
            }
            html = render_text(
                request,
                "results/race.html",
                block="table" if fragment else None,
                shared=True,
                race=race.to_json() | {"results_updated_at": race.local(race.results_updated_at)},
                race_row=race,
                event=event,
                zone=zone_name(race.utc_offset_minutes),
                has_results=public.has_results(race),
                status_label=public.status_label,
                listing=listing,
                query=query,
                page=page_number,
                pages=pages,
                filters=public.filters(race),
                province_names=await province_names(),
                live=_live(race),
                poll_seconds=POLL_SECONDS,
                params=urlencode(shown),
                self_url=f"/races/{race_id}/results?" + urlencode({**shown, "page": page_number}),
                share=share_links(absolute(f"/races/{race_id}/results"), f"{localised(race)} · {localised(event)}"),
            )
            return html.encode()

        key = ("page", current_locale.get(), fragment, query.key())
        return await cached(request, race_id, key, build, MediaType.HTML, vary="HX-Request, Accept-Language, Cookie")

    @get("/races/{race_id:int}/results/{bib:int}")
    async def runner(self, request: Request, race_id: PathId, bib: PathId) -> Response:
        return await self._runner(request, race_id, bib, "results/runner.html")

    @get("/races/{race_id:int}/results/{bib:int}/certificate")
    async def certificate(self, request: Request, race_id: PathId, bib: PathId) -> Response:
        return await self._runner(request, race_id, bib, "results/certificate.html")

    async def _runner(self, request: Request, race_id: int, bib: int, template: str) -> Response:
        async def build() -> bytes:
            race = await load_race(race_id, public=True)
            found = await public.runner(race_id, bib, race=race)
            page_url = absolute(f"/races/{race_id}/results/{bib}")
            if template == "results/certificate.html" and found["result"]["status"] != "finished":
                raise NotFound(_("No certificate for bib {bib}: only a finisher gets one.", bib=bib))
            return render_text(
                request,
                template,
                shared=True,
                race=race.to_json(),
                event=race.event_brief(),
                result=found["result"],
                status_label=public.status_label,
                page_url=page_url,
                card_url=absolute(card.card_path(race_id, bib, current_locale.get())),
                share=share_links(page_url, _runner_title(found["result"], race)),
                province_names=await province_names(),
            ).encode()

        return await cached(request, race_id, (template, current_locale.get(), bib), build, MediaType.HTML)

    @get(card.PATHS)
    async def share_card(self, request: Request, race_id: PathId, bib: PathId) -> Response:
        """The runner's share card in the language its address names: `…/card-ar.png`, `-ckb`, `-en`."""
        locale = request.url.path.rsplit("-", 1)[1].removesuffix(".png")
        return await card.response(request, race_id, bib, locale)

    @get("/races/{race_id:int}/corrections")
    async def corrections(self, request: Request, race_id: PathId) -> Response:
        race = await load_race(race_id, public=True)
        return render(
            request,
            "results/corrections.html",
            race=race.to_json(),
            event=race.event_brief(),
            zone=zone_name(race.utc_offset_minutes),
            corrections=await public.corrections(race_id),
        )
