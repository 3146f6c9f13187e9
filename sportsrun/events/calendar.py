"""An event as an iCalendar file (RFC 5545) for "Add to calendar": one VEVENT per race, at its start.

Written with `icalendar` rather than by hand: the format's traps are exactly where Arabic and Kurdish
names fall into them — lines are folded at 75 octets, not characters, and never inside a character's
UTF-8 bytes; commas, semicolons, backslashes and newlines in text are escaped; and the library reads the
file back in the tests, as a calendar would.

Times are written in UTC (`…Z`): every calendar shows them in its own zone, and a race's own offset (Iraq
is UTC+3 all year) needs no VTIMEZONE block. A race has no end time; each event is given a block of time
to plan around: ten minutes a kilometre, at least an hour, in half hours."""

import datetime as dt
import math
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from sportsrun.core.i18n import gettext as _
from sportsrun.core.localised import format_distance, localised
from sportsrun.settings import get_settings

PRODID = "-//Sports Against Violence//sportsrun//EN"
MEDIA_TYPE = "text/calendar"  # Litestar adds "; charset=utf-8"


def planned_duration(distance_m: int) -> dt.timedelta:
    minutes = max(60, math.ceil(distance_m / 1000 * 10 / 30) * 30)
    return dt.timedelta(minutes=minutes)


def calendar(event: dict, province: str, event_url: str, now: dt.datetime | None = None) -> bytes:
    """The event's races as iCalendar bytes, in the current language. `event` as `services.get_event`
    gives it (with its races); `province` is the province's name in the current language."""
    now = now or dt.datetime.now(dt.UTC)
    host = urlsplit(get_settings().public_url).hostname or "sportsrun"
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    event_name = localised(event)
    cal.add("x-wr-calname", event_name)
    place = ", ".join(part for part in (event["venue"], localised(event, "city"), province) if part)
    for race in event["races"]:
        start = dt.datetime.fromisoformat(race["start_time"]).astimezone(dt.UTC)
        item = Event()
        item.add("uid", f"race-{race['id']}@{host}")
        item.add("dtstamp", now.astimezone(dt.UTC).replace(microsecond=0))
        item.add("dtstart", start)
        item.add("dtend", start + planned_duration(race["distance_m"]))
        item.add("summary", f"{localised(race)} · {event_name}")
        if place:
            item.add("location", place)
        url = f"{event_url}#race-{race['id']}"
        item.add("url", url)
        # No <bdi> in a calendar: the no-break space keeps number and unit together.
        distance = f"{_('Distance')}: {format_distance(race['distance_m'])}"
        item.add("description", "\n".join(part for part in (event["description"], distance, url) if part))
        cal.add_component(item)
    return cal.to_ical()
