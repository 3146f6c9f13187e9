"""The organiser's registrations table is read a page at a time (the race's 50,000 are never sorted or loaded
whole): pages put together run in the table's order, bibs first, then those without a bib by arrival."""

import pytest

from sportsrun.events import services as events
from sportsrun.registration import organiser, writer
from sportsrun.registration.services import new_code, validate
from tests.support import make_race, runner, token_headers


async def items(race_id: int, bodies: list[dict]) -> list:
    race = await events.load_race(race_id)
    out = []
    for body in bodies:
        code, digest = new_code()
        out.append(writer.NewRegistration(await validate(race, body), digest, code=code))
    return out


@pytest.fixture
async def organiser_headers(client):
    return await token_headers(client, "organiser")


def table_order(rows: list[dict]) -> list[int]:
    return [r["id"] for r in sorted(rows, key=lambda r: (r["bib"] is None, r["bib"] or 0, r["id"]))]


async def pages(race_id: int, status: str = "", q: str = "", size: int = 7) -> tuple[set[int], list[int]]:
    totals, ids, offset = set(), [], 0
    while True:
        found = await organiser.search_for_organiser(race_id, q, status, size, offset)
        totals.add(found["total"])
        ids += [r["id"] for r in found["items"]]
        if len(found["items"]) < size:
            return totals, ids
        offset += size


async def test_pages_put_together_are_the_whole_table_in_order(client, organiser_headers):
    race = await make_race(client, organiser_headers, capacity=30, bib_first=1, bib_last=100, reserved_bibs=[3])
    bodies = [runner(given_name="Ali" if i % 3 else "Omar") for i in range(40)]
    batch = await items(race["id"], bodies)
    await writer.write_registrations(race["id"], batch)
    for item in batch[5:9]:  # cancelled: their bibs go to the first waitlisted, the rest stay without a bib
        assert (await client.delete(f"/api/v1/registrations/{item.code}")).status_code == 204
    listing = (await client.get(f"/api/v1/races/{race['id']}/registrations", headers=organiser_headers)).json()
    assert sorted(r["status"] for r in listing).count("cancelled") == 4
    everyone = table_order(listing)
    assert await pages(race["id"]) == ({40}, everyone)
    for status in ("confirmed", "waitlisted", "cancelled"):
        some = [r for r in listing if r["status"] == status]
        assert await pages(race["id"], status=status) == ({len(some)}, table_order(some))
    omars = [r for r in listing if r["given_name"] == "Omar"]
    assert await pages(race["id"], q="omar", size=5) == ({len(omars)}, table_order(omars))


async def test_the_api_list_read_in_slices_is_every_row_as_the_table_shows_it(client, organiser_headers,
                                                                               monkeypatch):  # fmt: skip
    monkeypatch.setattr(organiser, "SLICE", 4)  # 11 rows: three slices, the last short
    race = await make_race(client, organiser_headers, capacity=8, bib_first=1, bib_last=100)
    bodies = [runner(given_name=f"Runner {i}", email=f"r{i}@example.iq") for i in range(11)]
    bodies[2] |= {"birth_date": "2012-03-04", "guardian_name": "Maryam", "guardian_allows_full_name": True}
    batch = await items(race["id"], bodies)
    await writer.write_registrations(race["id"], batch)
    assert (await client.delete(f"/api/v1/registrations/{batch[1].code}")).status_code == 204
    volunteer = await token_headers(client, "volunteer")
    checked = await client.post(f"/api/v1/races/{race['id']}/bibs/4/check-in", headers=volunteer)
    assert checked.status_code == 200, checked.text
    listing = (await client.get(f"/api/v1/races/{race['id']}/registrations", headers=organiser_headers)).json()
    table = (await organiser.search_for_organiser(race["id"], limit=50))["items"]
    assert listing == sorted(table, key=lambda r: r["id"]) and len(listing) == 11
    assert [r["checked_in"] for r in listing].count(True) == 1 and listing[2]["guardian_allows_full_name"] is True
    assert listing[2]["birth_date"] == "2012-03-04" and listing[0]["created_at"].endswith("+00:00")
