"""A sheet big enough for the bulk paths (the sheet parsed in two halves, multi-row inserts with a remainder)
stores every result with the places a plain sort gives."""

import datetime as dt

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
