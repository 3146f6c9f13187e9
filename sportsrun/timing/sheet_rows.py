"""Reading the rows of a timing sheet below its header, one at a time: the bib, the status, the times,
the splits, in that order, each step saying what it refuses (an error: the file is not imported) or only
warns about. Pure: no I/O.

A 50,000-row sheet holds 200,000 time cells; nearly all are Excel durations or time cells with a plausible
value, which `fast_ms` turns into milliseconds without the general parser's checks."""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from sportsrun.core.errors import RowError
from sportsrun.core.i18n import gettext as _
from sportsrun.results.times import STATUSES
from sportsrun.timing.sheet_types import PREVIEW_ROWS, RaceFacts, SheetRow, Understood, cell_text
from sportsrun.timing.timeparse import SLOWEST_PACE_MS_PER_KM, parse_bib, parse_clock, parse_duration, status_word

_ONE_MS, _HALF_MS = dt.timedelta(milliseconds=1), dt.timedelta(microseconds=500)
_DASHES = frozenset({"-", "—", "–", "--"})  # "no time here", as Boston's results write it

# Made from a tuple of its fields without a Python-level __new__ call: one per row of a 50,000-row sheet.
_sheet_row = partial(tuple.__new__, SheetRow)


def fast_ms(value: object, slow_limit: float) -> int | None:
    """An Excel duration or time cell with a plausible value, in milliseconds; None for anything else,
    which the general parser then reads."""
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


def cleaned(value: object) -> object:
    """A cell's value, with text stripped and empty text or a lone dash as nothing."""
    if value.__class__ is not str:
        return value
    value = value.strip()  # type: ignore[union-attr]
    return None if not value or value in _DASHES else value


def is_blank(row: list[object]) -> bool:
    return all(cleaned(value) in (None, "") for value in row)


@dataclass(frozen=True, slots=True)
class Layout:
    """Which column holds what, and the header's own text for naming a column in a message."""

    header: list[str]
    bib: int
    gun: int | None
    chip: int | None
    clock: int | None
    status: int | None
    splits: list[tuple[str, int]]  # (the split's name, its column)

    @classmethod
    def of(cls, header: list[str], columns: Mapping[str, int]) -> "Layout":
        splits = [(f.removeprefix("split:"), i) for f, i in columns.items() if f.startswith("split:")]
        return cls(header, columns["bib"], columns.get("gun_time"), columns.get("chip_time"),
                   columns.get("clock_time"), columns.get("status"), splits)  # fmt: skip

    @property
    def width(self) -> int:
        """The columns a row must have: short rows (a CSV's may be) are padded to it."""
        used = [self.bib, self.gun, self.chip, self.clock, self.status, *(at for _name, at in self.splits)]
        return max(at for at in used if at is not None) + 1

    def name(self, column: int | None) -> str | None:
        return None if column is None else self.header[column]


class RowReader:
    """Reads rows into `out`: a SheetRow for each good row, errors and warnings with their row and column."""

    def __init__(self, layout: Layout, race: RaceFacts, registered: Mapping[int, object],
                 elsewhere: Callable[[int], str | None], out: Understood):  # fmt: skip
        self.layout, self.race, self.registered, self.elsewhere, self.out = layout, race, registered, elsewhere, out
        self.width = layout.width
        self.slow_limit = race.distance_m / 1000 * SLOWEST_PACE_MS_PER_KM
        self.seen: dict[int, int] = {}  # bib → the row it was first on
        self.time_columns = (layout.gun, layout.chip, layout.clock, layout.status)
        self.chip_ranked = race.ranking == "chip"

    def read(self, row: list[object], number: int) -> None:
        """One row, step by step: its bib, its status, its times, then its splits. A step that finds an
        error records it and leaves the row out; a warning is recorded and the row kept. The common case,
        a number bib with Excel durations, stays in this method; everything else has a step of its own."""
        cells = row if len(row) >= self.width else [*row, *([None] * (self.width - len(row)))]
        out = self.out
        # The bib: a number cell (the row is then not blank), else text or nothing.
        raw_bib = cells[self.layout.bib]
        if raw_bib.__class__ is float and raw_bib > 0 and raw_bib.is_integer():  # type: ignore[operator,union-attr]
            bib = int(raw_bib)
        elif is_blank(cells):
            return
        else:
            bib = None
        out.rows_read += 1
        if len(out.preview) < PREVIEW_ROWS:  # the first rows, as the sheet has them
            out.preview.append((number, [cell_text(v) for v in row]))
        g, c, k, s = self.time_columns
        gun = None if g is None else cells[g]
        chip = None if c is None else cells[c]
        clock = None if k is None else cells[k]
        status = None if s is None else cells[s]
        if str in (gun.__class__, chip.__class__, clock.__class__, status.__class__):
            gun, chip, clock, status = cleaned(gun), cleaned(chip), cleaned(clock), cleaned(status)
        if bib is None and (bib := self._bib(cleaned(raw_bib), number, (gun, chip, clock, status))) is None:
            return
        out.bibs.add(bib)
        if bib in self.seen or bib not in self.registered:
            self._refuse_bib(bib, number)
            return
        self.seen[bib] = number
        # The status: DNF, DNS or DQ, or none.
        if status is not None and (status := self._status(status, number)) is False:
            return
        # The times: Excel durations, else (text, numbers, clock times, status words) the general parser.
        gun_ms = None if gun is None else fast_ms(gun, self.slow_limit)
        chip_ms = None if chip is None else fast_ms(chip, self.slow_limit)
        if (gun_ms is None and (gun is not None or clock is not None)) or (chip_ms is None and chip is not None):
            if (times := self._times(gun, chip, clock, status, number)) is None:
                return
            gun_ms, chip_ms, status = times
        # Nothing to warn about in the usual row: a gun time, no status, a chip time no longer than it (or, in
        # a gun-ranked race, none). Any other row is looked at closely.
        usual = status is None and gun_ms is not None
        usual = usual and (chip_ms <= gun_ms if chip_ms is not None else not self.chip_ranked)
        if not usual and not self._plausible(bib, gun_ms, chip_ms, status, number):
            return
        # The splits, each a duration from the start, none after the finish.
        finish = gun_ms if gun_ms is not None else chip_ms
        splits, bad = [], False
        for name, at in self.layout.splits:
            if (ms := fast_ms(cells[at], self.slow_limit)) is None:
                ms = self._split(cells[at], at, number)
                if ms is None or ms is False:
                    bad = bad or ms is False
                    continue
            if finish is not None and ms > finish:
                message = _("The split is later than the finish: it was left out.")
                out.warnings.append(RowError(number, self.layout.name(at), message))
                continue
            splits.append((name, ms))
        if not bad:
            out.rows.append(_sheet_row((number, bib, status or "finished", gun_ms, chip_ms, splits)))

    # -- the steps, in order -------------------------------------------------------------------------------

    def _bib(self, raw: object, number: int, times: tuple) -> int | None:
        """A bib written as text (the number cells were taken in `read`); None after an error."""
        column = self.layout.name(self.layout.bib)
        if raw is None:
            if any(value is not None for value in times):
                self.out.errors.append(RowError(number, column, _("A time without a bib.")))
            return None
        bib = parse_bib(raw)
        if bib is None:
            message = _("The bib “{bib}” could not be read.", bib=cell_text(raw))
            self.out.errors.append(RowError(number, column, message))
        return bib

    def _refuse_bib(self, bib: int, number: int) -> None:
        """A bib on an earlier row too, or held by no runner of this race."""
        if bib in self.seen:
            message = _("Bib {bib} is also on row {row}.", bib=bib, row=self.seen[bib])
        else:
            self.seen[bib] = number
            other = self.elsewhere(bib)
            message = (
                _("Bib {bib} is registered in {race}, not in this race.", bib=bib, race=other)
                if other
                else _("No runner holds bib {bib} in this race.", bib=bib)
            )
        self.out.errors.append(RowError(number, self.layout.name(self.layout.bib), message))

    def _status(self, raw: object, number: int) -> str | None | bool:
        """DNF, DNS or DQ; None for a finished mark; False after an error."""
        word = status_word(raw)
        if word is None:
            message = _("The status “{status}” is not one of DNF, DNS, DQ (or لم يكمل, لم يبدأ, مستبعد).",
                        status=cell_text(raw))  # fmt: skip
            self.out.errors.append(RowError(number, self.layout.name(self.layout.status), message))
            return False
        return word if word in STATUSES else None

    def _times(self, gun: object, chip: object, clock: object, status: str | None,
               number: int) -> tuple[int | None, int | None, str | None] | None:  # fmt: skip
        """(gun, chip, status) when a time is not a plain Excel duration: the gun time, else the finish clock
        time; then the chip time. A status word in a time column counts as the status. None after an
        error."""
        layout, gun_ms, chip_ms, bad = self.layout, None, None, False
        if gun is not None and (gun_ms := fast_ms(gun, self.slow_limit)) is None:
            gun_ms, word, bad = self._time(gun, layout.gun, number)
            status = status or word
        if clock is not None and gun_ms is None:
            gun_ms, word, failed = self._time(clock, layout.clock, number, clock=True)
            status, bad = status or word, bad or failed
        if chip is not None and (chip_ms := fast_ms(chip, self.slow_limit)) is None:
            chip_ms, word, failed = self._time(chip, layout.chip, number)
            status, bad = status or word, bad or failed
        return None if bad else (gun_ms, chip_ms, status)

    def _time(self, raw: object, column: int | None, number: int,
              clock: bool = False) -> tuple[int | None, str | None, bool]:  # fmt: skip
        """(ms, status word, unreadable) of one time cell that is not a plain Excel duration."""
        reading = parse_clock(raw, self.race.start) if clock else parse_duration(raw, self.race.distance_m)
        if reading.error:
            self._unreadable(number, column, reading.error)
            return None, None, True
        if reading.reread:
            time = f"{reading.ms // 60000}:{reading.ms // 1000 % 60:02d}"
            message = _("Read as {time} (minutes:seconds): the cell said hours.", time=time)
            self.out.warnings.append(RowError(number, self.layout.name(column), message))
        return reading.ms, reading.status, False

    def _plausible(self, bib: int, gun: int | None, chip: int | None, status: str | None, number: int) -> bool:
        """A time or a status is needed; a status beside a time, a chip time over the gun time and a missing
        chip time in a chip-ranked race are only warned about."""
        layout, warnings = self.layout, self.out.warnings
        if status is not None and (gun is not None or chip is not None):
            message = _("A status and a time on one row: the status {status} counts.", status=status)
            warnings.append(RowError(number, layout.name(layout.status), message))
        if status is None and gun is None and chip is None:
            message = _("Bib {bib} has neither a time nor a status.", bib=bib)
            self.out.errors.append(RowError(number, layout.name(layout.bib), message))
            return False
        if gun is not None and chip is not None and chip > gun:
            message = _("The chip time is longer than the gun time: both are kept.")
            warnings.append(RowError(number, layout.name(layout.chip), message))
        if status is None and self.race.ranking == "chip" and chip is None:
            warnings.append(RowError(number, layout.name(layout.chip), _("No chip time: ranked by gun time.")))
        return True

    def _split(self, raw: object, column: int, number: int) -> int | None | bool:
        """A split that is not a plain Excel duration: its ms; None for none (or a status word); False after
        an error."""
        if (raw := cleaned(raw)) is None:
            return None
        reading = parse_duration(raw, self.race.distance_m)
        if reading.error:
            self._unreadable(number, column, reading.error)
            return False
        return reading.ms

    def _unreadable(self, number: int, column: int | None, error: str) -> None:
        message = (
            _("The time is zero or negative.")
            if error == "not_positive"
            else _("The time could not be read (write it like 1:02:33 or 42:10).")
        )
        self.out.errors.append(RowError(number, self.layout.name(column), message))
