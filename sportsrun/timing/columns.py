"""Which column of a timing sheet holds what: headers in English or Arabic (or Kurdish), in any case and
spacing, recognised by synonyms; a volunteer's mapping overrides. Pure functions."""

import re

from sportsrun.core.text.names import fold

FIELDS = ("bib", "gun_time", "chip_time", "clock_time", "status")

_SYNONYMS = {
    "bib": [
        "bib",
        "bib number",
        "bib no",
        "bib #",
        "bib_number",
        "no",
        "no.",
        "num",
        "number",
        "race number",
        "رقم الصدرية",
        "رقم الصدريه",
        "الرقم",
        "رقم المتسابق",
        "رقم",
        "ژمارە",
        "ژمارەی سنگ",
    ],
    "gun_time": [
        "time",
        "official time",
        "finish time",
        "gun time",
        "gun tim",
        "gun",
        "finish",
        "result",
        "الوقت",
        "الوقت الرسمي",
        "النتيجة",
        "زمن",
        "الزمن",
        "کات",
    ],
    "chip_time": [
        "chip time",
        "chip",
        "net time",
        "net tim",
        "net",
        "الوقت الصافي",
        "وقت الشريحة",
        "الوقت الفعلي",
        "کاتی چیپ",
    ],
    "clock_time": [
        "clock time",
        "time of day",
        "finish clock",
        "clock",
        "finish clock time",
        "ساعة الوصول",
        "وقت الوصول",
        "توقيت الوصول",
    ],
    "status": ["status", "الحالة", "دۆخ"],
}
# Never imported: places are always computed, paces and projections derived.
IGNORED = [
    "pace",
    "proj time",
    "projected",
    "projected time",
    "place",
    "overall",
    "gender",
    "division",
    "div/tot",
    "div",
    "category place",
    "المركز",
    "الترتيب",
    "السرعة",
]


def header_key(text: object) -> str:
    return fold(str(text)).replace("_", " ").replace("-", " ").strip(" .:")


HEADERS = {header_key(s): field for field, words in _SYNONYMS.items() for s in words}
IGNORED_KEYS = {header_key(s) for s in IGNORED}
_SPLIT = re.compile(r"^(?:split\s*)?(\d+(?:[.,]\d+)?)\s*(k|km|كم|کم)$")
_HALF = {header_key(s) for s in ("half", "half marathon", "halfway", "نصف", "نصف الماراثون", "نیوە")}


def split_name(text: object) -> str | None:
    """`5K`, `10 km`, `Half`, `نصف الماراثون` → the split's name as results show it."""
    key = header_key(text).replace(" ", "")
    match = _SPLIT.match(key)
    if match:
        return f"{match.group(1).replace(',', '.')}K"
    if header_key(text) in _HALF:
        return "Half"
    return None


def recognise(header: list[object]) -> dict[str, int]:
    """Canonical field (`bib`, `gun_time`, …, `split:5K`) → column index. The first column wins."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        if cell is None or cell == "":
            continue
        key = header_key(cell)
        if key in IGNORED_KEYS:
            continue
        field = HEADERS.get(key)
        if field is None:
            name = split_name(cell)
            field = f"split:{name}" if name else None
        if field and field not in columns:
            columns[field] = index
    return columns


def is_header(columns: dict[str, int]) -> bool:
    return "bib" in columns and any(f in columns for f in ("gun_time", "chip_time", "clock_time", "status"))


def valid_field(field: str) -> bool:
    return field in FIELDS or (field.startswith("split:") and len(field) > 6)
