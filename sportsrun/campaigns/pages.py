"""The public campaign page (`/campaigns/{id}`): progress toward each target, registrations and finishers
over time, the province leaderboard sortable by any of its figures, the series standings (paged, searchable
in any Arabic spelling, by gender and province), the invitation list; its share card; and the summary the
home page shows.

The page and its two fragments (the leaderboard, the standings: htmx names the one it wants in HX-Target)
are kept per campaign version (`state.cached`) under the language, the date in Iraq (an event counts as held
from its day) and every query parameter they read, so a busy campaign page costs what a results page does."""

from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.enums import MediaType

from sportsrun.campaigns import card, services, state, view
from sportsrun.core.i18n import BABEL_LOCALES, current_locale, format_number
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web.forms import absolute
from sportsrun.core.web.params import PathId
from sportsrun.core.web.templating import is_htmx, render_text
from sportsrun.events import hooks as events_hooks
from sportsrun.events.provinces import province_names, province_options

PAGE_SIZE = 50
FRAGMENTS = ("provinces", "standings")
HOME_CAMPAIGNS = 3
VARY = "HX-Request, HX-Target, Accept-Language, Cookie"


def _page_number(raw: object) -> int:
    text = str(raw or "1")
    return int(text) if text.isdigit() and int(text) > 0 else 1


def _address(campaign_id: int, values: dict[str, object], anchor: str = "") -> str:
    """The page's address with these parameters (defaults left out, so links stay short and cache once)."""
    shown = {k: v for k, v in values.items() if v and not (k == "sort" and v == view.DEFAULT_SORT) and v != 1}
    return f"/campaigns/{campaign_id}" + (f"?{urlencode(shown)}" if shown else "") + (f"#{anchor}" if anchor else "")


def summary_sentence(counts) -> str:
    figures = counts.figures
    return _("Runners registered: {registrations} · Finishers: {finishers} · Provinces: {provinces} of {total}",
             registrations=format_number(figures.registrations), finishers=format_number(figures.finishers),
             provinces=format_number(figures.provinces), total=format_number(len(counts.provinces)))  # fmt: skip


async def _view(campaign_id: int, held, sort: str, query: services.StandingsQuery, page: int) -> dict:
    """Everything the page shows: public data only (names as each runner chose, never contacts)."""
    counts = await state.counts(held)
    names = await province_names()
    provinces = view.sorted_provinces(counts.provinces, sort, names)
    standings = await services.standings(campaign_id, query)
    pages = max((standings["total"] + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    params = {"gender": query.gender, "province": query.province, "q": query.q, "sort": sort, "page": page}
    locale = current_locale.get()
    return {
        "campaign": held.campaign,
        "events": [event for event, _races in held.events],
        "lines": view.lines(counts),
        "summary": summary_sentence(counts),
        "timeline": counts.timeline,
        "timeline_chart": view.timeline_chart(counts.timeline) if counts.timeline else None,
        "sort": sort,
        "sorts": [(s, _(view.COLUMNS[s])) for s in view.SORTS],
        "sort_label": _(view.COLUMNS[sort]),
        "sort_links": {s: _address(campaign_id, {**params, "sort": s}) for s in view.SORTS},
        "provinces": list(zip(view.ranks(provinces, sort), provinces, strict=True)),
        "cell": view.cell,
        "province_chart": view.province_chart(provinces, sort, names),
        "province_names": names,
        "province_options": await province_options(),
        "query": query,
        "standings": standings,
        "race_events": view.race_events(held),
        "race_names": view.race_names(held),
        "page": page,
        "pages": pages,
        "page_links": {
            n: _address(campaign_id, {**params, "page": n}) for n in (page - 1, page + 1) if 1 <= n <= pages
        },  # fmt: skip
        "invitations": await services.invitation_list(campaign_id),
        "page_url": absolute(f"/campaigns/{campaign_id}"),
        "card_url": absolute(card.card_path(campaign_id, locale)),
        "og_locale": BABEL_LOCALES[locale],
    }


class CampaignPages(Controller):
    include_in_schema = False

    @get("/campaigns/{campaign_id:int}")
    async def campaign(self, request: Request, campaign_id: PathId) -> Response:
        params = request.query_params
        sort = view.read_sort(params.get("sort"))
        page = _page_number(params.get("page"))
        query = services.read_standings_query({"gender": params.get("gender"), "province": params.get("province"),
                                               "q": params.get("q"), "offset": (page - 1) * PAGE_SIZE,
                                               "limit": PAGE_SIZE})  # fmt: skip
        target = request.headers.get("hx-target") if is_htmx(request) else None
        block = target if target in FRAGMENTS else None
        held = await state.held(campaign_id)

        async def build() -> bytes:
            context = await _view(campaign_id, held, sort, query, page)
            return render_text(request, "campaigns/page.html", block=block, shared=True, **context).encode()

        key = ("page", current_locale.get(), block, sort, query, card.today())
        return await state.cached(request, held, key, build, MediaType.HTML, vary=VARY)

    @get(card.PATHS)
    async def share_card(self, request: Request, campaign_id: PathId) -> Response:
        """The share card in the language its address names: `…/card-ar.png`, `-ckb`, `-en`."""
        locale = request.url.path.rsplit("-", 1)[1].removesuffix(".png")
        return await card.response(request, campaign_id, locale)


@events_hooks.home_campaigns.connect
async def home_campaigns() -> list[dict]:
    """The latest campaigns for the home page: name, hashtag and headline figures in the visitor's language."""
    out = []
    for campaign in reversed((await services.list_all())[-HOME_CAMPAIGNS:]):
        counts = await state.counts(await state.held(campaign["id"]))
        figures = counts.figures
        out.append({
            "id": campaign["id"], "name": campaign["name"], "hashtag": campaign["hashtag"],
            "figures": [(_("Runners registered"), format_number(figures.registrations)),
                        (_("Finishers"), format_number(figures.finishers)),
                        (_("Provinces"), _("{value} of {total}", value=format_number(figures.provinces),
                                           total=format_number(len(counts.provinces)))),
                        (_("Kilometres run"), format_number(figures.km))],
        })  # fmt: skip
    return out
