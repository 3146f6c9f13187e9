"""Results as .xlsx and .csv, in the order and with the filters of the page: the same rows the public
sees, and nothing more (headers are the JSON field names)."""

import csv
import datetime as dt
import io

from sportsrun.core.spreadsheets.workbooks import xlsx

HEADERS = ["place", "gender_place", "age_group_place", "bib", "name", "gender", "age_group", "province", "status",
           "time", "time_ms", "gun_time_ms", "chip_time_ms", "pace"]  # fmt: skip
TIMES = {"time_ms", "gun_time_ms", "chip_time_ms"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_xlsx(title: str, items: list[dict]) -> bytes:
    """Times as durations (a spreadsheet can sum and sort them), text typed by people as text."""
    rows = []
    for item in items:
        row = []
        for h in HEADERS:
            value = item[h]
            if h in TIMES and value is not None:
                value = dt.timedelta(milliseconds=value)
            row.append(value)
        rows.append(row)
    return xlsx(title, HEADERS, rows)


def safe_cell(value: object) -> object:
    """A cell a spreadsheet program would run as a formula is prefixed with ' (OWASP's CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(items: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for item in items:
        writer.writerow(["" if item[h] is None else safe_cell(item[h]) for h in HEADERS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read the Arabic right
