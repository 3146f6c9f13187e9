"""Every query of the registration domain: people, registrations and the bib audit.

Piccolo's query builder for what organisers and registrants open one at a time (their tables, a
registration by its code, a check-in); raw SQL where a registration burst or a 50,000-row import waits
on it: a batch of online registrations is written with a fixed number of multi-row statements inside
the race's lock, and `registrants` reads a race's 50,000 runners as plain tuples (0.39–0.52 s on SQLite
on this project's 2-core machine, against 0.56–0.69 s as Piccolo's dicts, before any tuple is made;
bench/query_costs.py)."""

import datetime as dt
from collections.abc import Iterable, Sequence

from sportsrun.core.db.sql import Keys, fetch, fetch_matching, fetch_one, fetch_rows, insert_many
from sportsrun.registration.registrant import Registrant, registrant
from sportsrun.registration.tables import Registration

BATCH = 400  # values per IN list or multi-row INSERT: well under every engine's limit on parameters

REGISTRATION_COLUMNS = (
    "race, person, status, bib, given_name, family_name, name_key, gender, birth_date, province, country, "
    "phone, email, emergency_contact, club, name_display, guardian_name, guardian_allows_full_name, source, "
    "code_hash, language, created_at, checkin_token, flagged"
)
AUDIT_COLUMNS = ("race", "registration", "action", "bib", "previous_bib", "user", "note", "at")
_AUDIT_COLUMNS = "(" + ", ".join(f'"{c}"' for c in AUDIT_COLUMNS) + ")"
PERSON_COLUMNS = ("id", "birth_date", "phone", "email", "given_name_key", "created_at")
OWN = (Registration.id, Registration.race, Registration.status, Registration.bib, Registration.given_name,
       Registration.family_name, Registration.gender, Registration.birth_date, Registration.province,
       Registration.country, Registration.phone, Registration.email, Registration.emergency_contact,
       Registration.club, Registration.name_display, Registration.guardian_name,
       Registration.guardian_allows_full_name, Registration.checked_in_at, Registration.cancelled_at,
       Registration.created_at, Registration.language)  # fmt: skip
ORGANISER = (*OWN, Registration.source, Registration.flagged)


def _placeholders(n: int) -> str:
    return ", ".join(["{}"] * n)


def _chunks(values: Sequence, size: int = BATCH) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# -- counts and the waitlist ---------------------------------------------------------------------------


async def status_counts(race_ids: list[int]) -> dict[int, dict[str, int]]:
    """Registrations per status of each race, from the tally the database keeps (the migration that made
    `registration_tally`): one row per status, however many registrations."""
    counts: dict[int, dict[str, int]] = {race_id: {} for race_id in race_ids}
    for c in _chunks(race_ids):
        sql = f"SELECT race, status, n FROM registration_tally WHERE n > 0 AND race IN ({_placeholders(len(c))})"
        for row in await fetch(sql, *c):
            counts[row["race"]][row["status"]] = row["n"]
    return counts


async def waitlist_position(race_id: int, registration_id: int) -> int:
    row = await fetch_one(
        "SELECT COUNT(*) AS n FROM registration WHERE race = {} AND status = 'waitlisted' AND id <= {}",
        race_id,
        registration_id,
    )
    return row["n"]


async def first_waiting(race_id: int, limit: int) -> list[int]:
    rows = await fetch(
        "SELECT id FROM registration WHERE race = {} AND status = 'waitlisted' ORDER BY id LIMIT {}", race_id, limit
    )
    return [r["id"] for r in rows]


async def confirm(registration_id: int, bib: int) -> None:
    await fetch("UPDATE registration SET status = 'confirmed', bib = {} WHERE id = {}", bib, registration_id)


# -- bibs held -----------------------------------------------------------------------------------------


async def held_from(race_id: int, last: int, start: int, limit: int) -> list[int]:
    """The race's held bibs from `start` upward, ascending: the allocator's view (bibs.allocation)."""
    rows = await fetch(
        "SELECT bib FROM registration WHERE race = {} AND bib >= {} AND bib <= {} ORDER BY bib LIMIT {}",
        race_id,
        start,
        last,
        limit,
    )
    return [r["bib"] for r in rows]


async def held_among(race_id: int, candidates: Sequence[int]) -> set[int]:
    held: set[int] = set()
    for chunk in _chunks(candidates):
        rows = await fetch(
            f"SELECT bib FROM registration WHERE race = {{}} AND bib IN ({_placeholders(len(chunk))})", race_id, *chunk
        )
        held.update(r["bib"] for r in rows)
    return held


async def held_outside(race_id: int, first: int, last: int) -> int | None:
    row = await fetch_one(
        "SELECT bib FROM registration WHERE race = {} AND bib IS NOT NULL AND (bib < {} OR bib > {}) LIMIT 1",
        race_id,
        first,
        last,
    )
    return row["bib"] if row else None


async def holder(race_id: int, bib: int) -> int | None:
    row = await fetch_one("SELECT id FROM registration WHERE race = {} AND bib = {}", race_id, bib)
    return row["id"] if row else None


async def bibs_of_other_races(event_id: int, race_id: int) -> dict[int, str]:
    """Bib → race name, for the event's other races."""
    rows = await fetch(
        "SELECT r.bib, race.name FROM registration r JOIN race ON race.id = r.race "
        "WHERE race.event = {} AND race.id <> {} AND r.bib IS NOT NULL",
        event_id,
        race_id,
    )
    return {r["bib"]: r["name"] for r in rows}


# -- writing registrations -----------------------------------------------------------------------------


async def registered_as(
    race_id: int, names: Sequence[tuple], phones: Sequence[tuple], emails: Sequence[tuple]
) -> list[dict]:
    """The race's live registrations with one of the (birth date, folded name), (birth date, phone) or
    (birth date, email) given: the duplicate rule's keys, each one lookup in its index."""
    return await fetch_matching(
        "t.birth_date, t.name_key, t.phone, t.email", "registration", "t.race = {} AND t.status <> 'cancelled'",
        (race_id,), [Keys(("birth_date", column), ("date", "text"), keys)
                     for column, keys in (("name_key", names), ("phone", phones), ("email", emails))],
    )  # fmt: skip


async def people_with(phones: Sequence[tuple], emails: Sequence[tuple]) -> list[dict]:
    """The people with one of the (birth date, phone) or (birth date, email) given, with their given-name key."""
    keys = [Keys(("birth_date", column), ("date", "text"), values) for column, values in (("phone", phones),
            ("email", emails))]  # fmt: skip
    return await fetch_matching("t.id, t.birth_date, t.phone, t.email, t.given_name_key", "person", "TRUE", (), keys)


# A person already there is one an entrant claimed (people.assign_people): it gains a key, never changes one.
PERSON_CLAIMED = " ON CONFLICT (id) DO UPDATE SET given_name_key = COALESCE(person.given_name_key, " \
                 "EXCLUDED.given_name_key)"  # fmt: skip


async def insert_people(people: Sequence[tuple]) -> None:
    """(id, birth_date, phone, email, given_name_key, created_at) each, values as SQLite stores them: ids drawn by
    the writer (registration.batch_queries), or an old person's id with the key an entrant claimed it under."""
    await insert_many("person", PERSON_COLUMNS, list(people), on_conflict=PERSON_CLAIMED)


async def live_counts(race_id: int) -> dict[str, int]:
    """The race's registrations per status, cancelled ones aside."""
    counts = (await status_counts([race_id]))[race_id]
    counts.pop("cancelled", None)
    return counts


async def insert_registrations(rows: Sequence[tuple]) -> None:
    """Rows of (id, *REGISTRATION_COLUMNS): ids drawn by the writer (registration.batch_queries), values as
    the table stores them (core.db.sql.insert_many)."""
    await insert_many("registration", ("id", *REGISTRATION_COLUMNS.split(", ")), list(rows))


async def record_bibs(rows: Sequence[tuple]) -> None:
    """Bib audit rows: (race, registration, action, bib, previous_bib, user, note, at) each."""
    for chunk in _chunks(rows):
        await fetch(
            f"INSERT INTO bib_audit {_AUDIT_COLUMNS} VALUES " + ", ".join([f"({_placeholders(8)})"] * len(chunk)),
            *[v for row in chunk for v in row],
        )


async def insert_bib_audit(rows: Sequence[tuple]) -> None:
    """Many bib audit rows at once, as record_bibs takes them, values as the table stores them."""
    await insert_many("bib_audit", AUDIT_COLUMNS, list(rows))


async def kept_answers(key_hashes: Sequence[str], since: dt.datetime) -> dict[str, dict]:
    """Key hash → its kept (body_hash, answer), if kept since `since`."""
    sql = "SELECT key_hash, body_hash, answer FROM kept_answer WHERE created_at >= {} AND key_hash IN ({})"
    rows = [r for c in _chunks(key_hashes) for r in await fetch(sql.format("{}", _placeholders(len(c))), since, *c)]
    return {r["key_hash"]: r for r in rows}


async def keep_answers(rows: Sequence[tuple[str, str, bytes]], now: dt.datetime, since: dt.datetime) -> None:
    """(key hash, body hash, sealed answer) each, in place of any older than `since`."""
    for c in _chunks(rows):
        await fetch(f"DELETE FROM kept_answer WHERE key_hash IN ({_placeholders(len(c))})", *[r[0] for r in c])
        await fetch("INSERT INTO kept_answer (key_hash, body_hash, answer, created_at) VALUES "
                    + ", ".join(["({}, {}, {}, {})"] * len(c)), *[v for row in c for v in (*row, now)])  # fmt: skip
    await fetch("DELETE FROM kept_answer WHERE created_at < {}", since)


# -- one registration ----------------------------------------------------------------------------------


async def by_code(code_hash: str) -> dict | None:
    return await Registration.select(*OWN).where(Registration.code_hash == code_hash).first()


async def by_id(registration_id: int) -> dict | None:
    return await Registration.select(*ORGANISER).where(Registration.id == registration_id).first()


async def cancel(registration_id: int, at: dt.datetime) -> None:
    cancelled = {"status": "cancelled", "bib": None, "cancelled_at": at, "checkin_token": None}  # the token dies
    await Registration.update(cancelled).where(Registration.id == registration_id)


async def set_bib(registration_id: int, bib: int) -> None:
    await Registration.update(bib=bib).where(Registration.id == registration_id)


async def bib_holder(race_id: int, bib: int) -> dict | None:
    """The registration holding `bib`, with the race's start for its age on race day."""
    return await fetch_one(
        "SELECT r.id, r.bib, r.status, r.given_name, r.family_name, r.name_display, r.birth_date, "
        "r.guardian_allows_full_name, r.checked_in_at, race.start_time, race.utc_offset_minutes "
        "FROM registration r JOIN race ON race.id = r.race WHERE r.race = {} AND r.bib = {}",
        race_id,
        bib,
    )


async def check_in(registration_id: int, at: dt.datetime) -> None:
    await Registration.update(checked_in_at=at).where(Registration.id == registration_id)


async def check_in_count(race_id: int) -> dict:
    return await fetch_one("SELECT COUNT(checked_in_at) AS checked_in, COUNT(*) AS confirmed FROM registration "
                           "WHERE race = {} AND status = 'confirmed'", race_id)  # fmt: skip


# -- organisers' lists ---------------------------------------------------------------------------------


# -- the runners of a race, for results ----------------------------------------------------------------


# Cast, so that SQLite's driver does not call a Python converter for the boolean and the date on every row.
_REGISTRANT = ("id, gender, CAST(birth_date AS TEXT), given_name, family_name, name_display, "
               "CAST(guardian_allows_full_name AS INTEGER), province, country, name_key, bib")  # fmt: skip


async def registrants(race_id: int) -> list[Registrant]:
    rows = await fetch_rows(f"SELECT {_REGISTRANT} FROM registration WHERE race = {{}} AND bib IS NOT NULL", race_id)
    return list(map(registrant, rows))


async def registrants_by_id(registration_ids: Sequence[int]) -> list[Registrant]:
    ids = registration_ids
    rows = await fetch_rows(f"SELECT {_REGISTRANT} FROM registration WHERE id IN ({_placeholders(len(ids))})", *ids)
    return list(map(registrant, rows))


async def registrants_fingerprint(race_id: int) -> tuple:
    rows = await fetch_rows("SELECT COUNT(*), MAX(id), SUM(CAST(id AS BIGINT) * bib) FROM registration "
                            "WHERE race = {} AND bib IS NOT NULL", race_id)  # fmt: skip
    return tuple(rows[0])
