"""The identity rule looked up by its exact keys (docs/rules.md, "Identity and duplicates"), in a race
and an installation where many share one birth date, as 1 July is shared in Iraq."""

import pytest

from sportsrun.core.db import sql
from tests.support import count, make_race, register, row_counts, token_headers, xlsx

JULY_1 = "1990-07-01"
HEADER = ["given_name", "family_name", "gender", "birth_date", "province", "phone", "email"]
CROWD = 400  # more than one slice of keys per SQLite statement (sql.KEYS_PER_STATEMENT)


@pytest.fixture
async def organiser(client):
    return await token_headers(client, "organiser")


def crowd_row(i: int, birth_date: str = JULY_1) -> list:
    return [f"Runner{i}", "Crowd", "male", birth_date, "IQ-BG", f"+96477020{i:05d}", f"crowd{i}@example.test"]


async def import_rows(client, organiser, race_id: int, rows: list[list]):
    return await client.post(
        f"/api/v1/races/{race_id}/registrations/imports",
        headers=organiser,
        files={"file": ("entrants.xlsx", xlsx([HEADER, *rows]))},
    )


@pytest.fixture
async def crowded(client, organiser):
    """A race holding CROWD runners all born on 1 July."""
    race = await make_race(client, organiser, capacity=CROWD + 50, bib_first=1, bib_last=CROWD + 100)
    r = await import_rows(client, organiser, race["id"], [crowd_row(i) for i in range(CROWD)])
    assert r.status_code == 201 and r.json()["created"] == CROWD, r.text
    return race


@pytest.mark.parametrize(
    "twin",
    [
        {"given_name": "رنر", "family_name": "Crowd", "phone": "+9647709000001"},  # not a namesake: accepted
        {"given_name": "runner399", "family_name": "CROWD", "phone": "+9647709000002"},  # namesake, folded
        {"given_name": "Other", "phone": "+9647702000398"},  # same phone
        {"given_name": "Other", "phone": None, "email": "crowd397@example.test"},  # same email
    ],
)
async def test_a_namesake_or_contact_on_a_crowded_birth_date_is_a_duplicate(client, crowded, twin):
    before = await row_counts()
    r = await register(client, crowded["id"], birth_date=JULY_1, **twin)
    if twin["given_name"] == "رنر":
        assert r.status_code == 201, r.text
        return
    assert r.status_code == 409 and "already registered" in r.json()["detail"]
    assert await row_counts() == before


async def test_the_same_keys_on_another_birth_date_are_another_person(client, crowded):
    other_day = {"birth_date": "1990-07-02", "family_name": "Crowd"}
    assert (
        await register(client, crowded["id"], given_name="Runner5", phone="+9647709000003", **other_day)
    ).status_code == 201
    assert (
        await register(client, crowded["id"], given_name="Other", phone="+9647702000006", **other_day)
    ).status_code == 201
    # A different person born on the crowded date: no key shared, so no duplicate.
    assert (await register(client, crowded["id"], given_name="Fresh", birth_date=JULY_1)).status_code == 201


async def test_an_import_finds_the_one_duplicate_among_a_crowd_sharing_its_birth_date(client, organiser, crowded):
    rows = [crowd_row(i) for i in range(CROWD, 2 * CROWD)]
    rows[-1] = ["Late", "Comer", "male", JULY_1, "IQ-BG", "+9647709000004", "crowd3@example.test"]  # email of row 3
    r = await import_rows(client, organiser, crowded["id"], rows)
    assert r.status_code == 422
    assert [(e["row"], "already registered" in e["message"]) for e in r.json()["errors"]] == [(CROWD + 1, True)]


async def person_where(condition: str, value) -> int:
    rows = await sql.fetch(f"SELECT person FROM registration WHERE {condition} = {{}}", value)
    assert len(rows) == 1
    return rows[0]["person"]


async def test_a_person_is_matched_across_races_by_birth_date_and_phone_or_email_only(client, organiser, crowded):
    people = await count("person")
    assert people == CROWD
    other = await make_race(client, organiser, capacity=20, bib_first=1000, bib_last=1100)

    async def person_of(**fields) -> int:
        r = await register(client, other["id"], birth_date=fields.pop("birth_date", JULY_1), **fields)
        assert r.status_code == 201, r.text
        return await person_where("id", r.json()["id"])

    crowd = {i: await person_where("phone", f"+96477020{i:05d}") for i in (7, 8, 9)}
    by_phone = await person_of(given_name="X", family_name="Y", phone="+9647702000007")
    by_email = await person_of(given_name="X", family_name="Z", phone=None, email="crowd8@example.test")
    # The phone of one crowd runner and the email of another: the phone decides, as it always has.
    by_both = await person_of(given_name="X", family_name="W", phone="+9647702000009", email="crowd7@example.test")
    assert (by_phone, by_email, by_both) == (crowd[7], crowd[8], crowd[9])
    assert await count("person") == people
    # The name and birth date alone, or a known phone on another birth date: a new person each.
    await person_of(given_name="Runner10", family_name="Crowd", phone="+9647709000005")
    await person_of(given_name="X", family_name="V", phone="+9647702000011", birth_date="1990-07-03")
    assert await count("person") == people + 2
