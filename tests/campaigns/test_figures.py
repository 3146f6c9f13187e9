import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sportsrun.campaigns.figures import (
    EventCounts,
    Figures,
    Progress,
    ProvinceRow,
    RaceCounts,
    Target,
    figures,
    provinces,
    targets,
    timeline,
)

pytestmark = pytest.mark.pure  # no database: run once, on SQLite

HALF, TEN, FIVE = 21097.5, 10000.0, 5000.0
TODAY = dt.date(2026, 5, 1)
CODES = ["IQ-BG", "IQ-BA", "IQ-NI", "IQ-AR", "IQ-HAL"]  # a few of the 19, in the caller's order

EVENTS = [
    EventCounts("IQ-BA", dt.date(2026, 3, 6), (RaceCounts(TEN, 120, 100, 30), RaceCounts(FIVE, 80, 70, 35)), teams=8),
    EventCounts("IQ-NI", dt.date(2026, 4, 10), (RaceCounts(HALF, 60, 20, 5),)),
    EventCounts("IQ-BA", dt.date(2026, 4, 10), (RaceCounts(FIVE, 10, 0, 0),), teams=2),
    EventCounts("IQ-BG", dt.date(2026, 10, 2), (RaceCounts(42195, 900, 0, 0),), teams=16),  # not held yet
]


def test_the_campaigns_figures():
    assert figures(EVENTS, TODAY) == Figures(
        registrations=1170,
        finishers=190,
        provinces=2,  # Baghdad's event is in October
        women_share=70 / 190,
        km=1772.0,  # 1000 + 350 + 20 × 21.0975 (421.95 exactly) = 1771.95, rounded half up
        teams=26,
    )
    assert figures(EVENTS, dt.date(2026, 10, 2)).provinces == 3


def test_kilometres_are_exact_before_they_are_rounded():
    # In binary floats 20 half marathons are 421.949999…: rounding would give 421.9.
    assert round(HALF * 20 / 1000, 1) == 421.9
    half = figures([EventCounts("IQ-NI", TODAY, (RaceCounts(HALF, 20, 20, 0),))], TODAY)
    assert half.km == 422.0
    many = figures([EventCounts("IQ-NI", TODAY, (RaceCounts(HALF, 1, 1, 0),)) for _ in range(20)], TODAY)
    assert many.km == 422.0
    assert figures([EventCounts("IQ-NI", TODAY, (RaceCounts(HALF, 3, 3, 0),))], TODAY).km == 63.3  # 63.2925


def test_nobody_finished_means_no_womens_share():
    nothing = figures([EventCounts("IQ-BG", TODAY, (RaceCounts(TEN, 5, 0, 0),))], TODAY)
    assert (nothing.finishers, nothing.women_share, nothing.km) == (0, None, 0.0)
    assert figures([], TODAY) == Figures(0, 0, 0, None, 0.0, 0)


def test_targets_carry_their_values_in_the_campaigns_order():
    now = figures(EVENTS, TODAY)
    assert targets([("provinces", 19), ("women_share", 0.4), ("km", 5000)], now) == [
        Target("provinces", 19, 2),
        Target("women_share", 0.4, 70 / 190),
        Target("km", 5000, 1772.0),
    ]
    with pytest.raises(ValueError):
        targets([("runners", 10)], now)


def test_the_province_leaderboard_lists_every_province_by_finishers():
    assert provinces(EVENTS, CODES, TODAY) == [
        ProvinceRow("IQ-BA", events=2, registrations=210, finishers=170, women_share=65 / 170, km=1350.0, teams=10),
        ProvinceRow("IQ-NI", events=1, registrations=60, finishers=20, women_share=0.25, km=422.0, teams=0),
        ProvinceRow("IQ-BG", events=0, registrations=900, finishers=0, women_share=None, km=0.0, teams=16),
        ProvinceRow("IQ-AR", events=0, registrations=0, finishers=0, women_share=None, km=0.0, teams=0),
        ProvinceRow("IQ-HAL", events=0, registrations=0, finishers=0, women_share=None, km=0.0, teams=0),
    ]
    with pytest.raises(ValueError, match="IQ-XX"):
        provinces([EventCounts("IQ-XX", TODAY)], CODES, TODAY)


def test_the_timeline_is_cumulative_one_row_per_event_date():
    assert timeline(EVENTS) == [
        Progress(dt.date(2026, 3, 6), 200, 170),
        Progress(dt.date(2026, 4, 10), 270, 190),
        Progress(dt.date(2026, 10, 2), 1170, 190),
    ]
    assert timeline([]) == []


def test_impossible_counts_are_refused():
    for wrong in ((TEN, 5, 3, 4), (TEN, -1, 0, 0), (-TEN, 1, 1, 0)):
        with pytest.raises(ValueError):
            RaceCounts(*wrong)


race_counts = st.builds(
    lambda distance, registered, finished, women: RaceCounts(distance, registered, finished, min(women, finished)),
    st.sampled_from([HALF, 42195.0, TEN, FIVE, 1609.344, 3000]),
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(0, 500),
)
events = st.lists(
    st.builds(EventCounts, st.sampled_from(CODES), st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
              st.lists(race_counts, max_size=3).map(tuple), st.integers(0, 20)),
    max_size=8,
)  # fmt: skip


@given(events, st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
def test_figures_agree_with_exact_arithmetic_and_with_each_other(given_events, today):
    total = figures(given_events, today)
    races = [r for e in given_events for r in e.races]
    metres = sum((Fraction(Decimal(str(r.distance_m))) * r.finishers for r in races), Fraction(0))
    exact = Decimal(metres.numerator) / Decimal(metres.denominator) / 1000
    assert total.km == float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    assert total.provinces == len({e.province for e in given_events if e.date <= today})
    board = provinces(given_events, CODES, today)
    assert [(-r.finishers, CODES.index(r.province)) for r in board] == sorted(
        (-r.finishers, CODES.index(r.province)) for r in board
    )
    assert sorted(r.province for r in board) == sorted(CODES)
    for field in ("registrations", "finishers", "teams"):
        assert sum(getattr(r, field) for r in board) == getattr(total, field)
    assert sum(r.events for r in board) == sum(e.date <= today for e in given_events)
    rows = timeline(given_events)
    assert [r.date for r in rows] == sorted({e.date for e in given_events})
    if rows:
        assert (rows[-1].registrations, rows[-1].finishers) == (total.registrations, total.finishers)
    for before, after in zip(rows, rows[1:], strict=False):
        assert before.registrations <= after.registrations and before.finishers <= after.finishers
