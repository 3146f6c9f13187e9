"""The campaign's share card: a 1200×630 PNG of its figures for the previews social networks show, in the
language its address names (crawlers send no Accept-Language, so the page's meta tags point at the card
of the page's own language).

Drawing takes some tens of milliseconds of CPU, so it runs in a thread (Pillow releases the GIL for most of
it), one card at a time per process, and the PNG is kept per version of the campaign, date and language:
a shared link fetched by every crawler at once draws one card."""

import asyncio
import datetime as dt
from collections import OrderedDict
from urllib.parse import urlsplit

from litestar import Request, Response

from sportsrun.campaigns import board, state, view
from sportsrun.core.cards import CardSpec, Figure, Progress, draw_card
from sportsrun.core.i18n import gettext as _
from sportsrun.core.i18n import in_locale
from sportsrun.core.web.page_cache import etag_of
from sportsrun.settings import LOCALES, get_settings

MAX_AGE_S = 300
KEPT = 12  # a few campaigns in three languages
_kept: OrderedDict[tuple, bytes] = OrderedDict()
_drawing = asyncio.Lock()


def card_path(campaign_id: int, locale: str) -> str:
    return f"/campaigns/{campaign_id}/card-{locale}.png"


PATHS = [card_path("{campaign_id:int}", locale) for locale in LOCALES]  # type: ignore[arg-type]


def today() -> dt.date:
    return dt.datetime.now(board.IRAQ).date()


def spec(campaign: dict, counts: board.Counts) -> CardSpec:
    """The card's words and numbers, in the current language: four headline figures and up to two targets
    (counts of people or kilometres: a share's bar would read "62.5 of 0.5")."""
    f = counts.figures
    figures = (
        Figure(f.registrations, _("Runners registered")),
        Figure(f.finishers, _("Finishers")),
        Figure(f.provinces, _("Provinces"), total=len(counts.provinces)),  # all of them: 19
        Figure(f.women_share, _("Women among finishers"), percent=True)
        if f.women_share is not None
        else Figure(f.km, _("Kilometres run")),
    )
    bars = tuple(
        Progress(_(view.METRICS[t.metric]), t.value or 0, t.target)
        for t in counts.targets
        if t.metric != "women_share" and t.target > 0
    )[:2]
    return CardSpec(
        title=campaign["name"],
        subtitle=_("On the road to the Baghdad Marathon"),
        figures=figures,
        bars=bars,
        hashtag=f"#{campaign['hashtag']}" if campaign["hashtag"] else "",
        footer=urlsplit(get_settings().public_url).netloc,
    )


async def png(campaign_id: int, locale: str) -> tuple[bytes, tuple]:
    """The card's bytes and the key they are kept under."""
    held = await state.held(campaign_id)
    key = ("card", held.version(), today(), locale)
    if key in _kept:
        _kept.move_to_end(key)
        return _kept[key], key
    async with _drawing:
        if key not in _kept:  # drawn while this request waited its turn
            counts = await state.counts(held)
            with in_locale(locale):
                made = spec(held.campaign, counts)
            _kept[key] = await asyncio.to_thread(draw_card, made, locale)
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    return _kept[key], key


async def response(request: Request, campaign_id: int, locale: str) -> Response:
    body, key = await png(campaign_id, locale)
    etag = etag_of(key)
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={MAX_AGE_S}"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(content=None, status_code=304, headers=headers)
    return Response(content=body, media_type="image/png", headers=headers)
