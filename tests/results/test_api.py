"""The API's results listing, exports and correction log."""

import csv
import datetime as dt
import io

import openpyxl
import pytest

from tests.results.support import forbidden_values, race_with_results
from tests.support import token_headers
from tests.timing.support import upload

FIELDS = {
    "place",
    "gender_place",
    "age_group_place",
    "bib",
    "name",
    "gender",
    "age_group",
    "province",
    "status",
    "time",
    "time_ms",
    "gun_time_ms",
    "chip_time_ms",
    "pace",
    "splits",
}


@pytest.fixture
async def race(client):
    return await race_with_results(
        client, await token_headers(client, "organiser"), await token_headers(client, "volunteer")
    )


async def test_the_listing_in_api_md_shape_and_order(client, race):
    r = await client.get(f"/api/v1/races/{race['id']}/results")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 6 and body["race"]["results_status"] == "provisional"
    assert all(FIELDS <= set(item) for item in body["items"])
    items = body["items"]
    # Finishers by place (two equal times share 1st), then DNF, then DNS; places null for those.
    assert [(i["place"], i["status"]) for i in items] == [
        (1, "finished"),
        (1, "finished"),
        (3, "finished"),
        (4, "finished"),
        (None, "DNF"),
        (None, "DNS"),
    ]
    first = items[0]
    assert first["time"] == "0:40:12" and first["time_ms"] == 2_411_300 and first["pace"] == "4:01"
    assert items[2]["time"] == "0:42:00" and items[2]["gap_s"] == 108
    assert items[4]["time"] is None and items[4]["pace"] is None
    assert next(i for i in items if i["bib"] == race["bibs"][0])["splits"] == [{"name": "5K", "time_ms": 1_199_000}]


async def test_names_as_chosen_minors_by_initials(client, race):
    items = {i["bib"]: i for i in (await client.get(f"/api/v1/races/{race['id']}/results")).json()["items"]}
    bibs = race["bibs"]
    assert items[bibs[0]]["name"] == "أحمد الزهراء"
    assert items[bibs[1]]["name"] == "S. A."  # chose initials
    assert items[bibs[2]]["name"] == "N. K."  # under 18, no guardian opt-in
    assert items[bibs[2]]["age_group"] == "U18" and items[bibs[0]]["age_group"] == "30-39"
    assert items[bibs[5]]["province"] is None and items[bibs[5]]["country"] == "DE"


async def test_filters_search_and_pages(client, race):
    url = f"/api/v1/races/{race['id']}/results"
    women = (await client.get(url, params={"gender": "female"})).json()
    assert women["total"] == 3 and {i["gender"] for i in women["items"]} == {"female"}
    assert (await client.get(url, params={"age_group": "U18"})).json()["total"] == 1
    assert (await client.get(url, params={"province": "iq-ka"})).json()["total"] == 1
    # Arabic spelling variants: احمد (no hamza) finds أحمد.
    found = (await client.get(url, params={"q": "احمد"})).json()
    assert [i["bib"] for i in found["items"]] == [race["bibs"][0]]
    assert (await client.get(url, params={"q": "Sara"})).json()["total"] == 0  # shown by initials: by bib only
    assert (await client.get(url, params={"q": str(race["bibs"][1])})).json()["total"] == 1
    page = (await client.get(url, params={"limit": 2, "offset": 2})).json()
    assert page["total"] == 6 and [i["place"] for i in page["items"]] == [3, 4]
    assert (await client.get(url, params={"gender": "other"})).status_code == 422
    assert (await client.get(url, params={"limit": 501})).status_code == 422
    assert (await client.get("/api/v1/races/99999/results")).status_code == 404


async def test_an_unchanged_poll_is_a_304(client, race):
    url = f"/api/v1/races/{race['id']}/results"
    first = await client.get(url)
    etag = first.headers["etag"]
    again = await client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    organiser = await token_headers(client, "admin")
    await client.patch(
        f"/api/v1/races/{race['id']}/results/{race['bibs'][3]}",
        headers=organiser,
        json={"gun_time_ms": 2_000_000, "reason": "mat reading"},
    )
    changed = await client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["items"][0]["bib"] == race["bibs"][3]


async def test_official_results_are_marked_so(client, race):
    organiser = await token_headers(client, "admin")
    await client.patch(f"/api/v1/races/{race['id']}", headers=organiser, json={"results_status": "official"})
    assert (await client.get(f"/api/v1/races/{race['id']}/results")).json()["race"]["results_status"] == "official"


async def test_exports_hold_the_same_rows_typed_and_safe(client, race):
    url = f"/api/v1/races/{race['id']}/results"
    r = await client.get(url + ".xlsx", params={"gender": "male"})
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:5]) == ["place", "gender_place", "age_group_place", "bib", "name"]
    assert len(rows) == 1 + 3
    time_ms = rows[0].index("time_ms")
    assert rows[1][time_ms] == dt.timedelta(milliseconds=2_411_300)  # a duration, not text
    evil = next(c for row in sheet.iter_rows() for c in row if str(c.value or "").startswith("=HYPERLINK"))
    assert evil.data_type == "s"
    text = (await client.get(url + ".csv")).content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:3] == ["place", "gender_place", "age_group_place"] and len(table) == 7
    assert any(cell.startswith("'=HYPERLINK") for row in table for cell in row)
    assert not any(cell.startswith("=") for row in table for cell in row)


async def test_no_personal_data_anywhere_public(client, race):
    forbidden = await forbidden_values()
    base = f"/api/v1/races/{race['id']}"
    bodies = [
        (await client.get(f"{base}/results")).text,
        (await client.get(f"{base}/results.csv")).content.decode("utf-8-sig"),
        (await client.get(f"{base}/corrections")).text,
        (await client.get(f"/races/{race['id']}/results")).text,
        (await client.get(f"/events/{race['event_id']}")).text,
    ]
    for bib in race["bibs"]:
        bodies.append((await client.get(f"/races/{race['id']}/results/{bib}")).text)
    sheet = openpyxl.load_workbook(io.BytesIO((await client.get(f"{base}/results.xlsx")).content)).active
    bodies.append(" ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row))
    for body in bodies:
        for value in forbidden:
            assert value not in body, value
        for field in ("birth_date", "phone", "email", "emergency_contact", "guardian"):
            assert f'"{field}"' not in body


async def test_the_correction_log(client, race):
    admin = await token_headers(client, "admin")
    volunteer = await token_headers(client, "volunteer", "second-volunteer@example.test")
    from tests.support import xlsx

    await client.patch(
        f"/api/v1/races/{race['id']}/results/{race['bibs'][4]}",
        headers=admin,
        json={"status": "finished", "gun_time_ms": 3_000_000, "reason": "found on the video"},
    )
    await upload(
        client,
        volunteer,
        race["id"],
        xlsx([["Bib", "Time"], [race["bibs"][0], "0:40:00"]]),
        mode="merge",
        reason="second timing mat",
    )
    log = (await client.get(f"/api/v1/races/{race['id']}/corrections")).json()
    assert [(c["bib"], c["source"], c["reason"]) for c in log] == [
        (race["bibs"][0], "import", "second timing mat"),
        (race["bibs"][4], "correction", "found on the video"),
    ]
    assert set(log[0]) == {"at", "bib", "change", "source", "reason"} and "→" in log[0]["change"]
    assert log[0]["at"].endswith("+03:00")
