"""The registration counts per race and status that the database keeps (`registration_tally`, kept by
triggers): after every kind of write they equal a count of the rows, and a refused write leaves them."""

from sportsrun.core.db import sql
from tests.support import make_race, register, token_headers, xlsx


async def tally() -> dict[tuple[int, str], int]:
    rows = await sql.fetch("SELECT race, status, n FROM registration_tally WHERE n <> 0")
    return {(r["race"], r["status"]): r["n"] for r in rows}


async def counted() -> dict[tuple[int, str], int]:
    rows = await sql.fetch("SELECT race, status, COUNT(*) AS n FROM registration GROUP BY race, status")
    return {(r["race"], r["status"]): r["n"] for r in rows}


async def test_the_tally_follows_every_write(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=3, bib_first=1, bib_last=50)
    other = await make_race(client, organiser, capacity=10, bib_first=1, bib_last=50)
    regs = [(await register(client, race["id"], given_name=f"Runner{i}", phone=f"+96477010{i:05d}")).json()
            for i in range(5)]  # fmt: skip
    await register(client, other["id"], given_name="Elsewhere", phone="+9647701099999")
    assert await tally() == await counted() == {
        (race["id"], "confirmed"): 3, (race["id"], "waitlisted"): 2, (other["id"], "confirmed"): 1,
    }  # fmt: skip

    assert (await client.delete(f"/api/v1/registrations/{regs[0]['code']}")).status_code == 204
    assert await tally() == await counted() == {
        (race["id"], "confirmed"): 3, (race["id"], "waitlisted"): 1, (race["id"], "cancelled"): 1,
        (other["id"], "confirmed"): 1,
    }  # fmt: skip

    r = await client.patch(f"/api/v1/races/{race['id']}", headers=organiser, json={"capacity": 10})
    assert r.status_code == 200, r.text
    header = ["given_name", "family_name", "gender", "birth_date", "province", "phone"]
    sheet = [header] + [
        [f"Imported{i}", "Tally", "female", "1990-07-01", "IQ-BG", f"+96477030{i:05d}"] for i in range(8)
    ]
    r = await client.post(f"/api/v1/races/{race['id']}/registrations/imports", headers=organiser,
                          files={"file": ("e.xlsx", xlsx(sheet))})  # fmt: skip
    assert r.status_code == 201, r.text
    assert await tally() == await counted() == {
        (race["id"], "confirmed"): 10, (race["id"], "waitlisted"): 2, (race["id"], "cancelled"): 1,
        (other["id"], "confirmed"): 1,
    }  # fmt: skip
    event = (await client.get(f"/api/v1/races/{race['id']}")).json()
    assert event["registered"] == 10 and event["waitlisted"] == 2, event

    before = await tally()
    refused = sheet + [["Broken", "Tally", "female", "not a date", "IQ-BG", "+9647703999999"]]
    r = await client.post(f"/api/v1/races/{other['id']}/registrations/imports", headers=organiser,
                          files={"file": ("e.xlsx", xlsx(refused))})  # fmt: skip
    assert r.status_code == 422
    assert await tally() == before  # all or nothing, the tally included
