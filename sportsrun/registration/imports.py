"""Bulk entrants from a spreadsheet (paper forms typed into Excel, another platform's export).

Every row is checked first and any problem refuses the whole file with its row and column; then one
transaction writes them all. The organiser attests consent and the registration window does not
apply; minimum age, minors' guardians and duplicates do."""

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sportsrun.core.db.sql import refresh_statistics, write_transaction
from sportsrun.core.errors import RowError, SheetInvalid
from sportsrun.core.gc_pause import gc_paused
from sportsrun.core.i18n import current_locale
from sportsrun.core.i18n import gettext as _
from sportsrun.core.spreadsheets.reader import is_blank, read_table
from sportsrun.core.text.names import fold
from sportsrun.core.turns import Turns
from sportsrun.core.validation import to_date, to_int
from sportsrun.events import services as events
from sportsrun.events.provinces import province_codes, provinces
from sportsrun.events.race_row import RaceRow
from sportsrun.registration import queries
from sportsrun.registration.people import PeopleSeen, registered_people
from sportsrun.registration.services import new_codes
from sportsrun.registration.validation import RegistrationInput, read_registration
from sportsrun.registration.writer import NewRegistration, write_registrations

BATCH = 400
HEADER_SEARCH_ROWS = 20

_SYNONYMS = {
    "given_name": [
        "given name",
        "first name",
        "firstname",
        "given",
        "first",
        "forename",
        "الاسم",
        "الاسم الاول",
        "ناو",
        "ناوی یەکەم",
    ],
    "family_name": [
        "family name",
        "last name",
        "lastname",
        "surname",
        "family",
        "اللقب",
        "اسم العائلة",
        "الكنية",
        "ناوی خێزان",
        "نازناو",
    ],
    "gender": ["sex", "m/f", "الجنس", "ڕەگەز"],
    "birth_date": [
        "birth date",
        "date of birth",
        "dob",
        "birthdate",
        "birthday",
        "تاريخ الميلاد",
        "المواليد",
        "بەرواری لەدایکبوون",
    ],
    "province": ["governorate", "المحافظة", "محافظة", "پارێزگا"],
    "country": ["البلد", "الدولة", "وڵات"],
    "phone": [
        "mobile",
        "telephone",
        "phone number",
        "tel",
        "الهاتف",
        "رقم الهاتف",
        "الموبايل",
        "مۆبایل",
        "ژمارەی مۆبایل",
    ],
    "email": ["e-mail", "e mail", "البريد الالكتروني", "البريد", "ئیمەیڵ"],
    "bib": ["bib number", "bib no", "race number", "رقم الصدرية", "ژمارەی سنگ"],
    "club": ["team", "النادي", "یانە"],
    "emergency_contact": ["emergency", "emergency phone", "جهة الطوارئ", "هاتف الطوارئ"],
    "name_display": ["name display"],
    "guardian_name": ["guardian", "parent", "ولي الامر", "اسم ولي الامر"],
    "guardian_allows_full_name": ["guardian allows full name"],
}
_GENDERS = {
    "female": ["f", "w", "woman", "women", "female", "انثى", "أنثى", "مؤنث", "ئافرەت", "مێ"],
    "male": ["m", "man", "men", "male", "ذكر", "مذكر", "پیاو", "نێر"],
}


def _header_key(text: str) -> str:
    return fold(text).replace("_", " ").replace("-", " ").strip(" .:")


HEADERS = {_header_key(f): f for f in _SYNONYMS} | {_header_key(s): f for f, ss in _SYNONYMS.items() for s in ss}
GENDER_WORDS = {fold(w): g for g, words in _GENDERS.items() for w in words}


@dataclass(slots=True)
class Row:
    number: int  # as the spreadsheet numbers it
    entry: RegistrationInput
    requested_bib: int | None


def find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    """The header row (below any title or blank rows) and which column holds which field."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(row):
            field = HEADERS.get(_header_key(str(cell))) if cell is not None else None
            if field and field not in columns:
                columns[field] = col
        if "given_name" in columns and "family_name" in columns:
            return index, columns
    raise SheetInvalid(
        [
            RowError(
                None,
                None,
                _(
                    "No header row was found: the sheet needs columns such as given_name, family_name, "
                    "gender, birth_date, province and phone or email."
                ),
            )
        ]
    )


def _excel_date(value: float) -> dt.date | None:
    if 1 <= value < 80_000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    return None


async def _province_lookup() -> dict[str, str]:
    lookup = {}
    for p in await provinces():
        for key in (p["code"], p["name_en"], p["name_ar"], p["name_ckb"]):
            lookup[fold(key)] = p["code"]
    return lookup


def _cell_values(row: list[Any], columns: dict[str, int], province_names: dict[str, str],
                 days: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    values: dict[str, Any] = {}
    for field, col in columns.items():
        value = row[col] if col < len(row) else None
        if value is None:
            continue
        if field == "gender" and isinstance(value, str):
            value = GENDER_WORDS.get(fold(value), value)
        elif field == "province" and isinstance(value, str):
            value = province_names.get(fold(value), value)
        elif field == "birth_date" and isinstance(value, float | int) and not isinstance(value, bool):
            value = _excel_date(float(value)) or str(value)
        elif field == "birth_date" and isinstance(value, str):
            # Each distinct date read once (most rows share a few hundred); what is no date stays text.
            if (day := days.get(value)) is None:
                day = days[value] = to_date(value) or value
            value = day
        elif field in ("phone", "emergency_contact") and isinstance(value, float) and value.is_integer():
            value = str(int(value))  # a phone typed into a number cell
        elif isinstance(value, dt.datetime) and field != "birth_date":
            value = value.isoformat()
        values[field] = value
    return values


class EntrantsInvalid(SheetInvalid):
    """Problems of an entrant file, with its cells as read: the page shows each problem beside its row
    without reading the file again."""

    def __init__(self, errors: list[RowError], cells: list[list[Any]], header_index: int | None):
        super().__init__(errors)
        self.cells, self.header_index = cells, header_index


@dataclass(slots=True)
class Entrants:
    cells: list[list[Any]]  # the sheet as read
    header_index: int
    rows: list[Row]  # every entrant, checked


async def read_entrants(race: RaceRow, data: bytes) -> Entrants:
    table = await asyncio.to_thread(read_table, data)  # off the event loop: a parse, or a child for .xls
    try:
        header_index, columns = find_header(table.rows)
    except SheetInvalid as exc:
        raise EntrantsInvalid(exc.errors, table.rows, None) from None
    header = table.rows[header_index]
    column_text = {field: str(header[col]) for field, col in columns.items()}
    codes, names = await province_codes(), await _province_lookup()
    today, race_day = dt.datetime.now(race.tz).date(), race.race_day  # once: each reads the race's zone
    errors: list[RowError] = []
    rows: list[Row] = []
    days: dict[str, Any] = {}
    turns = Turns()  # 50,000 rows checked in one go held the worker's loop for most of a second
    for index in range(header_index + 1, len(table.rows)):
        if turns.due():
            await asyncio.sleep(0)
        cells = table.rows[index]
        if is_blank(cells):
            continue
        number = index + 1
        values = _cell_values(cells, columns, names, days)
        entry, fields = read_registration(
            values, race_day=race_day, min_age=race.min_age, provinces=codes, today=today, consent_required=False
        )
        requested = None
        if values.get("bib") is not None:
            requested = to_int(values["bib"])
            if requested is None or requested < 1:
                fields.error("bib", _("Enter the bib as a whole number."))
        for error in fields.errors:
            errors.append(RowError(number, column_text.get(error.field), error.message))
        if entry is not None and not fields.errors:
            rows.append(Row(number, entry, requested))
    # A race nobody has registered for yet (the usual first import) has nobody to look up.
    empty = not await queries.live_counts(race.id)
    seen = PeopleSeen() if empty else await registered_people(race.id, [r.entry for r in rows])
    unique: list[Row] = []
    for row in rows:
        if turns.due():
            await asyncio.sleep(0)
        where = seen.find(row.entry)
        if where is None:
            seen.add(row.entry.birth_date, row.entry.name_key, row.entry.phone, row.entry.email, row.number)
            unique.append(row)
            continue
        message = (
            _("This person is already registered for this race.")
            if where == "race"
            else _("The same person as row {row} (same date of birth and name, phone or email).", row=where)
        )
        errors.append(RowError(row.number, column_text.get("given_name"), message))
    if errors:
        raise EntrantsInvalid(sorted(errors, key=lambda e: e.row or 0), table.rows, header_index)
    if not unique:
        raise EntrantsInvalid([RowError(None, None, _("The file has no entrant rows below its header."))], table.rows,
                              header_index)  # fmt: skip
    return Entrants(table.rows, header_index, unique)


async def import_entrants(race_id: int, data: bytes, user_id: int) -> dict:
    # Hundreds of thousands of cells, entries and rows alive at once: the cycle collector would walk them
    # all again and again (core.gc_pause).
    with gc_paused():
        return await _import(race_id, data, user_id)


async def _import(race_id: int, data: bytes, user_id: int) -> dict:
    race = await events.load_race(race_id)
    entrants = await read_entrants(race, data)
    rows = entrants.rows
    language = current_locale.get()  # once, not a default_factory reading the context per row
    items = [NewRegistration(r.entry, digest, "import", r.requested_bib, language=language)
             for r, (_code, digest) in zip(rows, new_codes(len(rows)), strict=True)]  # fmt: skip
    await asyncio.sleep(0)  # making 50,000 codes is tens of milliseconds: let others in before the write
    async with write_transaction():
        results = await write_registrations(race.id, items, user_id=user_id)
        clashes = [RowError(r.number, None, w.error.detail) for r, w in zip(rows, results, strict=True) if w.error]
        if clashes:
            # Someone registered online between the check and the write: nothing of the file is kept.
            raise EntrantsInvalid(clashes, entrants.cells, entrants.header_index)
    await refresh_statistics("registration", "person", "bib_audit")
    changed = [
        {"row": r.number, "requested": r.requested_bib, "given": w.bib}
        for r, w in zip(rows, results, strict=True)
        if r.requested_bib is not None and w.bib != r.requested_bib
    ]
    waitlisted = sum(1 for w in results if w.status == "waitlisted")
    return {"created": len(rows), "waitlisted": waitlisted, "bibs_changed": changed}


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
