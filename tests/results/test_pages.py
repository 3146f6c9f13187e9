"""The public results pages: structure, fragments, revalidation, the runner's page and certificate."""

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest

from tests.results.support import race_with_results
from tests.support import HTMX, make_race, soup, token_headers, xlsx


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
    # Unranked, and said in Arabic, as the runner's gender has it: a man did not finish, a woman did not start.
    assert rows[4].select_one("td.place").text == "" and rows[4].select_one("td.time").text == "لم يُكمل السباق"
    assert rows[5].select_one("td.time").text == "لم تبدأ السباق" and "DNS" not in rows[5].text
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
    assert page.select_one("#results").text.strip() == "No results yet."
    # Neither provisional nor official, and nothing to download: there is nothing yet.
    assert page.select_one(".badge") is None and page.select_one("a[href*='results.xlsx']") is None
    assert "Provisional" not in page.text and page.select_one("a[href*='results.csv']") is None


async def test_the_category_column_shows_the_age_group_place(client, race):
    page = soup(await client.get(f"/races/{race['id']}/results", headers={"Accept-Language": "en"}))
    rows = {r.select_one("td.name").text: r for r in page.select("table.results tbody tr")}
    # Second man overall, first (and only) man of 40-49: the column says which place it shows.
    veteran = rows['=HYPERLINK("http://evil.example") X'].select("td")[3]
    assert veteran.text == "Man 40-49 · 1 in category"
    ahmad = rows["أحمد الزهراء"].select("td")[3]
    assert ahmad.select_one(".group-place").text == "1 in category"


async def test_a_search_that_finds_nothing_is_not_a_race_without_results(client, race):
    page = soup(await client.get(f"/races/{race['id']}/results?q=nobody", headers={"Accept-Language": "en"}))
    assert "No result matches this search." in page.select_one("#results").text
    assert "No results yet" not in page.text and page.select_one("#results .badge")


async def test_times_are_read_in_the_races_time_zone(client):
    """One stored instant, 13:05 UTC, is 16:05 in Iraq: the results page, the import history and the
    correction log all say 16:05, with the zone."""
    from sportsrun.core.db import sql as db
    from sportsrun.results import state
    from tests.support import sign_in
    from tests.timing.support import upload

    organiser, volunteer = await token_headers(client, "organiser"), await token_headers(client, "volunteer")
    race = await race_with_results(client, organiser, volunteer)
    assert race["start_time"].endswith("+03:00")
    bibs = race["bibs"]
    again = [["Bib", "Time"], [bibs[0], "0:40:15"], [bibs[1], "0:42:00"], [bibs[2], "0:40:11.3"], [bibs[3], "0:45:30"]]
    assert (await upload(client, volunteer, race["id"], xlsx(again), mode="merge")).status_code == 201
    moment = dt.datetime(2027, 3, 20, 13, 5, 42, tzinfo=dt.UTC)
    await db.fetch("UPDATE result_import SET at = {} WHERE race = {}", moment, race["id"])
    await db.fetch("UPDATE result_correction SET at = {} WHERE race = {}", moment, race["id"])
    await db.fetch("UPDATE race SET results_updated_at = {} WHERE id = {}", moment, race["id"])
    await state.forget(race["id"])

    results = soup(await client.get(f"/races/{race['id']}/results", headers={"Accept-Language": "en"}))
    assert results.select_one(".updated").text == "Last updated 20 March 2027, 16:05 (UTC+3)"
    log = soup(await client.get(f"/races/{race['id']}/corrections", headers={"Accept-Language": "en"}))
    assert log.select_one("thead th").text == "When (UTC+3)"
    assert log.select_one("tbody td.when").text == "20 Mar 2027, 16:05"
    await sign_in(client, "organiser", "zone@example.test")
    history = soup(await client.get(f"/volunteer/races/{race['id']}/results", headers={"Accept-Language": "en"}))
    assert history.select_one("table.imports thead th").text == "When (UTC+3)"
    assert [td.text for td in history.select("table.imports td.when")] == ["20 Mar 2027, 16:05"] * 2
    arabic = soup(await client.get(f"/races/{race['id']}/results", headers={"Accept-Language": "ar"}))
    assert arabic.select_one(".updated").text == "آخر تحديث 20 آذار 2027، 16:05 (بتوقيت UTC+3)"
    api = (await client.get(f"/api/v1/races/{race['id']}/results/imports", headers=volunteer)).json()
    assert api[0]["at"] == "2027-03-20T16:05:42+03:00"  # the API keeps ISO 8601, in the race's offset too


async def test_statuses_in_the_visitors_language_on_the_runners_page(client, race):
    late, absent = race["bibs"][4], race["bibs"][5]
    page = soup(await client.get(f"/races/{race['id']}/results/{late}", headers={"Accept-Language": "ar"}))
    assert page.select_one(".big-time").text == "لم يُكمل السباق"
    assert page.find("meta", {"property": "og:title"})["content"].startswith("Late Runner: لم يُكمل السباق")
    page = soup(await client.get(f"/races/{race['id']}/results/{absent}", headers={"Accept-Language": "ar"}))
    assert page.select_one(".big-time").text == "لم تبدأ السباق"
    page = soup(await client.get(f"/races/{race['id']}/results/{absent}", headers={"Accept-Language": "en"}))
    assert page.select_one(".big-time").text == "She did not start"
    assert page.select_one("a.button[href$='/certificate']") is None
    assert (await client.get(f"/races/{race['id']}/results/{late}/certificate")).status_code == 404


async def test_the_certificate_follows_the_runners_gender(client, race):
    ahmad, noor = race["bibs"][0], race["bibs"][2]
    his = soup(await client.get(f"/races/{race['id']}/results/{ahmad}/certificate", headers={"Accept-Language": "ar"}))
    hers = soup(await client.get(f"/races/{race['id']}/results/{noor}/certificate", headers={"Accept-Language": "ar"}))
    assert his.select_one(".finished").text.startswith("أنهى سباق 10 km")
    assert hers.select_one(".finished").text.startswith("أنهت سباق 10 km")


async def test_a_shared_runners_page_never_links_to_the_host_a_request_claims(client, race):
    """The runner's page is cached for every visitor: a link taken from one request's Host header would be
    served to all of them."""
    bib = race["bibs"][0]
    for host in ("evil.example", "127.0.0.1:8000"):
        page = soup(await client.get(f"/races/{race['id']}/results/{bib}", headers={"Host": host}))
        url = page.find("meta", {"property": "og:url"})["content"]
        assert url == f"http://127.0.0.1:8000/races/{race['id']}/results/{bib}"  # SPORTSRUN_PUBLIC_URL's default


@pytest.mark.parametrize(
    ("language", "name"), [("ar", "عشرة كيلومترات"), ("ckb", "دە کیلۆمەتر"), ("en", "Ten kilometres")]
)
async def test_share_text_names_the_race_in_the_pages_language(client, language, name):
    organiser, volunteer = await token_headers(client, "organiser"), await token_headers(client, "volunteer")
    race = await race_with_results(client, organiser, volunteer, name="10 km", name_ar="عشرة كيلومترات",
                                   name_ckb="دە کیلۆمەتر", name_en="Ten kilometres")  # fmt: skip
    for path in (f"/races/{race['id']}/results/{race['bibs'][0]}", f"/races/{race['id']}/results"):
        page = soup(await client.get(path, headers={"Accept-Language": language}))
        telegram = page.select_one("section.share a.share-telegram, a.share-telegram")["href"]
        text = parse_qs(urlparse(telegram).query)["text"][0]
        assert name in text and "10 km" not in text, text
