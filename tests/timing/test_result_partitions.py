"""On PostgreSQL a race's results are a partition of `result`, written aside and swapped in whole, with the
same indexes as before; what the foreign keys did is done by a check before the swap and a trigger."""

import asyncio
import os
import subprocess
import sys
import textwrap

import pytest

from sportsrun.core.db import sql as db
from sportsrun.results import partitions
from sportsrun.results.partitions import partitions_of
from tests.conftest import TEST_DB
from tests.support import count, xlsx
from tests.timing.support import race_with_runners, results, upload

pytestmark = pytest.mark.skipif(TEST_DB != "postgres", reason="PostgreSQL's partitions")


def times(runners: int, hour: int) -> bytes:
    rows = [[i, f"{hour}:{10 + i // 60 % 50:02d}:{i % 60:02d}"] for i in range(1, runners + 1)]
    return xlsx([["Bib", "Time"], *rows])


async def attached(partition: str) -> tuple[int, int, int]:
    """(indexes, of which attached to the parent's, constraints attached to the parent's)."""
    indexes = await db.fetch("SELECT indexrelid FROM pg_index WHERE indrelid = {}::regclass", partition)
    adopted = await db.fetch(
        "SELECT 1 AS x FROM pg_inherits i JOIN pg_index x ON x.indexrelid = i.inhrelid WHERE x.indrelid = {}::regclass",
        partition,
    )
    constraints = await db.fetch(
        "SELECT 1 AS x FROM pg_constraint WHERE conrelid = {}::regclass AND conparentid <> 0", partition
    )
    return len(indexes), len(adopted), len(constraints)


async def test_a_races_results_are_one_partition_replaced_whole(client, organiser, volunteer):
    a = await race_with_runners(client, organiser, 30)
    b = await race_with_runners(client, organiser, 5)
    assert (await upload(client, volunteer, a["id"], times(30, 1))).status_code == 201
    assert (await upload(client, volunteer, b["id"], times(5, 2))).status_code == 201
    [first] = await partitions_of(a["id"])
    [of_b] = await partitions_of(b["id"])
    parent_indexes = len(await db.fetch("SELECT 1 AS x FROM pg_index WHERE indrelid = 'result'::regclass"))
    # Every index and the primary key were built to match the parent's, so attaching built nothing more.
    assert await attached(first) == (parent_indexes, parent_indexes, 1)

    assert (await upload(client, volunteer, a["id"], times(30, 3))).status_code == 201
    [second] = await partitions_of(a["id"])
    assert second != first
    assert (await db.fetch_one("SELECT to_regclass({}) AS t", first))["t"] is None
    assert {r["gun_time_ms"] // 3_600_000 for r in (await results(a["id"])).values()} == {3}
    assert await partitions_of(b["id"]) == [of_b] and len(await results(b["id"])) == 5


async def test_results_of_different_races_are_stored_at_once_while_pages_are_read(client, organiser, volunteer):
    """Each writer reads `result` before swapping in its partition, which needs an exclusive lock on it: two
    writers not kept one at a time would deadlock."""
    races = [await race_with_runners(client, organiser, 150) for _ in range(3)]
    for race in races:
        assert (await upload(client, volunteer, race["id"], times(150, 1))).status_code == 201
    outcomes = await asyncio.gather(
        *(upload(client, volunteer, race["id"], times(150, 2)) for race in races),
        *(client.get(f"/api/v1/races/{race['id']}/results") for race in races for _ in range(3)),
    )
    assert [r.status_code for r in outcomes] == [201] * 3 + [200] * 9
    for race in races:
        assert {r["gun_time_ms"] // 3_600_000 for r in (await results(race["id"])).values()} == {2}


async def test_results_belong_to_the_race_and_go_with_their_registration(client, organiser, volunteer):
    race = await race_with_runners(client, organiser, 3)
    other = await race_with_runners(client, organiser, 1)
    assert (await upload(client, volunteer, race["id"], times(3, 1))).status_code == 201
    [before] = await partitions_of(race["id"])
    stored = await db.fetch("SELECT * FROM result WHERE race = {} ORDER BY bib", race["id"])
    columns = tuple(c for c in stored[0] if c != "id")
    rows = [tuple(r[c] for c in columns) for r in stored]
    stranger = (await db.fetch_one("SELECT id FROM registration WHERE race = {}", other["id"]))["id"]
    for wrong in ([rows[0][:1] + (stranger,) + rows[0][2:]], [(other["id"],) + rows[0][1:]]):
        with pytest.raises(partitions.ForeignRegistration):
            async with db.write_transaction():
                await partitions.replace(race["id"], columns, rows[1:] + wrong)
    assert await partitions_of(race["id"]) == [before] and len(await results(race["id"])) == 3

    r = await client.patch(
        f"/api/v1/races/{race['id']}/results/2", headers=organiser, json={"status": "DQ", "reason": "Cut the course"}
    )
    assert r.status_code == 200
    assert await partitions_of(race["id"]) != [before]
    assert await count("result", "race = {} AND status = 'DQ'", race["id"]) == 1

    # As ON DELETE CASCADE did: a deleted registration takes its result with it.
    await db.fetch("DELETE FROM registration WHERE race = {} AND bib = 2", race["id"])
    assert sorted(await results(race["id"])) == [1, 3]


def test_the_migration_keeps_results_both_ways(tmp_path):
    """On a database of its own: results stored, the migration undone (one plain table) and redone."""
    base = os.environ["SPORTSRUN_DATABASE_URL"]
    url = base.rsplit("/", 1)[0] + "/sportsrun_migration_check"
    script = textwrap.dedent(f"""
        import asyncio
        import asyncpg
        from piccolo.apps.migrations.commands.backwards import run_backwards
        from piccolo.apps.migrations.commands.forwards import run_forwards

        async def main():
            admin = await asyncpg.connect({base!r})
            await admin.execute("DROP DATABASE IF EXISTS sportsrun_migration_check")
            await admin.execute("CREATE DATABASE sportsrun_migration_check")
            await admin.close()
            await run_forwards("sportsrun")
            from sportsrun.accounts.services import create_user
            from sportsrun.core.db import connections
            from sportsrun.core.db import sql as db
            from sportsrun.core.spreadsheets.workbooks import xlsx
            from sportsrun.events.services import create_event, create_race
            from sportsrun.registration.imports import import_entrants
            from sportsrun.results.partitions import partitions_of
            from sportsrun.settings import get_settings
            from sportsrun.timing.services import import_results

            await connections.start(get_settings())
            user = await create_user({{"email": "m@example.test", "role": "organiser", "password": "a long password"}})
            event = await create_event({{"name": "M", "province": "IQ-BG", "city": "Baghdad", "date": "2027-03-20"}})
            race = await create_race(event["id"], {{
                "name": "10K", "distance_m": 10000, "start_time": "2027-03-20T07:00:00+03:00", "capacity": 10,
                "bib_first": 1, "bib_last": 100, "registration_opens_at": "2026-01-01T00:00:00+03:00"}}, user["id"])
            entrants = [["given_name", "family_name", "gender", "birth_date", "province", "email", "bib"]]
            entrants += [[f"R{{i}}", "T", "female", "1990-01-01", "IQ-BG", f"r{{i}}@x.test", i] for i in range(1, 6)]
            await import_entrants(race["id"], xlsx("E", entrants[0], entrants[1:]), user["id"])
            sheet = xlsx("T", ["Bib", "Time"], [[i, f"0:4{{i}}:00"] for i in range(1, 6)])
            await import_results(race["id"], sheet, filename="t.xlsx")

            def state():
                return db.fetch("SELECT c.relkind::text AS relkind, (SELECT count(*) FROM result) AS n FROM pg_class c "
                                "WHERE c.relname = 'result'")
            print("partitioned", [dict(r) for r in await state()], await partitions_of(race["id"]))
            await run_backwards("sportsrun", migration_id="2026-11-24T19:50:00:000000", auto_agree=True)
            print("plain", [dict(r) for r in await state()])
            await run_forwards("sportsrun")
            print("again", [dict(r) for r in await state()], await partitions_of(race["id"]))
            await import_results(race["id"], xlsx("T", ["Bib", "Time"], [[1, "0:39:00"]]), filename="u.xlsx")
            print("imported", [dict(r) for r in await state()], await partitions_of(race["id"]))
            await connections.stop()

        asyncio.run(main())
    """)
    env = {**os.environ, "SPORTSRUN_DATABASE_URL": url}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    steps = ("partitioned", "plain", "again", "imported")
    lines = [line for line in done.stdout.splitlines() if line.startswith(steps)]
    assert lines[0].startswith("partitioned [{'relkind': 'p', 'n': 5}] ['result_r1_"), lines
    assert lines[1] == "plain [{'relkind': 'r', 'n': 5}]", lines
    assert lines[2] == "again [{'relkind': 'p', 'n': 5}] ['result_r1_0']", lines
    assert lines[3].startswith("imported [{'relkind': 'p', 'n': 1}] ['result_r1_") and "'result_r1_0'" not in lines[3]
