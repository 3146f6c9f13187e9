"""Bulk entrants from a spreadsheet (paper forms typed into Excel, another platform's export).

Every row is checked and any problem refuses the whole file with its row and column: nothing of it is
kept. The organiser attests consent and the registration window does not apply; minimum age, minors'
guardians and duplicates do. One transaction, holding the race's lock from the start, writes the rows; on
SQLite a chunk at a time, so that one chunk's rows go into the database in a thread while the next chunk is
checked: checking all 50,000 rows before writing any took a tenth longer (bench/entrant_import.py), and held
the worker's loop's thread twice as long. A problem found once chunks are written rolls them all back."""

import asyncio
import bisect
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sportsrun.core.db.connections import is_sqlite
from sportsrun.core.db.sql import refresh_statistics, write_transaction
from sportsrun.core.errors import RowError, SheetInvalid
from sportsrun.core.gc_pause import gc_paused
from sportsrun.core.i18n import current_locale
from sportsrun.core.i18n import gettext as _
from sportsrun.core.spreadsheets.reader import is_blank, read_table
from sportsrun.core.turns import Turns
from sportsrun.core.validation import to_int
from sportsrun.events import services as events
from sportsrun.events.provinces import province_codes
from sportsrun.events.race_row import RaceRow
from sportsrun.registration import queries
from sportsrun.registration.entrant_sheet import cell_values, find_header, province_lookup
from sportsrun.registration.people import PeopleSeen, registered_people
from sportsrun.registration.services import new_codes
from sportsrun.registration.validation import RegistrationInput, read_registration
from sportsrun.registration.writer import NewRegistration, Written, write_registrations

CHUNK = 2000  # rows checked, then written, at a time: the writer's work on a chunk fits in the loop's turns


@dataclass(slots=True)
class Row:
    number: int  # as the spreadsheet numbers it
    entry: RegistrationInput
    requested_bib: int | None


class EntrantsInvalid(SheetInvalid):
    """Problems of an entrant file, with its cells as read: the page shows each problem beside its row
    without reading the file again."""

    def __init__(self, errors: list[RowError], cells: list[list[Any]], header_index: int | None):
        super().__init__(errors)
        self.cells, self.header_index = cells, header_index


class _Checker:
    """The rows of one file checked by the rules of registering, a chunk at a time, and against each other
    (one person twice in the file), every problem kept in `errors`."""

    def __init__(self, race: RaceRow, rows: list[list[Any]], header_index: int, columns: dict[str, int],
                 codes: frozenset[str], names: dict[str, str]) -> None:  # fmt: skip
        header = rows[header_index]
        self.race, self.rows, self.columns, self.codes, self.names = race, rows, columns, codes, names
        self.header_index = header_index
        self.column_text = {field: str(header[col]) for field, col in columns.items()}
        self.today, self.race_day = dt.datetime.now(race.tz).date(), race.race_day  # once: each reads the zone
        self.errors: list[RowError] = []
        self.seen = PeopleSeen()  # the file's people so far
        self.known: dict[tuple[str, str], Any] = {}
        self.turns = Turns()  # 50,000 rows checked in one go held the worker's loop for most of a second

    async def chunk(self, start: int, stop: int) -> list[Row]:
        """The rows from index `start` to `stop` that pass, each the first of its person in the file."""
        race, passed = self.race, []
        for index in range(start, stop):
            if self.turns.due():
                await asyncio.sleep(0)
            cells = self.rows[index]
            if is_blank(cells):
                continue
            values = cell_values(cells, self.columns, self.names, self.known)
            entry, fields = read_registration(values, race_day=self.race_day, min_age=race.min_age,
                                              provinces=self.codes, today=self.today,
                                              consent_required=False)  # fmt: skip
            requested = None
            if values.get("bib") is not None:
                requested = to_int(values["bib"])
                if requested is None or requested < 1:
                    fields.error("bib", _("Enter the bib as a whole number."))
            for error in fields.errors:
                self.errors.append(RowError(index + 1, self.column_text.get(error.field), error.message))
            if entry is None or fields.errors:
                continue
            if (where := self.seen.find(entry)) is not None:
                message = _("The same person as row {row} (same date of birth and name, phone or email).", row=where)
                self.errors.append(RowError(index + 1, self.column_text.get("given_name"), message))
                continue
            self.seen.add(entry.birth_date, entry.name_key, entry.phone, entry.email, index + 1)
            passed.append(Row(index + 1, entry, requested))
        return passed

    async def not_registered(self, rows: list[Row]) -> list[Row]:
        """`rows` without the people already registered for the race (each an error)."""
        registered = await registered_people(self.race.id, [r.entry for r in rows])
        if not registered.keys:
            return rows
        fresh = []
        for row in rows:
            if registered.find(row.entry) is None:
                fresh.append(row)
            else:
                message = _("This person is already registered for this race.")
                self.errors.append(RowError(row.number, self.column_text.get("given_name"), message))
        return fresh


async def import_entrants(race_id: int, data: bytes, user_id: int) -> dict:
    # Hundreds of thousands of cells, entries and rows alive at once: the cycle collector would walk them
    # all again and again (core.gc_pause).
    with gc_paused():
        return await _import(race_id, data, user_id)


async def _import(race_id: int, data: bytes, user_id: int) -> dict:
    race = await events.load_race(race_id)
    table = await asyncio.to_thread(read_table, data)  # off the event loop: a parse, or a child for .xls
    try:
        header_index, columns = find_header(table.rows)
    except SheetInvalid as exc:
        raise EntrantsInvalid(exc.errors, table.rows, None) from None
    check = _Checker(race, table.rows, header_index, columns, await province_codes(), await province_lookup())
    language = current_locale.get()  # once, not a default_factory reading the context per row
    async with write_transaction():
        # Locked before the checks against its registrations, which then hold until the commit.
        race = await events.lock_race(race.id)
        written = await _checked_and_written(race, check, user_id, language)
        if check.errors:
            raise EntrantsInvalid(sorted(check.errors, key=lambda e: e.row or 0), table.rows, header_index)
        if not written:
            raise EntrantsInvalid([RowError(None, None, _("The file has no entrant rows below its header."))],
                                  table.rows, header_index)  # fmt: skip
    await refresh_statistics("registration", "person", "bib_audit")
    changed = [{"row": r.number, "requested": r.requested_bib, "given": w.bib}
               for r, w in written if r.requested_bib is not None and w.bib != r.requested_bib]  # fmt: skip
    waitlisted = sum(1 for _r, w in written if w.status == "waitlisted")
    return {"created": len(written), "waitlisted": waitlisted, "bibs_changed": changed}


async def _checked_and_written(race: RaceRow, check: _Checker, user_id: int,
                               language: str) -> list[tuple[Row, Written]]:  # fmt: skip
    """Every row checked, and written a chunk at a time while there is no problem, each chunk checked while
    the one before it is written."""
    counts = await queries.live_counts(race.id)  # none: nobody to look up (the usual first import)
    later = _Requests(check, race, counts.get("confirmed", 0))
    written: list[tuple[Row, Written]] = []
    pending: asyncio.Future | None = None
    # PostgreSQL's server writes while the loop is free anyway, and per statement (its plan, its triggers):
    # 25 chunks of 50,000 rows took a tenth longer there than one.
    chunk = CHUNK if is_sqlite() else len(check.rows)
    try:
        for start in range(check.header_index + 1, len(check.rows), chunk):
            stop = min(start + chunk, len(check.rows))
            rows = await check.chunk(start, stop)
            if pending is not None:
                written += _kept(await pending, check.errors)
                pending = None
            if counts and rows:
                rows = await check.not_registered(rows)
            if rows and not check.errors:  # after a problem the rest is only checked, for the report
                pending = asyncio.ensure_future(_write(race.id, rows, user_id, language, later.after(stop)))
        if pending is not None:
            written += _kept(await pending, check.errors)
            pending = None
    finally:
        if pending is not None:  # a failure while a chunk was written: its statements end before the rollback
            await asyncio.wait([pending])
            if not pending.cancelled():
                pending.exception()  # the first failure is the one reported
    return written


async def _write(race_id: int, rows: list[Row], user_id: int, language: str,
                 left_free: set[int]) -> list[tuple[Row, Written]]:  # fmt: skip
    items = [NewRegistration(r.entry, digest, "import", r.requested_bib, language=language)
             for r, (_code, digest) in zip(rows, new_codes(len(rows)), strict=True)]  # fmt: skip
    # The import refreshes the planner's statistics itself, once, after its commit.
    results = await write_registrations(race_id, items, user_id=user_id, left_free=left_free, checked=True,
                                        statistics=False)  # fmt: skip
    return list(zip(rows, results, strict=True))


def _kept(done: list[tuple[Row, Written]], errors: list[RowError]) -> list[tuple[Row, Written]]:
    """A written chunk, any refusal of the writer's added to `errors` (none is expected: the rows were
    checked under the race's lock)."""
    errors += [RowError(r.number, None, w.error.detail) for r, w in done if w.error is not None]
    return done


class _Requests:
    """The bibs a file's rows ask for, as the writer honours them (in the race's range, for a row the race
    still has room to confirm), by row: a chunk's writer leaves free those asked for by rows still to come,
    so that the file's requests come before its other rows whatever the chunk."""

    def __init__(self, check: _Checker, race: RaceRow, confirmed: int) -> None:
        self.indexes: list[int] = []
        self.bibs: list[int] = []
        rows, column = check.rows, check.columns.get("bib")
        if column is None:
            return
        room = race.capacity - confirmed
        for index in range(check.header_index + 1, len(rows)):
            cells = rows[index]
            if is_blank(cells):
                continue
            room -= 1
            if room < 0:
                break
            bib = to_int(cells[column]) if column < len(cells) and cells[column] is not None else None
            if bib is not None and race.bib_first <= bib <= race.bib_last:
                self.indexes.append(index)
                self.bibs.append(bib)

    def after(self, stop: int) -> set[int]:
        """The bibs asked for by rows from index `stop` on."""
        return set(self.bibs[bisect.bisect_left(self.indexes, stop) :])


def problem_rows(exc: SheetInvalid) -> list[dict]:
    """The errors beside the rows they are about, with each row's cells as the organiser typed them."""
    cells = exc.cells if isinstance(exc, EntrantsInvalid) else []
    header_index = exc.header_index if isinstance(exc, EntrantsInvalid) else None
    grouped: dict[int | None, dict] = {}
    for error in exc.errors:
        entry = grouped.setdefault(error.row, {"row": error.row, "cells": [], "errors": []})
        if error.row and error.row <= len(cells) and not entry["cells"]:
            entry["cells"] = ["" if v is None else str(v) for v in cells[error.row - 1]]
        entry["errors"].append(error)
    header = [] if header_index is None else ["" if v is None else str(v) for v in cells[header_index]]
    for entry in grouped.values():
        entry["header"] = header
        entry["bad"] = {header.index(e.column) for e in entry["errors"] if e.column in header}
    return sorted(grouped.values(), key=lambda e: e["row"] or 0)
