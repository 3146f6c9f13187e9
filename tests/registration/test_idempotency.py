"""A registration saved but never acknowledged (a dropped phone connection, a process that died after its
commit) is not lost to its runner: the retry with the same Idempotency-Key gets the first answer, code
included."""

import asyncio

from sportsrun.core.db import sql as db
from tests.support import count, make_race, runner, token_headers


def key(name: str) -> dict:
    return {"Idempotency-Key": f"form-opened-{name}"}


async def test_a_retry_gets_the_first_answer_code_included(client):
    race = await make_race(client, await token_headers(client, "organiser"), capacity=1, bib_first=1, bib_last=9)
    url, body = f"/api/v1/races/{race['id']}/registrations", runner()
    first = await client.post(url, json=body, headers=key("a"))
    assert first.status_code == 201 and first.json()["code"]
    # The answer never reached the phone; the runner taps "Register" again, and again later.
    for _ in range(2):
        again = await client.post(url, json=body, headers=key("a"))
        assert (again.status_code, again.json()) == (201, first.json())
    assert await count("registration") == 1
    # Without the key the same person is a duplicate, as before.
    assert (await client.post(url, json=body)).status_code == 409
    own = await client.get(f"/api/v1/registrations/{first.json()['code']}")
    assert own.status_code == 200 and own.json()["bib"] == first.json()["bib"]
    # Nothing in the database reveals the code: the kept answer is sealed with the client's key.
    [kept] = await db.fetch("SELECT key_hash, answer FROM kept_answer")
    assert first.json()["code"].encode() not in bytes(kept["answer"]) and "form-opened" not in kept["key_hash"]


async def test_a_retry_is_answered_after_the_race_filled_up_or_closed(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=1, bib_first=1, bib_last=9)
    url, body = f"/api/v1/races/{race['id']}/registrations", runner()
    first = await client.post(url, json=body, headers=key("b"))
    assert (await client.post(url, json=runner())).json()["status"] == "waitlisted"
    closed = {
        "registration_closes_at": "2026-01-02T00:00:00+03:00",
        "registration_opens_at": "2026-01-01T00:00:00+03:00",
    }
    assert (await client.patch(f"/api/v1/races/{race['id']}", headers=organiser, json=closed)).status_code == 200
    again = await client.post(url, json=body, headers=key("b"))
    assert (again.status_code, again.json()) == (201, first.json())


async def test_the_same_key_with_another_body_is_refused(client):
    race = await make_race(client, await token_headers(client, "organiser"))
    url = f"/api/v1/races/{race['id']}/registrations"
    assert (await client.post(url, json=runner(), headers=key("c"))).status_code == 201
    other = await client.post(url, json=runner(given_name="Huda"), headers=key("c"))
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    for bad in ("x" * 256, "a\tb", "é".encode()):
        refused = await client.post(url, json=runner(), headers={"Idempotency-Key": bad})
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "Idempotency-Key", bad
    assert await count("registration") == 1


async def test_two_copies_sent_at_once_make_one_registration(client):
    race = await make_race(client, await token_headers(client, "organiser"))
    url, body = f"/api/v1/races/{race['id']}/registrations", runner()
    answers = await asyncio.gather(*[client.post(url, json=body, headers=key("d")) for _ in range(4)])
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["code"] for a in answers}) == 1 and await count("registration") == 1


async def test_the_key_is_per_race(client):
    organiser = await token_headers(client, "organiser")
    ten, five = await make_race(client, organiser), await make_race(client, organiser, bib_first=600, bib_last=700)
    body = runner()
    a = await client.post(f"/api/v1/races/{ten['id']}/registrations", json=body, headers=key("e"))
    b = await client.post(f"/api/v1/races/{five['id']}/registrations", json=body, headers=key("e"))
    assert a.status_code == b.status_code == 201 and a.json()["code"] != b.json()["code"]
