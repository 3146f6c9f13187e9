"""Results as .xlsx and .csv, in the order and with the filters of the page: the same rows the public
sees, and nothing more (headers are the JSON field names).

These run in the export pool's child (`core.spreadsheets.export_pool`), from the rows as read: tuples of
`queries.EXPORT_COLUMNS`, in MessagePack slices (`public.export_rows`). The cells are those of the JSON
listing (`public.item_json`)."""

import csv
import datetime as dt
import gzip
import io
from collections.abc import Iterator

import msgspec

from sportsrun.core.spreadsheets.workbooks import xlsx
from sportsrun.results.times import format_pace, format_time

HEADERS = ["place", "gender_place", "age_group_place", "bib", "name", "gender", "age_group", "province", "status",
           "time", "time_ms", "gun_time_ms", "chip_time_ms", "pace"]  # fmt: skip
TIMES = {"time_ms", "gun_time_ms", "chip_time_ms"}
_TIME_COLUMNS = [i for i, h in enumerate(HEADERS) if h in TIMES]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cells(parts: list[bytes], distance_m: float) -> Iterator[list]:
    """Each row's values in HEADERS' order: the ranking time, its display and the pace for finishers only."""
    rows = (row for part in parts for row in msgspec.msgpack.decode(part))
    for place, gender_place, age_group_place, bib, name, gender, age_group, province, status, time_ms, gun_ms, \
            chip_ms, *_rest in rows:  # fmt: skip
        ms = time_ms if status == "finished" else None
        yield [place, gender_place, age_group_place, bib, name, gender, age_group, province, status, format_time(ms),
               ms, gun_ms, chip_ms, format_pace(ms, distance_m)]  # fmt: skip


def to_xlsx(title: str, distance_m: float, parts: list[bytes]) -> bytes:
    """Times as durations (a spreadsheet can sum and sort them), text typed by people as text."""
    out = []
    for row in cells(parts, distance_m):
        for i in _TIME_COLUMNS:
            if row[i] is not None:
                row[i] = dt.timedelta(milliseconds=row[i])
        out.append(row)
    return xlsx(title, HEADERS, out)


def safe_cell(value: object) -> object:
    """A cell a spreadsheet program would run as a formula is prefixed with ' (OWASP's CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(distance_m: float, parts: list[bytes]) -> tuple[bytes, bytes]:
    """The file and its gzipped copy (a CSV is some five times smaller gzipped: made once, here)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in cells(parts, distance_m):
        writer.writerow(["" if value is None else safe_cell(value) for value in row])
    body = ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read the Arabic right
    return body, gzip.compress(body, 6, mtime=0)
