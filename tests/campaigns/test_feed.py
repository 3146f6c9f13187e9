"""The campaign's Atom feed: an entry per import that published results and per time results were made
official, in valid Atom with absolute links and permanent ids, and nobody's personal data."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from sportsrun.settings import get_settings
from tests.campaigns.organiser_support import campaign_with_results, finish, runner
from tests.support import make_event, make_race, token_headers
from tests.timing.support import csv_bytes, upload

NS = {"a": "http://www.w3.org/2005/Atom"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
async def organiser(client):
    return await token_headers(client, "organiser")


async def feed(client, campaign_id: int, **headers):
    r = await client.get(f"/campaigns/{campaign_id}/feed.atom", headers={"Accept-Language": "en", **headers})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/atom+xml")
    return r, ET.fromstring(r.content)


def entries(root) -> list[dict]:
    return [{"id": e.findtext("a:id", namespaces=NS), "title": e.findtext("a:title", namespaces=NS),
             "link": e.find("a:link", NS).get("href"), "updated": e.findtext("a:updated", namespaces=NS),
             "summary": e.findtext("a:summary", namespaces=NS)} for e in root.findall("a:entry", NS)]  # fmt: skip


def parse_time(text: str) -> dt.datetime:
    assert text.endswith("Z"), text
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


async def status(client, organiser, race_id: int, value: str) -> None:
    r = await client.patch(f"/api/v1/races/{race_id}", json={"results_status": value}, headers=organiser)
    assert r.status_code == 200, r.text


async def test_an_entry_per_import_and_per_official_change_with_absolute_links(client, organiser):
    c = await campaign_with_results(client, organiser)
    half, bibs = c["half"], c["bibs"]
    base = get_settings().public_url
    # A 10 km in the same event, and a race of an unpublished event of the campaign: the draft stays out.
    ten = await make_race(client, organiser, c["event"]["id"], name="10 km <Tigris & Euphrates>", bib_first=600,
                          bib_last=700)  # fmt: skip
    bib = await runner(client, ten["id"], given_name="Hawre", family_name="Aziz", phone="+9647709990001")
    await finish(client, organiser, ten["id"], {bib: "0:40:00"})
    draft = await make_event(client, organiser, campaign_id=c["id"], name="Secret draft")
    hidden = await make_race(client, organiser, draft["id"], name="Hidden")
    hidden_bib = await runner(client, hidden["id"])
    await finish(client, organiser, hidden["id"], {hidden_bib: "0:50:00"})
    r = await client.patch(f"/api/v1/events/{draft['id']}", json={"published": False}, headers=organiser)
    assert r.status_code == 200
    # The half again with a corrected sheet (an entry), then the same sheet again (unchanged: no entry).
    fix = {bibs["ahmed"]: "1:09:59", bibs["omar"]: "1:20:00", bibs["zainab"]: "1:25:00", bibs["sara"]: "1:30:00"}
    await finish(client, organiser, half["id"], fix)
    again = await upload(client, organiser, half["id"], csv_bytes([["Bib", "Time"], *fix.items()]), name="times.csv")
    assert again.json()["unchanged"] is True
    await status(client, organiser, half["id"], "official")

    r, root = await feed(client, c["id"])
    assert root.tag == "{http://www.w3.org/2005/Atom}feed" and root.get(XML_LANG) == "en"
    assert root.findtext("a:title", namespaces=NS) == "Road to Baghdad"
    assert root.findtext("a:id", namespaces=NS).startswith("tag:")
    links = {link.get("rel"): link.get("href") for link in root.findall("a:link", NS)}
    assert links == {"self": f"{base}/campaigns/{c['id']}/feed.atom", "alternate": f"{base}/campaigns/{c['id']}"}
    assert root.findtext("a:author/a:name", namespaces=NS)
    listed = entries(root)
    titles = [e["title"] for e in listed]
    assert titles == ["Half, Baghdad Peace Run: results official",
                      "Half, Baghdad Peace Run: results published",
                      "10 km <Tigris & Euphrates>, Baghdad Peace Run: results published",
                      "Half, Baghdad Peace Run: results published"]  # fmt: skip
    assert "&lt;Tigris &amp; Euphrates&gt;" in r.text  # escaped in the XML, read back as typed
    assert len({e["id"] for e in listed}) == 4 and all(e["id"].startswith("tag:") for e in listed)
    assert [e["link"] for e in listed] == [f"{base}/races/{half['id']}/results"] * 2 + [
        f"{base}/races/{ten['id']}/results", f"{base}/races/{half['id']}/results"]  # fmt: skip
    times = [parse_time(e["updated"]) for e in listed]
    assert times == sorted(times, reverse=True)
    assert parse_time(root.findtext("a:updated", namespaces=NS)) == times[0]
    assert abs(times[0] - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert listed[1]["summary"] == "4 finishers in this sheet." and listed[2]["summary"] == "1 finisher in this sheet."
    # Nobody's personal data: not a name, a phone, an email or a birth date.
    for person in [*c["people"].values(), {"given_name": "Hawre", "phone": "+9647709990001"}]:
        for key in ("given_name", "family_name", "phone", "email", "birth_date"):
            if person.get(key):
                assert person[key] not in r.text, key
    assert "Secret draft" not in r.text and "Hidden" not in r.text

    # An entry per change to official: provisional and official again is a second one, at once.
    await status(client, organiser, half["id"], "provisional")
    _r, root = await feed(client, c["id"])
    assert len(entries(root)) == 4  # back to provisional: nothing to announce
    await status(client, organiser, half["id"], "official")
    _r, root = await feed(client, c["id"])
    listed_again = entries(root)
    assert [e["title"] for e in listed_again[:2]] == ["Half, Baghdad Peace Run: results official"] * 2
    assert len(listed_again) == 5 and listed_again[1:] == listed  # the earlier entries keep their ids and times


async def test_the_feed_is_cached_per_version_answers_304_and_speaks_the_visitors_language(client, organiser):
    c = await campaign_with_results(client, organiser)
    r, _root = await feed(client, c["id"])
    assert r.headers["etag"] and "Accept-Language" in r.headers["vary"]
    polled = {"Accept-Language": "en", "If-None-Match": r.headers["etag"]}
    same = await client.get(f"/campaigns/{c['id']}/feed.atom", headers=polled)
    assert same.status_code == 304
    await finish(client, organiser, c["half"]["id"], {c["bibs"]["ahmed"]: "1:00:00"})  # a new import: a new version
    changed = await client.get(f"/campaigns/{c['id']}/feed.atom", headers=polled)
    assert changed.status_code == 200 and len(entries(ET.fromstring(changed.content))) == 2
    _r, arabic = await feed(client, c["id"], **{"Accept-Language": "ar"})
    assert arabic.get(XML_LANG) == "ar"
    assert entries(arabic)[0]["title"] == "Half، Baghdad Peace Run: نُشرت النتائج"


async def test_a_campaign_without_results_has_a_valid_empty_feed_and_unknown_ones_404(client, organiser):
    r = await client.post("/api/v1/campaigns", json={"name": "Empty", "targets": []}, headers=organiser)
    campaign_id = r.json()["id"]
    _r, root = await feed(client, campaign_id)
    assert entries(root) == [] and parse_time(root.findtext("a:updated", namespaces=NS))
    assert (await client.get("/campaigns/999999/feed.atom")).status_code == 404


async def test_entries_name_the_race_and_event_in_the_visitors_language(client, organiser):
    c = await campaign_with_results(client, organiser)
    r = await client.patch(f"/api/v1/races/{c['half']['id']}", json={"name_ar": "نصف الماراثون", "name_en": "Half "
                           "marathon"}, headers=organiser)  # fmt: skip
    assert r.status_code == 200, r.text
    r = await client.patch(f"/api/v1/events/{c['event']['id']}", json={"name_ar": "ركض السلام في بغداد"},
                           headers=organiser)  # fmt: skip
    assert r.status_code == 200, r.text
    _r, english = await feed(client, c["id"])
    _r, arabic = await feed(client, c["id"], **{"Accept-Language": "ar"})
    # English left empty for the event: its required name stands in.
    assert [e["title"] for e in entries(english)] == ["Half marathon, Baghdad Peace Run: results published"]
    assert [e["title"] for e in entries(arabic)] == ["نصف الماراثون، ركض السلام في بغداد: نُشرت النتائج"]
