"""Storing a race's results with their places, recording every change to them, and hand corrections."""

import datetime as dt
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from functools import partial
from typing import NamedTuple

import msgspec

from sportsrun.core.db.connections import is_sqlite
from sportsrun.core.db.sql import fetch, fetch_one, fetch_rows, insert_many, write_transaction
from sportsrun.core.errors import FieldError, InvalidInput, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.text.names import initials, shows_full_name
from sportsrun.core.validation import Fields
from sportsrun.events.age_groups import ADULT_AGE, age_on, group_for, label
from sportsrun.events.races import RaceRow, lock_race
from sportsrun.results import cache, partitions, stats
from sportsrun.results.ranking import standings
from sportsrun.timing.timeparse import STATUSES, format_time

RESULT_STATUSES = ("finished", *STATUSES)
MISSING = object()
_COLUMNS = (
    "race",
    "registration",
    "bib",
    "status",
    "gun_time_ms",
    "chip_time_ms",
    "time_ms",
    "splits",
    "place",
    "gender_place",
    "age_group",
    "age_group_place",
    "import_id",
    "updated_at",
    "name",
    "name_key",
    "gender",
    "province",
    "country",
    "position",
)


class ResultData(NamedTuple):
    """One runner's result as stored (places apart). Immutable: a change is a new one (`_replace`)."""

    registration: int
    bib: int
    status: str
    gun_ms: int | None
    chip_ms: int | None
    splits: list[tuple[str, int]]
    import_id: int | None = None

    def snapshot(self) -> list:
        return list(self)

    @classmethod
    def from_snapshot(cls, values: list) -> "ResultData":
        registration, bib, status, gun, chip, splits, import_id = values
        return cls(registration, bib, status, gun, chip, [tuple(s) for s in splits], import_id)

    def describe(self) -> str:
        if self.status != "finished":
            return self.status
        parts = [format_time(self.gun_ms) if self.gun_ms is not None else "-"]
        if self.chip_ms is not None:
            parts.append(f"chip {format_time(self.chip_ms)}")
        return " ".join(parts)


class Registrant(NamedTuple):
    registration: int
    gender: str
    birth_date: str  # ISO text: converted only once per distinct date, when an age is needed
    given_name: str
    family_name: str
    name_display: str
    guardian_allows_full_name: bool
    province: str | None
    country: str
    name_key: str  # the folded full name, made at registration: folding 50,000 names again costs a tenth of a second
    bib: int | None  # None once the bib was taken away (a stored result still names the runner)


# Made straight from a tuple of the fields, without a Python-level __new__ call per runner.
result_data = partial(tuple.__new__, ResultData)

# A row made straight from the query's tuple, without a Python-level __new__ call per runner.
_registrant = partial(tuple.__new__, Registrant)

# Cast, so that SQLite's drivers do not call a Python converter for the boolean and the date on every row.
_REGISTRANT = ("id, gender, CAST(birth_date AS TEXT), given_name, family_name, name_display, "
               "CAST(guardian_allows_full_name AS INTEGER), province, country, name_key, bib")  # fmt: skip


async def registrants(race_id: int) -> dict[int, Registrant]:
    """This race's bibs: confirmed runners, and cancelled ones whose bib a result still uses."""
    rows = await fetch_rows(f"SELECT {_REGISTRANT} FROM registration WHERE race = {{}} AND bib IS NOT NULL", race_id)
    return dict(zip([row[-1] for row in rows], map(_registrant, rows), strict=True))


async def registrants_fingerprint(race_id: int) -> tuple:
    """Changes whenever a bib is given, taken away or moved between runners of the race: lets a caller
    reuse the registrants it read a moment ago instead of reading them all again."""
    rows = await fetch_rows(
        "SELECT COUNT(*), MAX(id), SUM(CAST(id AS BIGINT) * bib) FROM registration WHERE race = {} AND bib IS NOT NULL",
        race_id,
    )
    return tuple(rows[0])


async def current_results(race_id: int) -> list[ResultData]:
    rows = await fetch_rows(
        "SELECT registration, bib, status, gun_time_ms, chip_time_ms, splits, import_id FROM result WHERE race = {}",
        race_id,
    )
    decode = msgspec.json.decode
    return [
        ResultData(registration, bib, status, gun, chip, [tuple(s) for s in decode(splits)] if splits != "[]" else [],
                   import_id)
        for registration, bib, status, gun, chip, splits, import_id in rows
    ]  # fmt: skip


class Shown(NamedTuple):
    """What the public sees of a runner beside their result, worked out from the registration."""

    name: str
    name_key: str  # the folded name for search; empty when shown by initials (found by bib instead)
    gender: str
    province: str | None
    country: str
    age_group: str | None


_shown = partial(tuple.__new__, Shown)


def shown(race: RaceRow, people: Iterable[Registrant]) -> dict[int, Shown]:
    """By registration. An import works this out while the sheet is still being parsed (the parser does
    not hold the GIL), so the write itself has less to do."""
    race_day, groups = race.race_day, race.age_groups
    ages: dict[str, tuple[bool, str | None]] = {}  # birth date → (minor, age group): many runners share one
    out = {}
    for person in people:
        known = ages.get(person.birth_date)
        if known is None:
            age = age_on(dt.date.fromisoformat(person.birth_date), race_day)
            found = group_for(age, groups)
            known = ages[person.birth_date] = (age < ADULT_AGE, label(found) if found else None)
        minor, group = known
        if shows_full_name(person.name_display, minor, person.guardian_allows_full_name):
            name, key = f"{person.given_name} {person.family_name}", person.name_key
        else:
            name, key = initials(person.given_name, person.family_name), ""
        out[person.registration] = _shown((name, key, person.gender, person.province, person.country, group))
    return out


@asynccontextmanager
async def results_transaction(race_id: int) -> AsyncIterator[RaceRow]:
    """A write transaction that will change the race's results, with the race locked (and, on PostgreSQL,
    other writers of results kept out: see `partitions`)."""
    async with write_transaction():
        await partitions.results_writers_lock()
        yield await lock_race(race_id)


async def store_results(race: RaceRow, results: list[ResultData], public: dict[int, Shown] | None = None) -> None:
    """The race's whole result set, with places, replacing what was stored. The caller is inside
    `results_transaction`, so nobody sees a half-written set. `public` (by registration, from
    `shown`) saves a query when the caller has just read the runners."""
    if public is None:
        public = shown(race, (await registrants(race.id)).values())
    missing = [r.registration for r in results if r.registration not in public]
    if missing:  # a result whose runner's bib was taken away since: look them up directly
        placeholders = ", ".join("{}" for _ in missing)
        rows = await fetch_rows(f"SELECT {_REGISTRANT} FROM registration WHERE id IN ({placeholders})", *missing)
        public = {**public, **shown(race, map(_registrant, rows))}
    facts = [public[r.registration] for r in results]
    # The ranking time: gun time (World Athletics' official time), or chip time in a chip-ranked race,
    # each falling back to the other when missing.
    if race.ranking == "chip":
        times = [r.chip_ms if r.chip_ms is not None else r.gun_ms for r in results]
    else:
        times = [r.gun_ms if r.gun_ms is not None else r.chip_ms for r in results]
    statuses = [r.status for r in results]
    genders = [f.gender for f in facts]
    groups = [f.age_group for f in facts]
    placed = standings(statuses, times, [r.bib for r in results], genders, groups)
    now = dt.datetime.now(dt.UTC)
    stamp = str(now) if is_sqlite() else now  # SQLite's text form, made once rather than per row
    encode = msgspec.json.encode
    race_id = race.id
    rows = [
        (race_id, r.registration, r.bib, r.status, r.gun_ms, r.chip_ms, t,
         encode(r.splits).decode() if r.splits else "[]", p[0], p[1], f.age_group, p[2], r.import_id, stamp,
         f.name, f.name_key, f.gender, f.province, f.country, p[3])
        for r, f, t, p in zip(results, facts, times, placed, strict=True)
    ]  # fmt: skip
    await partitions.replace(race.id, _COLUMNS, rows)
    leader_ms = next((t for t, p in zip(times, placed, strict=True) if p[0] == 1), None)
    summary = stats.compute(zip(statuses, genders, groups, [f.province for f in facts], strict=True), leader_ms)
    await fetch(
        "UPDATE race SET results_version = results_version + 1, results_updated_at = {}, results_stats = {} "
        "WHERE id = {}",
        now,
        msgspec.json.encode(summary).decode(),
        race.id,
    )
    cache.forget(race.id)


async def record_corrections(
    race_id: int,
    before: Iterable[ResultData],
    after: Iterable[ResultData],
    *,
    source: str,
    reason: str,
    user_id: int | None,
) -> int:
    """A correction row for every existing result that changed or disappeared."""
    new = {r.bib: r for r in after}
    now = dt.datetime.now(dt.UTC)
    rows = []
    for old in before:
        current = new.get(old.bib)
        if current is None:
            change = f"{old.describe()} → removed"
        elif (current.status, current.gun_ms, current.chip_ms) != (old.status, old.gun_ms, old.chip_ms):
            change = f"{old.describe()} → {current.describe()}"
        else:
            continue
        rows.append((race_id, old.bib, change, source, reason, user_id, now))
    await insert_many("result_correction", ("race", "bib", "change", "source", "reason", "user", "at"), rows)
    return len(rows)


async def correct_result(race_id: int, bib: int, data: dict, user_id: int) -> dict:
    """An organiser's hand correction of one result, with a reason, recorded for the public log."""
    fields = Fields(data)
    values = {}
    for name in ("gun_time_ms", "chip_time_ms"):
        if fields.present(name):
            values[name] = fields.integer(name, minimum=1, maximum=2_000_000_000)
    if fields.present("status"):
        values["status"] = fields.choice("status", RESULT_STATUSES, required=True)
    reason = fields.text("reason", required=True, max_length=500)
    if not values and not fields.errors:
        fields.error("status", _("Give a new time or status."))
    fields.raise_if_any()
    async with results_transaction(race_id) as race:
        holder = (await registrants(race.id)).get(bib)
        if holder is None:
            raise NotFound(_("No runner holds bib {bib} in this race.", bib=bib))
        before = await current_results(race.id)
        after = list(before)
        at = next((i for i, r in enumerate(after) if r.bib == bib), None)
        if at is None:
            at = len(after)
            after.append(ResultData(holder.registration, bib, "finished", None, None, []))
        current = after[at] = after[at]._replace(
            gun_ms=values.get("gun_time_ms", after[at].gun_ms),
            chip_ms=values.get("chip_time_ms", after[at].chip_ms),
            status=values.get("status", after[at].status),
        )
        if current.status == "finished" and current.gun_ms is None and current.chip_ms is None:
            raise InvalidInput([FieldError("gun_time_ms", _("A finisher needs a time."))])
        await record_corrections(race.id, before, after, source="correction", reason=reason or "", user_id=user_id)
        await store_results(race, after)
    row = await fetch_one(
        "SELECT bib, status, gun_time_ms, chip_time_ms, time_ms, place, gender_place, age_group, age_group_place "
        "FROM result WHERE race = {} AND bib = {}",
        race_id,
        bib,
    )
    return {**row, "time": format_time(row["time_ms"]) if row["status"] == "finished" else None}


async def uses_bib(race_id: int, registration_id: int) -> bool:
    """Whether a result uses this registration's bib (it then cannot be freed)."""
    return (
        await fetch_one("SELECT 1 AS x FROM result WHERE race = {} AND registration = {}", race_id, registration_id)
        is not None
    )
