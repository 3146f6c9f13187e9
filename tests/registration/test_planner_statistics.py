"""A filling installation's planner statistics are refreshed as the registrations pass each doubling."""

import asyncio

import pytest

from sportsrun.core.db import sql as db
from sportsrun.registration import planner_statistics, writer
from tests.conftest import TEST_DB
from tests.registration.test_organiser_paging import items
from tests.support import make_race, runner, token_headers


@pytest.mark.pure
def test_a_refresh_at_each_doubling_from_256_and_never_between():
    assert not planner_statistics.crossed(0, 255)
    assert planner_statistics.crossed(0, 256) and planner_statistics.crossed(250, 300)
    assert not planner_statistics.crossed(256, 511) and planner_statistics.crossed(511, 512)
    passed = [n for n in range(1, 300_000) if planner_statistics.crossed(n - 1, n)]
    assert passed == [2**k for k in range(8, 19)]  # 256 … 262,144: eleven refreshes up to 300,000


@pytest.mark.skipif(TEST_DB != "postgres", reason="PostgreSQL's planner statistics")
async def test_postgresql_analyses_the_tables_once_the_registrations_pass_256(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=400, bib_first=1, bib_last=1000)

    async def analysed() -> int:
        rows = await db.fetch("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'registration'")
        return rows[0]["analyze_count"]

    before = await analysed()
    bodies = [runner(given_name=f"Runner {i}", phone=f"+96477{i:08d}") for i in range(255)]
    await writer.write_registrations(race["id"], await items(race["id"], bodies))
    await asyncio.sleep(0.5)
    assert await analysed() == before  # 255: no doubling passed
    await writer.write_registrations(race["id"], await items(race["id"], [runner(phone="+9647811111111")]))
    for _ in range(50):  # PostgreSQL's statistics collector reports within a moment
        if await analysed() > before:
            break
        await asyncio.sleep(0.1)
    assert await analysed() == before + 1


@pytest.mark.skipif(TEST_DB != "postgres", reason="PostgreSQL's planner statistics")
async def test_a_group_passing_256_inside_its_own_transaction_is_written_and_the_tables_analysed(client):
    """A group writes inside a transaction of its own, still open when the doubling is passed: the refresh
    once went down that transaction's connection while the group committed on it."""
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=400, bib_first=1, bib_last=1000)

    async def analysed() -> int:
        rows = await db.fetch("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'registration'")
        return rows[0]["analyze_count"]

    bodies = [runner(given_name=f"Runner {i}", phone=f"+96477{i:08d}") for i in range(255)]
    await writer.write_registrations(race["id"], await items(race["id"], bodies))
    await asyncio.sleep(0.5)
    before = await analysed()
    people = [{k: v for k, v in runner(given_name=given).items() if k != "phone"} for given in ("Zainab", "Maryam")]
    group = {"phone": "+9647811111111", "people": people}
    answer = await client.post(f"/api/v1/races/{race['id']}/registrations/groups", json=group)
    assert answer.status_code == 201, answer.text
    await asyncio.gather(*planner_statistics._running)
    for _ in range(50):
        if await analysed() > before:
            break
        await asyncio.sleep(0.1)
    assert await analysed() == before + 1
