"""The campaign's Atom feed (`/campaigns/{id}/feed.atom`) for partners' sites: an entry each time a race's
results are imported or made official. Race and event names, times and counts only: nobody's personal data.

Imports come from timing's record of them, official changes from the events domain's log of results
statuses. The feed is built once per version of the campaign (an import bumps a race's results version)
and of that log (a race made official twice keeps the same status but gains an entry)."""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlsplit

from litestar import Controller, Request, Response, get

from sportsrun.campaigns import state
from sportsrun.core.i18n import current_locale, ngettext
from sportsrun.core.i18n import gettext as _
from sportsrun.core.localised import localised
from sportsrun.core.web.forms import absolute
from sportsrun.core.web.openapi import file_answer
from sportsrun.core.web.page_cache import Recent
from sportsrun.core.web.params import PathId
from sportsrun.events import campaigns as stored
from sportsrun.events import hooks as events_hooks
from sportsrun.events import services as events
from sportsrun.settings import get_settings
from sportsrun.timing import services as timing

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
MAX_ENTRIES = 100
TAG_DATE = "2026"  # the year the campaign's feeds began: part of every entry's permanent id
# Characters XML 1.0 cannot carry at all, even escaped (a name pasted with a stray control character).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    summary: str
    link: str
    at: dt.datetime


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _rfc3339(moment: dt.datetime) -> str:
    return _utc(moment).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def tag(specific: str) -> str:
    """A permanent id (RFC 4151): the site's host, the feeds' year, what the entry is about."""
    host = urlsplit(get_settings().public_url).hostname or "localhost"
    return f"tag:{host},{TAG_DATE}:{specific}"


def _sub(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, name, {k: _text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _text(text)
    return element


def atom(campaign: dict, entries: list[Entry], updated: dt.datetime, locale: str) -> bytes:
    """The feed as bytes: ElementTree escapes every text and attribute."""
    cid = campaign["id"]
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": locale})
    _sub(feed, "id", tag(f"campaign-{cid}"))
    _sub(feed, "title", campaign["name"])
    _sub(feed, "subtitle", _("Race results published in the campaign"))
    _sub(feed, "updated", _rfc3339(updated))
    _sub(feed, "link", rel="self", type=MEDIA_TYPE, href=absolute(f"/campaigns/{cid}/feed.atom"))
    _sub(feed, "link", rel="alternate", type="text/html", href=absolute(f"/campaigns/{cid}"))
    author = _sub(feed, "author")
    _sub(author, "name", _("Sports Against Violence"))
    _sub(feed, "generator", "sportsrun")
    for e in entries:
        entry = _sub(feed, "entry")
        _sub(entry, "id", e.id)
        _sub(entry, "title", e.title)
        _sub(entry, "link", rel="alternate", type="text/html", href=e.link)
        _sub(entry, "published", _rfc3339(e.at))
        _sub(entry, "updated", _rfc3339(e.at))
        _sub(entry, "summary", e.summary)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


async def entries(held) -> list[Entry]:
    """Newest first: every import that wrote results into a race of the campaign's published events, and
    every time a race's results were made official."""
    races = {r.id: (event, r) for event, rs in held.events for r in rs}
    out = []
    for row in await timing.published_imports(list(races)):
        event, race = races[row["race"]]
        n = row["finishers"]
        out.append(Entry(tag(f"race-{race.id}/import-{row['id']}"),
                         _("{race}, {event}: results published", race=localised(race), event=localised(event)),
                         ngettext("{n} finisher in this sheet.", "{n} finishers in this sheet.", n),
                         absolute(f"/races/{race.id}/results"), row["at"]))  # fmt: skip
    for row in await events.results_made_official(list(races)):
        event, race = races[row["race"]]
        out.append(Entry(tag(f"race-{race.id}/official-{row['id']}"),
                         _("{race}, {event}: results official", race=localised(race), event=localised(event)),
                         _("The results are official."), absolute(f"/races/{race.id}/results"), row["at"]))  # fmt: skip
    out.sort(key=lambda e: _utc(e.at), reverse=True)  # stable: at the same instant, the import comes first
    return out[:MAX_ENTRIES]


async def _status_mark(campaign_id: int) -> int:
    held = await state.held(campaign_id)
    return await events.last_results_status_change([r.id for _e, rs in held.events for r in rs])


_marks = Recent(_status_mark, state.HELD_TTL_S)


@events_hooks.shown_changed.connect
async def forget(race_id: int | None = None) -> None:
    """A race changed in this process (its status, say): look at the log again."""
    _marks.forget()


async def feed_response(request: Request, campaign_id: int) -> Response:
    held = await state.held(campaign_id)
    mark = await _marks.get(campaign_id)
    locale = current_locale.get()

    async def build() -> bytes:
        listed = await entries(held)
        updated = listed[0].at if listed else await stored.created_at(campaign_id)
        return atom(held.campaign, listed, updated, locale)

    return await state.cached(request, held, ("feed", mark, locale), build, MEDIA_TYPE)


class CampaignFeed(Controller):
    """In the API's schema: partners' sites read it (API.md, "Campaign leaderboards")."""

    path = "/campaigns"
    tags = ["campaigns"]

    @get("/{campaign_id:int}/feed.atom", summary="An Atom feed of results published in the campaign",
         responses=file_answer(MEDIA_TYPE, "The feed, newest entry first, in the reader's language."))  # fmt: skip
    async def feed(self, request: Request, campaign_id: PathId) -> Response[bytes]:
        return await feed_response(request, campaign_id)
