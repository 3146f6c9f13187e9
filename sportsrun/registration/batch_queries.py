"""A batch of registrations' queries, run while the race is locked: one read of everything the batch's
rules need, one write of everything it decided.

Both workers write into the same race, one batch at a time, so a batch's time under the lock bounds the
race's throughput. On PostgreSQL each statement is a round trip through an event loop busy parsing other
requests (some 3 ms on this project's loaded 2-core machine), and a batch made ten of them: 37 ms under
the lock for 10 registrations, 200–335/s. So there the read is one statement (arrays of keys, the answers
as arrays of rows) and so is the write (data-modifying CTEs), the new rows' ids drawn from the sequences
in the read so that the write needs nothing back. SQLite's statements run inline, microseconds each: it
runs the domain's ordinary queries one after another."""

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sportsrun.core.db.connections import is_sqlite
from sportsrun.core.db.sql import fetch, fetch_one, sqlite_stored
from sportsrun.core.turns import bulk
from sportsrun.registration import queries

HELD_CHUNK = 256  # held bibs read ahead of the allocator: bibs.allocation.FreeBibs' chunk


@dataclass(slots=True)
class Keys:
    """The identity rule's keys of a batch: (birth date, value) pairs."""

    names: list[tuple]
    phones: list[tuple]
    emails: list[tuple]


@dataclass(slots=True)
class BatchState:
    counts: dict[str, int]  # the race's registrations per status, cancelled ones aside
    held: list[int]  # the race's held bibs from the read's start upward, at most HELD_CHUNK
    registered: list[tuple]  # the race's live registrations sharing a key: (birth_date, name_key, phone, email)
    people: list[tuple]  # the people sharing a phone or email key: (id, birth_date, phone, email, given_name_key)
    kept: dict[str, tuple]  # key hash → (body hash, sealed answer), kept since the read's `since`
    registration_ids: list[int]  # ids for the batch's new registrations, ascending
    person_ids: list[int]  # ids for the batch's new people, ascending


_MATCH = "SELECT ROW({select}) FROM unnest({{}}::date[], {{}}::text[]) AS k(d, v) JOIN {table} AS t " \
         "ON t.birth_date = k.d AND t.{column} = k.v WHERE {where}"  # fmt: skip
_REGISTERED = " UNION ALL ".join(
    _MATCH.format(select="t.birth_date, t.name_key, t.phone, t.email", table="registration", column=column,
                  where="t.race = {} AND t.status <> 'cancelled'")
    for column in ("name_key", "phone", "email")
)  # fmt: skip
_PEOPLE = " UNION ALL ".join(
    _MATCH.format(
        select="t.id, t.birth_date, t.phone, t.email, t.given_name_key", table="person", column=column, where="TRUE"
    )
    for column in ("phone", "email")
)
_READ = (
    "SELECT ARRAY(SELECT ROW(status, n) FROM registration_tally WHERE race = {} AND n > 0 "
    "AND status <> 'cancelled') AS counts, "
    "ARRAY(SELECT bib FROM registration WHERE race = {} AND bib >= {} AND bib <= {} ORDER BY bib LIMIT {}) AS held, "
    f"ARRAY({_REGISTERED}) AS registered, ARRAY({_PEOPLE}) AS people, "
    "ARRAY(SELECT ROW(key_hash, body_hash, answer) FROM kept_answer WHERE key_hash = ANY({}::text[]) "
    "AND created_at >= {}) AS kept, "
    "ARRAY(SELECT nextval('registration_id_seq') FROM generate_series(1, {})) AS registration_ids, "
    "ARRAY(SELECT nextval('person_id_seq') FROM generate_series(1, {})) AS person_ids"
)


def _columns(pairs: Sequence[tuple]) -> list[list]:
    return [[p[0] for p in pairs], [p[1] for p in pairs]]


async def read(race_id: int, start: int, last: int, keys: Keys, key_hashes: Sequence[str], since: dt.datetime,
               new: int, in_race: bool = True) -> BatchState:  # fmt: skip
    """What a batch of `new` registrations needs, read under the race's lock; `start`, `last`: the bibs the
    allocator will look through first; `in_race`: whether to look up the race's registrations sharing a key
    (`registered`), or leave that to a caller that did under the same lock."""
    if is_sqlite():
        return await _read_sqlite(race_id, start, last, keys, key_hashes, since, new, in_race)
    args = [race_id, race_id, start, last, HELD_CHUNK]
    for pairs in (keys.names, keys.phones, keys.emails):
        args += [*_columns(pairs if in_race else []), race_id]
    args += _columns(keys.phones) + _columns(keys.emails) + [list(key_hashes), since, new, new]
    row = await fetch_one(_READ, *args)
    assert row is not None
    return BatchState(
        counts=dict(row["counts"]),
        held=list(row["held"]),
        registered=row["registered"],
        people=row["people"],
        kept={k: (body, answer) for k, body, answer in row["kept"]},
        registration_ids=list(row["registration_ids"]),
        person_ids=list(row["person_ids"]),
    )


async def _read_sqlite(race_id: int, start: int, last: int, keys: Keys, key_hashes: Sequence[str],
                       since: dt.datetime, new: int, in_race: bool) -> BatchState:  # fmt: skip
    # The IMMEDIATE transaction holds the whole database: the next ids are the highest ones plus one.
    top = await fetch_one("SELECT (SELECT COALESCE(MAX(id), 0) FROM registration) AS r, "
                          "(SELECT COALESCE(MAX(id), 0) FROM person) AS p")  # fmt: skip
    assert top is not None
    kept = await queries.kept_answers(key_hashes, since) if key_hashes else {}
    counts = await queries.live_counts(race_id)  # none: nobody registered to look up (a first import)
    return BatchState(
        counts=counts,
        held=await queries.held_from(race_id, last, start, HELD_CHUNK),
        registered=[(r["birth_date"], r["name_key"], r["phone"], r["email"]) for r in
                    await queries.registered_as(race_id, keys.names, keys.phones, keys.emails)]
                    if counts and in_race else [],
        people=[(p["id"], p["birth_date"], p["phone"], p["email"], p["given_name_key"])
                for p in await queries.people_with(keys.phones, keys.emails)],
        kept={k: (r["body_hash"], r["answer"]) for k, r in kept.items()},
        registration_ids=list(range(top["r"] + 1, top["r"] + 1 + new)),
        person_ids=list(range(top["p"] + 1, top["p"] + 1 + new)),
    )  # fmt: skip


# PostgreSQL's types of (id, *REGISTRATION_COLUMNS), for their arrays.
_REGISTRATION_TYPES = ("int", "int", "int", "text", "int", *["text"] * 4, "date", *["text"] * 8, "bool", "text", "text",
                       "text", "timestamptz", "text", "bool")  # fmt: skip
_WRITE = (
    "WITH p AS (INSERT INTO person (id, birth_date, phone, email, given_name_key, created_at) "
    "SELECT *, {} FROM unnest({}::int[], {}::date[], {}::text[], {}::text[], {}::text[])" + queries.PERSON_CLAIMED
    + "), "
    "r AS (INSERT INTO registration (id, " + queries.REGISTRATION_COLUMNS + ") SELECT * FROM unnest("
    + ", ".join(f"{{}}::{t}[]" for t in _REGISTRATION_TYPES) + ")), "
    "a AS (INSERT INTO bib_audit (race, registration, action, bib, previous_bib, \"user\", note, at) "
    "SELECT {}, id, 'allocated', bib, NULL, {}, note, {} FROM unnest({}::int[], {}::int[], {}::text[]) "
    "AS b(id, bib, note)), "
    "k AS (INSERT INTO kept_answer (key_hash, body_hash, answer, created_at) "
    "SELECT *, {} FROM unnest({}::text[], {}::text[], {}::bytea[]) ON CONFLICT (key_hash) DO UPDATE "
    "SET body_hash = EXCLUDED.body_hash, answer = EXCLUDED.answer, created_at = EXCLUDED.created_at), "
    # Not the rows just kept: one statement must not both replace and delete a row.
    "d AS (DELETE FROM kept_answer WHERE created_at < {} AND {} AND NOT key_hash = ANY({}::text[])), "
    "n AS (UPDATE race SET bib_next_free = {} WHERE id = {} AND {}), "
    "m AS ({}) "
    "SELECT 1"
)  # fmt: skip


async def write(race_id: int, people: Sequence[tuple], registrations: Sequence[tuple], audit: Sequence[tuple],
                kept: Sequence[tuple], next_free: int | None, user_id: int | None, now: dt.datetime,
                since: dt.datetime, messages: tuple[str, list]) -> None:  # fmt: skip
    """people: (id, birth_date, phone, email, given_name_key), new or claimed; registrations: (id,
    *REGISTRATION_COLUMNS); audit: (registration id, bib, note), each allocated now by `user_id`; kept: (key
    hash, body hash, sealed answer), replacing any older than `since`; next_free: the bib allocator's new
    lower bound (bibs.next_free_to_save), if moved; messages: on PostgreSQL, a CTE's body that queues the
    batch's confirmations, with its arguments (messages.services.queued_with); SQLite's caller queues them."""
    if is_sqlite():
        await _write_sqlite(race_id, people, registrations, audit, kept, next_free, user_id, now, since)
        return
    columns = [list(c) for c in zip(*people, strict=True)] or [[]] * 5
    args: list = [now, *columns]
    args += [list(c) for c in zip(*registrations, strict=True)] or [[]] * len(_REGISTRATION_TYPES)
    args += [race_id, user_id, now, *([list(c) for c in zip(*audit, strict=True)] or [[]] * 3)]
    hashes = [k[0] for k in kept]
    args += [now, hashes, [k[1] for k in kept], [k[2] for k in kept]]
    args += [since, bool(kept), hashes, next_free or 0, race_id, next_free is not None, *messages[1]]
    await fetch(_WRITE.replace("m AS ({})", f"m AS ({messages[0]})"), *args)


_BIRTH_DATE = queries.REGISTRATION_COLUMNS.split(", ").index("birth_date") + 1  # after the id
_STATUS = queries.REGISTRATION_COLUMNS.split(", ").index("status") + 1
_COUNT = ("INSERT INTO registration_tally (race, status, n) VALUES {} "
          "ON CONFLICT (race, status) DO UPDATE SET n = registration_tally.n + excluded.n")  # fmt: skip
_CREATED_AT = queries.REGISTRATION_COLUMNS.split(", ").index("created_at") + 1


async def _write_sqlite(race_id: int, people: Sequence[tuple], registrations: Sequence[tuple],
                        audit: Sequence[tuple], kept: Sequence[tuple], next_free: int | None, user_id: int | None,
                        now: dt.datetime, since: dt.datetime) -> None:  # fmt: skip
    # Dates and times go in as the text SQLite keeps, each distinct value converted once: the driver's
    # adapter per cell was some 7 % of a 50,000-row import.
    at, days = sqlite_stored(now), {}

    def day(value: dt.date) -> str:
        text = days.get(value)
        if text is None:
            text = days[value] = sqlite_stored(value)
        return text

    if next_free is not None:
        await fetch("UPDATE race SET bib_next_free = {} WHERE id = {}", next_free, race_id)
    await queries.insert_people([(i, day(born), phone, email, key, at) for i, born, phone, email, key in people])
    if bulk(len(registrations)):  # an import: converting its rows below is tens of milliseconds on the loop
        await asyncio.sleep(0)
    b, c = _BIRTH_DATE, _CREATED_AT
    await queries.insert_registrations([(*r[:b], day(r[b]), *r[b + 1 : c], at, *r[c + 1 :]) for r in registrations])
    # Counted here, not by a trigger per row (migration 2026-12-05T11:50): this is the one insert of registrations.
    counts = Counter(r[_STATUS] for r in registrations)
    if counts:
        await fetch(_COUNT.format(", ".join(["({}, {}, {})"] * len(counts))),
                    *[v for status, n in counts.items() for v in (race_id, status, n)])  # fmt: skip
    await queries.insert_bib_audit([(race_id, r, "allocated", bib, None, user_id, note, at) for r, bib, note in audit])
    if kept:
        await queries.keep_answers(kept, now, since)
