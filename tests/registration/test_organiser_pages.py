"""The organiser's registrations table, inline bib changes, entrant import and exports."""

import io

import openpyxl
import pytest

from sportsrun.core.db import sql as db
from tests.support import HTMX, count_parses, make_race, register, sign_in, soup, token_headers, xlsx


@pytest.fixture
async def race(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=60, bib_first=1, bib_last=200)
    await register(client, race["id"], given_name="أحمد", family_name="الزهراء", phone="07701110000")
    await register(
        client, race["id"], given_name='=HYPERLINK("http://evil.example")', family_name="Sara", email="sara@example.com"
    )
    for i in range(58):
        await register(client, race["id"], given_name=f"Runner{i}", family_name="Load")
    await register(client, race["id"], given_name="Late", family_name="Comer")  # waitlisted
    return race


async def test_table_pages_searches_and_filters_full_and_fragment(client, race):
    await sign_in(client, "organiser")
    url = f"/organiser/races/{race['id']}/registrations"
    full = await client.get(url, headers={"Accept-Language": "en"})
    page = soup(full)
    assert full.headers["cache-control"] == "no-store" and full.headers["vary"] == "HX-Request"
    assert len(page.select("#registrations tbody tr")) == 50
    assert "Page 1 of 2" in page.select_one(".pages").text
    assert page.select_one(".pages a[rel=next]")["hx-get"].endswith("page=2")
    second = await client.get(url + "?page=2", headers=HTMX)
    assert "<html" not in second.text and len(soup(second).select("tbody tr")) == 11
    # Arabic spelling variants: "احمد" finds "أحمد".
    found = soup(await client.get(url + "?q=احمد", headers=HTMX))
    assert [td.text.strip() for td in found.select("tbody tr td:nth-of-type(2)")] == ["أحمد الزهراء"]
    by_bib = soup(await client.get(url + "?q=2", headers=HTMX))
    assert [i["value"] for i in by_bib.select("tbody input[name=bib]")] == ["2"]
    by_phone = soup(await client.get(url + "?q=0770 111 0000", headers=HTMX))
    assert len(by_phone.select("tbody tr")) == 1
    waiting = soup(await client.get(url + "?status=waitlisted", headers=HTMX))
    assert len(waiting.select("tbody tr")) == 1 and waiting.select_one("tbody input[name=bib]") is None


async def test_inline_bib_reassignment_with_htmx_and_without(client, race):
    token = await sign_in(client, "organiser")
    [first] = await db.fetch("SELECT id FROM registration WHERE bib = 1")
    url = f"/organiser/registrations/{first['id']}/bib"
    r = await client.post(url, data={"_csrf_token": token, "bib": "150"}, headers=HTMX)
    assert r.status_code == 200 and "<html" not in r.text
    row = soup(r).select_one(f"tr#registration-{first['id']}")
    assert row.select_one("input[name=bib]")["value"] == "150"
    r = await client.post(url, data={"_csrf_token": token, "bib": "2"}, headers={**HTMX, "Accept-Language": "en"})
    assert r.status_code == 422 and "already taken" in soup(r).select_one(".error").text
    r = await client.post(url, data={"_csrf_token": token, "bib": "151"})  # no JavaScript
    assert r.status_code == 303 and "registrations" in r.headers["location"]
    assert (await db.fetch("SELECT bib FROM registration WHERE id = {}", first["id"]))[0]["bib"] == 151
    audit = await db.fetch("SELECT bib, previous_bib FROM bib_audit WHERE action = 'reassigned' ORDER BY id")
    assert [(a["previous_bib"], a["bib"]) for a in audit] == [(1, 150), (150, 151)]


async def test_the_start_list_and_registrations_export(client, race):
    await sign_in(client, "organiser")
    r = await client.get(f"/organiser/races/{race['id']}/start-list.xlsx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r.headers["content-disposition"] and r.headers["cache-control"] == "no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("bib", "given_name", "family_name") and len(rows) == 61
    assert [row[0] for row in rows[1:]] == sorted(row[0] for row in rows[1:])
    evil = next(c for row in sheet.iter_rows() for c in row if c.value and str(c.value).startswith("=HYPERLINK"))
    assert evil.data_type == "s"  # text, never a formula
    r = await client.get(f"/organiser/races/{race['id']}/registrations.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert "phone" in rows[0] and len(rows) == 62


async def test_import_page_shows_errors_against_their_rows_then_imports(client, monkeypatch):
    parses = count_parses(monkeypatch)
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=10)
    token = await sign_in(client, "organiser", "org2@example.test")
    url = f"/organiser/races/{race['id']}/import"
    assert soup(await client.get(url)).select_one("form.upload input[type=file]")["name"] == "file"
    header = ["given_name", "family_name", "gender", "birth_date", "province", "phone"]
    bad = xlsx(
        [
            header,
            ["Ali", "Kareem", "male", "1990-01-01", "IQ-BG", "07701000001"],
            ["Sara", "Aziz", "dunno", "1991-01-01", "IQ-BG", "07701000002"],
        ]
    )
    r = await client.post(
        url, data={"_csrf_token": token}, files={"file": ("entrants.xlsx", bad)}, headers={"Accept-Language": "en"}
    )
    assert r.status_code == 422
    row = soup(r).select_one("#row-3")
    assert "gender" in row.text and row.select_one("td.bad").text == "dunno"
    assert len(parses) == 1  # the rows shown beside their problems are the ones the check read
    assert (await db.fetch("SELECT COUNT(*) AS n FROM registration"))[0]["n"] == 0
    fixed = xlsx(
        [
            header,
            ["Ali", "Kareem", "male", "1990-01-01", "IQ-BG", "07701000001"],
            ["Sara", "Aziz", "female", "1991-01-01", "IQ-BG", "07701000002"],
        ]
    )
    r = await client.post(
        url, data={"_csrf_token": token}, files={"file": ("entrants.xlsx", fixed)}, headers={"Accept-Language": "en"}
    )
    assert r.status_code == 201 and "2 registrations created" in soup(r).select_one(".success").text
