"""Bulk entrants from a spreadsheet (paper forms typed into Excel, another platform's export).

Every row is checked first and any problem refuses the whole file with its row and column; then one
transaction writes them all. The organiser attests consent and the registration window does not
apply; minimum age, minors' guardians and duplicates do."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sportsrun.bibs.allocation import lowest_free
from sportsrun.core.db import fetch, write_transaction
from sportsrun.core.errors import RowError, SheetInvalid
from sportsrun.core.i18n import gettext as _
from sportsrun.core.spreadsheets import is_blank, read_table
from sportsrun.core.text import fold
from sportsrun.core.validation import to_int
from sportsrun.events.provinces import province_codes, provinces
from sportsrun.events.races import RaceRow, load_race, lock_race
from sportsrun.registration.services import count_status, new_code
from sportsrun.registration.validation import RegistrationInput, read_registration

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


def _cell_values(row: list[Any], columns: dict[str, int], province_names: dict[str, str]) -> dict[str, Any]:
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
        elif field in ("phone", "emergency_contact") and isinstance(value, float) and value.is_integer():
            value = str(int(value))  # a phone typed into a number cell
        elif isinstance(value, dt.datetime) and field != "birth_date":
            value = value.isoformat()
        values[field] = value
    return values


class _Seen:
    """Who is in the race (or earlier in the file) by PRODUCT.md's rule, for the duplicate check."""

    def __init__(self) -> None:
        self.keys: dict[tuple, str] = {}

    @staticmethod
    def _keys(birth_date: dt.date, name_key: str, phone: str | None, email: str | None) -> Iterable[tuple]:
        yield (birth_date, "n", name_key)
        if phone:
            yield (birth_date, "p", phone)
        if email:
            yield (birth_date, "e", email)

    def find(self, e: RegistrationInput) -> str | None:
        return next(
            (self.keys[k] for k in self._keys(e.birth_date, e.name_key, e.phone, e.email) if k in self.keys), None
        )

    def add(self, birth_date, name_key, phone, email, where: str) -> None:
        for key in self._keys(birth_date, name_key, phone, email):
            self.keys.setdefault(key, where)


async def read_entrants(race: RaceRow, data: bytes) -> list[Row]:
    table = read_table(data)
    header_index, columns = find_header(table.rows)
    header = table.rows[header_index]
    column_text = {field: str(header[col]) for field, col in columns.items()}
    codes, names = await province_codes(), await _province_lookup()
    today = dt.datetime.now(race.tz).date()
    seen = _Seen()
    for r in await fetch(
        "SELECT birth_date, name_key, phone, email FROM registration WHERE race = {} AND status <> 'cancelled'",
        race.id,
    ):
        seen.add(r["birth_date"], r["name_key"], r["phone"], r["email"], "")
    errors: list[RowError] = []
    rows: list[Row] = []
    for index in range(header_index + 1, len(table.rows)):
        cells = table.rows[index]
        if is_blank(cells):
            continue
        number = index + 1
        values = _cell_values(cells, columns, names)
        entry, fields = read_registration(
            values, race_day=race.race_day, min_age=race.min_age, provinces=codes, today=today, consent_required=False
        )
        requested = None
        if values.get("bib") is not None:
            requested = to_int(values["bib"])
            if requested is None or requested < 1:
                fields.error("bib", _("Enter the bib as a whole number."))
        for error in fields.errors:
            errors.append(RowError(number, column_text.get(error.field), error.message))
        if entry is None or fields.errors:
            continue
        where = seen.find(entry)
        if where is not None:
            message = (
                _("This person is already registered for this race.")
                if where == ""
                else _("The same person as row {row} (same date of birth and name, phone or email).", row=where)
            )
            errors.append(RowError(number, column_text.get("given_name"), message))
            continue
        seen.add(entry.birth_date, entry.name_key, entry.phone, entry.email, str(number))
        rows.append(Row(number, entry, requested))
    if errors:
        raise SheetInvalid(errors)
    if not rows:
        raise SheetInvalid([RowError(None, None, _("The file has no entrant rows below its header."))])
    return rows


async def _person_ids(entries: list[RegistrationInput]) -> list[int]:
    """Each entrant's person (the same birth date with the same phone or email), created when new."""
    known: dict[tuple, int] = {}
    dates = sorted({e.birth_date for e in entries})
    for start in range(0, len(dates), BATCH):
        chunk = dates[start : start + BATCH]
        placeholders = ", ".join("{}" for _ in chunk)
        for p in await fetch(
            f"SELECT id, birth_date, phone, email FROM person WHERE birth_date IN ({placeholders}) ORDER BY id DESC",
            *chunk,
        ):
            if p["phone"]:
                known[(p["birth_date"], "p", p["phone"])] = p["id"]
            if p["email"]:
                known[(p["birth_date"], "e", p["email"])] = p["id"]
    ids = []
    now = dt.datetime.now(dt.UTC)
    for e in entries:
        person_id = known.get((e.birth_date, "p", e.phone)) or known.get((e.birth_date, "e", e.email))
        if person_id is None:
            inserted = await fetch(
                "INSERT INTO person (birth_date, phone, email, created_at) VALUES ({}, {}, {}, {}) RETURNING id",
                e.birth_date,
                e.phone,
                e.email,
                now,
            )
            person_id = inserted[0]["id"]
        for key in ((e.birth_date, "p", e.phone), (e.birth_date, "e", e.email)):
            if key[2]:
                known.setdefault(key, person_id)
        ids.append(person_id)
    return ids


_COLUMNS = (
    "race, person, status, bib, given_name, family_name, name_key, gender, birth_date, province, country, "
    "phone, email, emergency_contact, club, name_display, guardian_name, guardian_allows_full_name, source, "
    "code_hash, created_at"
)


async def import_entrants(race_id: int, data: bytes, user_id: int) -> dict:
    race = await load_race(race_id)
    rows = await read_entrants(race, data)
    async with write_transaction():
        race = await lock_race(race_id)
        held = {
            r["bib"] for r in await fetch("SELECT bib FROM registration WHERE race = {} AND bib IS NOT NULL", race.id)
        }
        room = race.capacity - await count_status(race.id, "confirmed")
        confirmed = rows[: max(room, 0)]
        # Requested bibs first, so that a later row's request is not taken by an earlier row's allocation.
        given: dict[int, int | None] = {}
        for row in confirmed:
            bib = row.requested_bib
            if bib is not None and race.bib_first <= bib <= race.bib_last and bib not in held:
                given[row.number] = bib
                held.add(bib)
        cursor = race.bib_first
        for row in confirmed:
            if row.number not in given:
                bib = lowest_free(race.bib_first, race.bib_last, held, race.reserved_bibs, start=cursor)
                given[row.number] = bib
                if bib is not None:
                    held.add(bib)
                    cursor = bib + 1
        person_ids = await _person_ids([r.entry for r in rows])
        now = dt.datetime.now(dt.UTC)
        values = []
        for row, person_id in zip(rows, person_ids, strict=True):
            bib = given.get(row.number)
            e = row.entry
            values.append(
                (
                    race.id,
                    person_id,
                    "confirmed" if bib is not None else "waitlisted",
                    bib,
                    e.given_name,
                    e.family_name,
                    e.name_key,
                    e.gender,
                    e.birth_date,
                    e.province,
                    e.country,
                    e.phone,
                    e.email,
                    e.emergency_contact,
                    e.club,
                    e.name_display,
                    e.guardian_name,
                    e.guardian_allows_full_name,
                    "import",
                    new_code()[1],
                    now,
                )
            )
        inserted = []
        for start in range(0, len(values), BATCH):
            chunk = values[start : start + BATCH]
            row_sql = "(" + ", ".join(["{}"] * len(chunk[0])) + ")"
            inserted += await fetch(
                f"INSERT INTO registration ({_COLUMNS}) VALUES {', '.join([row_sql] * len(chunk))} RETURNING id, bib",
                *[v for row in chunk for v in row],
            )
        for start in range(0, len(inserted), BATCH):
            chunk = [r for r in inserted[start : start + BATCH] if r["bib"] is not None]
            if chunk:
                await fetch(
                    'INSERT INTO bib_audit (race, registration, action, bib, "user", note, at) VALUES '
                    + ", ".join(["({}, {}, 'allocated', {}, {}, 'entrant import', {})"] * len(chunk)),
                    *[v for r in chunk for v in (race.id, r["id"], r["bib"], user_id, now)],
                )
        next_free = lowest_free(race.bib_first, race.bib_last, held, race.reserved_bibs) or race.bib_last + 1
        await fetch("UPDATE race SET bib_next_free = {} WHERE id = {}", next_free, race.id)
    changed = [
        {"row": r.number, "requested": r.requested_bib, "given": given.get(r.number)}
        for r in rows
        if r.requested_bib is not None and given.get(r.number) != r.requested_bib
    ]
    waitlisted = sum(1 for r in rows if given.get(r.number) is None)
    return {"created": len(rows), "waitlisted": waitlisted, "bibs_changed": changed}
