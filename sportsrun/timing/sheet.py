"""Understanding a timing sheet: its header row, its columns, every row's bib, times and status, and
PRODUCT.md's errors (refuse the file) and warnings (import, list). Pure: no I/O.

Row numbers are the spreadsheet's own (1-based, title and blank rows counted) and columns are named by
the sheet's own header text, so a volunteer can find the cell."""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from operator import attrgetter
from typing import NamedTuple

from sportsrun.core.errors import RowError
from sportsrun.core.i18n import gettext as _
from sportsrun.results.times import STATUSES
from sportsrun.timing import columns as cols
from sportsrun.timing.timeparse import (
    SLOWEST_PACE_MS_PER_KM,
    parse_bib,
    parse_clock,
    parse_duration,
    status_word,
)

HEADER_SEARCH_ROWS = 30
PREVIEW_ROWS = 10
_ONE_MS, _HALF_MS = dt.timedelta(milliseconds=1), dt.timedelta(microseconds=500)
_DASHES = frozenset({"-", "—", "–", "--"})  # "no split here", as Boston's results write it


@dataclass(frozen=True, slots=True)
class RaceFacts:
    distance_m: float
    start: dt.datetime  # in the race's own time zone
    ranking: str  # gun | chip


class SheetRow(NamedTuple):
    row: int
    bib: int
    status: str  # finished | DNF | DNS | DQ
    gun_ms: int | None
    chip_ms: int | None
    splits: list[tuple[str, int]]


# Made from a tuple of its fields without a Python-level __new__ call: one per row of a 50,000-row sheet.
_sheet_row = partial(tuple.__new__, SheetRow)


@dataclass(slots=True)
class Understood:
    header_row: int | None = None  # spreadsheet row number
    header: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # canonical field → the sheet's header text
    rows: list[SheetRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    rows_read: int = 0
    preview: list[tuple[int, list[str]]] = field(default_factory=list)
    bibs: set[int] = field(default_factory=set)  # every readable bib in the sheet, rows with problems included

    def counts(self) -> dict[str, int]:
        statuses = Counter(map(attrgetter("status"), self.rows))
        return {"finishers": statuses["finished"], "dnf": statuses["DNF"], "dns": statuses["DNS"], "dq": statuses["DQ"]}


def _fast_ms(value: object, slow_limit: float) -> int | None:
    """The common case, an Excel time or duration cell with a plausible value, without the general
    parser's checks (a 50,000-row sheet holds 200,000 of them); anything else returns None."""
    cls = value.__class__
    if cls is dt.timedelta:
        ms = (value + _HALF_MS) // _ONE_MS  # type: ignore[operator]
    elif cls is dt.time:
        ms = ((value.hour * 60 + value.minute) * 60 + value.second) * 1000 + value.microsecond // 1000  # type: ignore[union-attr]
        if value.microsecond % 1000:  # type: ignore[union-attr]
            return None
    else:
        return None
    return ms if 0 < ms <= slow_limit else None


def _is_blank(row: list[object]) -> bool:
    for value in row:
        if value is None or value == "":
            continue
        if value.__class__ is str and (not value.strip() or value.strip() in _DASHES):
            continue
        return False
    return True


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def find_header(rows: list[list[object]], mapping: Mapping[str, str] | None) -> tuple[int, dict[str, int]] | None:
    """The header row below any title or blank rows, and its columns (the mapping's, where given)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if mapping:
            texts = {cols.header_key(c): i for i, c in enumerate(row) if c not in (None, "")}
            wanted = {f: cols.header_key(h) for f, h in mapping.items()}
            if wanted and all(key in texts for key in wanted.values()):
                detected = cols.recognise(row)
                overridden = {f: texts[key] for f, key in wanted.items()}
                # The mapping decides for the columns it names; detection fills in the rest.
                taken = set(overridden.values())
                detected = {f: i for f, i in detected.items() if i not in taken and f not in overridden}
                return index, {**detected, **overridden}
            continue
        detected = cols.recognise(row)
        if cols.is_header(detected):
            return index, detected
    return None


def understand(
    rows: list[list[object]],
    race: RaceFacts,
    registered: Mapping[int, object],
    *,
    mapping: Mapping[str, str] | None = None,
    elsewhere: Callable[[int], str | None] = lambda bib: None,
    progress: Callable[[int, int], None] | None = None,
) -> Understood:
    """Everything the preview shows and the commit writes. `registered` holds this race's bibs;
    `elsewhere(bib)` names the race a bib belongs to instead, if any."""
    out = Understood()
    found = find_header(rows, mapping)
    if found is None:
        if mapping:
            out.errors.append(
                RowError(
                    None,
                    None,
                    _(
                        "The columns of the mapping were not found together in one header row: {columns}.",
                        columns=", ".join(mapping.values()),
                    ),
                )
            )
        else:
            out.errors.append(
                RowError(
                    None,
                    None,
                    _(
                        "No bib column or no time or status column was found: name them in the header row (e.g. Bib "
                        "and Time, or رقم الصدرية and الوقت), or choose them in the column mapping."
                    ),
                )
            )
        return out
    header_index, columns = found
    header = [_text(c) for c in rows[header_index]]
    out.header_row, out.header = header_index + 1, header
    out.columns = {f: header[i] for f, i in columns.items()}
    missing = [f for f in ("bib",) if f not in columns]
    if missing or not any(f in columns for f in ("gun_time", "chip_time", "clock_time", "status")):
        out.errors.append(RowError(None, None, _("No bib column or no time or status column was found.")))
        return out

    bib_at = columns["bib"]
    gun_at, chip_at = columns.get("gun_time"), columns.get("chip_time")
    clock_at, status_at = columns.get("clock_time"), columns.get("status")
    splits = [(f.removeprefix("split:"), i) for f, i in columns.items() if f.startswith("split:")]
    seen: dict[int, int] = {}
    errors, warnings = out.errors, out.warnings
    distance = race.distance_m
    slow_limit = distance / 1000 * SLOWEST_PACE_MS_PER_KM

    # Short rows (a CSV's may be) are padded to the columns read, so that the loop reads cells directly.
    width = max(columns.values()) + 1
    preview, append_row, bibs = out.preview, out.rows.append, out.bibs
    rows_read = 0

    def cleaned(value: str) -> str | None:
        value = value.strip()
        return None if not value or value in _DASHES else value

    def time_error(number: int, column: int, reading_error: str) -> None:
        message = (
            _("The time is zero or negative.")
            if reading_error == "not_positive"
            else _("The time could not be read (write it like 1:02:33 or 42:10).")
        )
        errors.append(RowError(number, header[column], message))

    def read_time(raw: object, at: int, kind: str, number: int) -> tuple[int | None, str | None, bool]:
        """A time cell the fast path did not take: (ms, status word, unreadable)."""
        fast = _fast_ms(raw, slow_limit) if kind != "clock" else None
        if fast is not None:
            return fast, None, False
        reading = parse_clock(raw, race.start) if kind == "clock" else parse_duration(raw, distance)
        if reading.error:
            time_error(number, at, reading.error)
            return None, None, True
        if reading.reread:
            warnings.append(
                RowError(
                    number,
                    header[at],
                    _(
                        "Read as {time} (minutes:seconds): the cell said hours.",
                        time=f"{reading.ms // 60000}:{reading.ms // 1000 % 60:02d}",
                    ),
                )
            )
        return reading.ms, reading.status, False

    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        number = index + 1
        if progress and index % 2000 == 0:
            progress(index, len(rows))
        if len(row) < width:
            row = [*row, *([None] * (width - len(row)))]
        raw_bib = row[bib_at]
        if raw_bib.__class__ is float and raw_bib > 0 and raw_bib.is_integer():
            bib = int(raw_bib)  # the common case, a number cell: the row is not blank
        else:
            if _is_blank(row):
                continue
            bib = None
        if len(preview) < PREVIEW_ROWS:
            preview.append((number, [_text(v) for v in rows[index]]))
        rows_read += 1
        gun_raw = row[gun_at] if gun_at is not None else None
        chip_raw = row[chip_at] if chip_at is not None else None
        clock_raw = row[clock_at] if clock_at is not None else None
        status_raw = row[status_at] if status_at is not None else None
        if gun_raw.__class__ is str:
            gun_raw = cleaned(gun_raw)
        if chip_raw.__class__ is str:
            chip_raw = cleaned(chip_raw)
        if clock_raw.__class__ is str:
            clock_raw = cleaned(clock_raw)
        if status_raw.__class__ is str:
            status_raw = cleaned(status_raw)
        if bib is None:
            if raw_bib.__class__ is str:
                raw_bib = cleaned(raw_bib)
            if raw_bib is None:
                if gun_raw is not None or chip_raw is not None or clock_raw is not None or status_raw is not None:
                    errors.append(RowError(number, header[bib_at], _("A time without a bib.")))
                continue
            bib = parse_bib(raw_bib)
            if bib is None:
                errors.append(
                    RowError(number, header[bib_at], _("The bib “{bib}” could not be read.", bib=_text(raw_bib)))
                )
                continue
        bibs.add(bib)
        if bib in seen:
            errors.append(
                RowError(number, header[bib_at], _("Bib {bib} is also on row {row}.", bib=bib, row=seen[bib]))
            )
            continue
        seen[bib] = number
        if bib not in registered:
            other = elsewhere(bib)
            message = (
                _("Bib {bib} is registered in {race}, not in this race.", bib=bib, race=other)
                if other
                else _("No runner holds bib {bib} in this race.", bib=bib)
            )
            errors.append(RowError(number, header[bib_at], message))
            continue

        status = None
        if status_raw is not None:
            word = status_word(status_raw)
            if word is None:
                errors.append(
                    RowError(
                        number,
                        header[status_at],
                        _(
                            "The status “{status}” is not one of DNF, DNS, DQ (or لم يكمل, لم يبدأ, مستبعد).",
                            status=_text(status_raw),
                        ),
                    )
                )
                continue
            status = word if word in STATUSES else None
        # Gun, then the finish clock (only without a gun time), then chip. Excel durations, 200,000 cells in
        # a big sheet, are read inline; anything else goes through the general parser.
        gun = chip = None
        bad = False
        if gun_raw is not None:
            if gun_raw.__class__ is timedelta and 0 < (fast := (gun_raw + _HALF_MS) // _ONE_MS) <= slow_limit:
                gun = fast
            else:
                gun, word, bad = read_time(gun_raw, gun_at, "gun", number)
                status = status or word
        if clock_raw is not None and gun is None:
            gun, word, failed = read_time(clock_raw, clock_at, "clock", number)
            status, bad = status or word, bad or failed
        if chip_raw is not None:
            if chip_raw.__class__ is timedelta and 0 < (fast := (chip_raw + _HALF_MS) // _ONE_MS) <= slow_limit:
                chip = fast
            else:
                chip, word, failed = read_time(chip_raw, chip_at, "chip", number)
                status, bad = status or word, bad or failed
        if bad:
            continue
        if status is not None and (gun is not None or chip is not None):
            warnings.append(
                RowError(
                    number,
                    header[status_at] if status_at is not None else None,
                    _("A status and a time on one row: the status {status} counts.", status=status),
                )
            )
        if status is None and gun is None and chip is None:
            errors.append(RowError(number, header[bib_at], _("Bib {bib} has neither a time nor a status.", bib=bib)))
            continue
        if gun is not None and chip is not None and chip > gun:
            warnings.append(
                RowError(number, header[chip_at], _("The chip time is longer than the gun time: both are kept."))
            )
        if status is None and race.ranking == "chip" and chip is None:
            warnings.append(
                RowError(
                    number, header[chip_at] if chip_at is not None else None, _("No chip time: ranked by gun time.")
                )
            )
        finish = gun if gun is not None else chip
        row_splits = []
        for name, at in splits:
            raw = row[at]
            if raw.__class__ is timedelta and 0 < (fast := (raw + _HALF_MS) // _ONE_MS) <= slow_limit:
                pass
            elif raw is None or (raw.__class__ is str and (raw := cleaned(raw)) is None):
                continue
            elif (fast := _fast_ms(raw, slow_limit)) is None:
                reading = parse_duration(raw, distance)
                if reading.error:
                    time_error(number, at, reading.error)
                    bad = True
                    continue
                if reading.ms is None:
                    continue
                fast = reading.ms
            if finish is not None and fast > finish:
                warnings.append(RowError(number, header[at], _("The split is later than the finish: it was left out.")))
                continue
            row_splits.append((name, fast))
        if bad:
            continue
        append_row(_sheet_row((number, bib, status or "finished", gun, chip, row_splits)))
    out.rows_read = rows_read
    return out
