"""Timing sheets through the API, as volunteers and timing companies send them."""

import asyncio
import datetime as dt
import json

import pytest

from sportsrun.core.db import sql as db
from tests.support import count, register, row_counts, xlsx
from tests.timing.support import csv_bytes, race_with_runners, results, upload

ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def hand_typed_arabic(n: int = 45) -> bytes:
    """A finish-line volunteer's sheet: a title row, Arabic headers, Arabic-Indic digits, a blank row
    every twenty, a status word in the time column, an extra column."""
    rows = [["نتائج سباق كربلاء ١٠ كم"], [], ["رقم الصدرية", "الاسم", "الوقت", "ملاحظات"]]
    for i in range(1, n + 1):
        if i % 20 == 0:
            rows.append([])
        time = "لم يكمل" if i == 7 else f"0:{30 + i // 2:02d}:{i % 60:02d}".translate(ARABIC)
        rows.append([str(i).translate(ARABIC), f"عداء {i}", time, ""])
    return xlsx(rows)


async def test_the_hand_typed_arabic_sheet(client, organiser, volunteer):
    race = await race_with_runners(client, organiser, 45)
    r = await upload(client, volunteer, race["id"], hand_typed_arabic())
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["rows_read"], body["results_written"], body["finishers"], body["dnf"]) == (45, 45, 44, 1)
    assert body["unchanged"] is False and body["import_id"] and body["columns"]["bib"] == "رقم الصدرية"
    stored = await results(race["id"])
    assert stored[1]["gun_time_ms"] == 1_801_000 and stored[7]["status"] == "DNF" and stored[7]["place"] is None
    assert stored[1]["place"] == 1 and stored[2]["place"] == 2
    # Places within gender and age group are stored too.
    assert all(r["gender_place"] for r in stored.values() if r["status"] == "finished")


async def test_a_timing_companys_sheet_with_chip_gun_and_splits(client, organiser, volunteer):
    race = await race_with_runners(client, organiser, 4, distance_m=21097.5, ranking="chip")
    content = xlsx(
        [
            ["Bib", "Name", "5K", "10K", "Half", "Chip Time", "Gun Time", "Pace", "Place"],
            [
                1,
                "A",
                dt.time(0, 17, 2),
                dt.time(0, 34, 10),
                "-",
                dt.time(1, 12, 5, 300_000),
                dt.time(1, 12, 9),
                "3:25",
                9,
            ],
            [
                2,
                "B",
                dt.time(0, 16, 50),
                dt.time(0, 33, 59),
                "",
                dt.time(1, 12, 5, 100_000),
                dt.time(1, 12, 30),
                "3:25",
                8,
            ],
            [3, "C", dt.time(0, 20, 0), dt.time(1, 30, 0), "", None, dt.time(1, 20, 0), "", 1],  # no chip; late split
            [4, "D", None, None, None, dt.time(1, 25, 0), dt.time(1, 24, 0), "", 2],  # chip longer than gun
        ]
    )
    r = await upload(client, volunteer, race["id"], content)
    assert r.status_code == 201, r.text
    warnings = {(w["row"], w["column"]) for w in r.json()["warnings"]}
    assert {(4, "10K"), (4, "Chip Time"), (5, "Chip Time")} <= warnings
    stored = await results(race["id"])
    assert stored[2]["place"] == 1 and stored[1]["place"] == 2  # chip-ranked: 1:12:05.1 beats 1:12:05.3
    assert stored[3]["time_ms"] == 4_800_000  # ranked by gun time without a chip time
    splits = stored[1]["splits"]
    assert (json.loads(splits) if isinstance(splits, str) else splits) == [["5K", 1022000], ["10K", 2050000]]
    assert "Pace" not in r.json()["columns"].values() and "Place" not in r.json()["columns"].values()


async def test_a_windows_1256_semicolon_csv_of_clock_times(client, organiser, volunteer):
    race = await race_with_runners(client, organiser, 3)
    start = dt.datetime.fromisoformat(race["start_time"])
    clock = lambda minutes: (start + dt.timedelta(minutes=minutes, seconds=7)).strftime("%H:%M:%S")  # noqa: E731
    content = csv_bytes(
        [["رقم الصدرية", "ساعة الوصول", "الحالة"], [1, clock(41), ""], [2, clock(39), ""], [3, "", "لم يبدأ"]],
        delimiter=";",
        encoding="cp1256",
    )
    r = await upload(client, volunteer, race["id"], content, name="times.csv")
    assert r.status_code == 201, r.text
    stored = await results(race["id"])
    assert stored[1]["gun_time_ms"] == (41 * 60 + 7) * 1000 and stored[2]["place"] == 1
    assert stored[3]["status"] == "DNS"


@pytest.mark.parametrize(
    "rows,expected",
    [
        ([["Bib", "Time"], [1, "0:40:00"], [999, "0:41:00"]], (3, "Bib", "No runner holds bib 999")),
        ([["Bib", "Time"], [1, "0:40:00"], [1, "0:41:00"]], (3, "Bib", "also on row 2")),
        ([["Bib", "Time"], [1, "fast"]], (2, "Time", "could not be read")),
        ([["Bib", "Time"], [1, "0:00:00"]], (2, "Time", "zero or negative")),
        ([["Bib", "Time", "Status"], [1, None, None]], (2, "Bib", "neither a time nor a status")),
        ([["Bib", "Time", "Status"], [1, "0:40:00", "injured"]], (2, "Status", "not one of")),
        ([["Bib", "Time"], ["F3", "0:40:00"]], (2, "Bib", "could not be read")),
        ([["Runner", "Time"], [1, "0:40:00"]], (None, None, "No bib column")),
        ([["Bib", "Name"], [1, "Ali"]], (None, None, "No bib column")),
    ],
)
async def test_every_error_refuses_the_file_with_its_row_and_column(client, organiser, volunteer, rows, expected):
    race = await race_with_runners(client, organiser, 2)
    before = await row_counts()
    r = await upload(client, volunteer, race["id"], xlsx(rows), headers_lang="en")
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert any((e["row"], e["column"]) == expected[:2] and expected[2] in e["message"] for e in errors), errors
    assert await row_counts() == before and await count("result_import") == 0


async def test_a_bib_of_another_race_of_the_event_is_named(client, organiser, volunteer):
    race = await race_with_runners(client, organiser, 2)
    from tests.support import make_race

    other = await make_race(client, organiser, race["event_id"], name="5 km", bib_first=5001, bib_last=5999)
    taken = (await register(client, other["id"])).json()["bib"]
    r = await upload(client, volunteer, race["id"], xlsx([["Bib", "Time"], [taken, "0:40:00"]]))
    assert r.status_code == 422 and "5 km" in r.json()["errors"][0]["message"]


async def test_warnings_do_not_stop_the_import(client, organiser, volunteer):
    race = await race_with_runners(client, organiser, 3)
    content = xlsx([["Bib", "Time", "Status"], [1, dt.timedelta(hours=42, minutes=10), None], [2, "0:45:00", "DNF"]])
    r = await upload(client, volunteer, race["id"], content)
    assert r.status_code == 201
    warnings = r.json()["warnings"]
    assert any(w["row"] == 2 and w["column"] == "Time" and "42:10" in w["message"] for w in warnings)
    assert any(w["row"] == 3 and w["column"] == "Status" for w in warnings)
    assert any(w["row"] is None and "Bib 3" in w["message"] for w in warnings)  # absent from a replace file
    stored = await results(race["id"])
    assert stored[1]["gun_time_ms"] == 2_530_000 and stored[2]["status"] == "DNF" and 3 not in stored


async def test_dry_run_writes_nothing_and_says_what_it_would_do(client, organiser, volunteer):
    race = await race_with_runners(client, organiser, 45)
    before = await row_counts()
    r = await upload(client, volunteer, race["id"], hand_typed_arabic(), dry_run=True)
    assert r.status_code == 200 and r.json()["import_id"] is None and r.json()["finishers"] == 44
    assert await row_counts() == before and await count("result") == 0


async def test_the_same_file_again_leaves_the_same_state_and_says_so(client, organiser, volunteer):
    race = await race_with_runners(client, organiser, 45)
    sheet = hand_typed_arabic()  # built once: openpyxl stamps the time of saving into the file
    first = (await upload(client, volunteer, race["id"], sheet)).json()
    stored = await results(race["id"])
    again = await upload(client, volunteer, race["id"], sheet)
    assert again.status_code == 201 and again.json()["unchanged"] is True and again.json()["results_written"] == 0
    assert {b: (r["gun_time_ms"], r["place"]) for b, r in (await results(race["id"])).items()} == {
        b: (r["gun_time_ms"], r["place"]) for b, r in stored.items()
    }
    assert await count("result_correction") == 0
    assert again.json()["import_id"] != first["import_id"]  # the retry is on record too
    # After a hand correction the same file is a real change again.
    await client.patch(
        f"/api/v1/races/{race['id']}/results/1",
        headers=organiser,
        json={"gun_time_ms": 1_700_000, "reason": "photo finish"},
    )
    third = await upload(client, volunteer, race["id"], sheet)
    assert third.json()["unchanged"] is False
    assert (await results(race["id"]))[1]["gun_time_ms"] == 1_801_000


async def test_merge_changes_only_the_bibs_in_the_file_and_recomputes_places(client, organiser, volunteer):
    race = await race_with_runners(client, organiser, 3)
    await upload(client, volunteer, race["id"], xlsx([["Bib", "Time"], [1, "0:40:00"], [2, "0:41:00"], [3, "0:42:00"]]))
    r = await upload(
        client, volunteer, race["id"], xlsx([["Bib", "Time"], [3, "0:39:00"]]), mode="merge", reason="late timing mat"
    )
    assert r.status_code == 201 and not any("not in the file" in w["message"] for w in r.json()["warnings"])
    stored = await results(race["id"])
    assert [stored[b]["place"] for b in (3, 1, 2)] == [1, 2, 3]
    [correction] = await db.fetch("SELECT bib, change, source, reason FROM result_correction")
    assert (correction["bib"], correction["source"], correction["reason"]) == (3, "import", "late timing mat")
    assert "0:42:00 → 0:39:00" in correction["change"]


async def test_replace_removes_results_missing_from_the_file_and_logs_it(client, organiser, volunteer):
    race = await race_with_runners(client, organiser, 2)
    await upload(client, volunteer, race["id"], xlsx([["Bib", "Time"], [1, "0:40:00"], [2, "0:41:00"]]))
    await upload(client, volunteer, race["id"], xlsx([["Bib", "Time"], [1, "0:40:00"]]))
    assert set(await results(race["id"])) == {1}
    [correction] = await db.fetch("SELECT bib, change FROM result_correction")
    assert correction["bib"] == 2 and "removed" in correction["change"]


async def test_undo_restores_the_previous_results(client, organiser, volunteer):
    race = await race_with_runners(client, organiser, 2)
    first = (
        await upload(client, volunteer, race["id"], xlsx([["Bib", "Time"], [1, "0:40:00"], [2, "0:41:00"]]))
    ).json()
    second = (
        await upload(client, volunteer, race["id"], xlsx([["Bib", "Time"], [1, "0:45:00"], [2, "0:41:00"]]))
    ).json()
    url = f"/api/v1/races/{race['id']}/results/imports"
    assert (await client.post(f"{url}/{first['import_id']}/undo", headers=organiser, json={})).status_code == 409
    assert (await client.post(f"{url}/{second['import_id']}/undo", headers=volunteer, json={})).status_code == 403
    r = await client.post(f"{url}/{second['import_id']}/undo", headers=organiser, json={"reason": "wrong file"})
    assert r.status_code == 200
    stored = await results(race["id"])
    assert stored[1]["gun_time_ms"] == 2_400_000 and stored[1]["place"] == 1
    sources = [c["source"] for c in await db.fetch("SELECT source FROM result_correction ORDER BY id")]
    assert sources == ["import", "undo"]
    history = (await client.get(url, headers=volunteer)).json()
    assert [h["outcome"] for h in history] == ["undone", "committed"]
    # The first import is now the last one in force, and can itself be undone (back to no results).
    assert (await client.post(f"{url}/{first['import_id']}/undo", headers=organiser, json={})).status_code == 200
    assert await results(race["id"]) == {}


async def test_hand_correction_with_a_reason(client, organiser, volunteer):
    race = await race_with_runners(client, organiser, 3)
    await upload(client, volunteer, race["id"], xlsx([["Bib", "Time"], [1, "0:40:00"], [2, "0:41:00"]]))
    url = f"/api/v1/races/{race['id']}/results/2"
    assert (await client.patch(url, headers=organiser, json={"gun_time_ms": 2_000_000})).status_code == 422
    assert (await client.patch(url, headers=volunteer, json={"gun_time_ms": 1, "reason": "x"})).status_code == 403
    r = await client.patch(url, headers=organiser, json={"gun_time_ms": 2_300_000, "reason": "photo finish"})
    assert r.status_code == 200 and r.json()["place"] == 1 and r.json()["time"] == "0:38:20"
    r = await client.patch(
        f"/api/v1/races/{race['id']}/results/1", headers=organiser, json={"status": "DQ", "reason": "cut the course"}
    )
    assert r.json()["place"] is None and r.json()["status"] == "DQ"
    changes = await db.fetch("SELECT bib, source, reason FROM result_correction ORDER BY id")
    assert [(c["bib"], c["source"], c["reason"]) for c in changes] == [
        (2, "correction", "photo finish"),
        (1, "correction", "cut the course"),
    ]
    # A runner the sheet missed gets a result by hand; the others keep theirs.
    r = await client.patch(
        f"/api/v1/races/{race['id']}/results/3", headers=organiser, json={"gun_time_ms": 2_500_000, "reason": "late"}
    )
    assert r.status_code == 200 and r.json()["place"] == 2 and r.json()["status"] == "finished"
    stored = await results(race["id"])
    assert {bib: (r["status"], r["place"]) for bib, r in stored.items()} == {
        1: ("DQ", None), 2: ("finished", 1), 3: ("finished", 2)
    }  # fmt: skip
    assert (
        await client.patch(
            f"/api/v1/races/{race['id']}/results/77", headers=organiser, json={"status": "DNF", "reason": "x"}
        )
    ).status_code == 404


async def test_two_imports_at_once_are_serialised_not_interleaved(client, organiser, volunteer):
    race = await race_with_runners(client, organiser, 200)
    a = xlsx([["Bib", "Time"], *[[i, f"0:{30 + i // 10:02d}:{i % 60:02d}"] for i in range(1, 201)]])
    b = xlsx([["Bib", "Time"], *[[i, f"1:{30 + i // 10:02d}:{i % 60:02d}"] for i in range(1, 201)]])
    first, second = await asyncio.gather(
        upload(client, volunteer, race["id"], a), upload(client, volunteer, race["id"], b)
    )
    assert first.status_code == second.status_code == 201
    hours = {r["gun_time_ms"] // 3_600_000 for r in (await results(race["id"])).values()}
    assert len(hours) == 1  # all from one file, whichever came last
    assert await count("result_import", "outcome = 'committed'") == 2


async def test_a_registrant_cannot_cancel_once_a_result_uses_the_bib(client, organiser, volunteer):
    from tests.support import make_race

    race = await make_race(client, organiser)
    reg = (await register(client, race["id"])).json()
    await upload(client, volunteer, race["id"], xlsx([["Bib", "Time"], [reg["bib"], "0:40:00"]]))
    r = await client.delete(f"/api/v1/registrations/{reg['code']}")
    assert r.status_code == 409


async def test_imports_need_a_volunteer_token(client, organiser):
    race = await race_with_runners(client, organiser, 1)
    assert (await upload(client, {}, race["id"], xlsx([["Bib", "Time"], [1, "0:40:00"]]))).status_code == 401


async def test_a_mapping_names_columns_detection_cannot(client, organiser, volunteer):
    race = await race_with_runners(client, organiser, 2)
    content = xlsx([["Runner", "Result A", "Result B"], [1, "0:40:00", "0:39:58"], [2, "0:41:00", "0:40:59"]])
    assert (await upload(client, volunteer, race["id"], content)).status_code == 422
    mapping = '{"bib": "Runner", "gun_time": "Result A", "chip_time": "Result B"}'
    r = await upload(client, volunteer, race["id"], content, mapping=mapping)
    assert r.status_code == 201 and r.json()["columns"] == {
        "bib": "Runner",
        "gun_time": "Result A",
        "chip_time": "Result B",
    }
    assert (await results(race["id"]))[1]["chip_time_ms"] == 2_398_000
    # The mapping is remembered for the race: the next sheet of this layout needs none.
    r = await upload(
        client, volunteer, race["id"], xlsx([["Runner", "Result A", "Result B"], [1, "0:40:01", ""]]), mode="merge"
    )
    assert r.status_code == 201 and (await results(race["id"]))[1]["gun_time_ms"] == 2_401_000
    bad = await upload(client, volunteer, race["id"], content, mapping='{"bib": "Nope"}')
    assert bad.status_code == 422
    bad = await upload(client, volunteer, race["id"], content, mapping='{"shoe_size": "Runner"}')
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "mapping"
