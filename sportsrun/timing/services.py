"""Importing a timing sheet: read and check it off the event loop, then write the race's results and
places in one transaction, safe to retry; undo the last import."""

import asyncio
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sportsrun.core.db.sql import fetch, fetch_one, write_transaction
from sportsrun.core.errors import Conflict, FieldError, InvalidInput, NotFound, RowError, SheetInvalid
from sportsrun.core.gc_pause import gc_paused
from sportsrun.core.i18n import gettext as _
from sportsrun.core.spreadsheets.reader import read_table
from sportsrun.events.races import RaceRow, load_race, lock_race
from sportsrun.results.services import (
    ResultData,
    current_results,
    record_corrections,
    registrants,
    registrants_fingerprint,
    result_data,
    results_transaction,
    shown,
    store_results,
)
from sportsrun.timing import columns as cols
from sportsrun.timing.sheet import RaceFacts, Understood, understand

MODES = ("replace", "merge")
Progress = Callable[[str, int, int], None]


@dataclass
class Check:
    """A sheet read and understood, before anything is written."""

    race: RaceRow
    understood: Understood
    sha256: str
    mapping: dict[str, str]
    cells: list[list[object]]  # the sheet as read, for showing rows beside their problems
    registered: dict  # bib → Registrant, as they were when the sheet was checked
    public: dict  # registration → Shown, worked out from `registered`
    fingerprint: tuple
    elsewhere: dict[int, str]


def race_facts(race: RaceRow) -> RaceFacts:
    return RaceFacts(distance_m=race.distance_m, start=race.start_time.astimezone(race.tz), ranking=race.ranking)


def read_mapping(raw: object) -> dict[str, str]:
    """The API's `mapping`: canonical column → the sheet's header text (a JSON object, or its text)."""
    if raw in (None, "", {}):
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise InvalidInput([FieldError("mapping", _("Give the mapping as a JSON object."))]) from None
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in raw.items()
    ):
        raise InvalidInput([FieldError("mapping", _("Give the mapping as a JSON object."))])
    unknown = [k for k in raw if not cols.valid_field(k)]
    if unknown:
        raise InvalidInput(
            [
                FieldError(
                    "mapping",
                    _(
                        "Unknown columns in the mapping: {names}. Use bib, gun_time, chip_time, clock_time, status or "
                        "split:<name>.",
                        names=", ".join(unknown),
                    ),
                )
            ]
        )
    return {k: v.strip() for k, v in raw.items()}


async def _elsewhere(race: RaceRow) -> dict[int, str]:
    """Bibs of the event's other races, to say where a wrong bib belongs."""
    rows = await fetch(
        "SELECT r.bib, race.name FROM registration r JOIN race ON race.id = r.race "
        "WHERE race.event = {} AND race.id <> {} AND r.bib IS NOT NULL",
        race.event_id,
        race.id,
    )
    return {r["bib"]: r["name"] for r in rows}


async def check(
    race_id: int,
    data: bytes,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    digest: str | None = None,
) -> Check:
    """Reads and understands the file without writing anything. The file is read in a worker thread
    while the race's bibs are read from the database; checking the rows runs in a thread too."""
    race = await load_race(race_id)
    used_mapping = dict(mapping or {})
    facts = race_facts(race)
    remembered = race_remembered_mapping(race)

    def read() -> list[list[object]]:
        if progress:
            progress("read", 0, 1)
        rows = read_table(data, clean=False).rows
        if progress:
            progress("read", 1, 1)
        return rows

    reading = asyncio.ensure_future(asyncio.to_thread(read))
    await asyncio.sleep(0)  # let the thread start: the queries below run inline on SQLite and never yield
    try:
        fingerprint = await registrants_fingerprint(race.id)
        registered = await registrants(race.id)
        elsewhere = await _elsewhere(race)
        public = shown(race, registered.values())
    finally:
        cells = await reading

    def work() -> Understood:
        step = (lambda done, total: progress("check", done, total)) if progress else None
        understood = understand(
            cells, facts, registered, mapping=used_mapping or None, elsewhere=elsewhere.get, progress=step
        )
        if not used_mapping and remembered and understood.header_row is None:
            # The sheet is not recognised by itself, but its headers are the ones mapped last time.
            understood = understand(cells, facts, registered, mapping=remembered, elsewhere=elsewhere.get)
        if progress:
            progress("check", understood.rows_read, understood.rows_read)
        return understood

    understood = await asyncio.to_thread(work)
    return Check(race, understood, digest or hashlib.sha256(data).hexdigest(), used_mapping, cells, registered, public,
                 fingerprint, elsewhere)  # fmt: skip


def race_remembered_mapping(race: RaceRow) -> dict[str, str]:
    return race.results_mapping or {}


def absent_warnings(understood: Understood, registered: dict, mode: str) -> list[RowError]:
    if mode != "replace":
        return []
    in_file = understood.bibs
    return [
        RowError(None, None, _("Bib {bib} is registered but not in the file: no result for this runner.", bib=bib))
        for bib in sorted(set(registered) - in_file)
    ]


def summary(
    checked: Check, warnings: list[RowError], *, import_id: int | None, written: int, unchanged: bool
) -> dict[str, Any]:
    counts = checked.understood.counts()
    return {
        "import_id": import_id,
        "rows_read": checked.understood.rows_read,
        "results_written": written,
        **counts,
        "unchanged": unchanged,
        "columns": checked.understood.columns,
        "warnings": [{"row": w.row, "column": w.column, "message": w.message} for w in warnings],
    }


async def import_results(
    race_id: int,
    data: bytes,
    *,
    filename: str = "",
    mode: str = "replace",
    dry_run: bool = False,
    mapping: object = None,
    reason: str = "",
    user_id: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """API.md's results import. Errors refuse the whole file (422, nothing written); warnings are listed."""
    if mode not in MODES:
        raise InvalidInput([FieldError("mode", _("Choose one of: {choices}.", choices=", ".join(MODES)))])
    user_mapping = read_mapping(mapping)
    with gc_paused():
        return await _import(race_id, data, filename, mode, dry_run, user_mapping, reason, user_id, progress)


async def _import(race_id: int, data: bytes, filename: str, mode: str, dry_run: bool, user_mapping: dict[str, str],
                  reason: str, user_id: int | None, progress: Progress | None) -> dict[str, Any]:  # fmt: skip
    digest = hashlib.sha256(data).hexdigest()
    if not dry_run:
        repeat = await _same_as_last(race_id, digest, mode, filename, reason, user_id)
        if repeat is not None:
            return repeat
    checked = await check(race_id, data, user_mapping, progress, digest)
    understood = checked.understood
    if understood.errors:
        raise SheetInvalid(understood.errors)
    warnings = understood.warnings + absent_warnings(understood, checked.registered, mode)
    last = await _last_import(race_id)
    same_file = (
        last is not None
        and (last["sha256"], last["mode"]) == (checked.sha256, mode)
        and (last["results_version"] == checked.race.results_version)
    )
    if dry_run:
        return summary(checked, warnings, import_id=None, written=0, unchanged=same_file)

    async with results_transaction(race_id) as race:  # two volunteers importing one race go one at a time
        last = await _last_import(race_id)
        now = dt.datetime.now(dt.UTC)
        if last and (last["sha256"], last["mode"], last["results_version"]) == (
            checked.sha256,
            mode,
            race.results_version,
        ):
            import_id = await _record(race, user_id, filename, checked, mode, reason, "unchanged", [], now, 0)
            return summary(checked, warnings, import_id=import_id, written=0, unchanged=True)
        before = await current_results(race.id)
        registered, public = checked.registered, checked.public
        if await registrants_fingerprint(race.id) != checked.fingerprint:
            # Bibs changed while the file was being read: check it again against them, under the lock.
            registered = await registrants(race.id)
            public = shown(race, registered.values())
            understood = understand(checked.cells, race_facts(race), registered,
                                    mapping=checked.mapping or race.results_mapping or None,
                                    elsewhere=checked.elsewhere.get)  # fmt: skip
            if understood.errors:
                raise SheetInvalid(understood.errors)
            checked.understood = understood
        elif (race.age_groups, race.race_day) != (checked.race.age_groups, checked.race.race_day):
            public = shown(race, registered.values())  # the organiser changed the age groups meanwhile
        import_id = await _record(
            race,
            user_id,
            filename,
            checked,
            mode,
            reason,
            "committed",
            [r.snapshot() for r in before],
            now,
            len(warnings),
        )
        # A sheet row past its row number is (bib, status, gun, chip, splits), as in a result.
        new = {r.bib: result_data((registered[r.bib].registration, *r[1:], import_id)) for r in understood.rows}
        kept = [] if mode == "replace" else [r for r in before if r.bib not in new]
        after = kept + list(new.values())
        if before:
            await record_corrections(race.id, before, after, source="import", reason=reason, user_id=user_id)
        if progress:
            progress("write", 0, len(after))
        await store_results(race, after, public)
        if checked.mapping:
            await fetch("UPDATE race SET results_mapping = {} WHERE id = {}", json.dumps(checked.mapping), race.id)
        await fetch("UPDATE result_import SET results_version = results_version + 1 WHERE id = {}", import_id)
        if progress:
            progress("write", len(after), len(after))
    return summary(checked, warnings, import_id=import_id, written=len(new), unchanged=False)


async def _last_import(race_id: int) -> dict | None:
    return await fetch_one(
        "SELECT id, sha256, mode, results_version, outcome, mapping, rows_read, finishers, dnf, dns, dq "
        "FROM result_import WHERE race = {} AND outcome IN ('committed', 'unchanged') ORDER BY id DESC LIMIT 1",
        race_id,
    )


async def _same_as_last(race_id: int, digest: str, mode: str, filename: str, reason: str,
                        user_id: int | None) -> dict[str, Any] | None:  # fmt: skip
    """A retry of the file last imported (nothing changed since) is recorded and answered at once,
    without reading the file again: a volunteer on a weak line may press the button twice."""
    async with write_transaction():
        race = await lock_race(race_id)
        last = await _last_import(race_id)
        wanted = (digest, mode, race.results_version)
        if last is None or (last["sha256"], last["mode"], last["results_version"]) != wanted:
            return None
        row = await fetch_one(
            'INSERT INTO result_import (race, "user", at, filename, sha256, mode, mapping, reason, rows_read, '
            "results_written, finishers, dnf, dns, dq, warnings, outcome, results_version, previous) VALUES "
            "({}, {}, {}, {}, {}, {}, {}, {}, {}, 0, {}, {}, {}, {}, 0, 'unchanged', {}, '[]') RETURNING id",
            race.id, user_id, dt.datetime.now(dt.UTC), filename[:255], digest, mode, last["mapping"], reason,
            last["rows_read"], last["finishers"], last["dnf"], last["dns"], last["dq"], race.results_version,
        )  # fmt: skip
    columns = last["mapping"]
    return {
        "import_id": row["id"], "rows_read": last["rows_read"], "results_written": 0, "finishers": last["finishers"],
        "dnf": last["dnf"], "dns": last["dns"], "dq": last["dq"], "unchanged": True,
        "columns": json.loads(columns) if isinstance(columns, str) else columns, "warnings": [],
    }  # fmt: skip


async def _record(
    race: RaceRow,
    user_id: int | None,
    filename: str,
    checked: Check,
    mode: str,
    reason: str,
    outcome: str,
    previous: list,
    now: dt.datetime,
    warnings: int,
) -> int:
    counts = checked.understood.counts()
    row = await fetch_one(
        'INSERT INTO result_import (race, "user", at, filename, sha256, mode, mapping, reason, rows_read, '
        "results_written, finishers, dnf, dns, dq, warnings, outcome, results_version, previous) VALUES "
        "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}) RETURNING id",
        race.id,
        user_id,
        now,
        filename[:255],
        checked.sha256,
        mode,
        json.dumps(checked.understood.columns),  # the columns as used: a retry answers with them
        reason,
        checked.understood.rows_read,
        0 if outcome == "unchanged" else len(checked.understood.rows),
        counts["finishers"],
        counts["dnf"],
        counts["dns"],
        counts["dq"],
        warnings,
        outcome,
        race.results_version,
        json.dumps(previous),
    )
    return row["id"]


async def undo_import(race_id: int, import_id: int, reason: str, user_id: int) -> dict:
    """Restores the results as they were before the race's last import."""
    async with results_transaction(race_id) as race:
        row = await fetch_one(
            "SELECT id, outcome, previous FROM result_import WHERE id = {} AND race = {}", import_id, race_id
        )
        if row is None:
            raise NotFound(_("No such import."))
        last = await fetch_one(
            "SELECT id FROM result_import WHERE race = {} AND outcome = 'committed' ORDER BY id DESC LIMIT 1", race_id
        )
        if row["outcome"] != "committed" or last is None or last["id"] != import_id:
            raise Conflict(_("Only the race's last import can be undone."))
        before = await current_results(race.id)
        previous = row["previous"]
        restored = [
            ResultData.from_snapshot(v) for v in (json.loads(previous) if isinstance(previous, str) else previous)
        ]
        await record_corrections(race.id, before, restored, source="undo", reason=reason, user_id=user_id)
        await store_results(race, restored)
        await fetch("UPDATE result_import SET outcome = 'undone' WHERE id = {}", import_id)
    return {"import_id": import_id, "undone": True, "results": len(restored)}


async def import_history(race_id: int) -> list[dict]:
    await load_race(race_id)
    rows = await fetch(
        "SELECT id, at, filename, mode, rows_read, results_written, finishers, dnf, dns, dq, warnings, outcome "
        "FROM result_import WHERE race = {} ORDER BY id DESC",
        race_id,
    )
    return [{**r, "at": r["at"].isoformat(timespec="seconds")} for r in rows]
