"""The event's .ics file: one VEVENT per race at its start (in UTC), its place and address, read back by
icalendar as a calendar would; folded and escaped as RFC 5545 says, Arabic names included."""

import datetime as dt

from icalendar import Calendar

from sportsrun.settings import get_settings
from tests.support import make_event, make_race, soup, token_headers

IRAQ = dt.timezone(dt.timedelta(hours=3))


async def event_with_races(client):
    organiser = await token_headers(client, "organiser")
    long_name = "ماراثون بغداد الدولي للسلام والتعايش، من أجل مدينة بلا عنف; " * 3
    event = await make_event(client, organiser, name=long_name.strip(), city="بغداد", venue="متنزه الزوراء",
                             description="Bring water, a hat; and \\ your smile.")  # fmt: skip
    start = dt.datetime.combine(dt.date.fromisoformat(event["date"]), dt.time(7, 30), IRAQ)
    ten = await make_race(client, organiser, event["id"], name="10 كم", distance_m=10000,
                          start_time=start.isoformat())  # fmt: skip
    half = await make_race(client, organiser, event["id"], name="Half marathon", distance_m=21097,
                           start_time=(start + dt.timedelta(minutes=45)).isoformat(), bib_first=501,
                           bib_last=900)  # fmt: skip
    return event, ten, half, start


async def test_one_event_per_race_at_its_start_in_utc(client):
    event, ten, half, start = await event_with_races(client)
    r = await client.get(f"/events/{event['id']}/calendar.ics", headers={"Accept-Language": "en"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/calendar; charset=utf-8"
    assert f'filename="event-{event["id"]}.ics"' in r.headers["content-disposition"]
    cal = Calendar.from_ical(r.content)
    assert str(cal["version"]) == "2.0" and str(cal["prodid"]).startswith("-//Sports Against Violence")
    races = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert len(races) == 2
    first, second = races
    # 07:30 in Iraq is 04:30 UTC, written as such.
    assert first.decoded("dtstart") == start.astimezone(dt.UTC)
    assert first.decoded("dtstart").utcoffset() == dt.timedelta(0)
    assert b"DTSTART:" in r.content and b"0430" in r.content.split(b"DTSTART:")[1][:16]
    assert second.decoded("dtstart") == (start + dt.timedelta(minutes=45)).astimezone(dt.UTC)
    assert first.decoded("dtend") - first.decoded("dtstart") == dt.timedelta(hours=2)  # 10 min a km
    assert str(first["summary"]) == f"10 كم · {event['name']}"
    assert str(first["location"]) == "متنزه الزوراء, بغداد, Baghdad"
    public = get_settings().public_url
    assert str(first["url"]) == f"{public}/events/{event['id']}#race-{ten['id']}"
    assert str(second["url"]).endswith(f"#race-{half['id']}")
    assert str(first["uid"]) != str(second["uid"])
    assert "Bring water, a hat; and \\ your smile." in str(first["description"])


async def test_lines_are_folded_by_octets_and_text_escaped(client):
    event, *_ = await event_with_races(client)
    raw = (await client.get(f"/events/{event['id']}/calendar.ics")).content
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)  # octets, not characters
    for line in lines:
        line.decode("utf-8")  # never folded inside a character's bytes
    unfolded = raw.replace(b"\r\n ", b"").decode()
    assert "a hat\\; and \\\\ your smile." in unfolded and "للسلام والتعايش\\، " not in unfolded
    assert "والتعايش، من أجل مدينة بلا عنف\\;" in unfolded


async def test_the_event_page_links_the_calendar_and_the_place_is_translated(client):
    event, *_ = await event_with_races(client)
    page = soup(await client.get(f"/events/{event['id']}", headers={"Accept-Language": "ar"}))
    link = page.select_one(".calendar-link a")
    assert link["href"] == f"/events/{event['id']}/calendar.ics" and link.text == "أضف إلى التقويم"
    arabic = await client.get(f"/events/{event['id']}/calendar.ics", headers={"Accept-Language": "ar"})
    assert str(next(iter(Calendar.from_ical(arabic.content).walk("VEVENT")))["location"]).endswith("بغداد, بغداد")
    assert (await client.get("/events/999999/calendar.ics")).status_code == 404


async def test_names_and_distances_in_the_visitors_language(client):
    organiser = await token_headers(client, "organiser")
    event = await make_event(client, organiser, name="Baghdad Peace Run", name_ar="سباق بغداد للسلام",
                             city="Baghdad", city_ar="بغداد")  # fmt: skip
    await make_race(client, organiser, event["id"], name="10 km", name_ar="١٠ كم", distance_m=10000)
    nbsp = "\N{NO-BREAK SPACE}"
    expected = (("ar", "١٠ كم · سباق بغداد للسلام", "بغداد", f"10{nbsp}كم"),
                ("en", "10 km · Baghdad Peace Run", "Baghdad", f"10{nbsp}km"))  # fmt: skip
    for language, summary, city, distance in expected:
        r = await client.get(f"/events/{event['id']}/calendar.ics", headers={"Accept-Language": language})
        cal = Calendar.from_ical(r.content)
        (race,) = cal.walk("VEVENT")
        assert str(race["summary"]) == summary and str(cal["x-wr-calname"]) == summary.split(" · ")[1]
        assert str(race["location"]).split(", ")[0] == city
        assert distance in str(race["description"])
