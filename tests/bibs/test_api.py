import pytest

from sportsrun.core.db import sql as db
from tests.support import count, make_race, register, row_counts, token_headers


@pytest.fixture
async def organiser(client):
    return await token_headers(client, "organiser")


async def test_reassigning_a_bib_is_recorded_with_who_and_when(client, organiser):
    race = await make_race(client, organiser, capacity=5, bib_first=1, bib_last=20, reserved_bibs=[10])
    a = (await register(client, race["id"])).json()
    b = (await register(client, race["id"])).json()
    url = f"/api/v1/registrations/{a['id']}"
    r = await client.patch(url, json={"bib": 10}, headers=organiser)  # a reserved bib, given by hand
    assert r.status_code == 200 and r.json()["bib"] == 10
    assert (await client.patch(url, json={"bib": b["bib"]}, headers=organiser)).status_code == 409
    assert (await client.patch(url, json={"bib": 21}, headers=organiser)).status_code == 422
    assert (await client.patch(url, json={"bib": "x"}, headers=organiser)).status_code == 422
    assert (await client.patch("/api/v1/registrations/99999", json={"bib": 3}, headers=organiser)).status_code == 404
    volunteer = await token_headers(client, "volunteer")
    assert (await client.patch(url, json={"bib": 11}, headers=volunteer)).status_code == 403
    [audit] = await db.fetch("SELECT * FROM bib_audit WHERE action = 'reassigned'")
    assert (audit["bib"], audit["previous_bib"], audit["registration"]) == (10, 1, a["id"])
    assert audit["user"] is not None and audit["at"] is not None
    # Bib 1 is free again and is the lowest.
    assert (await register(client, race["id"])).json()["bib"] == 1


async def test_a_waitlisted_registration_holds_no_bib(client, organiser):
    race = await make_race(client, organiser, capacity=1)
    await register(client, race["id"])
    waiting = (await register(client, race["id"])).json()
    r = await client.patch(f"/api/v1/registrations/{waiting['id']}", json={"bib": 5}, headers=organiser)
    assert r.status_code == 409


async def test_reservations_are_recorded(client, organiser):
    race = await make_race(client, organiser, reserved_bibs=[1, 2])
    await client.patch(f"/api/v1/races/{race['id']}", json={"reserved_bibs": [2, 3]}, headers=organiser)
    rows = await db.fetch("SELECT action, bib FROM bib_audit WHERE action IN ('reserved', 'unreserved') ORDER BY id")
    assert [(r["action"], r["bib"]) for r in rows] == [
        ("reserved", 1),
        ("reserved", 2),
        ("reserved", 3),
        ("unreserved", 1),
    ]
    assert (await register(client, race["id"])).json()["bib"] == 1


async def test_volunteer_looks_up_a_bib_and_checks_the_runner_in(client, organiser):
    race = await make_race(client, organiser, capacity=5)
    reg = (
        await register(
            client, race["id"], given_name="Sara", family_name="Aziz", name_display="initials", email="sara@example.com"
        )
    ).json()
    volunteer = await token_headers(client, "volunteer")
    url = f"/api/v1/races/{race['id']}/bibs/{reg['bib']}"
    r = await client.get(url, headers=volunteer)
    assert r.status_code == 200
    assert r.json() == {
        "bib": reg["bib"],
        "name": "S. A.",
        "status": "confirmed",
        "checked_in": False,
        "checked_in_at": None,
    }
    first = await client.post(url + "/check-in", headers=volunteer)
    again = await client.post(url + "/check-in", headers=volunteer)
    assert first.status_code == again.status_code == 200
    assert first.json()["checked_in"] is True and again.json()["checked_in_at"] == first.json()["checked_in_at"]
    assert "sara@example.com" not in first.text and "1995" not in first.text
    assert (await client.get(url)).status_code == 401
    assert (await client.get(f"/api/v1/races/{race['id']}/bibs/499", headers=volunteer)).status_code == 404


async def test_check_in_of_a_cancelled_registration_is_a_conflict(client, organiser):
    race = await make_race(client, organiser, capacity=5)
    reg = (await register(client, race["id"])).json()
    # A cancelled registration keeps its bib when a result uses it (results arrive with timing).
    await db.fetch("UPDATE registration SET status = 'cancelled' WHERE id = {}", reg["id"])
    volunteer = await token_headers(client, "volunteer")
    before = await row_counts()
    r = await client.post(f"/api/v1/races/{race['id']}/bibs/{reg['bib']}/check-in", headers=volunteer)
    assert r.status_code == 409
    assert await row_counts() == before and await count("registration", "checked_in_at IS NOT NULL") == 0
