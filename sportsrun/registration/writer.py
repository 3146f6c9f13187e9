"""Writing registrations: many in one transaction, with a fixed number of queries however many.

Registrations of a race are written one transaction at a time while the race is locked (the bib
allocator and the waitlist need that). Online registrations arriving together are queued per race
and written as one batch, so the lock and the round trips are paid per batch: the same path the
entrant import uses for a whole file."""

import asyncio
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sportsrun.bibs import services as bibs
from sportsrun.bibs.allocation import FreeBibs
from sportsrun.core.db.sql import fetch, write_transaction
from sportsrun.core.errors import Conflict, DomainError
from sportsrun.core.i18n import gettext as _
from sportsrun.events.races import lock_race
from sportsrun.registration.validation import RegistrationInput

BATCH = 400
MAX_QUEUED_BATCH = 200

_COLUMNS = (
    "race, person, status, bib, given_name, family_name, name_key, gender, birth_date, province, country, "
    "phone, email, emergency_contact, club, name_display, guardian_name, guardian_allows_full_name, source, "
    "code_hash, created_at"
)


@dataclass(slots=True)
class NewRegistration:
    entry: RegistrationInput
    code_hash: str
    source: str = "online"
    requested_bib: int | None = None


@dataclass(slots=True)
class Written:
    id: int | None = None
    status: str | None = None
    bib: int | None = None
    waitlist_position: int | None = None
    error: DomainError | None = None


def duplicate_person() -> Conflict:
    return Conflict(
        _(
            "This person is already registered for this race (same date of birth and the same name, phone "
            "or email). Twins sharing a phone: use another phone or an email, or ask the organiser."
        )
    )


class PeopleSeen:
    """Who holds a registration, by PRODUCT.md's rule: the same birth date with the same folded name,
    phone or email."""

    def __init__(self) -> None:
        self.keys: dict[tuple, object] = {}

    @staticmethod
    def _keys(birth_date: dt.date, name_key: str, phone: str | None, email: str | None) -> Iterable[tuple]:
        yield (birth_date, "n", name_key)
        if phone:
            yield (birth_date, "p", phone)
        if email:
            yield (birth_date, "e", email)

    def find(self, e: RegistrationInput) -> object | None:
        return next(
            (self.keys[k] for k in self._keys(e.birth_date, e.name_key, e.phone, e.email) if k in self.keys), None
        )

    def add(self, birth_date, name_key, phone, email, where: object) -> None:
        for key in self._keys(birth_date, name_key, phone, email):
            self.keys.setdefault(key, where)


def _placeholders(n: int) -> str:
    return ", ".join(["{}"] * n)


async def registered_people(race_id: int, birth_dates: list[dt.date]) -> PeopleSeen:
    seen = PeopleSeen()
    for start in range(0, len(birth_dates), BATCH):
        chunk = birth_dates[start : start + BATCH]
        for r in await fetch(
            "SELECT birth_date, name_key, phone, email FROM registration WHERE race = {} AND status <> 'cancelled' "
            f"AND birth_date IN ({_placeholders(len(chunk))})",
            race_id,
            *chunk,
        ):
            seen.add(r["birth_date"], r["name_key"], r["phone"], r["email"], "race")
    return seen


async def person_ids(entries: list[RegistrationInput], now: dt.datetime) -> list[int]:
    """Each entrant's person (the same birth date with the same phone or email), created when new."""
    known: dict[tuple, int] = {}
    dates = sorted({e.birth_date for e in entries})
    for start in range(0, len(dates), BATCH):
        chunk = dates[start : start + BATCH]
        for p in await fetch(
            f"SELECT id, birth_date, phone, email FROM person WHERE birth_date IN ({_placeholders(len(chunk))}) "
            "ORDER BY id DESC",
            *chunk,
        ):
            for kind in ("phone", "email"):
                if p[kind]:
                    known[(p["birth_date"], kind, p[kind])] = p["id"]

    def lookup(e: RegistrationInput) -> int | None:
        return known.get((e.birth_date, "phone", e.phone)) or known.get((e.birth_date, "email", e.email))

    new: dict[tuple, RegistrationInput] = {}
    for e in entries:
        if lookup(e) is None:
            new.setdefault((e.birth_date, e.phone or "", e.email or ""), e)
    people = list(new.values())
    for start in range(0, len(people), BATCH):
        chunk = people[start : start + BATCH]
        rows = await fetch(
            "INSERT INTO person (birth_date, phone, email, created_at) VALUES "
            + ", ".join(["({}, {}, {}, {})"] * len(chunk))
            + " RETURNING id, birth_date, phone, email",
            *[v for e in chunk for v in (e.birth_date, e.phone, e.email, now)],
        )
        for p in rows:
            for kind in ("phone", "email"):
                if p[kind]:
                    known.setdefault((p["birth_date"], kind, p[kind]), p["id"])
    return [lookup(e) for e in entries]  # type: ignore[misc]


async def write_registrations(
    race_id: int, items: list[NewRegistration], *, user_id: int | None = None
) -> list[Written]:
    """Writes what it can: duplicates come back with their error, the rest confirmed (lowest free bib or
    the requested one, while the race has room) or waitlisted, in the order given."""
    now = dt.datetime.now(dt.UTC)
    results = [Written() for _ in items]
    async with write_transaction():
        race = await lock_race(race_id)
        seen = await registered_people(race.id, sorted({i.entry.birth_date for i in items}))
        accepted = []
        for index, item in enumerate(items):
            e = item.entry
            if seen.find(e) is not None:
                results[index].error = duplicate_person()
                continue
            seen.add(e.birth_date, e.name_key, e.phone, e.email, index)
            accepted.append(index)
        if not accepted:
            return results

        counts = {
            r["status"]: r["n"]
            for r in await fetch(
                "SELECT status, COUNT(*) AS n FROM registration WHERE race = {} AND status <> 'cancelled' "
                "GROUP BY status",
                race.id,
            )
        }
        room = race.capacity - counts.get("confirmed", 0)
        waitlisted = counts.get("waitlisted", 0)
        bib_range = race.bib_range()
        free = FreeBibs(bib_range, lambda start, limit: held_from(race.id, race.bib_last, start, limit))

        # Requested bibs first, so that a later row's request is not taken by an earlier row's allocation.
        confirmed = accepted[: max(room, 0)]
        requested = {
            items[i].requested_bib
            for i in confirmed
            if items[i].requested_bib is not None and race.bib_first <= items[i].requested_bib <= race.bib_last
        }
        held = await held_among(race.id, sorted(requested))
        for index in confirmed:
            bib = items[index].requested_bib
            if bib in requested and bib not in held:
                results[index].bib = bib
                held.add(bib)
                free.claim(bib)
        for index in accepted:
            result = results[index]
            if index in confirmed and result.bib is None:
                result.bib = await free.next()
            if result.bib is not None:
                result.status = "confirmed"
            else:
                waitlisted += 1
                result.status, result.waitlist_position = "waitlisted", waitlisted

        people = await person_ids([items[i].entry for i in accepted], now)
        rows = [
            (race.id, person, results[i].status, results[i].bib, *_entry_values(items[i]), now)
            for i, person in zip(accepted, people, strict=True)
        ]
        ids: dict[str, int] = {}
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            inserted = await fetch(
                f"INSERT INTO registration ({_COLUMNS}) VALUES "
                + ", ".join([f"({_placeholders(len(chunk[0]))})"] * len(chunk))
                + " RETURNING id, code_hash",
                *[v for row in chunk for v in row],
            )
            ids.update((r["code_hash"], r["id"]) for r in inserted)
        for index in accepted:
            results[index].id = ids[items[index].code_hash]
        given = [(results[i].id, results[i].bib, items[i].source) for i in accepted if results[i].bib is not None]
        await bibs.record_many(race.id, "allocated", given, user_id=user_id, at=now)
        await bibs.save_next_free(bib_range)
    return results


def _entry_values(item: NewRegistration) -> tuple:
    e = item.entry
    return (
        e.given_name, e.family_name, e.name_key, e.gender, e.birth_date, e.province, e.country, e.phone, e.email,
        e.emergency_contact, e.club, e.name_display, e.guardian_name, e.guardian_allows_full_name, item.source,
        item.code_hash,
    )  # fmt: skip


async def held_from(race_id: int, last: int, start: int, limit: int) -> list[int]:
    rows = await fetch(
        "SELECT bib FROM registration WHERE race = {} AND bib >= {} AND bib <= {} ORDER BY bib LIMIT {}",
        race_id,
        start,
        last,
        limit,
    )
    return [r["bib"] for r in rows]


async def held_among(race_id: int, candidates: list[int]) -> set[int]:
    held: set[int] = set()
    for start in range(0, len(candidates), BATCH):
        chunk = candidates[start : start + BATCH]
        rows = await fetch(
            f"SELECT bib FROM registration WHERE race = {{}} AND bib IN ({_placeholders(len(chunk))})",
            race_id,
            *chunk,
        )
        held.update(r["bib"] for r in rows)
    return held


# -- online registrations, batched per race ----------------------------------------------------------


@dataclass
class _RaceQueue:
    waiting: list[tuple[NewRegistration, asyncio.Future]] = field(default_factory=list)
    draining: bool = False


class RegistrationQueue:
    """Per event loop: registrations for one race that arrive while a batch is being written wait and go
    in the next batch together."""

    def __init__(self) -> None:
        self._races: dict[int, _RaceQueue] = {}
        self._tasks: set[asyncio.Task] = set()

    async def submit(self, race_id: int, item: NewRegistration) -> Written:
        future = asyncio.get_running_loop().create_future()
        # If the client goes away before its batch is written, nobody awaits the outcome: mark it seen.
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
        queue = self._races.setdefault(race_id, _RaceQueue())
        queue.waiting.append((item, future))
        if not queue.draining:
            queue.draining = True
            task = asyncio.get_running_loop().create_task(self._drain(race_id, queue))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(future)

    async def _drain(self, race_id: int, queue: _RaceQueue) -> None:
        try:
            while queue.waiting:
                batch = queue.waiting[:MAX_QUEUED_BATCH]
                del queue.waiting[:MAX_QUEUED_BATCH]
                await self._write(race_id, batch)
        finally:
            queue.draining = False
            if not queue.waiting:
                self._races.pop(race_id, None)

    @staticmethod
    async def _write(race_id: int, batch: list[tuple[NewRegistration, asyncio.Future]]) -> None:
        try:
            results = await write_registrations(race_id, [item for item, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                batch[0][1].set_exception(exc)
                return
            # One bad registration must not sink the others: write them one by one.
            for item, future in batch:
                try:
                    [result] = await write_registrations(race_id, [item])
                    future.set_result(result)
                except Exception as one:  # noqa: BLE001 - handed to the waiting request
                    future.set_exception(one)
            return
        for (_item, future), result in zip(batch, results, strict=True):
            future.set_result(result)


_queues: dict[asyncio.AbstractEventLoop, RegistrationQueue] = {}


def queue() -> RegistrationQueue:
    loop = asyncio.get_running_loop()
    if loop not in _queues:
        _queues.clear()  # a loop that is gone (tests) leaves nothing behind
        _queues[loop] = RegistrationQueue()
    return _queues[loop]
