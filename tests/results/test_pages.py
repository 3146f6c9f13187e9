"""The public results pages: structure, fragments, revalidation, the runner's page and certificate."""

import datetime as dt

import pytest

from tests.results.support import race_with_results
from tests.support import HTMX, make_race, soup, token_headers


@pytest.fixture
async def race(client):
    return await race_with_results(
        client, await token_headers(client, "organiser"), await token_headers(client, "volunteer")
    )


async def test_the_results_page_in_arabic(client, race):
    r = await client.get(f"/races/{race['id']}/results", headers={"Accept-Language": "ar"})
    assert r.status_code == 200 and r.headers["vary"].startswith("HX-Request") and "etag" in r.headers
    page = soup(r)
    assert page.html["dir"] == "rtl"
    rows = page.select("#results table.results tbody tr")
    assert len(rows) == 6
    assert rows[0].select_one("td.name a")["href"] == f"/races/{race['id']}/results/{race['bibs'][0]}"
    assert rows[4].select_one("td.place").text == "DNF"
    form = page.select_one("form.filters")
    assert {e["name"] for e in form.select("[name]")} == {"q", "gender", "age_group", "province"}
    assert "U18" in [o["value"] for o in form.select("#age_group option")]
    assert page.select_one(".badge").text  # provisional, said so
    assert page.select_one("a[href$='results.xlsx']") and page.select_one("a[href$='results.csv']")


async def test_filter_search_and_fragment(client, race):
    r = await client.get(f"/races/{race['id']}/results?q=احمد", headers=HTMX)
    assert r.status_code == 200 and "<html" not in r.text and r.headers["vary"].startswith("HX-Request")
    rows = soup(r).select("table.results tbody tr")
    assert len(rows) == 1 and "أحمد" in rows[0].text
    full = soup(await client.get(f"/races/{race['id']}/results?gender=female"))
    assert len(full.select("table.results tbody tr")) == 3
    assert full.select_one("#gender option[selected]")["value"] == "female"


async def test_an_unchanged_page_is_revalidated_with_a_304(client, race):
    url = f"/races/{race['id']}/results"
    first = await client.get(url, headers=HTMX)
    again = await client.get(url, headers={**HTMX, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    other_language = await client.get(
        url, headers={**HTMX, "If-None-Match": first.headers["etag"], "Accept-Language": "ckb"}
    )
    assert other_language.status_code == 200  # another language is another page


async def test_the_table_refreshes_itself_on_race_day_while_provisional(client):
    organiser = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    started = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
    race = await race_with_results(
        client,
        organiser,
        volunteer,
        start_time=started,
        registration_opens_at=(dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).isoformat(),
        registration_closes_at=(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat(),
    )
    section = soup(await client.get(f"/races/{race['id']}/results")).select_one("#results")
    assert section["hx-trigger"].startswith("every ") and section["hx-get"].startswith(f"/races/{race['id']}/results")
    await client.patch(f"/api/v1/races/{race['id']}", headers=organiser, json={"results_status": "official"})
    assert not soup(await client.get(f"/races/{race['id']}/results")).select_one("#results").has_attr("hx-trigger")


async def test_the_runners_page_with_places_of_n_and_share_tags(client, race):
    bib = race["bibs"][0]
    r = await client.get(f"/races/{race['id']}/results/{bib}", headers={"Accept-Language": "en"})
    page = soup(r)
    assert page.select_one("h1").text == "أحمد الزهراء"
    assert page.find("meta", {"property": "og:title"})["content"].startswith("أحمد الزهراء: 0:40:12")
    assert page.find("meta", {"property": "og:url"})["content"].endswith(f"/races/{race['id']}/results/{bib}")
    summary = page.select_one("dl.summary").text
    assert "1 of 4" in summary and "1 of 2" in summary  # overall among 4 finishers, among 2 men finishers
    assert page.select_one("a.button")["href"].endswith("/certificate")
    assert (await client.get(f"/races/{race['id']}/results/999")).status_code == 404


async def test_the_certificate_in_the_visitors_language(client, race):
    r = await client.get(
        f"/races/{race['id']}/results/{race['bibs'][0]}/certificate", headers={"Accept-Language": "ckb"}
    )
    page = soup(r)
    assert page.html["lang"] == "ckb" and page.html["dir"] == "rtl"
    cert = page.select_one("article.certificate")
    assert cert.select_one(".runner-name").text == "أحمد الزهراء" and "0:40:12" in cert.text


async def test_corrections_page_and_event_podium(client, race):
    admin = await token_headers(client, "admin")
    await client.patch(
        f"/api/v1/races/{race['id']}/results/{race['bibs'][3]}",
        headers=admin,
        json={"gun_time_ms": 2_350_000, "reason": "chip mat fault"},
    )
    page = soup(await client.get(f"/races/{race['id']}/corrections", headers={"Accept-Language": "en"}))
    assert "chip mat fault" in page.select_one("table.data tbody").text
    event = soup(await client.get(f"/events/{race['event_id']}", headers={"Accept-Language": "en"}))
    podium = event.select_one(f"#race-{race['id']} .podium")
    assert "1." in podium.text and podium.select_one(f"a[href='/races/{race['id']}/results']")


async def test_a_race_without_results_yet(client):
    race = await make_race(client, await token_headers(client, "organiser"))
    page = soup(await client.get(f"/races/{race['id']}/results", headers={"Accept-Language": "en"}))
    assert "No results yet" in page.text
