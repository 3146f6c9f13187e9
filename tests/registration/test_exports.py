"""The organiser's start-list.xlsx and registrations.xlsx: the organiser's own rows, built in the export
pool for each request and kept nowhere (personal data: no-store, never served to another user)."""

import asyncio
import io

import httpx
import openpyxl
import pytest

from sportsrun.core.spreadsheets import export_pool
from sportsrun.registration import sheets
from sportsrun.results import downloads
from tests.support import make_race, register, sign_in, token_headers


@pytest.fixture
async def race(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=5, bib_first=10, bib_last=99)
    await register(client, race["id"], given_name="أحمد", family_name="الزهراء", club="نادي الكرخ")
    await register(client, race["id"], given_name='=HYPERLINK("http://evil.example")', family_name="X",
                   email="x@example.com")  # fmt: skip
    await register(client, race["id"], given_name="Sara", family_name="Aziz", name_display="initials",
                   province=None, country="DE")  # fmt: skip
    await register(client, race["id"], given_name="Noor", family_name="Kareem", birth_date="2012-01-01",
                   guardian_name="Huda Kareem")  # fmt: skip
    await register(client, race["id"], given_name="Ali", family_name="Hasan")
    await register(client, race["id"], given_name="Late", family_name="Comer")  # waitlisted
    volunteer = await token_headers(client, "volunteer")
    r = await client.post(f"/api/v1/races/{race['id']}/bibs/11/check-in", headers=volunteer)
    assert r.status_code == 200, r.text
    return {**race, "organiser": organiser, "volunteer": volunteer}


def sheet_rows(content: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    for cell in (c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)):
        assert cell.data_type == "s"  # text, never a formula, whatever it starts with
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
async def other(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local") as c:
        yield c


async def test_the_files_hold_the_organisers_rows(client, race):
    registered = (await client.get(f"/api/v1/races/{race['id']}/registrations", headers=race["organiser"])).json()
    await sign_in(client, "organiser")
    r = await client.get(f"/organiser/races/{race['id']}/registrations.xlsx")
    assert r.status_code == 200 and r.headers["content-type"] == downloads.XLSX
    assert r.headers["content-disposition"] == f'attachment; filename="registrations-race-{race["id"]}.xlsx"'
    yes_no = {True: "yes", False: "no"}
    expected = [
        {h: yes_no[item[h]] if h == "checked_in" else item[h] for h in sheets.REGISTRATIONS} for item in registered
    ]
    assert sheet_rows(r.content) == expected and len(expected) == 6
    r = await client.get(f"/organiser/races/{race['id']}/start-list.xlsx")
    assert r.headers["content-disposition"] == f'attachment; filename="start-list-race-{race["id"]}.xlsx"'
    start = sheet_rows(r.content)
    confirmed = sorted((i for i in registered if i["status"] == "confirmed"), key=lambda i: i["bib"])
    assert [(s["bib"], s["given_name"], s["family_name"], s["gender"], s["province"], s["club"], s["checked_in"])
            for s in start] == [(i["bib"], i["given_name"], i["family_name"], i["gender"],
                                 i["province"] or i["country"], i["club"], yes_no[i["checked_in"]])
                                for i in confirmed]  # fmt: skip
    # The public name is the one the volunteers' bib lookup shows; the age group is the race day's.
    for s in start:
        lookup = await client.get(f"/api/v1/races/{race['id']}/bibs/{s['bib']}", headers=race["volunteer"])
        assert s["public_name"] == lookup.json()["name"]
    assert [s["age_group"] for s in start if s["given_name"] in ("Noor", "Ali")] == ["U18", "30-39"]
    assert next(s for s in start if s["given_name"] == "Sara")["public_name"] == "S. A."
    assert start[1]["checked_in"] == "yes" and start[1]["bib"] == 11


async def test_each_request_builds_its_own_file_and_none_is_kept(client, other, race):
    await sign_in(client, "organiser")
    await sign_in(other, "organiser", "second-organiser@example.test")
    url = f"/organiser/races/{race['id']}/registrations.xlsx"
    runs, kept = export_pool.runs, dict(downloads.store.kept)
    first, second = await asyncio.gather(client.get(url), other.get(url))
    assert export_pool.runs == runs + 2  # one build each, even at once
    assert downloads.store.kept == kept  # nothing went into the public store
    for r in (first, second):
        assert r.status_code == 200 and r.headers["cache-control"] == "no-store" and "etag" not in r.headers
    assert sheet_rows(first.content) == sheet_rows(second.content)
    # A new registration is in the next file, whoever asks: nothing was served from a kept copy.
    await register(client, race["id"], given_name="Newest", family_name="Runner")
    newest = await other.get(url)
    assert [row["given_name"] for row in sheet_rows(newest.content)][-1] == "Newest"
    assert export_pool.runs == runs + 3
    start = await other.get(url.replace("registrations.xlsx", "start-list.xlsx"))
    assert start.headers["cache-control"] == "no-store" and export_pool.runs == runs + 4


async def test_only_organisers_get_the_files(app, race):
    for role in (None, "volunteer"):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local") as c:
            if role:
                await sign_in(c, role, "checkin-volunteer@example.test")
            runs = export_pool.runs
            for name in ("registrations.xlsx", "start-list.xlsx"):
                r = await c.get(f"/organiser/races/{race['id']}/{name}")
                assert r.status_code in (303, 403) and not r.content.startswith(b"PK"), (role, r.status_code)
            assert export_pool.runs == runs
