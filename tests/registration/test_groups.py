"""Groups through the API: one contact for up to 20 people, all or nothing, the refused person named,
confirmed in list order then waitlisted, twins two people, a retry answered the same."""

import asyncio

import pytest

from sportsrun.registration import hooks
from tests.support import count, make_race, register, row_counts, token_headers

PHONE = "+9647701239876"


@pytest.fixture
async def race(client):
    return await make_race(client, await token_headers(client, "organiser"), capacity=3, bib_first=1, bib_last=50)


def child(given: str, family: str = "Kadhim", born: str = "2014-05-02", **overrides) -> dict:
    body = {"given_name": given, "family_name": family, "gender": "female", "birth_date": born,
            "province": "IQ-BG", "guardian_name": "Maryam Kadhim", "consent": True}  # fmt: skip
    return body | overrides


def group(*people: dict, **contact) -> dict:
    return {"phone": PHONE, **contact, "people": list(people)}


async def post_group(client, race_id: int, body: dict, headers: dict | None = None):
    return await client.post(f"/api/v1/races/{race_id}/registrations/groups", json=body, headers=headers or {})


async def test_a_group_is_confirmed_in_order_then_waitlisted(client, race):
    await register(client, race["id"])  # one place taken: two left for a group of four
    r = await post_group(client, race["id"], group(child("Sara"), child("Ali", gender="male"), child("Huda"),
                                                   child("Omar", gender="male")))  # fmt: skip
    assert r.status_code == 201, r.text
    regs = r.json()["registrations"]
    assert [(x["status"], x["bib"]) for x in regs] == [("confirmed", 2), ("confirmed", 3), ("waitlisted", None),
                                                       ("waitlisted", None)]  # fmt: skip
    assert [x["waitlist_position"] for x in regs[2:]] == [1, 2]
    assert len({x["code"] for x in regs}) == 4 and all(x["flagged"] is False for x in regs)
    own = [(await client.get(f"/api/v1/registrations/{x['code']}")).json() for x in regs]
    assert [o["given_name"] for o in own] == ["Sara", "Ali", "Huda", "Omar"]
    assert {o["phone"] for o in own} == {PHONE}  # the group's one contact, on each registration


async def test_an_invalid_third_person_refuses_the_whole_group(client, race):
    before = await row_counts()
    body = group(child("Sara"), child("Ali"), child("Huda", birth_date="not a date", gender="other"))
    r = await post_group(client, race["id"], body)
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"people[2].birth_date", "people[2].gender"}
    assert await row_counts() == before


async def test_the_group_contact_is_checked_once(client, race):
    r = await post_group(client, race["id"], group(child("Sara"), child("Ali"), phone="12"))
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["phone"]
    r = await post_group(client, race["id"], {"people": [child("Sara")]})
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["phone"]


async def test_a_registered_person_in_the_group_refuses_it_with_409(client, race):
    taken = await register(client, race["id"], given_name="Huda", family_name="Kadhim", birth_date="2014-05-02",
                           phone="+9647700000001", guardian_name="Maryam Kadhim")  # fmt: skip
    assert taken.status_code == 201
    before = await row_counts()
    r = await post_group(client, race["id"], group(child("Sara"), child("Ali"), child("huda", family=" KADHIM")))
    assert r.status_code == 409, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["people[2].given_name"]
    assert r.json()["another_person"] == "allowed"  # only the name and birth date matched
    assert await row_counts() == before
    # The same contact and birth date as a registered runner: the same person, whatever the name.
    r = await post_group(client, race["id"], {"phone": "+9647700000001", "people": [child("Nour")]})
    assert r.status_code == 409 and "another_person" not in r.json(), r.text
    assert await row_counts() == before


async def test_twins_in_one_group_are_two_people_and_one_name_twice_is_one(client, race):
    r = await post_group(client, race["id"], group(child("Hassan", gender="male"), child("Hussein", gender="male")))
    assert r.status_code == 201 and [x["status"] for x in r.json()["registrations"]] == ["confirmed"] * 2
    # The same twins again (another phone): refused, they are registered.
    again = await post_group(client, race["id"], group(child("Hassan", gender="male"), phone="+9647700000009"))
    assert again.status_code == 409
    # Two members with the same folded name and birth date are the same person.
    same = await post_group(client, race["id"], group(child("Zahraa"), child(" ZAHRAA "), phone="+9647700000008"))
    assert same.status_code == 409 and [e["field"] for e in same.json()["errors"]] == ["people[1].given_name"]
    assert "listed twice" in same.json()["detail"] and "another_person" not in same.json()
    assert await count("registration") == 2


async def test_at_most_twenty_people(client):
    race = await make_race(client, await token_headers(client, "organiser"), capacity=30, bib_first=1, bib_last=99)
    people = [child(f"Child{chr(65 + i)}", family=f"Family{chr(65 + i)}") for i in range(21)]
    r = await post_group(client, race["id"], group(*people))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "people"
    assert (await post_group(client, race["id"], group())).status_code == 422
    r = await post_group(client, race["id"], group(*people[:20]))
    assert r.status_code == 201 and len(r.json()["registrations"]) == 20
    assert await count("registration") == 20


async def test_a_retry_with_the_same_key_gets_the_first_answer(client, race):
    body, key = group(child("Sara"), child("Ali")), {"Idempotency-Key": "group-form-1"}
    first = await post_group(client, race["id"], body, key)
    assert first.status_code == 201
    again = await post_group(client, race["id"], body, key)
    assert (again.status_code, again.json()) == (201, first.json())
    other = await post_group(client, race["id"], group(child("Nour")), key)
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert await count("registration") == 2


async def test_two_copies_sent_at_once_make_one_group(client, race):
    body, key = group(child("Sara"), child("Ali")), {"Idempotency-Key": "group-form-2"}
    answers = await asyncio.gather(*[post_group(client, race["id"], body, key) for _ in range(3)])
    assert [a.status_code for a in answers] == [201] * 3
    assert len({str(a.json()) for a in answers}) == 1 and await count("registration") == 2


async def test_a_closed_window_refuses_the_group(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, registration_opens_at="2026-01-01T00:00:00+03:00",
                           registration_closes_at="2026-01-02T00:00:00+03:00")  # fmt: skip
    r = await post_group(client, race["id"], group(child("Sara")))
    assert r.status_code == 409 and await count("registration") == 0


async def test_a_group_counts_as_its_size_against_the_rate_limit(client, race, settings_env):
    settings_env(registration_rate_limit=4)
    assert (await post_group(client, race["id"], group(child("Sara"), child("Ali"), child("Huda")))).status_code == 201
    r = await post_group(client, race["id"], group(child("Nour"), child("Omar")))
    assert r.status_code == 429 and await count("registration") == 3


async def test_the_hook_hears_the_group_after_commit(client, race):
    heard = []

    async def receiver(race_id, ids):
        heard.append((race_id, ids, await count("registration")))

    hooks.group_registered.connect(receiver)
    try:
        r = await post_group(client, race["id"], group(child("Sara"), child("Ali")))
    finally:
        hooks.group_registered._receivers.remove(receiver)
    assert heard == [(race["id"], [x["id"] for x in r.json()["registrations"]], 2)]
