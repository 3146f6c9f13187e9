"""The public campaign page on known data (tests/campaigns/support.py), in Arabic, Kurdish and English: every
figure as computed, the 19 provinces sortable with and without htmx, the series standings searched in any
Arabic spelling, filtered and paged, the invitation list without contacts, the share card and the previews
that point at it, the home page's summary, answers kept per version, and no personal data anywhere."""

import asyncio
import io
import time

import pytest
from PIL import Image

from sportsrun.campaigns import pages
from sportsrun.core.i18n import format_date, in_locale
from sportsrun.settings import get_settings
from tests.campaigns.support import PAST_A, PAST_B, runner
from tests.support import HTMX, make_event, soup

# Expected words written out (not read from the catalogs) so that a broken translation fails here.
WORDS = {
    "en": {"dir": "ltr", "baghdad": "Baghdad", "nineveh": "Nineveh", "target": "Target: 10", "provinces": "2 of 19"},
    "ar": {"dir": "rtl", "baghdad": "بغداد", "nineveh": "نينوى", "target": "الهدف: 10", "provinces": "2 من 19"},
    "ckb": {"dir": "rtl", "baghdad": "بەغدا", "nineveh": "نەینەوا", "target": "ئامانج: 10", "provinces": "2 لە 19"},
}
PERSONAL = ("+96477", "07701", "@example.test", "1990-07-01", "1992-01-01", "1991-02-02", "2014-05-05", "Mona")


def lang(locale: str) -> dict:
    return {"Accept-Language": locale}


async def after_change(client, url: str, headers: dict, etag: str):
    """The answer once it is no longer the one under `etag`: a campaign is read again at most once a second
    (state.HELD_TTL_S), so a change made by another request shows within about a second."""
    deadline = time.monotonic() + 5
    while True:
        r = await client.get(url, headers={**headers, "If-None-Match": etag})
        if r.status_code != 304 or time.monotonic() > deadline:
            return r
        await asyncio.sleep(0.1)


def figure(page, metric: str) -> str:
    return page.select_one(f"#figure-{metric} .figure-value").get_text(strip=True)


def province_rows(page) -> list[tuple[str, str]]:
    """(rank, province) of the leaderboard, in order."""
    return [(tr.select_one(".rank").get_text(strip=True), tr.select_one(".name").get_text(strip=True))
            for tr in page.select("table.provinces tbody tr")]  # fmt: skip


def standings_rows(page) -> list[tuple[str, str, str]]:
    """(rank, name, points) of the standings, in order."""
    return [(tr.select_one(".rank").get_text(strip=True), tr.select_one(".name").get_text(strip=True),
             tr.select_one(".points").get_text(strip=True)) for tr in page.select("table.series tbody tr")]  # fmt: skip


@pytest.mark.parametrize("locale", ["ar", "ckb", "en"])
async def test_the_page_shows_every_figure_and_all_19_provinces_in_each_language(client, campaign, locale):
    words = WORDS[locale]
    r = await client.get(f"/campaigns/{campaign['id']}", headers=lang(locale))
    assert r.status_code == 200, r.text
    page = soup(r)
    assert page.html["lang"] == locale and page.html["dir"] == words["dir"]
    assert page.select_one("h1").text == "Road to Baghdad"
    # 8 registered (the children's run counts), 8 finished, 5 women of them, 4 × 21.0975 + 3 × 10 + 2 km.
    assert [figure(page, m) for m in ("registrations", "finishers", "women_share", "km", "teams")] == [
        "8", "8", "62.5%", "116.4", "0"]  # fmt: skip
    assert figure(page, "provinces") == words["provinces"]
    registrations = page.select_one("#figure-registrations")
    assert registrations.select_one("progress")["max"] == "10" and registrations.select_one("progress")["value"] == "8"
    assert registrations.select_one(".figure-target").get_text(strip=True) == words["target"]
    assert "reached" not in registrations["class"] and "reached" in page.select_one("#figure-finishers")["class"]
    # The timeline's chart, and its table for screen readers and pages without images.
    assert page.select_one("svg.chart-lines title").text
    with in_locale(locale):
        dates = [format_date(day) for day in (PAST_A, PAST_B)]
    timeline = [[c.get_text(strip=True) for c in tr.select("th, td")] for tr in page.select("table.timeline tbody tr")]
    assert timeline == [[dates[0], "4", "4"], [dates[1], "8", "8"]]
    # All 19 provinces in the chart and the table, Baghdad and Nineveh first (4 finishers each: by name).
    assert len(page.select("table.provinces tbody tr")) == 19
    assert len(page.select("svg.chart-bars .chart-row")) == 19
    ranked = province_rows(page)
    assert sorted(ranked[:2]) == sorted([("1", words["baghdad"]), ("1", words["nineveh"])])
    assert {rank for rank, _name in ranked[2:]} == {"3"}  # nobody finished: all share the third place
    baghdad = next(tr for tr in page.select("table.provinces tbody tr") if words["baghdad"] in tr.text)
    assert [td.get_text(strip=True) for td in baghdad.select("td")[1:]] == ["1", "4", "4", "50%", "84.4", "0"]
    assert "#SportsAgainstViolence" in page.select_one(".campaign-head .hashtag").text


async def test_the_leaderboard_sorts_by_any_figure_with_and_without_htmx(client, campaign):
    url = f"/campaigns/{campaign['id']}"
    page = soup(await client.get(f"{url}?sort=km", headers=lang("en")))
    assert province_rows(page)[:3] == [("1", "Baghdad"), ("2", "Nineveh"), ("3", "Al-Qadisiyah")]
    assert page.select_one("table.provinces th[aria-sort]").get_text(strip=True) == "Kilometres"
    assert page.select_one("svg.chart-bars title").text == "Kilometres by province"
    # Each sort is a plain link (the standings' filters kept), which htmx follows into the table alone.
    links = {a.get_text(strip=True): a for a in page.select("nav.sort-links a")}
    assert links["Women's share"]["href"] == f"{url}?sort=women_share#provinces"
    assert links["Finishers"]["href"] == f"{url}#provinces" and links["Kilometres"]["aria-current"] == "true"
    r = await client.get(f"{url}?sort=women_share&gender=female", headers={**HTMX, "HX-Target": "provinces",
                                                                           **lang("en")})  # fmt: skip
    assert r.status_code == 200 and "<html" not in r.text and "table" in r.text
    fragment = soup(r)
    assert fragment.select_one("section")["id"] == "provinces" and not fragment.select("#standings, h1")
    ranked = province_rows(fragment)
    assert ranked[:2] == [("1", "Nineveh"), ("2", "Baghdad")]  # 75% before 50%, then no share at all
    nineveh = fragment.select_one("table.provinces tbody tr").select("td")
    assert nineveh[4].get_text(strip=True) == "75%" and "sorted" in nineveh[4]["class"]
    last = fragment.select("table.provinces tbody tr")[-1].select("td")
    assert last[4].get_text(strip=True) == "—"
    kept = {a.get_text(strip=True): a["href"] for a in fragment.select("nav.sort-links a")}
    assert kept["Kilometres"] == f"{url}?gender=female&sort=km#provinces"
    assert province_rows(soup(await client.get(f"{url}?sort=nonsense", headers=lang("en"))))[2][0] == "3"


async def test_the_standings_search_filter_and_page_like_results(client, campaign, monkeypatch):
    url = f"/campaigns/{campaign['id']}"
    page = soup(await client.get(url, headers=lang("en")))
    assert standings_rows(page) == [("1", "احمد علي", "200"), ("2", "Sara Kareem", "198"),
                                    ("3", "Zainab Hamid", "100"), ("3", "Zainab Hamid", "100"),
                                    ("5", "Omar Saleh", "99")]  # fmt: skip
    sara = page.select("table.series tbody tr")[1]
    assert [li.get_text(" ", strip=True) for li in sara.select(".series-results li")] == [
        "Half : place 2, 99 points", "10 km : place 2, 99 points"]  # fmt: skip
    # Typed with a hamza, found without it.
    found = soup(await client.get(url, params={"q": "أحمد"}, headers=lang("en")))
    assert standings_rows(found) == [("1", "احمد علي", "200")]
    assert found.select_one("#q")["value"] == "أحمد"
    women = soup(await client.get(f"{url}?gender=female", headers=lang("en")))
    assert standings_rows(women) == [("1", "Sara Kareem", "198"), ("2", "Zainab Hamid", "100"),
                                     ("2", "Zainab Hamid", "100")]  # fmt: skip
    nineveh = soup(await client.get(f"{url}?gender=female&province=IQ-NI", headers=lang("en")))
    assert standings_rows(nineveh) == [("1", "Sara Kareem", "198"), ("2", "Zainab Hamid", "100")]
    nobody = soup(await client.get(f"{url}?q=Nobody", headers=lang("en")))
    assert standings_rows(nobody) == [] and "Nobody in the standings matches" in nobody.select_one("#standings").text

    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    second = soup(await client.get(f"{url}?page=2", headers=lang("en")))
    assert standings_rows(second) == [("3", "Zainab Hamid", "100"), ("3", "Zainab Hamid", "100")]
    assert second.select_one("a[rel=prev]")["href"] == f"{url}#standings"
    assert second.select_one("a[rel=next]")["href"] == f"{url}?page=3#standings"
    assert "Page 2 of 3" in second.select_one("nav.pages").text
    r = await client.get(f"{url}?page=3&sort=km", headers={**HTMX, "HX-Target": "standings", **lang("en")})
    assert r.status_code == 200 and "<html" not in r.text
    fragment = soup(r)
    assert fragment.select_one("div")["id"] == "standings" and not fragment.select("#provinces, form, h1")
    assert standings_rows(fragment) == [("5", "Omar Saleh", "99")]
    assert fragment.select_one("a[rel=prev]")["hx-get"] == f"{url}?sort=km&page=2"


async def test_each_race_says_whether_it_counted(client, organiser, campaign):
    r = await client.patch(f"/api/v1/campaigns/{campaign['id']}", json={"best_of": 1}, headers=organiser)
    assert r.status_code == 200, r.text
    page = soup(await client.get(f"/campaigns/{campaign['id']}?q=Sara", headers=lang("en")))
    assert standings_rows(page) == [("4", "Sara Kareem", "99")]  # behind three level on 100
    results = page.select("table.series .series-results li")
    assert [li["class"] for li in results] == [["counted"], ["dropped"]]
    assert results[1].get_text(" ", strip=True) == "10 km : place 2, 99 points (not counted)"
    assert "The best result counts." in page.text


@pytest.mark.parametrize(("locale", "half", "ten"), [("ar", "نصف الماراثون", "عشرة كيلومترات"),
                                                    ("ckb", "نیوە ماراسۆن", "دە کیلۆمەتر"),
                                                    ("en", "Half marathon", "Ten kilometres")])  # fmt: skip
async def test_the_standings_name_each_race_in_the_pages_language(client, organiser, campaign, locale, half, ten):
    names = {"half": ("نصف الماراثون", "نیوە ماراسۆن", "Half marathon"),
             "ten": ("عشرة كيلومترات", "دە کیلۆمەتر", "Ten kilometres")}  # fmt: skip
    for key, (ar, ckb, en) in names.items():
        body = {"name_ar": ar, "name_ckb": ckb, "name_en": en}
        r = await client.patch(f"/api/v1/races/{campaign[key]['id']}", json=body, headers=organiser)
        assert r.status_code == 200, r.text
    page = soup(await client.get(f"/campaigns/{campaign['id']}?q=Sara", headers=lang(locale)))
    races = [li.select_one("bdi").text for li in page.select("table.series .series-results li")]
    assert races == [half, ten]  # not "Half" and "10 km", the names every language falls back to


async def test_the_invitation_list_shows_names_and_reasons_never_contacts(client, organiser, campaign):
    url = f"/campaigns/{campaign['id']}"
    before = await client.get(url, headers=lang("en"))
    assert "The invitation list has not been made yet." in before.text
    rule = {"top_women": 1, "top_men": 1, "best_per_province": True}
    made = await client.post(f"/api/v1/campaigns/{campaign['id']}/invitations", json=rule, headers=organiser)
    assert made.status_code == 200 and made.json()[0]["phone"]  # the organiser's answer has contacts
    after = await client.get(url, headers={**lang("en"), "If-None-Match": before.headers["etag"]})
    assert after.status_code == 200  # a new list is a new page
    rows = [[c.get_text(strip=True) for c in tr.select("th, td")] for tr in soup(after).select("table.invitations tr")]
    assert rows == [["Name", "Gender", "Province", "Points", "Why"],
                    ["Sara Kareem", "Woman", "Nineveh", "198", "Among the best of the series"],
                    ["احمد علي", "Man", "Baghdad", "200", "Among the best of the series"],
                    ["Omar Saleh", "Man", "Basra", "99", "Best runner of their province"],
                    ["Zainab Hamid", "Woman", "Baghdad", "100", "Best runner of their province"],
                    ["Zainab Hamid", "Woman", "Nineveh", "100", "Best runner of their province"]]  # fmt: skip
    assert not any(word in after.text for word in PERSONAL)


@pytest.mark.parametrize("locale", ["ar", "ckb", "en"])
async def test_the_share_card_is_a_png_in_the_language_of_its_address(client, campaign, locale):
    url = f"/campaigns/{campaign['id']}/card-{locale}.png"
    r = await client.get(url, headers=lang("en"))  # the address decides, not the visitor's language
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert r.headers["cache-control"] == "public, max-age=300"
    image = Image.open(io.BytesIO(r.content))
    assert image.format == "PNG" and image.size == (1200, 630)
    again = await client.get(url, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == r.headers["etag"]
    others = [(await client.get(f"/campaigns/{campaign['id']}/card-{o}.png")).content for o in ("ar", "ckb", "en")]
    assert others.count(r.content) == 1  # each language its own card
    # A new runner changes the figures: a new card under a new ETag.
    await runner(client, campaign["ten"]["id"], given_name="Huda", gender="female", province="IQ-NI")
    changed = await after_change(client, url, {}, r.headers["etag"])
    assert changed.status_code == 200 and changed.headers["etag"] != r.headers["etag"]
    assert changed.content != r.content
    assert (await client.get("/campaigns/999999/card-ar.png")).status_code == 404


@pytest.mark.parametrize("locale", ["ar", "ckb", "en"])
async def test_previews_point_at_the_card_of_the_pages_language(client, campaign, locale):
    public = get_settings().public_url
    page = soup(await client.get(f"/campaigns/{campaign['id']}", headers=lang(locale)))
    meta = {m.get("property") or m.get("name"): m["content"] for m in page.select("meta[content]")}
    card = f"{public}/campaigns/{campaign['id']}/card-{locale}.png"
    assert card.startswith("http") and meta["og:image"] == card and meta["twitter:image"] == card
    assert meta["twitter:card"] == "summary_large_image" and meta["og:title"] == "Road to Baghdad"
    assert meta["og:url"] == f"{public}/campaigns/{campaign['id']}"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert (
        "8" in meta["og:description"] and meta["og:locale"] == {"ar": "ar_IQ", "ckb": "ckb_IQ", "en": "en_GB"}[locale]
    )
    # The campaign's events share its card; an event of no campaign has none.
    event = soup(await client.get(f"/events/{campaign['half']['event_id']}", headers=lang(locale)))
    tags = {m.get("property") or m.get("name"): m["content"] for m in event.select("meta[content]")}
    assert tags["og:image"] == card and tags["og:title"] == "Baghdad"
    assert tags["og:url"] == f"{public}/events/{campaign['half']['event_id']}"
    assert event.select_one(f"a[href='/campaigns/{campaign['id']}']")


async def test_an_event_outside_campaigns_has_no_image(client, organiser):
    event = await make_event(client, organiser, name="Erbil Fun Run", description="A morning run by the citadel.")
    page = soup(await client.get(f"/events/{event['id']}", headers=lang("en")))
    tags = {m.get("property") or m.get("name"): m["content"] for m in page.select("meta[content]")}
    assert tags["og:title"] == "Erbil Fun Run" and tags["og:description"] == "A morning run by the citadel."
    assert "og:image" not in tags and tags["twitter:card"] == "summary"


async def test_the_page_is_kept_per_version_and_answers_304(client, campaign):
    url = f"/campaigns/{campaign['id']}"
    first = await client.get(url, headers=lang("ar"))
    assert first.headers["cache-control"] == "no-cache" and "HX-Target" in first.headers["vary"]
    same = await client.get(url, headers={**lang("ar"), "If-None-Match": first.headers["etag"]})
    assert same.status_code == 304
    english = await client.get(url, headers={**lang("en"), "If-None-Match": first.headers["etag"]})
    assert english.status_code == 200  # the language is part of the key
    searched = await client.get(f"{url}?q=Omar", headers={**lang("ar"), "If-None-Match": first.headers["etag"]})
    assert searched.status_code == 200 and standings_rows(soup(searched)) == [("5", "Omar Saleh", "99")]
    await runner(client, campaign["ten"]["id"], given_name="Huda", gender="female", province="IQ-NI")
    changed = await after_change(client, url, lang("ar"), first.headers["etag"])
    assert changed.status_code == 200 and figure(soup(changed), "registrations") == "9"
    assert (await client.get("/campaigns/999999", headers=lang("en"))).status_code == 404


async def test_the_home_page_sums_up_the_campaign(client, campaign):
    page = soup(await client.get("/", headers=lang("en")))
    summary = page.select_one(".campaign-summary")
    assert summary.select_one(f"h3 a[href='/campaigns/{campaign['id']}']").text == "Road to Baghdad"
    figures = {dt_.text: dd.text for dt_, dd in zip(summary.select("dt"), summary.select("dd"), strict=True)}
    assert figures == {"Runners registered": "8", "Finishers": "8", "Provinces": "2 of 19", "Kilometres run": "116.4"}
    assert "#SportsAgainstViolence" in summary.text
    arabic = soup(await client.get("/", headers=lang("ar"))).select_one(".campaign-summary")
    assert "2 من 19" in arabic.text and "المحافظات" in arabic.text


async def test_no_page_or_fragment_carries_personal_data(client, organiser, campaign):
    await client.post(f"/api/v1/campaigns/{campaign['id']}/invitations",
                      json={"top_women": 3, "top_men": 3, "best_per_province": True}, headers=organiser)  # fmt: skip
    url = f"/campaigns/{campaign['id']}"
    for locale in ("ar", "ckb", "en"):
        for path, headers in ((url, {}), (f"{url}?gender=male&q=احمد", {}), (f"{url}?sort=teams", {}),
                              (url, {**HTMX, "HX-Target": "standings"}), (url, {**HTMX, "HX-Target": "provinces"}),
                              ("/", {}), (f"/events/{campaign['half']['event_id']}", {})):  # fmt: skip
            text = (await client.get(path, headers={**headers, **lang(locale)})).text
            assert not [word for word in PERSONAL if word in text], (locale, path, headers)
