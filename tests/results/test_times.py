"""Published times and paces, as the API and the pages show them."""

from hypothesis import given
from hypothesis import strategies as st

from sportsrun.results.times import format_exact, format_pace, format_time, published_seconds, zone_name

TEN_K = 10000


@given(st.integers(1, 10**8))
def test_published_time_rounds_up_any_fraction(ms):
    seconds = published_seconds(ms)
    assert seconds * 1000 >= ms > (seconds - 1) * 1000
    text = format_time(ms)
    h, mm, ss = text.split(":")
    assert int(h) * 3600 + int(mm) * 60 + int(ss) == seconds and len(mm) == len(ss) == 2


def test_the_published_formats():
    assert format_time(7_784_300) == "2:09:45"
    assert format_time(2_411_000) == "0:40:11"
    assert format_pace(2_411_000, TEN_K) == "4:01"
    assert format_time(None) is None


def test_a_time_as_read_keeps_its_fraction():
    assert format_exact(2_411_300) == "0:40:11.3"
    assert format_exact(2_411_000) == "0:40:11"
    assert format_exact(151_810_050) == "42:10:10.05"  # an Excel duration read as 42 hours
    assert format_exact(None) is None


def test_the_race_time_zone_as_people_write_it():
    assert [zone_name(m) for m in (180, 0, 330, -240)] == ["UTC+3", "UTC", "UTC+5:30", "UTC-4"]
