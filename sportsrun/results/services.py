"""Storing a race's results with their places, recording every change to them, and hand corrections."""

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Collection, Iterable
from contextlib import asynccontextmanager
from functools import partial
from operator import itemgetter

import msgspec

from sportsrun.core.db.connections import is_sqlite
from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict, FieldError, InvalidInput, NotFound
from sportsrun.core.gc_pause import gc_paused_call
from sportsrun.core.i18n import gettext as _
from sportsrun.core.turns import Turns, bulk
from sportsrun.core.validation import Fields
from sportsrun.events import services as events
from sportsrun.events.race_row import RaceRow
from sportsrun.registration import hooks as registration_hooks
from sportsrun.registration import services as registration
from sportsrun.results import partitions, queries, renamed, search, state, stats
from sportsrun.results.ranking import standings
from sportsrun.results.rows import ResultData, Shown, shown
from sportsrun.results.times import RESULT_STATUSES, format_time

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


async def current_results(race_id: int) -> list[ResultData]:
    rows = await queries.current_results(race_id)
    return await asyncio.to_thread(_decoded, rows) if bulk(len(rows)) else _decoded(rows)


def _decoded(rows: list[tuple]) -> list[ResultData]:
    decode = msgspec.json.decode
    return [
        ResultData(registration, bib, status, gun, chip, [tuple(s) for s in decode(splits)] if splits != "[]" else [],
                   import_id)
        for registration, bib, status, gun, chip, splits, import_id in rows
    ]  # fmt: skip


@asynccontextmanager
async def results_transaction(race_id: int) -> AsyncIterator[RaceRow]:
    """A write transaction that will change the race's results, with the race locked (and, on PostgreSQL,
    other writers of results kept out: see `partitions`)."""
    async with write_transaction():
        await partitions.results_writers_lock()
        yield await events.lock_race(race_id)


async def shown_off_the_loop(race: RaceRow, people: Collection[registration.Registrant]) -> dict[int, Shown]:
    """`shown(race, people)`, in a thread for bulk work: 50,000 runners' names and age groups took 70 ms,
    during which the loop had no turn."""
    return await asyncio.to_thread(shown, race, people) if bulk(len(people)) else shown(race, people)


async def store_results(race: RaceRow, results: list[ResultData], public: dict[int, Shown] | None = None) -> None:
    """The race's whole result set, with places, replacing what was stored. The caller is inside
    `results_transaction`, so nobody sees a half-written set. `public` (by registration, from
    `shown`) saves a query when the caller has just read the runners."""
    if public is None:
        public = await shown_off_the_loop(race, (await registration.registrants(race.id)).values())
    missing = [r.registration for r in results if r.registration not in public]
    if missing:  # a result whose runner's bib was taken away since: look them up directly
        public = {**public, **shown(race, await registration.registrants_by_id(missing))}
    now = dt.datetime.now(dt.UTC)
    work = partial(_worked_out, race, results, public, now, is_sqlite())
    # A 50,000-finisher race's places and rows took a third of a second: in a thread, the loop keeps its turns.
    rows, index, summary = await asyncio.to_thread(work) if bulk(len(results)) else work()
    await partitions.replace(race.id, _COLUMNS, rows)
    # The name index of this version (set_results_state adds one to it: the race is locked).
    await search.store(race.id, race.results_version + 1, index)
    await events.set_results_state(race.id, now, summary)
    await state.forget(race.id)


def _worked_out(race: RaceRow, results: list[ResultData], public: dict[int, Shown], now: dt.datetime,
                sqlite: bool) -> tuple[list[tuple], bytes, str]:  # fmt: skip
    """The rows to store, with places; the packed name index; the counts (JSON). Pure: no I/O."""
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
    stamp = str(now) if sqlite else now  # SQLite's text form, made once rather than per row
    encode = msgspec.json.encode
    race_id = race.id
    rows = [
        (race_id, r.registration, r.bib, r.status, r.gun_ms, r.chip_ms, t,
         encode(r.splits).decode() if r.splits else "[]", p[0], p[1], f.age_group, p[2], r.import_id, stamp,
         f.name, f.name_key, f.gender, f.province, f.country, p[3])
        for r, f, t, p in zip(results, facts, times, placed, strict=True)
    ]  # fmt: skip
    names = sorted(
        ((p[3], f.name_key, f.gender, f.age_group, f.province) for f, p in zip(facts, placed, strict=True)),
        key=itemgetter(0),
    )
    leader_ms = next((t for t, p in zip(times, placed, strict=True) if p[0] == 1), None)
    summary = stats.compute(zip(statuses, genders, groups, [f.province for f in facts], strict=True), leader_ms)
    return rows, search.pack(search.build(names)), msgspec.json.encode(summary).decode()


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
    rows, turns = [], Turns()  # 50,000 results compared: other requests let in meanwhile
    for old in before:
        if turns.due():
            await asyncio.sleep(0)
        current = new.get(old.bib)
        if current is None:
            change = f"{old.describe()} → removed"
        elif (current.status, current.gun_ms, current.chip_ms) != (old.status, old.gun_ms, old.chip_ms):
            change = f"{old.describe()} → {current.describe()}"
        else:
            continue
        rows.append((race_id, old.bib, change, source, reason, user_id, now))
    await queries.record_corrections(rows)
    return len(rows)


@gc_paused_call
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
        holder = (await registration.registrants(race.id)).get(bib)
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
    row = await queries.result_of_bib(race_id, bib)
    return {**row, "time": format_time(row["time_ms"]) if row["status"] == "finished" else None}


@registration_hooks.cancelling.connect
async def refuse_while_a_result_uses_the_bib(race_id: int, registration_id: int) -> None:
    """A registration whose bib carries a result cannot be cancelled: the organiser corrects the result."""
    if await queries.has_result(race_id, registration_id):
        raise Conflict(_("A result uses this registration's bib: ask the organiser."))


# What a result shows or is placed by, taken from its registration when the results are stored.
_SHOWN = {"given_name", "family_name", "name_display", "guardian_allows_full_name", "gender", "birth_date",
          "province", "country"}  # fmt: skip


@registration_hooks.changed.connect
@gc_paused_call
async def follow_a_fixed_registration(race_id: int, registration_id: int, fields: list[str]) -> None:
    """A runner fixed their name (or an organiser a gender or birth date) after the results: the results follow,
    under a new results version (pages and cards drawn anew). A name alone changes that runner's row
    (renamed); anything else stores the race's results again from what the registrations now say, so gender
    places, age groups and counts follow."""
    if not _SHOWN & set(fields) or not await queries.has_result(race_id, registration_id):
        return
    async with results_transaction(race_id) as race:
        if set(fields) & _SHOWN <= renamed.NAME_FIELDS and await renamed.follow_a_new_name(race, registration_id):
            return
        await store_results(race, await current_results(race.id))


async def finishes(race_id: int) -> list[tuple]:
    """(registration, place within gender, public name, gender, province) of every finisher of a race: what a
    series scores, with the name as the results show it."""
    return await queries.finishes(race_id)
