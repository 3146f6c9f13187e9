"""A runner's share card: a 1200×630 PNG of their result for the previews WhatsApp, Facebook, Telegram and X
show of `/races/{race_id}/results/{bib}`, drawn by the campaign cards' code (`core.cards`) in the language
its address names (crawlers send no Accept-Language: the page's tags point at the card of its language).

It shows what the runner's public page shows and nothing else: the name as they chose (initials when so),
the race and event, the date, the time and the places. Drawing takes some tens of milliseconds, so it runs
in a thread, one card at a time per process, and each PNG is kept per version of the race's results (and
of what its pages show), bib and language: a link shared in a group is fetched by every phone at once."""

import asyncio
from collections import OrderedDict
from urllib.parse import urlsplit

from litestar import Request, Response

from sportsrun.core.cards import CardSpec, Figure, draw_card
from sportsrun.core.errors import NotFound
from sportsrun.core.i18n import format_date, in_locale
from sportsrun.core.i18n import gettext as _
from sportsrun.core.localised import localised
from sportsrun.core.web.page_cache import etag_of
from sportsrun.events.services import load_race
from sportsrun.results import public
from sportsrun.results.state import race_state
from sportsrun.settings import LOCALES, get_settings

MAX_AGE_S = 300
KEPT = 192  # cards of the runners being shared right now, some 60 KB each
_kept: OrderedDict[tuple, bytes] = OrderedDict()
_drawing = asyncio.Lock()


def card_path(race_id: int | str, bib: int | str, locale: str) -> str:
    return f"/races/{race_id}/results/{bib}/card-{locale}.png"


PATHS = [card_path("{race_id:int}", "{bib:int}", locale) for locale in LOCALES]


def spec(race: dict, event: dict, result: dict) -> CardSpec:
    """The card's words and numbers, in the current language."""
    about = [localised(race), localised(event), format_date(event["date"])]
    if race["results_status"] != "official":
        about.append(_("Provisional results"))
    if result["status"] == "finished":
        among = _("Among women") if result["gender"] == "female" else _("Among men")
        figures = [
            Figure(result["time"], _("Time")),
            Figure(result["place"], _("Place"), total=result["of"]["overall"]),
            Figure(result["gender_place"], among, total=result["of"]["gender"]),
        ]
        if result["age_group"] and result["age_group_place"]:
            figures.append(Figure(result["age_group_place"], _("Category {group}", group=result["age_group"]),
                                  total=result["of"]["age_group"]))  # fmt: skip
    else:
        figures = [Figure(public.status_label(result["status"], result["gender"]), f"{_('Bib')} {result['bib']}")]
    return CardSpec(
        title=result["name"],
        subtitle=" · ".join(about),
        figures=tuple(figures),
        hashtag=_("Sports Against Violence"),
        footer=urlsplit(get_settings().public_url).netloc,
    )


async def png(race_id: int, bib: int, locale: str) -> tuple[bytes, tuple]:
    """The card's bytes and the key they are kept under; NotFound for a race or bib without a result."""
    state = await race_state(race_id)
    if state is None:
        raise NotFound(_("No such race."))
    key = ("runner-card", race_id, bib, locale, state.version, state.results_status, state.shown)
    if key in _kept:
        _kept.move_to_end(key)
        return _kept[key], key
    async with _drawing:
        if key not in _kept:  # drawn while this request waited its turn
            race = await load_race(race_id, public=True)
            found = await public.runner(race_id, bib, race=race)
            with in_locale(locale):
                made = spec(found["race"], race.event_brief(), found["result"])
            _kept[key] = await asyncio.to_thread(draw_card, made, locale)
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    return _kept[key], key


async def response(request: Request, race_id: int, bib: int, locale: str) -> Response:
    body, key = await png(race_id, bib, locale)
    etag = etag_of(key)
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={MAX_AGE_S}"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(content=None, status_code=304, headers=headers)
    return Response(content=body, media_type="image/png", headers=headers)
