"""The organiser's printed lists: the start list and the bib-pickup list (by bib, by name in Arabic order),
confirmed runners only, in the organiser's language and direction, with the print stylesheet, for
organisers only."""

import pytest

from sportsrun.core.web.static import STATIC
from tests.support import make_race, register, sign_in, soup, token_headers

LANG = {"Accept-Language": "ar"}


@pytest.fixture
async def race(client):
    organiser = await token_headers(client, "organiser", "lists@example.test")
    race = await make_race(client, organiser, capacity=5, bib_first=10, bib_last=99)
    people = [
        ("إبراهيم", "علي", "male", "1990-01-01", "IQ-BG", ""),
        ("زينب", "حسن", "female", "1988-02-02", "IQ-BA", "نادي الشرطة"),
        ("احمد", "كريم", "male", "2012-03-03", "IQ-NI", ""),  # a minor: initials on the start list
        ("ئارام", "کەریم", "male", "1995-04-04", "IQ-SU", "Erbil Runners"),
        ("Adam", "Smith", "male", "1985-05-05", None, ""),
        ("أمل", "جاسم", "female", "1999-06-06", "IQ-BG", ""),  # the race is full: waitlisted
    ]
    bibs = {}
    for given, family, gender, birth, province, club in people:
        extra = {"guardian_name": "ولي الأمر"} if birth.startswith("2012") else {}
        where = {"province": province} if province else {"province": None, "country": "GB"}
        r = await register(client, race["id"], given_name=given, family_name=family, gender=gender,
                           birth_date=birth, club=club, **where, **extra)  # fmt: skip
        assert r.status_code == 201, r.text
        bibs[given] = r.json()["bib"]
    return {**race, "bibs": bibs}


def rows(page) -> list[list[str]]:
    return [[td.get_text(strip=True) for td in tr.select("td")] for tr in page.select("table.print-table tbody tr")]


async def test_the_start_list_in_arabic_by_bib_with_public_names(client, race):
    await sign_in(client, "organiser")
    r = await client.get(f"/organiser/races/{race['id']}/print/start-list", headers=LANG)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    page = soup(r)
    assert page.html["dir"] == "rtl" and page.html["lang"] == "ar"
    assert page.select_one("h1").text == "قائمة الانطلاق"
    headers = [th.text for th in page.select("table.print-table thead th")]
    assert headers == ["رقم الصدرية", "الاسم", "الجنس", "الفئة العمرية", "المحافظة", "النادي"]
    got = rows(page)
    # Confirmed runners only (the sixth waits: no bib), by bib; a minor by initials, abroad by country.
    assert [row[0] for row in got] == ["10", "11", "12", "13", "14"]
    assert got[0] == ["10", "إبراهيم علي", "ذكر", "30-39", "بغداد", ""]
    assert got[1][1] == "زينب حسن" and got[1][2] == "أنثى" and got[1][5] == "نادي الشرطة"
    assert got[2][1] == "ا. ك." and got[2][3] == "U18"
    assert got[4][4] == "GB" and "أمل" not in r.text
    for personal in ("1990-01-01", "+964", "ولي الأمر"):
        assert personal not in r.text
    assert page.select_one("button[data-print][hidden]")  # shown by site.js; the browser's Print works anyway


async def test_the_pickup_list_by_name_follows_the_arabic_alphabet(client, race):
    await sign_in(client, "organiser")
    r = await client.get(f"/organiser/races/{race['id']}/print/pickup?order=name", headers=LANG)
    assert r.status_code == 200
    page = soup(r)
    assert page.select_one("h1").text == "استلام أرقام الصدور حسب الاسم"
    headers = [th.text for th in page.select("table.print-table thead th")]
    assert headers[:2] == ["الاسم", "رقم الصدرية"] and headers[-1] == "استُلم"
    names = [row[0] for row in rows(page)]
    # ئ opens the Sorani alphabet; إبراهيم and احمد both start with alef (the hamza folded), ب before ح.
    # Full names here (the desk checks an identity card), Latin names after Arabic ones.
    assert names == ["ئارام کەریم", "إبراهيم علي", "احمد كريم", "زينب حسن", "Adam Smith"]
    by_bib = await client.get(f"/organiser/races/{race['id']}/print/pickup?order=bib", headers=LANG)
    assert [row[0] for row in rows(soup(by_bib))] == ["10", "11", "12", "13", "14"]
    english = await client.get(f"/organiser/races/{race['id']}/print/pickup?order=name",
                               headers={"Accept-Language": "en"})  # fmt: skip
    page = soup(english)
    assert page.html["dir"] == "ltr" and page.select_one("h1").text == "Bib pickup by name"
    assert [row[0] for row in rows(page)][0] == "Adam Smith"


async def test_printed_lists_are_for_organisers_only(client, race):
    for path in ("print/start-list", "print/pickup?order=name"):
        url = f"/organiser/races/{race['id']}/{path}"
        public = await client.get(url)
        assert public.status_code in (302, 303) and "/login" in public.headers["location"]
    await sign_in(client, "volunteer")
    for path in ("print/start-list", "print/pickup?order=bib"):
        refused = await client.get(f"/organiser/races/{race['id']}/{path}")
        assert refused.status_code == 403 and "زينب" not in refused.text
    await sign_in(client, "organiser")
    assert (await client.get("/organiser/races/999999/print/start-list")).status_code == 404


async def test_the_registrations_page_links_the_lists_and_the_css_prints_them(client, race):
    await sign_in(client, "organiser")
    page = soup(await client.get(f"/organiser/races/{race['id']}/registrations"))
    links = {a["href"] for a in page.select("p.print-links a")}
    assert links == {f"/organiser/races/{race['id']}/print/start-list",
                     f"/organiser/races/{race['id']}/print/pickup?order=bib",
                     f"/organiser/races/{race['id']}/print/pickup?order=name"}  # fmt: skip
    css = (STATIC / "css" / "site.css").read_text()
    assert "@page printed-list" in css and "size: A4 portrait" in css
    printed = css[css.index("@page printed-list") :]
    for rule in ("page: printed-list", "display: table-header-group", "break-inside: avoid", "display: none"):
        assert rule in printed
