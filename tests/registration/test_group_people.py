"""Who a group's members are across races (PRODUCT.md, "The road to the Baghdad Marathon"): under one group
contact, twins share the birth date and the contact, and their folded given name tells them apart."""

import pytest

from sportsrun.core.db import sql
from sportsrun.core.text.names import fold
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


async def test_a_runner_alone_in_two_races_is_one_person_with_their_name_key(client, races):
    first, second, _ = races
    one = await register(client, first, given_name="Ali", birth_date="1990-07-01", phone="+9647705550001")
    two = await register(client, second, given_name="Aly", birth_date="1990-07-01", phone="+9647705550001")
    assert one.status_code == two.status_code == 201
    assert await person(one.json()["id"]) == await person(two.json()["id"])
    rows = await sql.fetch("SELECT given_name_key FROM person")
    assert [r["given_name_key"] for r in rows] == ["ali"]


async def test_a_runner_alone_then_in_a_family_group_is_one_person(client, races):
    first, second, third = races
    r = await register(client, first, **twin("Hassan"), phone=PHONE)
    assert r.status_code == 201, r.text
    alone = r.json()["id"]
    # The mother registers him with his brother under the same phone: he is who he was, his brother is new.
    hussein, hassan = await group(client, second, "Hussein", "hassan")
    assert await person(hassan) == await person(alone)
    assert await person(hussein) != await person(alone)
    # Alone again, then in the group again: still the same two.
    r = await register(client, third, **twin("HUSSEIN"), phone=PHONE)
    assert r.status_code == 201, r.text
    assert await person(r.json()["id"]) == await person(hussein)
    assert await count("person") == 2


async def test_two_people_alone_with_one_phone_and_birth_date_are_one_as_before(client, races):
    """The identity rule across races is never the name: registered alone, nothing tells them apart."""
    first, second, _ = races
    one = await register(client, first, **twin("Hassan"), phone=PHONE)
    two = await register(client, second, **twin("Hussein"), phone=PHONE)
    assert one.status_code == two.status_code == 201
    assert await person(one.json()["id"]) == await person(two.json()["id"])
    assert await count("person") == 1


async def test_a_person_kept_without_a_name_is_claimed_once(client, races):
    """Rows made alone before the given name was kept: the first entrant matched takes them, and keeps them."""
    first, second, third = races
    r = await register(client, first, **twin("Hassan"), phone=PHONE)
    assert r.status_code == 201, r.text
    alone = r.json()["id"]
    await sql.fetch("UPDATE person SET given_name_key = NULL")
    [hassan] = await group(client, second, "Hassan")
    assert await person(hassan) == await person(alone)
    assert [r["given_name_key"] for r in await sql.fetch("SELECT given_name_key FROM person")] == ["hassan"]
    # Claimed: his twin in the next group is another person, in whichever order they are listed.
    hussein, hassan_again = await group(client, third, "Hussein", "Hassan")
    assert await person(hassan_again) == await person(alone)
    assert await person(hussein) != await person(alone)
    assert await count("person") == 2


async def test_a_group_member_is_found_by_contact_and_given_name_only(client, races):
    first, second, _ = races
    [sara] = await group(client, first, "Sara")
    # Another child of the same birth date under the same contact: another person.
    [noor, sara_again] = await group(client, second, "Noor", "sara")
    assert await person(sara_again) == await person(sara)
    assert await person(noor) != await person(sara)
    keys = await sql.fetch("SELECT given_name_key FROM person ORDER BY id")
    assert [k["given_name_key"] for k in keys] == ["sara", "noor"]


async def test_the_migration_gives_people_made_alone_their_first_given_name(client, races):
    import importlib

    migration = importlib.import_module("sportsrun.piccolo_migrations.sportsrun_2026_12_05t08_07_58_000000")
    first, second, third = races
    for race_id, given in ((first, "Ḥasan"), (second, "Hussein")):  # the second is the same person, as before
        r = await register(client, race_id, **twin(given), phone=PHONE)
        assert r.status_code == 201, r.text
    r = await register(client, first, given_name="Noor", birth_date="1999-01-01", email="noor@example.test")
    assert r.status_code == 201, r.text
    await sql.fetch("UPDATE person SET given_name_key = NULL")  # as before keys were kept
    await (await migration.forwards()).run()
    rows = await sql.fetch("SELECT given_name_key FROM person ORDER BY id")
    assert [r["given_name_key"] for r in rows] == [fold("Ḥasan"), "noor"]
    # The first group to list him with his twin, the twin first: he keeps his past.
    hussein, hasan = await group(client, third, "Hussein", "Ḥasan")
    first_id = (await sql.fetch_one("SELECT MIN(id) AS id FROM person"))["id"]
    assert await person(hasan) == first_id != await person(hussein)
