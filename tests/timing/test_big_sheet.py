"""A sheet big enough for the bulk paths (the sheet parsed in two halves, multi-row inserts with a remainder)
stores every result with the places a plain sort gives."""

import datetime as dt

from sportsrun.core.db import sql as db
from sportsrun.core.spreadsheets import sheet_split
from tests.support import xlsx
from tests.timing.support import race_with_runners, results, upload

RUNNERS = 1234  # two 500-row statements and a remainder of 234


async def test_every_result_of_a_big_sheet_is_stored_with_its_places(client, organiser, volunteer, monkeypatch):
    monkeypatch.setattr(sheet_split, "SPLIT_FROM", 0)
    split = []
    real = sheet_split.read_split
    monkeypatch.setattr(sheet_split, "read_split", lambda *a, **k: split.append(real(*a, **k)) or split[-1])
    race = await race_with_runners(client, organiser, RUNNERS)
    gun = {bib: 1_800_000 + (bib * 7919) % 3_600_000 for bib in range(1, RUNNERS + 1)}
    gun[17] = gun[18]  # a tie: one place for both, the next place skipped
    dnf = {5, 600, 1200}
    sheet = [["Bib", "Gun Time", "Status"]] + [
        [bib, dt.timedelta(milliseconds=gun[bib]), "DNF" if bib in dnf else None] for bib in range(1, RUNNERS + 1)
    ]
    response = await upload(client, volunteer, race["id"], xlsx(sheet))
    assert response.status_code == 201, response.text
    assert response.json()["finishers"] == RUNNERS - len(dnf)
    assert split and split[-1] is not None, "the sheet was not read in two halves"

    stored = await results(race["id"])
    assert sorted(stored) == list(range(1, RUNNERS + 1))
    finishers = sorted((t, bib) for bib, t in gun.items() if bib not in dnf)
    for bib, t in gun.items():
        if bib in dnf:
            assert (stored[bib]["status"], stored[bib]["place"]) == ("DNF", None)
            continue
        assert stored[bib]["gun_time_ms"] == t
        assert stored[bib]["place"] == 1 + sum(1 for other, _ in finishers if other < t)
    assert stored[17]["place"] == stored[18]["place"]
    order = sorted(stored.values(), key=lambda r: r["position"])
    assert [r["bib"] for r in order] == [bib for _, bib in finishers] + sorted(dnf)


async def test_a_big_race_replaced_in_threads_keeps_every_result(client, organiser, volunteer, monkeypatch):
    """The paths a 50,000-finisher race takes, with their thresholds lowered: the stored results read on in
    a thread past the first slice, the old ones deleted in a thread, places worked out in a thread. A second
    sheet replaces the first whole; the corrections, the name search and the counts follow it."""
    from sportsrun.core import turns
    from sportsrun.core.db import sql

    monkeypatch.setattr(sql, "READ_SLICE", 100)
    monkeypatch.setattr(turns, "BULK", 100)
    race = await race_with_runners(client, organiser, 450)
    first = [["Bib", "Gun Time"]] + [[bib, dt.timedelta(seconds=2000 + bib)] for bib in range(1, 451)]
    assert (await upload(client, volunteer, race["id"], xlsx(first))).status_code == 201
    second = [["Bib", "Gun Time"]] + [[bib, dt.timedelta(seconds=3000 - bib)] for bib in range(1, 401)]
    answer = await upload(client, volunteer, race["id"], xlsx(second))
    assert answer.status_code == 201, answer.text

    stored = await results(race["id"])
    assert sorted(stored) == list(range(1, 401))  # the 50 left out of the second sheet have no result now
    assert [stored[bib]["place"] for bib in (400, 399, 1)] == [1, 2, 400]  # the second sheet's order
    corrections = await db.fetch("SELECT COUNT(*) AS n FROM result_correction WHERE race = {}", race["id"])
    assert corrections[0]["n"] == 450  # 400 new times, 50 removed
    url = f"/api/v1/races/{race['id']}/results"
    found = (await client.get(url, params={"q": "runner399 "})).json()["items"]
    assert [(r["bib"], r["place"]) for r in found] == [(399, 2)]
    assert (await client.get(url)).json()["total"] == 400  # the counts stored with the results

    # An organiser's correction of a runner's gender stores the 400 results again (names and age groups
    # worked out in a thread): the women's places follow.
    women = sorted((r for r in stored.values() if r["gender"] == "female"), key=lambda r: r["position"])
    mover = next(r for r in sorted(stored.values(), key=lambda r: r["position"]) if r["gender"] == "male")
    answer = await client.patch(f"/api/v1/registrations/{mover['registration']}", headers=organiser,
                                json={"gender": "female"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    after = await results(race["id"])
    assert (after[mover["bib"]]["gender"], after[mover["bib"]]["place"]) == ("female", mover["place"])
    ahead = sum(1 for r in women if r["position"] < mover["position"])
    assert after[mover["bib"]]["gender_place"] == ahead + 1
    assert all(after[r["bib"]]["gender_place"] == r["gender_place"] + (r["position"] > mover["position"])
               for r in women)  # fmt: skip
