"""Importing a timing sheet, in three steps: read the file (off the event loop), check it against the race
(`check`), write it (`commit`). The API and the CLI take a file and go through all three at once; the
pages show a preview first, keeping what was read until the volunteer confirms. Undo and history."""

import asyncio
import contextvars
import hashlib
import json
from collections import Counter
from collections.abc import Awaitable, Mapping
from typing import Any

from sportsrun.core.errors import Conflict, FieldError, InvalidInput, NotFound, SheetInvalid
from sportsrun.core.gc_pause import gc_paused_call
from sportsrun.core.i18n import gettext as _
from sportsrun.core.spreadsheets.reader import read_table
from sportsrun.events import services as events
from sportsrun.results import services as results
from sportsrun.results.rows import ResultData
from sportsrun.timing import commit, queries, stash
from sportsrun.timing.check import Cells, Check, Progress, absent_warnings, check
from sportsrun.timing.mapping import read_mapping

MODES = ("replace", "merge")


def _read(data: bytes, progress: Progress | None) -> Cells:
    if progress:
        progress("read", 0, 1)
    cells = read_table(data, clean=False).rows
    if progress:
        progress("read", 1, 1)
    return cells


def _reading(data: bytes, progress: Progress | None = None) -> Awaitable[Cells]:
    """The file parsed in a worker thread (python-calamine does not hold the GIL), started at once: the
    queries that follow run inline on SQLite and would not let a task start. In the caller's context, so
    that a refusal speaks the visitor's language."""
    context = contextvars.copy_context()
    return asyncio.get_running_loop().run_in_executor(None, context.run, _read, data, progress)


def _ready(cells: Cells) -> Awaitable[Cells]:
    """Cells already read, as `check` takes them (a future: awaiting it runs no code of this module)."""
    done = asyncio.get_running_loop().create_future()
    done.set_result(cells)
    return done


def _mode(mode: str) -> str:
    if mode not in MODES:
        raise InvalidInput([FieldError("mode", _("Choose one of: {choices}.", choices=", ".join(MODES)))])
    return mode


@gc_paused_call
async def import_results(race_id: int, data: bytes, *, filename: str = "", mode: str = "replace",
                         dry_run: bool = False, mapping: object = None, reason: str = "", user_id: int | None = None,
                         progress: Progress | None = None) -> dict[str, Any]:  # fmt: skip
    """The API's results import. Errors refuse the whole file (422, nothing written); warnings are listed."""
    mode, used_mapping = _mode(mode), read_mapping(mapping)
    sha256 = hashlib.sha256(data).hexdigest()
    if not dry_run and (repeat := await commit.same_as_last(race_id, sha256, mode, filename, reason, user_id)):
        return repeat
    checked = await check(race_id, _reading(data, progress), sha256, used_mapping, progress)
    return await _write(checked, mode, dry_run, filename, reason, user_id, progress)


async def _write(checked: Check, mode: str, dry_run: bool, filename: str, reason: str, user_id: int | None,
                 progress: Progress | None = None) -> dict[str, Any]:  # fmt: skip
    if checked.understood.errors:
        raise SheetInvalid(checked.understood.errors)
    warnings = checked.understood.warnings + absent_warnings(checked.understood, checked.registered, mode)
    if dry_run:
        unchanged = await commit.was_last(checked, mode)
        return commit.summary(checked, warnings, import_id=None, written=0, unchanged=unchanged)
    return await commit.commit(checked, warnings, mode=mode, filename=filename, reason=reason, user_id=user_id,
                               progress=progress)  # fmt: skip


# -- the pages: preview, then commit -----------------------------------------------------------------------


@gc_paused_call
async def preview(race_id: int, user_id: int, filename: str, data: bytes) -> tuple[str, Check]:
    """Reads and checks an upload, and keeps what was read for its commit: (the token naming it, the check)."""
    sha256 = hashlib.sha256(data).hexdigest()
    checked = await check(race_id, _reading(data), sha256)
    token = await stash.keep(race_id, user_id, filename, sha256, checked.cells)
    return token, checked


@gc_paused_call
async def recheck(race_id: int, user_id: int, token: str, mapping: Mapping[str, str]) -> Check:
    """The kept upload checked again, with the columns the volunteer chose."""
    kept = await stash.fetch(token, race_id, user_id)
    return await check(race_id, _ready(kept.cells), kept.sha256, mapping)


@gc_paused_call
async def commit_preview(race_id: int, user_id: int, token: str, *, mode: str, mapping: Mapping[str, str],
                         reason: str) -> dict[str, Any]:  # fmt: skip
    """Writes the kept upload, as the API would have written the file; the upload is then let go."""
    mode = _mode(mode)
    kept = await stash.fetch(token, race_id, user_id)
    result = await commit.same_as_last(race_id, kept.sha256, mode, kept.filename, reason, user_id)
    if result is None:
        checked = await check(race_id, _ready(kept.cells), kept.sha256, mapping)
        result = await _write(checked, mode, False, kept.filename, reason, user_id)
    await stash.drop(token)
    return result


# -- undo and history ------------------------------------------------------------------------------------


async def _undoable(race_id: int, import_id: int) -> tuple[dict, list[ResultData], bool]:
    """The import, the results it replaced, and whether it is the race's last one (only that can be undone)."""
    row = await queries.import_of_race(import_id, race_id)
    if row is None:
        raise NotFound(_("No such import."))
    last = await queries.last_import(race_id, ("committed",))
    previous = json.loads(row["previous"]) if isinstance(row["previous"], str) else row["previous"]
    undoable = row["outcome"] == "committed" and last is not None and last["id"] == import_id
    return row, [ResultData.from_snapshot(v) for v in previous], undoable


async def undo_preview(race_id: int, import_id: int) -> dict:
    """What undoing an import would do, for the organiser to confirm: the import as it was recorded, and
    the results it replaced, which would come back."""
    race = await events.load_race(race_id)
    row, restored, undoable = await _undoable(race.id, import_id)
    statuses = Counter(r.status for r in restored)
    return {
        "import_id": row["id"], "at": race.local(row["at"].replace(microsecond=0)), "filename": row["filename"],
        "mode": row["mode"], "undoable": undoable, "imported": {k: row[k] for k in ("finishers", "dnf", "dns", "dq")},
        "restored": {"results": len(restored), "finishers": statuses["finished"], "dnf": statuses["DNF"],
                     "dns": statuses["DNS"], "dq": statuses["DQ"]},
    }  # fmt: skip


@gc_paused_call
async def undo_import(race_id: int, import_id: int, reason: str, user_id: int) -> dict:
    """Restores the results as they were before the race's last import."""
    async with results.results_transaction(race_id) as race:
        _row, restored, undoable = await _undoable(race.id, import_id)
        if not undoable:
            raise Conflict(_("Only the race's last import can be undone."))
        before = await results.current_results(race.id)
        await results.record_corrections(race.id, before, restored, source="undo", reason=reason, user_id=user_id)
        await results.store_results(race, restored)
        await queries.set_outcome(import_id, "undone")
    return {"import_id": import_id, "undone": True, "results": len(restored)}


async def import_history(race_id: int) -> list[dict]:
    """The race's imports, newest first; their times in the race's own time zone, as every time people read."""
    race = await events.load_race(race_id)
    return [{**r, "at": race.local(r["at"].replace(microsecond=0))} for r in await queries.history(race_id)]


async def published_imports(race_ids: list[int]) -> list[dict]:
    """Every import that wrote results into these races: `{"id", "race", "at", "finishers"}`, oldest first."""
    return await queries.published_imports(race_ids)
