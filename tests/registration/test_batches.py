"""A batch of registrations under the race's lock: a fixed number of statements however large the batch
(each is a round trip on PostgreSQL, while the other worker waits for the lock), and the rules of a mixed
batch (duplicates within it and in the race, people found across races, retries, the waitlist) kept."""

import datetime as dt

import pytest

from sportsrun.core.db import sql
from sportsrun.events import services as events
from sportsrun.registration import writer
from sportsrun.registration.idempotency import retry_of
from sportsrun.registration.services import new_code, validate
from tests.support import count, make_race, register, runner, token_headers


@pytest.fixture
async def organiser(client):
    return await token_headers(client, "organiser")


async def items(race_id: int, bodies: list[dict], keys: list[str | None] | None = None) -> list:
    race = await events.load_race(race_id)
    out = []
    for body, key in zip(bodies, keys or [None] * len(bodies), strict=True):
        code, digest = new_code()
        entry = await validate(race, body)
        out.append(writer.NewRegistration(entry, digest, retry=retry_of(race_id, key, body), code=code))
    return out


async def statements_for(race_id: int, batch: list, monkeypatch) -> tuple[int, list]:
    calls = []
    real = sql.fetch

    async def counting(query, *args):
        calls.append(query)
        return await real(query, *args)

    monkeypatch.setattr(sql, "fetch", counting)
    for module in ("sportsrun.registration.batch_queries", "sportsrun.registration.queries",
                   "sportsrun.events.queries"):  # fmt: skip
        monkeypatch.setattr(f"{module}.fetch", counting, raising=False)
    try:
        written = await writer.write_registrations(race_id, batch)
    finally:
        monkeypatch.undo()
    return len(calls), written


async def test_a_batch_takes_the_same_few_statements_whatever_its_size(client, organiser, monkeypatch):
    race = await make_race(client, organiser, capacity=500, bib_first=1, bib_last=1000)
    assert (await register(client, race["id"])).status_code == 201
    three = await items(race["id"], [runner() for _ in range(3)], ["a", "b", "c"])
    small, _ = await statements_for(race["id"], three, monkeypatch)
    bodies = [runner(birth_date="1990-07-01") for _ in range(120)]
    keys = [f"key-{i}" for i in range(120)]
    large, written = await statements_for(race["id"], await items(race["id"], bodies, keys), monkeypatch)
    assert [w.status for w in written] == ["confirmed"] * 120
    assert sorted(w.bib for w in written) == list(range(5, 125))
    assert large == small
    if sql.engine().engine_type != "sqlite":
        # The race's lock, one read, one write: nothing per registration.
        assert large <= 3


async def test_a_mixed_batch_keeps_every_rule(client, organiser):
    race = await make_race(client, organiser, capacity=4, bib_first=1, bib_last=100, reserved_bibs=[2])
    other = await make_race(client, organiser)
    known = runner(birth_date="1990-07-01", phone="+9647701111111")
    assert (await register(client, other["id"], **known)).status_code == 201
    held = runner(birth_date="1990-07-01")
    assert (await register(client, race["id"], **held)).status_code == 201
    bodies = [
        runner(**{**known, "given_name": "Another"}),  # a person of another race: same person, new here
        runner(given_name=held["given_name"], family_name=held["family_name"], birth_date="1990-07-01"),  # held
        runner(birth_date="1990-07-01", phone="+9647702222222"),
        runner(birth_date="1990-07-01", phone="+9647702222222"),  # the same phone as the one before
        runner(birth_date="1990-07-01"),
    ]
    bodies += [bodies[-1], runner(birth_date="1990-07-01")]  # the same key and body again, then one more
    batch = await items(race["id"], bodies, [None, None, "k1", "k2", "k3", "k3", None])
    written = await writer.write_registrations(race["id"], batch)
    assert [w.error.status_code if w.error else w.status for w in written] == [
        "confirmed", 409, "confirmed", 409, "confirmed", None, "waitlisted"
    ]  # fmt: skip
    assert [w.bib for w in written] == [3, None, 4, None, 5, None, None]  # 1 held, 2 reserved
    assert written[5].answer == written[4].answering(batch[4].code)  # the same key and body: one answer
    assert written[6].waitlist_position == 1
    ids = [w.id for w in written if w.id]
    assert ids == sorted(ids)
    rows = await sql.fetch("SELECT phone, person FROM registration WHERE phone = {} ORDER BY id", known["phone"])
    assert len(rows) == 2 and rows[0]["person"] == rows[1]["person"]
    # Retried later with its key: the first answer again, nothing written.
    again = await writer.write_registrations(race["id"], await items(race["id"], [bodies[4]], ["k3"]))
    assert again[0].answer == written[4].answering(batch[4].code)


async def test_a_race_closed_by_another_process_takes_no_more_online_registrations(client, organiser):
    """A process reads a race at most once a second for its registrations' checks (services): a race closed
    or hidden meanwhile, as another process would (no hook here), is refused under its lock all the same."""
    race = await make_race(client, organiser)
    url = f"/api/v1/races/{race['id']}/registrations"
    body = runner()
    first = await client.post(url, json=body, headers={"Idempotency-Key": "before"})
    assert first.status_code == 201
    await sql.fetch("UPDATE race SET registration_closes_at = {} WHERE id = {}",
                    dt.datetime(2026, 1, 1, tzinfo=dt.UTC), race["id"])  # fmt: skip
    closed = await client.post(url, json=runner())
    assert closed.status_code == 409 and "closed" in closed.json()["detail"]
    again = await client.post(url, json=body, headers={"Idempotency-Key": "before"})
    assert (again.status_code, again.json()) == (201, first.json())  # a retry still gets its first answer
    await sql.fetch("UPDATE race SET registration_closes_at = {} WHERE id = {}",
                    dt.datetime(2099, 1, 1, tzinfo=dt.UTC), race["id"])  # fmt: skip
    await sql.fetch("UPDATE event SET published = {} WHERE id = {}", False, race["event_id"])
    assert (await client.post(url, json=runner())).status_code == 404
    assert await count("registration") == 1
