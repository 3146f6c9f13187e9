"""Storing a race's results with their places, recording every change to them, and hand corrections."""

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from sportsrun.core.db import fetch, fetch_one, insert_many, write_transaction
from sportsrun.core.errors import FieldError, InvalidInput, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.validation import Fields
from sportsrun.events.age_groups import age_on, group_for, label
from sportsrun.events.races import RaceRow, lock_race
from sportsrun.results.ranking import Entry, rank
from sportsrun.timing.timeparse import STATUSES, format_time

RESULT_STATUSES = ("finished", *STATUSES)
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
)


@dataclass(slots=True)
class ResultData:
    registration: int
    bib: int
    status: str
    gun_ms: int | None
    chip_ms: int | None
    splits: list[tuple[str, int]] = field(default_factory=list)
    import_id: int | None = None

    def snapshot(self) -> list:
        return [self.registration, self.bib, self.status, self.gun_ms, self.chip_ms, self.splits, self.import_id]

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


@dataclass(frozen=True, slots=True)
class Registrant:
    registration: int
    gender: str
    birth_date: dt.date


async def registrants(race_id: int) -> dict[int, Registrant]:
    """This race's bibs: confirmed runners, and cancelled ones whose bib a result still uses."""
    rows = await fetch(
        "SELECT id, bib, gender, birth_date FROM registration WHERE race = {} AND bib IS NOT NULL", race_id
    )
    return {r["bib"]: Registrant(r["id"], r["gender"], r["birth_date"]) for r in rows}


async def current_results(race_id: int) -> list[ResultData]:
    rows = await fetch(
        "SELECT registration, bib, status, gun_time_ms, chip_time_ms, splits, import_id FROM result WHERE race = {}",
        race_id,
    )
    return [
        ResultData(
            r["registration"],
            r["bib"],
            r["status"],
            r["gun_time_ms"],
            r["chip_time_ms"],
            [tuple(s) for s in _json(r["splits"])],
            r["import_id"],
        )
        for r in rows
    ]


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def ranking_time(race: RaceRow, result: ResultData) -> int | None:
    """Gun time (World Athletics' official time), or chip time in a chip-ranked race, falling back to gun
    time for a finisher without one."""
    if race.ranking == "chip" and result.chip_ms is not None:
        return result.chip_ms
    return result.gun_ms if result.gun_ms is not None else result.chip_ms


async def store_results(race: RaceRow, results: list[ResultData]) -> None:
    """The race's whole result set, with places, replacing what was stored. The caller holds the race's
    lock in a write transaction, so nobody sees a half-written set."""
    people = {r.registration: r for r in (await registrants(race.id)).values()}
    missing = [r.registration for r in results if r.registration not in people]
    if missing:  # a result whose runner's bib was taken away since: look them up directly
        for row in await fetch(
            f"SELECT id, gender, birth_date FROM registration WHERE id IN ({', '.join('{}' for _ in missing)})",
            *missing,
        ):
            people[row["id"]] = Registrant(row["id"], row["gender"], row["birth_date"])
    race_day = race.race_day
    groups: dict[int, str | None] = {}
    entries = []
    for r in results:
        person = people[r.registration]
        group = group_for(age_on(person.birth_date, race_day), race.age_groups)
        groups[r.registration] = label(group) if group else None
        entries.append(Entry(r.registration, r.status, ranking_time(race, r), person.gender, groups[r.registration]))
    places = rank(entries)
    now = dt.datetime.now(dt.UTC)
    rows = []
    for r in results:
        p = places.get(r.registration)
        rows.append(
            (
                race.id,
                r.registration,
                r.bib,
                r.status,
                r.gun_ms,
                r.chip_ms,
                ranking_time(race, r),
                json.dumps([list(s) for s in r.splits]),
                p.place if p else None,
                p.gender_place if p else None,
                groups[r.registration],
                p.age_group_place if p else None,
                r.import_id,
                now,
            )
        )
    await fetch("DELETE FROM result WHERE race = {}", race.id)
    await insert_many("result", _COLUMNS, rows)
    await fetch("UPDATE race SET results_version = results_version + 1 WHERE id = {}", race.id)


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
    async with write_transaction():
        race = await lock_race(race_id)
        holder = (await registrants(race.id)).get(bib)
        if holder is None:
            raise NotFound(_("No runner holds bib {bib} in this race.", bib=bib))
        before = await current_results(race.id)
        after = [ResultData(*r.snapshot()) for r in before]
        current = next((r for r in after if r.bib == bib), None)
        if current is None:
            current = ResultData(holder.registration, bib, "finished", None, None)
            after.append(current)
        current.gun_ms = values.get("gun_time_ms", current.gun_ms)
        current.chip_ms = values.get("chip_time_ms", current.chip_ms)
        current.status = values.get("status", current.status)
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
