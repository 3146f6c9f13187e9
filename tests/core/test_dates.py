"""Dates as Iraqis write them: Babel's Kurdish month names, spelled one way; a date and its time joined as
each language joins them."""

import datetime as dt

from sportsrun.core.i18n import current_locale, format_date, format_datetime


def test_kurdish_months_are_spelled_one_way():
    # CLDR writes January کانوونی دووەم but December کانونی یەکەم; Sorani writes the long u as وو.
    token = current_locale.set("ckb")
    try:
        assert format_date("2026-01-10") == "10ی کانوونی دووەمی 2026"
        assert format_date("2026-12-10") == "10ی کانوونی یەکەمی 2026"
        december = dt.datetime(2026, 12, 10, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))
        assert format_datetime(december, "d MMM y, HH:mm") == "10 کانوونی یەکەم 2026 09:30"  # CLDR: no comma
        assert "کانونی" not in "".join(format_date(dt.date(2026, m, 1)) for m in range(1, 13))
    finally:
        current_locale.reset(token)
    token = current_locale.set("ar")
    try:
        assert format_date("2026-12-10") == "10 كانون الأول 2026"  # Arabic keeps its own spelling
        december = dt.datetime(2026, 12, 10, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))
        assert format_datetime(december, "d MMMM y, HH:mm") == "10 كانون الأول 2026، 09:30"  # the Arabic comma
    finally:
        current_locale.reset(token)


def test_english_keeps_its_comma_between_date_and_time():
    token = current_locale.set("en")
    try:
        at = dt.datetime(2026, 12, 10, 9, 30, tzinfo=dt.UTC)
        assert format_datetime(at, "d MMM y, HH:mm") == "10 Dec 2026, 09:30"
    finally:
        current_locale.reset(token)
