"""On SQLite an entrant file is checked and written a chunk at a time in one transaction (registration/imports.py):
the result must be what one batch of the whole file gives, and a problem anywhere must keep nothing. On
PostgreSQL the file is one chunk, and the same results hold."""

import pytest

from sportsrun.registration import imports
from tests.support import make_race, register, row_counts, token_headers, xlsx

HEADER = ["given_name", "family_name", "gender", "birth_date", "province", "phone", "bib"]


@pytest.fixture
async def organiser(client):
    return await token_headers(client, "organiser")


async def upload(client, headers, race_id, content: bytes):
    return await client.post(f"/api/v1/races/{race_id}/registrations/imports", headers=headers,
                             files={"file": ("entrants.xlsx", content)})  # fmt: skip


def entrant(i: int, bib=None) -> list:
    gender = "female" if i % 2 else "male"
    return [f"Runner{i}", "Chunked", gender, f"19{70 + i}-07-01", "IQ-BG", f"+96477010000{i:02d}", bib]


async def imported(client, organiser, content: bytes) -> tuple[dict, list[tuple]]:
    race = await make_race(client, organiser, capacity=7, bib_first=1, bib_last=50, reserved_bibs=[1])
    assert (await register(client, race["id"])).json()["bib"] == 2
    r = await upload(client, organiser, race["id"], content)
    assert r.status_code == 201, r.text
    listing = (await client.get(f"/api/v1/races/{race['id']}/registrations", headers=organiser)).json()
    return r.json(), sorted((x["given_name"], x["status"], x["bib"]) for x in listing if x["family_name"] == "Chunked")


async def test_a_file_written_in_chunks_gets_what_one_batch_would(client, organiser, monkeypatch):
    # Later rows ask for the lowest free bibs (3, 4), which the first chunks would otherwise be given; the
    # eighth row is beyond the race's room, so its request (5) is not kept free for it.
    rows = [entrant(0), entrant(1), entrant(2), entrant(3), entrant(4, 4), entrant(5, 3), entrant(6), entrant(7, 5)]
    content = xlsx([HEADER, *rows])
    whole = await imported(client, organiser, content)
    monkeypatch.setattr(imports, "CHUNK", 2)
    chunked = await imported(client, organiser, content)
    assert chunked == whole
    body, listing = chunked
    assert body == {"created": 8, "waitlisted": 2, "bibs_changed": [{"row": 9, "requested": 5, "given": None}]}
    assert listing == [("Runner0", "confirmed", 5), ("Runner1", "confirmed", 6), ("Runner2", "confirmed", 7),
                       ("Runner3", "confirmed", 8), ("Runner4", "confirmed", 4), ("Runner5", "confirmed", 3),
                       ("Runner6", "waitlisted", None), ("Runner7", "waitlisted", None)]  # fmt: skip


async def test_a_problem_in_a_later_chunk_keeps_what_earlier_chunks_wrote_out(client, organiser, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 2)
    race = await make_race(client, organiser, capacity=20)
    await register(client, race["id"], given_name="Runner6", family_name="Chunked", birth_date="1976-07-01",
                   phone="+9647701000006")  # fmt: skip
    before = await row_counts()
    rows = [entrant(i) for i in range(6)] + [entrant(6), entrant(1), ["Bad", "Gender", "x", "1990-01-01", "IQ-BG",
                                                                     "+9647701000099", None]]  # fmt: skip
    r = await upload(client, organiser, race["id"], xlsx([HEADER, *rows]))
    assert r.status_code == 422, r.text
    errors = {(e["row"], e["column"], e["message"]) for e in r.json()["errors"]}
    assert errors == {
        (8, "given_name", "This person is already registered for this race."),
        (9, "given_name", "The same person as row 3 (same date of birth and name, phone or email)."),
        (10, "gender", "Choose one of: female, male."),
    }
    assert await row_counts() == before  # the first chunks' people, registrations and bib audit rolled back
    # Whole again, the file goes in, and the race's allocator carries on from it.
    r = await upload(client, organiser, race["id"], xlsx([HEADER, *[entrant(i) for i in range(6)]]))
    assert r.status_code == 201 and r.json()["created"] == 6
    assert (await register(client, race["id"])).json()["bib"] == 8
