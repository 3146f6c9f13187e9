import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sportsrun.timing.timeparse import (
    parse_bib,
    parse_clock,
    parse_duration,
    status_word,
)

MARATHON, TEN_K, FIVE_K = 42195, 10000, 5000
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    "value,distance,ms",
    [
        ("2:09:44.3", MARATHON, 7_784_300),
        ("0:40:11", TEN_K, 2_411_000),
        ("40:11", TEN_K, 2_411_000),  # minutes:seconds
        ("2:09", MARATHON, 7_740_000),  # too fast as 2 min 9 s for a marathon: 2 h 09
        ("١:٠٢:٣٣", TEN_K, 3_753_000),  # Arabic-Indic digits
        ("40:11.5", TEN_K, 2_411_500),
        ("40:11,5", TEN_K, 2_411_500),
        (dt.time(0, 42, 10, 500_000), TEN_K, 2_530_500),
        (dt.timedelta(hours=25, minutes=3), 100_000, 90_180_000),  # an ultra over a day
        (2530.5, TEN_K, 2_530_500),  # seconds
        (0.029282407407407406, TEN_K, 2_530_000),  # a time cell shown as a number
        ("  0:40:11 ", TEN_K, 2_411_000),
    ],
)
def test_times_in_every_form(value, distance, ms):
    reading = parse_duration(value, distance)
    assert (reading.ms, reading.error, reading.reread) == (ms, None, False)


def test_excels_42_hour_surprise_is_read_as_minutes_with_a_flag():
    reading = parse_duration(dt.timedelta(hours=42, minutes=10), TEN_K)
    assert (reading.ms, reading.reread) == (2_530_000, True)
    reading = parse_duration(dt.time(12, 30), FIVE_K)  # "12:30" typed into a time cell
    assert (reading.ms, reading.reread) == (750_000, True)
    # A real 42-hour ultra stays 42 hours.
    assert parse_duration(dt.timedelta(hours=42, minutes=10), 200_000).reread is False


@pytest.mark.parametrize(
    "value,status",
    [
        ("DNF", "DNF"),
        ("dnf", "DNF"),
        ("لم يكمل", "DNF"),
        ("DNS", "DNS"),
        ("لم يبدأ", "DNS"),
        ("DQ", "DQ"),
        ("DSQ", "DQ"),
        ("مستبعد", "DQ"),
        (" d.n.f ", None),
    ],
)
def test_status_words_in_the_time_column(value, status):
    assert parse_duration(value, TEN_K).status == status or status is None


@pytest.mark.parametrize(
    "value,error",
    [
        ("fast", "unreadable"),
        ("1:2:3:4", "unreadable"),
        ("0:61:00", "unreadable"),
        ("40:75", "unreadable"),
        ("0:00:00", "not_positive"),
        (0, "not_positive"),
        (-5, "not_positive"),
        (True, "unreadable"),
        (float("nan"), "unreadable"),
    ],
)
def test_unreadable_and_non_positive_times(value, error):
    assert parse_duration(value, TEN_K).error == error


def test_blank_cells_are_no_time():
    for blank in (None, "", "   "):
        reading = parse_duration(blank, TEN_K)
        assert reading.ms is None and reading.error is None and reading.status is None


@given(st.integers(0, 9), st.integers(0, 59), st.integers(0, 59), st.integers(0, 9), st.booleans())
def test_any_three_part_time_reads_back_exactly(h, m, s, tenth, arabic):
    assume(h or m or s or tenth)
    text = f"{h}:{m:02d}:{s:02d}.{tenth}"
    if arabic:
        text = text.translate(ARABIC)
    reading = parse_duration(text, MARATHON if h else TEN_K)
    expected = ((h * 60 + m) * 60 + s) * 1000 + tenth * 100
    assert reading.ms == expected or reading.reread


@given(st.integers(1, 59), st.integers(0, 59))
def test_a_two_part_value_is_never_faster_than_two_minutes_per_km(a, b):
    for distance in (FIVE_K, TEN_K, 21097.5, MARATHON):
        reading = parse_duration(f"{a}:{b:02d}", distance)
        assert reading.ms is not None
        assert reading.ms / (distance / 1000) >= 120_000 or reading.reread or reading.ms == (a * 3600 + b * 60) * 1000


def test_clock_times_of_day_become_elapsed_from_the_start_in_the_races_zone():
    iraq = dt.timezone(dt.timedelta(hours=3))
    start = dt.datetime(2026, 3, 20, 7, 30, tzinfo=iraq)
    assert parse_clock("08:41:07", start).ms == 4_267_000
    assert parse_clock("٠٨:٤١:٠٧", start).ms == 4_267_000
    assert parse_clock(dt.time(8, 41, 7, 500_000), start).ms == 4_267_500
    assert parse_clock(dt.datetime(2026, 3, 20, 8, 41, 7), start).ms == 4_267_000
    assert parse_clock("00:10:00", dt.datetime(2026, 3, 20, 22, 0, tzinfo=iraq)).ms == 7_800_000  # after midnight
    assert parse_clock("07:30:00", start).error == "not_positive"
    assert parse_clock("25:00:00", start).error == "unreadable"
    assert parse_clock("لم يكمل", start).status == "DNF"


@pytest.mark.parametrize(
    "value,bib",
    [
        (103, 103),
        (103.0, 103),
        ("103", 103),
        ("١٠٣", 103),
        (" 103 ", 103),
        ("103.0", 103),
        ("#103", 103),
        ("F3", None),
        (0, None),
        (103.5, None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_bibs_as_numbers_or_text(value, bib):
    assert parse_bib(value) == bib


def test_status_word_recognises_finished_marks():
    assert status_word("Finished") == "finished" and status_word("DNF") == "DNF" and status_word(5) is None
