"""What changes while a sheet is being read (the read runs outside the race's lock) is seen by the commit."""

from sportsrun.core.db import sql as db
from sportsrun.timing import services
from tests.support import xlsx
from tests.timing.support import race_with_runners, results, upload


def between_check_and_commit(monkeypatch, change) -> None:
    """Runs `change` after the sheet is checked and before the commit takes the race's lock."""
    real_check = services.check

    async def check_then_change(*args, **kwargs):
        checked = await real_check(*args, **kwargs)
        await change()
        return checked

    monkeypatch.setattr(services, "check", check_then_change)


SHEET = xlsx([["Bib", "Time"], *[[i, f"0:{40 + i:02d}:00"] for i in range(1, 7)]])


async def test_age_groups_changed_meanwhile_are_the_ones_stored(client, organiser, volunteer, monkeypatch):
    race = await race_with_runners(client, organiser, 6)

    async def regroup():
        response = await client.patch(f"/api/v1/races/{race['id']}", headers=organiser,
                                      json={"age_groups": [[0, 49], [50, None]]})  # fmt: skip
        assert response.status_code == 200, response.text

    between_check_and_commit(monkeypatch, regroup)
    assert (await upload(client, volunteer, race["id"], SHEET)).status_code == 201
    groups = {r["age_group"] for r in (await results(race["id"])).values()}
    assert groups <= {"0-49", "50+"} and groups, groups


async def test_bibs_swapped_meanwhile_go_to_their_new_holders(client, organiser, volunteer, monkeypatch):
    race = await race_with_runners(client, organiser, 6)
    holders = {
        r["bib"]: r["id"] for r in await db.fetch("SELECT id, bib FROM registration WHERE race = {}", race["id"])
    }

    async def swap():
        async with db.write_transaction():
            await db.fetch("UPDATE registration SET bib = NULL, given_name = 'Swapped' WHERE id = {}", holders[3])
            await db.fetch("UPDATE registration SET bib = 3 WHERE id = {}", holders[4])
            await db.fetch("UPDATE registration SET bib = 4 WHERE id = {}", holders[3])

    between_check_and_commit(monkeypatch, swap)
    assert (await upload(client, volunteer, race["id"], SHEET)).status_code == 201
    stored = await results(race["id"])
    assert (stored[3]["registration"], stored[4]["registration"]) == (holders[4], holders[3])
    assert stored[4]["name"] == "Swapped Test"
