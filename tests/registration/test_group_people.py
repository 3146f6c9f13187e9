"""Who a group's members are across races (PRODUCT.md, "The road to the Baghdad Marathon"): under one group
contact, twins share the birth date and the contact, and their folded given name tells them apart."""

import pytest

from sportsrun.core.db import sql
from tests.support import count, make_race, register, token_headers

PHONE = "+9647701239876"  # the mother's
BORN = "2014-05-02"


@pytest.fixture
async def races(client):
    organiser = await token_headers(client, "organiser")
    return [(await make_race(client, organiser, capacity=20, bib_first=1, bib_last=50))["id"] for _ in range(3)]


def twin(given: str) -> dict:
    return {"given_name": given, "family_name": "Kadhim", "gender": "male", "birth_date": BORN, "province": "IQ-BG",
            "guardian_name": "Maryam Kadhim", "consent": True}  # fmt: skip


async def group(client, race_id: int, *given: str) -> list[int]:
    body = {"phone": PHONE, "people": [twin(g) for g in given]}
    r = await client.post(f"/api/v1/races/{race_id}/registrations/groups", json=body)
    assert r.status_code == 201, r.text
    return [x["id"] for x in r.json()["registrations"]]


async def person(registration_id: int) -> int:
    row = await sql.fetch_one("SELECT person FROM registration WHERE id = {}", registration_id)
    assert row is not None
    return row["person"]


async def test_twins_in_one_group_are_two_people_in_every_race(client, races):
    first, second, third = races
    hassan, hussein = await group(client, first, "Hassan", "Hussein")
    # The next race: the mother lists them the other way round, one name typed otherwise.
    hussein_again, hassan_again = await group(client, second, "HUSSEIN", " hassan ")
    assert await person(hassan) != await person(hussein)
    assert await person(hassan_again) == await person(hassan)
    assert await person(hussein_again) == await person(hussein)
    assert await count("person") == 2
    # Registered alone with the mother's phone: the twin of that given name.
    r = await register(client, third, **twin("Hussein"), phone=PHONE)
    assert r.status_code == 201, r.text
    assert await person(r.json()["id"]) == await person(hussein)
    assert await count("person") == 2


async def test_a_runner_alone_in_two_races_is_one_person_with_no_name_key(client, races):
    first, second, _ = races
    one = await register(client, first, given_name="Ali", birth_date="1990-07-01", phone="+9647705550001")
    two = await register(client, second, given_name="Aly", birth_date="1990-07-01", phone="+9647705550001")
    assert one.status_code == two.status_code == 201
    assert await person(one.json()["id"]) == await person(two.json()["id"])
    rows = await sql.fetch("SELECT given_name_key FROM person")
    assert [r["given_name_key"] for r in rows] == [None]


async def test_a_group_member_is_found_by_contact_and_given_name_only(client, races):
    first, second, _ = races
    [sara] = await group(client, first, "Sara")
    # Another child of the same birth date under the same contact: another person.
    [noor, sara_again] = await group(client, second, "Noor", "sara")
    assert await person(sara_again) == await person(sara)
    assert await person(noor) != await person(sara)
    keys = await sql.fetch("SELECT given_name_key FROM person ORDER BY id")
    assert [k["given_name_key"] for k in keys] == ["sara", "noor"]
