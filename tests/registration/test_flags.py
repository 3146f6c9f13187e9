"""The other person with the same name and birth date: refused without `another_person`, accepted and
flagged with it, still refused when the phone or email matches; the organiser sees the flag and resolves it
(keep, or cancel as a duplicate), recorded."""

import pytest

from sportsrun.core.db import sql as db
from tests.support import count, make_race, register, row_counts, token_headers

NAMESAKE = {"given_name": "Ali", "family_name": "Hussein Abbas", "birth_date": "1990-07-01"}


@pytest.fixture
async def organiser(client):
    return await token_headers(client, "organiser")


@pytest.fixture
async def race(client, organiser):
    return await make_race(client, organiser, capacity=2, bib_first=1, bib_last=50)


async def listed(client, race, organiser) -> dict[int, dict]:
    r = await client.get(f"/api/v1/races/{race['id']}/registrations", headers=organiser)
    return {x["id"]: x for x in r.json()}


async def test_a_namesake_is_refused_then_accepted_flagged(client, race, organiser):
    first = await register(client, race["id"], **NAMESAKE)
    assert first.status_code == 201 and first.json()["flagged"] is False
    before = await row_counts()
    refused = await register(client, race["id"], **(NAMESAKE | {"given_name": " ALI"}))
    assert refused.status_code == 409 and refused.json()["another_person"] == "allowed"
    assert await row_counts() == before
    second = await register(client, race["id"], **NAMESAKE, another_person=True)
    assert second.status_code == 201 and second.json()["flagged"] is True
    rows = await listed(client, race, organiser)
    assert rows[first.json()["id"]]["flagged"] is False and rows[second.json()["id"]]["flagged"] is True


async def test_a_matching_phone_or_email_is_still_the_same_person(client, race):
    first = await register(client, race["id"], **NAMESAKE, email="ali@example.com")
    assert first.status_code == 201
    phone = (await db.fetch("SELECT phone FROM registration"))[0]["phone"]
    by_phone = await register(client, race["id"], **NAMESAKE, phone=phone, another_person=True)
    assert by_phone.status_code == 409 and "another_person" not in by_phone.json()
    by_email = await register(client, race["id"], **NAMESAKE, email="ALI@example.com", another_person=True)
    assert by_email.status_code == 409
    # Another name with the same phone and birth date: the same person too (twins use another contact).
    twin = await register(client, race["id"], **(NAMESAKE | {"given_name": "Omar"}), phone=phone, another_person=True)
    assert twin.status_code == 409
    assert await count("registration") == 1


async def test_a_group_member_may_be_another_person(client, race, organiser):
    await register(client, race["id"], **NAMESAKE)
    person = {**NAMESAKE, "gender": "male", "province": "IQ-NA", "consent": True}
    url = f"/api/v1/races/{race['id']}/registrations/groups"
    refused = await client.post(url, json={"email": "family@example.com", "people": [person]})
    assert refused.status_code == 409 and refused.json()["another_person"] == "allowed"
    r = await client.post(url, json={"email": "family@example.com", "people": [person | {"another_person": True}]})
    assert r.status_code == 201 and r.json()["registrations"][0]["flagged"] is True


async def test_the_organiser_keeps_or_cancels_a_flagged_registration(client, race, organiser):
    await register(client, race["id"], **NAMESAKE)
    dup = (await register(client, race["id"], **NAMESAKE, another_person=True)).json()
    waiting = (await register(client, race["id"])).json()
    assert dup["status"] == "confirmed" and waiting["status"] == "waitlisted"
    url = "/api/v1/registrations/{}/flag"
    assert (await client.post(url.format(dup["id"]), json={"decision": "cancel"})).status_code == 401
    volunteer = await token_headers(client, "volunteer", "v@example.test")
    forbidden = await client.post(url.format(dup["id"]), json={"decision": "cancel"}, headers=volunteer)
    assert forbidden.status_code == 403
    assert (await client.post(url.format(dup["id"]), json={"decision": "maybe"}, headers=organiser)).status_code == 422
    # A real duplicate: cancelled, the bib freed, the waitlist moves up.
    r = await client.post(url.format(dup["id"]), json={"decision": "cancel"}, headers=organiser)
    assert r.status_code == 200 and r.json()["status"] == "cancelled" and r.json()["flagged"] is False
    promoted = (await client.get(f"/api/v1/registrations/{waiting['code']}")).json()
    assert promoted["status"] == "confirmed" and promoted["bib"] == dup["bib"]
    assert await count("bib_audit", "action = 'released' AND registration = {}", dup["id"]) == 1

    # Another namesake, really another person: kept, the flag cleared, the decision recorded.
    other = await register(client, race["id"], **(NAMESAKE | {"family_name": "Hussein  ABBAS"}), another_person=True)
    assert other.status_code == 201 and other.json()["flagged"] and other.json()["status"] == "waitlisted"
    r = await client.post(url.format(other.json()["id"]), json={"decision": "keep"}, headers=organiser)
    assert r.status_code == 200 and r.json()["flagged"] is False and r.json()["status"] == "waitlisted"
    again = await client.post(url.format(other.json()["id"]), json={"decision": "keep"}, headers=organiser)
    assert again.status_code == 409  # not flagged any more
    [row] = await db.fetch("SELECT flag_decision, flag_decided_by, flag_decided_at FROM registration WHERE id = {}",
                           other.json()["id"])  # fmt: skip
    assert row["flag_decision"] == "kept" and row["flag_decided_by"] and row["flag_decided_at"]
    assert not any(x["flagged"] for x in (await listed(client, race, organiser)).values())
    assert (await client.post(url.format(999999), json={"decision": "keep"}, headers=organiser)).status_code == 404
