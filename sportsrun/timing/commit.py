"""Writing a checked timing sheet: the race's results and places in one transaction under the race's
lock, every import recorded (who, when, which file, what it found, what it replaced) so that a retry of
the same file is recognised and the last import can be undone."""

import asyncio
import datetime as dt
import json
from typing import Any

import msgspec

from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import RowError, SheetInvalid
from sportsrun.events import services as events
from sportsrun.events.race_row import RaceRow
from sportsrun.registration import services as registration
from sportsrun.results import services as results
from sportsrun.results.rows import ResultData, result_data
from sportsrun.timing import queries
from sportsrun.timing.check import Check, Progress, race_facts
from sportsrun.timing.sheet import understand


def summary(checked: Check, warnings: list[RowError], *, import_id: int | None, written: int,
            unchanged: bool) -> dict[str, Any]:  # fmt: skip
    return {
        "import_id": import_id,
        "rows_read": checked.understood.rows_read,
        "results_written": written,
        **checked.understood.counts(),
        "unchanged": unchanged,
        "columns": checked.understood.columns,
        "warnings": [{"row": w.row, "column": w.column, "message": w.message} for w in warnings],
    }


def _is_last(last: dict | None, sha256: str, mode: str, results_version: int) -> bool:
    """The same file, the same way, and nothing else has changed the results since."""
    wanted = (sha256, mode, results_version)
    return last is not None and (last["sha256"], last["mode"], last["results_version"]) == wanted


async def same_as_last(race_id: int, sha256: str, mode: str, filename: str, reason: str,
                       user_id: int | None) -> dict[str, Any] | None:  # fmt: skip
    """A retry of the file last imported (nothing changed since) is recorded and answered at once, without
    reading the file again: a volunteer on a weak line may press the button twice."""
    async with write_transaction():
        race = await events.lock_race(race_id)
        last = await queries.last_import(race_id)
        if not _is_last(last, sha256, mode, race.results_version):
            return None
        columns = json.loads(last["mapping"]) if isinstance(last["mapping"], str) else last["mapping"]
        counts = {k: last[k] for k in ("finishers", "dnf", "dns", "dq")}
        import_id = await queries.record_import({
            "race": race.id, "user": user_id, "at": dt.datetime.now(dt.UTC), "filename": filename[:255],
            "sha256": sha256, "mode": mode, "mapping": json.dumps(columns), "reason": reason,
            "rows_read": last["rows_read"], "results_written": 0, **counts, "warnings": 0, "outcome": "unchanged",
            "results_version": race.results_version, "previous": "[]",
        })  # fmt: skip
    return {"import_id": import_id, "rows_read": last["rows_read"], "results_written": 0, **counts, "unchanged": True,
            "columns": columns, "warnings": []}  # fmt: skip


async def was_last(checked: Check, mode: str) -> bool:
    """Whether the checked file is the one last imported, with nothing changed since (a dry run says so)."""
    return _is_last(await queries.last_import(checked.race.id), checked.sha256, mode, checked.race.results_version)


def _snapshots(results: list[ResultData]) -> str:
    # Each result as its snapshot() list (msgspec writes a NamedTuple as one). json.dumps held the GIL for the
    # whole of 50,000 of them, 0.1 s during which the loop's thread could not run, though this is a thread.
    return msgspec.json.encode(results).decode()


async def _record(race: RaceRow, checked: Check, *, user_id: int | None, filename: str, mode: str, reason: str,
                  outcome: str, previous: str, at: dt.datetime, warnings: int) -> int:  # fmt: skip
    """`previous`: the results it replaces, as JSON (for undoing it)."""
    counts = checked.understood.counts()
    # The columns as used are recorded: a retry answers with them.
    return await queries.record_import({
        "race": race.id, "user": user_id, "at": at, "filename": filename[:255], "sha256": checked.sha256,
        "mode": mode, "mapping": json.dumps(checked.understood.columns),
        "reason": reason, "rows_read": checked.understood.rows_read,
        "results_written": 0 if outcome == "unchanged" else len(checked.understood.rows), **counts,
        "warnings": warnings, "outcome": outcome, "results_version": race.results_version,
        "previous": previous,
    })  # fmt: skip


async def commit(checked: Check, warnings: list[RowError], *, mode: str, filename: str, reason: str,
                 user_id: int | None, progress: Progress | None = None) -> dict[str, Any]:  # fmt: skip
    """Writes the checked sheet as the race's results (`replace`) or into them (`merge`)."""
    kept_back = {"user_id": user_id, "filename": filename, "mode": mode, "reason": reason}
    async with results.results_transaction(checked.race.id) as race:  # two volunteers' imports go one at a time
        now = dt.datetime.now(dt.UTC)
        if _is_last(await queries.last_import(race.id), checked.sha256, mode, race.results_version):
            import_id = await _record(race, checked, **kept_back, outcome="unchanged", previous="[]", at=now,
                                      warnings=0)  # fmt: skip
            return summary(checked, warnings, import_id=import_id, written=0, unchanged=True)
        before = await results.current_results(race.id)
        registered, public = checked.registered, checked.public
        if await registration.registrants_fingerprint(race.id) != checked.fingerprint:
            # Bibs changed while the file was being read: check it again against them, under the lock.
            registered = await registration.registrants(race.id)
            public = await results.shown_off_the_loop(race, registered.values())
            understood = understand(checked.cells, race_facts(race), registered,
                                    mapping=checked.mapping or race.results_mapping or None,
                                    elsewhere=checked.elsewhere.get)  # fmt: skip
            if understood.errors:
                raise SheetInvalid(understood.errors)
            checked.understood = understood
        elif (race.age_groups, race.race_day) != (checked.race.age_groups, checked.race.race_day):
            # The organiser changed the age groups meanwhile.
            public = await results.shown_off_the_loop(race, registered.values())
        previous = await asyncio.to_thread(_snapshots, before)  # 50,000 of them: off the loop
        import_id = await _record(race, checked, **kept_back, outcome="committed", previous=previous, at=now,
                                  warnings=len(warnings))  # fmt: skip
        # A sheet row past its row number is (bib, status, gun, chip, splits), as in a result.
        new = {r.bib: result_data((registered[r.bib].registration, *r[1:], import_id)) for r in checked.understood.rows}
        after = ([] if mode == "replace" else [r for r in before if r.bib not in new]) + list(new.values())
        if before:
            await results.record_corrections(race.id, before, after, source="import", reason=reason, user_id=user_id)
        if progress:
            progress("write", 0, len(after))
        await results.store_results(race, after, public)
        if checked.mapping:
            await events.set_results_mapping(race.id, json.dumps(checked.mapping))
        await queries.produced_next_version(import_id)
        if progress:
            progress("write", len(after), len(after))
    return summary(checked, warnings, import_id=import_id, written=len(new), unchanged=False)
