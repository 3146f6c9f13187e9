"""Reading the times, statuses and bibs that timing sheets hold, as the README describes them ("Timing sheets").
Pure functions: plain values in, plain values out, no I/O.

A time arrives as an Excel time cell (`datetime.time`), an Excel duration over 24 h (`timedelta`),
a number of seconds, or text (`h:mm:ss`, `h:mm:ss.s`, `mm:ss`, Arabic-Indic digits). Durations are
kept in integer milliseconds, as precise as the sheet gives them."""

import datetime as dt
import math
from dataclasses import dataclass

from sportsrun.core.text.characters import western_digits
from sportsrun.core.text.names import fold
from sportsrun.results.times import MS_PER_S, STATUSES

FASTEST_PACE_MS_PER_KM = 2 * 60 * MS_PER_S  # 2:00 per km: faster than any human
SLOWEST_PACE_MS_PER_KM = 30 * 60 * MS_PER_S  # 30:00 per km: slower than walking

_STATUS_WORDS = {
    "DNF": [
        "dnf",
        "did not finish",
        "لم يكمل",
        "لم يكتمل",
        "لم ينه",
        "لم ينهي",
        "منسحب",
        "انسحب",
        "انسحاب",
        "تەواوی نەکرد",
    ],
    "DNS": ["dns", "did not start", "لم يبدأ", "لم يبدا", "لم ينطلق", "غائب", "غياب", "دەستی پێنەکرد", "ئامادە نەبوو"],
    "DQ": ["dq", "dsq", "disq", "disqualified", "مستبعد", "استبعاد", "مستبعده", "مشطوب", "دەرکراو"],
}
STATUS_WORDS = {fold(word): status for status, words in _STATUS_WORDS.items() for word in words}
FINISHED_WORDS = {fold(w) for w in ("finished", "finisher", "ok", "fin", "أنهى", "انهى", "مكتمل", "تەواو")}


@dataclass(frozen=True, slots=True)
class Reading:
    """A value read from a time cell: milliseconds, a status word, or a problem."""

    ms: int | None = None
    status: str | None = None
    error: str | None = None  # a message key for the caller to translate
    reread: bool = False  # read as minutes:seconds instead of what the cell literally says


def status_word(value: object) -> str | None:
    """ "DNF", "DNS" or "DQ" for a status word in any of our languages, "finished" for a finished mark."""
    if not isinstance(value, str):
        return None
    key = fold(value).strip(" .-*()")
    if key in STATUS_WORDS:
        return STATUS_WORDS[key]
    if key in FINISHED_WORDS:
        return "finished"
    return None


def _from_parts(parts: list[str]) -> int | None:
    """h:mm:ss(.fff) or two parts as given (the caller decides what two parts mean)."""
    try:
        *whole, last = parts
        seconds = float(last) if last else math.nan
        numbers = [int(p) for p in whole]
    except ValueError:
        return None
    if seconds != seconds or seconds < 0 or seconds >= 60 or any(n < 0 for n in numbers):
        return None
    if len(numbers) == 2 and numbers[1] >= 60:
        return None
    total = 0
    for n in numbers:
        total = total * 60 + n
    return round((total * 60 + seconds) * MS_PER_S)


def _pace(ms: int, distance_m: float) -> float:
    return ms / (distance_m / 1000)


def _two_part(a: int, b: float, distance_m: float) -> tuple[int, bool]:
    """`a:b` is minutes:seconds unless that would be faster than 2:00 per km, then hours:minutes
    (`2:09` in a marathon is 2 h 09)."""
    as_minutes = round((a * 60 + b) * MS_PER_S)
    if _pace(as_minutes, distance_m) >= FASTEST_PACE_MS_PER_KM or b != int(b):
        return as_minutes, False
    return (a * 3600 + int(b) * 60) * MS_PER_S, False


def reread_as_minutes(ms: int, distance_m: float) -> int | None:
    """Excel turns a typed 42:10 into 42 hours 10 minutes. A duration slower than 30:00 per km, in whole
    minutes, that makes a sensible pace as minutes:seconds is read that way."""
    if _pace(ms, distance_m) <= SLOWEST_PACE_MS_PER_KM or ms % 60_000:
        return None
    candidate = ms // 60
    if FASTEST_PACE_MS_PER_KM <= _pace(candidate, distance_m) <= SLOWEST_PACE_MS_PER_KM:
        return candidate
    return None


def parse_duration(value: object, distance_m: float) -> Reading:
    """A finish or split time from a cell; None and "" are no time."""
    if value is None or value == "":
        return Reading()
    if isinstance(value, bool):
        return Reading(error="unreadable")
    if isinstance(value, dt.timedelta):
        ms = round(value.total_seconds() * MS_PER_S)
    elif isinstance(value, dt.time):
        ms = ((value.hour * 60 + value.minute) * 60 + value.second) * MS_PER_S + round(value.microsecond / 1000)
    elif isinstance(value, dt.datetime):
        return Reading(error="clock")
    elif isinstance(value, int | float):
        if value != value or math.isinf(value):
            return Reading(error="unreadable")
        # A number of seconds; below one, a time cell that lost its format (a fraction of a day).
        ms = round(value * 86400 * MS_PER_S) if 0 < value < 1 else round(value * MS_PER_S)
    elif isinstance(value, str):
        status = status_word(value)
        if status in STATUSES:
            return Reading(status=status)
        text = western_digits(value).strip().replace("٫", ".").replace(",", ".").replace("'", ":").replace("’", ":")
        if not text:
            return Reading()
        parts = text.split(":")
        if len(parts) == 1:
            try:
                ms = round(float(text) * MS_PER_S)
            except ValueError:
                return Reading(error="unreadable")
        elif len(parts) == 2:
            try:
                a, b = int(parts[0]), float(parts[1])
            except ValueError:
                return Reading(error="unreadable")
            if a < 0 or not 0 <= b < 60:
                return Reading(error="unreadable")
            ms, _ = _two_part(a, b, distance_m)
        elif len(parts) == 3:
            parsed = _from_parts(parts)
            if parsed is None:
                return Reading(error="unreadable")
            ms = parsed
        else:
            return Reading(error="unreadable")
    else:
        return Reading(error="unreadable")
    if ms <= 0:
        return Reading(error="not_positive")
    reread = reread_as_minutes(ms, distance_m)
    if reread is not None:
        return Reading(ms=reread, reread=True)
    return Reading(ms=ms)


def parse_clock(value: object, start: dt.datetime) -> Reading:
    """A finish clock time of day (`08:41:07`) → elapsed since the start, in the race's time zone
    (`start` carries it). A finish before the start's time of day is taken as the next day."""
    if value is None or value == "":
        return Reading()
    local_start = start
    if isinstance(value, str):
        status = status_word(value)
        if status in STATUSES:
            return Reading(status=status)
        text = western_digits(value).strip().replace(",", ".")
        try:
            if "T" in text or "-" in text:
                moment = dt.datetime.fromisoformat(text)
                value = moment
            else:
                parts = text.split(":")
                if len(parts) not in (2, 3):
                    return Reading(error="unreadable")
                seconds = float(parts[2]) if len(parts) == 3 else 0.0
                hour, minute = int(parts[0]), int(parts[1])
                if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= seconds < 60):
                    return Reading(error="unreadable")
                whole = int(seconds)
                value = dt.time(hour, minute, whole, round((seconds - whole) * 1_000_000))
        except ValueError:
            return Reading(error="unreadable")
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=local_start.tzinfo)
        ms = round((moment - local_start).total_seconds() * MS_PER_S)
    elif isinstance(value, dt.time):
        finish = dt.datetime.combine(local_start.date(), value, tzinfo=local_start.tzinfo)
        if finish < local_start:
            finish += dt.timedelta(days=1)
        ms = round((finish - local_start).total_seconds() * MS_PER_S)
    elif isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        # A clock time cell that lost its format: a fraction of a day.
        seconds = value * 86400
        return parse_clock(
            dt.time(
                int(seconds // 3600),
                int(seconds % 3600 // 60),
                int(seconds % 60),
                round(seconds % 1 * 1_000_000) % 1_000_000,
            ),
            start,
        )
    else:
        return Reading(error="unreadable")
    if ms <= 0:
        return Reading(error="not_positive")
    return Reading(ms=ms)


def parse_bib(value: object) -> int | None:
    """Bibs as numbers (`103`, `103.0`) or text (`"103"`, `"١٠٣"`, `" 103 "`)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value > 0 else None
    if isinstance(value, str):
        text = western_digits(value).strip().lstrip("#").strip()
        if text.endswith(".0"):
            text = text[:-2]
        if text.isdigit() and text.isascii() and int(text) > 0:
            return int(text)
    return None
