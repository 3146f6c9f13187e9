"""results.xlsx and results.csv through the app: the JSON listing's rows, built in the export pool once per
race, results version and filters however many ask at once, kept for the next request, 304 on a repeat."""

import asyncio
import csv
import datetime as dt
import io
import os

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from sportsrun.core.spreadsheets import export_pool
from sportsrun.results import downloads, exports, public, queries
from tests.results.support import race_with_results
from tests.support import token_headers
from tests.timing.support import upload

FILTERS = [{}, {"gender": "female"}, {"gender": "male", "province": "IQ-BG"}, {"age_group": "30-39"}, {"q": "أحمد"}]


@pytest.fixture
async def race(client):
    return await race_with_results(
        client, await token_headers(client, "organiser"), await token_headers(client, "volunteer")
    )


async def listing(client, race_id: int, params: dict) -> list[dict]:
    body = (await client.get(f"/api/v1/races/{race_id}/results", params={**params, "limit": 500})).json()
    return [{h: item[h] for h in exports.HEADERS} for item in body["items"]]


def workbook_items(content: bytes) -> list[dict]:
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == exports.HEADERS
    items = [dict(zip(exports.HEADERS, row, strict=True)) for row in rows[1:]]
    for item in items:
        for h in exports.TIMES:
            if item[h] is not None:
                assert isinstance(item[h], dt.timedelta)  # a duration, not text
                item[h] = round(item[h].total_seconds() * 1000)
    return items


def csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text


async def until(condition, seconds: float = 30) -> None:
    """Waits for `condition()` to hold, letting the loop run; fails after `seconds`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        assert loop.time() < deadline, "the condition never held"
        await asyncio.sleep(0.01)


async def test_the_files_hold_the_json_listing_row_for_row(client, race, monkeypatch):
    monkeypatch.setattr(public, "EXPORT_SLICE", 2)  # read in several slices, as a big race is
    url = f"/api/v1/races/{race['id']}/results"
    for params in [*FILTERS, {"q": str(race["bibs"][2])}]:
        expected = await listing(client, race["id"], params)
        assert expected or params.get("age_group")
        r = await client.get(url + ".xlsx", params=params)
        assert r.status_code == 200 and r.headers["content-type"] == downloads.XLSX
        assert r.headers["content-disposition"] == f'attachment; filename="results-race-{race["id"]}.xlsx"'
        assert workbook_items(r.content) == expected, params
        # Another reader (calamine, Rust) agrees on the cells.
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
        assert [row[exports.HEADERS.index("name")] for row in sheet[1:]] == [i["name"] for i in expected]
        r = await client.get(url + ".csv", params=params)
        assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
        assert r.headers["content-disposition"] == f'attachment; filename="results-race-{race["id"]}.csv"'
        table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert table[0] == exports.HEADERS
        assert table[1:] == [[csv_cell(item[h]) for h in exports.HEADERS] for item in expected], params


async def test_two_requests_at_once_build_the_file_once(client, race, tmp_path):
    url = f"/api/v1/races/{race['id']}/results.xlsx"
    builds, joined, runs = downloads.store.builds, downloads.store.joined, export_pool.runs
    gate = tmp_path / "gate"
    os.mkfifo(gate)
    # The pool's one child waits on the gate (opening a pipe nobody writes yet): the first request's build
    # is under way, and cannot end, until both requests have asked.
    held = asyncio.ensure_future(export_pool.run(gate.read_bytes))
    try:
        first = asyncio.ensure_future(client.get(url, params={"gender": "male"}))
        second = asyncio.ensure_future(client.get(url, params={"gender": "male"}))
        await until(lambda: downloads.store.joined == joined + 1)
    finally:
        await asyncio.to_thread(gate.write_bytes, b"go")
    assert await held == b"go"
    first, second = await first, await second
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]
    assert downloads.store.builds == builds + 1 and export_pool.runs == runs + 2  # the gate, one workbook
    assert len(workbook_items(first.content)) == 3
    # Kept: the next request is answered from the store.
    again = await client.get(url, params={"gender": "male"})
    assert again.content == first.content and downloads.store.builds == builds + 1
    # Other filters, another file; pages (limit, offset) do not apply to exports.
    assert len(workbook_items((await client.get(url, params={"gender": "female"})).content)) == 3
    assert (await client.get(url, params={"gender": "male", "limit": 1})).content == first.content
    assert downloads.store.builds == builds + 2


async def test_a_repeat_is_answered_304_without_a_build(client, race):
    url = f"/api/v1/races/{race['id']}/results.csv"
    r = await client.get(url)
    etag = r.headers["etag"]
    assert r.headers["cache-control"] == "no-cache"
    builds, runs = downloads.store.builds, export_pool.runs
    downloads.store.clear()  # a 304 needs no file at all
    again = await client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert downloads.store.builds == builds and export_pool.runs == runs
    xlsx = await client.get(url.replace(".csv", ".xlsx"), headers={"If-None-Match": etag})
    assert xlsx.status_code == 200 and xlsx.headers["etag"] != etag  # each file has its own


async def test_the_csv_is_gzipped_once_for_the_clients_that_accept_it(client, race):
    url = f"/api/v1/races/{race['id']}/results.csv"
    runs = export_pool.runs
    plain = await client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.headers["vary"] == "Accept-Encoding"
    assert int(plain.headers["content-length"]) == len(plain.content)
    gzipped = await client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["content-encoding"] == "gzip" and gzipped.headers["vary"] == "Accept-Encoding"
    assert gzipped.content == plain.content  # as the client decodes it
    assert int(gzipped.headers["content-length"]) < len(plain.content)
    assert gzipped.headers["etag"] == plain.headers["etag"] and export_pool.runs == runs + 1  # one build
    workbook = await client.get(url.replace(".csv", ".xlsx"), headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in workbook.headers  # a zip already
    assert len(workbook_items(workbook.content)) == 6


async def test_with_no_room_kept_each_request_builds_its_file(client, race, settings_env):
    settings_env(export_cache_mb=0)
    url = f"/api/v1/races/{race['id']}/results.xlsx"
    builds = downloads.store.builds
    first, second = await client.get(url), await client.get(url)
    assert downloads.store.builds == builds + 2 and not downloads.store.kept

    def cells(content: bytes) -> list:
        # Not the bytes: each build stamps the workbook's creation time, which may fall in another second.
        return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()

    assert cells(first.content) == cells(second.content) and len(cells(first.content)) > 1


async def test_a_change_of_results_gives_a_new_file(client, race):
    url = f"/api/v1/races/{race['id']}/results.xlsx"
    before = await client.get(url)
    bib = race["bibs"][3]
    admin = await token_headers(client, "admin")
    r = await client.patch(f"/api/v1/races/{race['id']}/results/{bib}", headers=admin,
                           json={"gun_time_ms": 2_000_000, "reason": "mat reading"})  # fmt: skip
    assert r.status_code == 200, r.text
    after = await client.get(url, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert workbook_items(after.content) == await listing(client, race["id"], {})
    first = workbook_items(after.content)[0]
    assert (first["bib"], first["time_ms"]) == (bib, 2_000_000)
    # A new import too.
    volunteer = await token_headers(client, "volunteer", "second-volunteer@example.test")
    from tests.support import xlsx

    r = await upload(client, volunteer, race["id"], xlsx([["Bib", "Time"], [race["bibs"][1], "0:30:00"]]),
                     mode="merge")  # fmt: skip
    assert r.status_code == 201, r.text
    newest = await client.get(url)
    assert newest.headers["etag"] not in (before.headers["etag"], after.headers["etag"])
    assert workbook_items(newest.content)[0]["bib"] == race["bibs"][1]


async def test_results_that_change_between_slices_are_read_again_whole(client, race, monkeypatch):
    """A file holds one version of the results, even when an import lands while it is being read."""
    monkeypatch.setattr(public, "EXPORT_SLICE", 2)
    admin = await token_headers(client, "admin")
    real_slice = queries.export_slice
    slices = []

    async def slice_then_correct(condition, args, after, limit):
        rows = await real_slice(condition, args, after, limit)
        slices.append(limit)
        if len(slices) == 1:  # a hand correction commits after the first slice was read
            found = {"status": "finished", "gun_time_ms": 1_000_000, "reason": "found on the video"}
            r = await client.patch(f"/api/v1/races/{race['id']}/results/{race['bibs'][5]}", headers=admin, json=found)
            assert r.status_code == 200, r.text
        return rows

    monkeypatch.setattr(queries, "export_slice", slice_then_correct)
    r = await client.get(f"/api/v1/races/{race['id']}/results.xlsx")
    assert slices[-1] is None  # read again in one go
    items = workbook_items(r.content)
    assert items == await listing(client, race["id"], {})
    assert items[0]["bib"] == race["bibs"][5] and len(items) == 6


async def test_unknown_and_unpublished_races_have_no_files(client, race):
    assert (await client.get("/api/v1/races/999999/results.xlsx")).status_code == 404
    organiser = await token_headers(client, "organiser", "other-organiser@example.test")
    r = await client.patch(f"/api/v1/events/{race['event_id']}", headers=organiser, json={"published": False})
    assert r.status_code == 200, r.text
    for kind in ("xlsx", "csv"):
        assert (await client.get(f"/api/v1/races/{race['id']}/results.{kind}")).status_code == 404


async def test_the_workbook_names_the_race_in_the_visitors_language(client, race):
    organiser = await token_headers(client, "organiser", "other-organiser@example.test")
    names = {"name_ar": "نصف الماراثون / بغداد", "name_en": "Half marathon"}
    r = await client.patch(f"/api/v1/races/{race['id']}", json=names, headers=organiser)
    assert r.status_code == 200, r.text
    url = f"/api/v1/races/{race['id']}/results.xlsx"
    titles, etags = {}, set()
    for language in ("ar", "en", "ckb"):
        r = await client.get(url, headers={"Accept-Language": language})
        assert r.status_code == 200 and "Accept-Language" in r.headers["vary"]
        titles[language] = openpyxl.load_workbook(io.BytesIO(r.content)).active.title
        etags.add(r.headers["etag"])
    # The slash Excel forbids in a sheet's title is a space; Kurdish left empty: the required name stands in.
    assert titles == {"ar": "نصف الماراثون   بغداد", "en": "Half marathon", "ckb": race["name"][:31]}
    assert len(etags) == 3  # one file per language, each its own version
    again = await client.get(url, headers={"Accept-Language": "en", "If-None-Match": r.headers["etag"]})
    assert again.status_code == 200  # the Kurdish file's tag is not the English one's
