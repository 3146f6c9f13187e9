"""The check-in token: made with every registration however it arrives, random (at least 128 bits), not the
self-service code, unique, gone with a cancellation; `POST /api/v1/races/{race_id}/check-ins` answers as the
bib check-in does."""

import base64

import pytest

from sportsrun.core.db import sql as db
from sportsrun.registration.checkin_token import checkin_payload, token_from_scan
from sportsrun.registration.services import code_digest
from tests.support import count, make_race, register, row_counts, token_headers, xlsx


@pytest.fixture
async def organiser(client):
    return await token_headers(client, "organiser")


async def token_of(registration_id: int) -> str | None:
    rows = await db.fetch("SELECT checkin_token FROM registration WHERE id = {}", registration_id)
    return rows[0]["checkin_token"]


def check_ins(race_id: int) -> str:
    return f"/api/v1/races/{race_id}/check-ins"


async def test_every_registration_gets_a_random_token_that_is_not_its_code(client, organiser):
    race = await make_race(client, organiser, capacity=2)
    regs = [(await register(client, race["id"])).json() for _ in range(3)]  # the third is waitlisted
    upload = xlsx([["given_name", "family_name", "gender", "birth_date", "province", "phone"],
                   ["Karwan", "Salih", "male", "1990-01-01", "IQ-SU", "+9647509998877"]])  # fmt: skip
    imported = await client.post(f"/api/v1/races/{race['id']}/registrations/imports", headers=organiser,
                                 files={"file": ("entrants.xlsx", upload)})  # fmt: skip
    assert imported.status_code == 201, imported.text
    rows = await db.fetch("SELECT id, source, code_hash, checkin_token FROM registration ORDER BY id")
    assert [r["source"] for r in rows] == ["online"] * 3 + ["import"]
    tokens = [r["checkin_token"] for r in rows]
    assert len(set(tokens)) == 4
    for reg, row in zip(regs, rows, strict=False):
        token = row["checkin_token"]
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128
        assert token != reg["code"] and code_digest(token) != row["code_hash"]
        assert reg["code"] not in token and token not in reg["code"]
    # The registrant's own answer carries it (to show the QR); the public registration answer does not.
    own = (await client.get(f"/api/v1/registrations/{regs[0]['code']}")).json()
    assert own["checkin_token"] == tokens[0] and "checkin_token" not in regs[0]
    # Unique in the database, not only by chance.
    with pytest.raises(Exception, match="(?i)unique"):
        await db.fetch("UPDATE registration SET checkin_token = {} WHERE id = {}", tokens[0], rows[1]["id"])


async def test_checking_in_by_token(client, organiser):
    race = await make_race(client, organiser, capacity=5)
    reg = (await register(client, race["id"], given_name="Sara", family_name="Aziz", name_display="initials",
                          email="sara@example.com")).json()  # fmt: skip
    token = await token_of(reg["id"])
    volunteer = await token_headers(client, "volunteer")

    first = await client.post(check_ins(race["id"]), json={"token": token}, headers=volunteer)
    assert first.status_code == 200, first.text
    by_bib = await client.get(f"/api/v1/races/{race['id']}/bibs/{reg['bib']}", headers=volunteer)
    assert first.json() == by_bib.json()  # the bib check-in's answer, and nothing personal in it
    assert first.json()["name"] == "S. A." and first.json()["checked_in"] is True
    assert "sara@example.com" not in first.text and "1995" not in first.text
    # Again: 200, the first time kept. The QR's whole text is taken as well as the bare token.
    again = await client.post(check_ins(race["id"]), json={"token": checkin_payload(token)}, headers=volunteer)
    assert again.status_code == 200 and again.json() == first.json()
    assert await count("registration", "checked_in_at IS NOT NULL") == 1


async def test_refusals(client, organiser):
    race = await make_race(client, organiser, capacity=1)
    other = await make_race(client, organiser, name="5 km", bib_first=600, bib_last=700)
    confirmed = (await register(client, race["id"])).json()
    waitlisted = (await register(client, race["id"])).json()
    elsewhere = (await register(client, other["id"])).json()
    volunteer = await token_headers(client, "volunteer")
    url = check_ins(race["id"])
    before = await row_counts()

    r = await client.post(url, json={"token": await token_of(elsewhere["id"])}, headers=volunteer)
    assert r.status_code == 409 and "5 km" in r.json()["detail"]
    r = await client.post(url, json={"token": await token_of(waitlisted["id"])}, headers=volunteer)
    assert r.status_code == 409 and "waitlist" in r.json()["detail"]
    for unknown in ("A" * 24, "sportsrun-checkin:" + "b" * 24, "not a token", f"/registrations/{confirmed['code']}"):
        r = await client.post(url, json={"token": unknown}, headers=volunteer)
        assert r.status_code == 404, (unknown, r.text)
        assert r.json()["detail"]
    r = await client.post(url, json={}, headers=volunteer)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "token"
    r = await client.post(url, json={"token": 5}, headers=volunteer)
    assert r.status_code == 422
    assert (await client.post(check_ins(99999), json={"token": "A" * 24}, headers=volunteer)).status_code == 404
    # A volunteer's token is needed: not a page session, not nothing.
    token = await token_of(confirmed["id"])
    assert (await client.post(url, json={"token": token})).status_code == 401
    assert await row_counts() == before and await count("registration", "checked_in_at IS NOT NULL") == 0


async def test_the_token_dies_with_a_cancellation(client, organiser):
    race = await make_race(client, organiser, capacity=5)
    reg = (await register(client, race["id"])).json()
    token = await token_of(reg["id"])
    assert (await client.delete(f"/api/v1/registrations/{reg['code']}")).status_code == 204
    assert await token_of(reg["id"]) is None
    volunteer = await token_headers(client, "volunteer")
    r = await client.post(check_ins(race["id"]), json={"token": token}, headers=volunteer)
    assert r.status_code == 404 and "cancelled" in r.json()["detail"]
    assert (await client.get(f"/api/v1/registrations/{reg['code']}")).json()["checkin_token"] is None


async def test_a_cancelled_registration_that_kept_its_token_is_refused(client, organiser):
    """Whatever cancels a registration (the organiser's tools to come), the token never checks it in."""
    race = await make_race(client, organiser, capacity=5)
    reg = (await register(client, race["id"])).json()
    await db.fetch("UPDATE registration SET status = 'cancelled' WHERE id = {}", reg["id"])
    volunteer = await token_headers(client, "volunteer")
    r = await client.post(check_ins(race["id"]), json={"token": await token_of(reg["id"])}, headers=volunteer)
    assert r.status_code == 409 and "cancelled" in r.json()["detail"]
    assert await count("registration", "checked_in_at IS NOT NULL") == 0


def test_reading_what_a_scanner_gives():
    token = "Ab-_" * 6
    assert token_from_scan(checkin_payload(token)) == token
    assert token_from_scan(f"  {token}\n") == token  # a handheld scanner's Enter
    assert token_from_scan("SPORTSRUN-CHECKIN:" + token) == token  # some scanners shout
    assert token_from_scan("https://example.org/registrations/" + token) is None
    assert token_from_scan("short") is None and token_from_scan("") is None


async def test_the_migration_gives_earlier_live_registrations_a_token(client, organiser):
    import importlib

    migration = importlib.import_module("sportsrun.piccolo_migrations.sportsrun_2026_12_05t01_59_57_000000")
    race = await make_race(client, organiser, capacity=1)
    regs = [(await register(client, race["id"])).json() for _ in range(3)]  # confirmed, waitlisted, cancelled
    assert (await client.delete(f"/api/v1/registrations/{regs[2]['code']}")).status_code == 204
    await db.fetch("UPDATE registration SET checkin_token = NULL")  # as before tokens existed
    await (await migration.forwards()).run()
    tokens = [await token_of(reg["id"]) for reg in regs]
    assert tokens[0] and tokens[1] and tokens[0] != tokens[1] and tokens[2] is None
    assert all(token_from_scan(t) == t and len(t) == 24 for t in tokens[:2])
    volunteer = await token_headers(client, "volunteer")
    r = await client.post(check_ins(race["id"]), json={"token": tokens[0]}, headers=volunteer)
    assert r.status_code == 200 and r.json()["checked_in"] is True
