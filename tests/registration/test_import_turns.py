"""A bulk entrant import lets the worker's other requests in while it checks and writes its rows: done in one
go, 50,000 rows held the event loop for 1.7 s (bench/exports.py measures the pages' latency meanwhile)."""

import asyncio

from sportsrun.registration import imports
from tests.support import make_race, token_headers, xlsx

HEADER = ["given_name", "family_name", "gender", "birth_date", "province", "phone"]


async def test_other_work_runs_while_thousands_of_entrants_are_imported(client, monkeypatch):
    monkeypatch.setattr("sportsrun.core.turns.TURN_S", 0.0)  # a turn at every chance: the test sees each one
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=2000, bib_first=1, bib_last=3000)
    rows = [[f"محمد {i}", "الموسوي", "male", "1990-07-01", "IQ-BG", f"+96477{i:08d}"] for i in range(1500)]
    sheet = xlsx([HEADER, *rows])
    turns, importing, parsing = 0, True, [False]
    read_table = imports.read_table

    def parsed(data: bytes):  # in a thread, when the loop is free anyway: its turns are not counted
        parsing[0] = True
        try:
            return read_table(data)
        finally:
            parsing[0] = False

    monkeypatch.setattr(imports, "read_table", parsed)

    async def other_requests() -> None:
        nonlocal turns
        while importing:
            turns += not parsing[0]
            await asyncio.sleep(0)

    beside = asyncio.ensure_future(other_requests())
    answer = await client.post(f"/api/v1/races/{race['id']}/registrations/imports", headers=organiser,
                               files={"file": ("entrants.xlsx", sheet)})  # fmt: skip
    importing = False
    await beside
    assert answer.status_code == 201, answer.text
    assert answer.json()["created"] == 1500
    # The checking loops, the writer's loops and the inserts each give turns, one a row here; without them
    # the other work ran only while the sheet was parsed in a thread, and at the upload's few awaits.
    assert turns > 1500, turns
