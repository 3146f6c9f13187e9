"""Reading an entrant sheet as organisers type it: which row is the header and which column holds what
(English, Arabic or Kurdish words), and each row's cells as the registration rules read them."""

import datetime as dt
from typing import Any

from sportsrun.core.errors import RowError, SheetInvalid
from sportsrun.core.i18n import gettext as _
from sportsrun.core.text.names import fold
from sportsrun.core.validation import to_date
from sportsrun.events.provinces import provinces

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


async def province_lookup() -> dict[str, str]:
    lookup = {}
    for p in await provinces():
        for key in (p["code"], p["name_en"], p["name_ar"], p["name_ckb"]):
            lookup[fold(key)] = p["code"]
    return lookup


def cell_values(row: list[Any], columns: dict[str, int], province_names: dict[str, str],
                known: dict[tuple[str, str], Any]) -> dict[str, Any]:  # fmt: skip
    """A row's cells by field, as read_registration takes them. `known` keeps each distinct text of a gender,
    province or birth date column as read (50,000 rows share a few hundred), for the next rows."""
    values: dict[str, Any] = {}
    for field, col in columns.items():
        value = row[col] if col < len(row) else None
        if value is None:
            continue
        if value.__class__ is str and field in _LOOKED_UP:
            read = known.get((field, value))
            if read is None:
                read = known[(field, value)] = _read_text(field, value, province_names)
            value = read
        elif field == "birth_date" and isinstance(value, float | int) and not isinstance(value, bool):
            value = _excel_date(float(value)) or str(value)
        elif field in ("phone", "emergency_contact") and isinstance(value, float) and value.is_integer():
            value = str(int(value))  # a phone typed into a number cell
        elif isinstance(value, dt.datetime) and field != "birth_date":
            value = value.isoformat()
        values[field] = value
    return values


_LOOKED_UP = frozenset(("gender", "province", "birth_date"))


def _read_text(field: str, value: str, province_names: dict[str, str]) -> Any:
    if field == "gender":
        return GENDER_WORDS.get(fold(value), value)
    if field == "province":
        return province_names.get(fold(value), value)
    return to_date(value) or value  # what is no date stays text, for its error
