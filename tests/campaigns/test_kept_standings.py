"""Standings kept from one results version to the next equal the standings counted afresh, whatever the
changes: a race's finishers replaced, people joining or leaving a race, a runner's name, gender or initials
changing with their latest registration, one person twice in a race."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sportsrun.campaigns.kept_standings import KeptStandings, person_run
from sportsrun.campaigns.series import ranked

pytestmark = pytest.mark.pure

DAYS = [dt.date(2026, 1, 1) + dt.timedelta(days=7 * i) for i in range(4)]
NAMES = ["أحمد علي", "احمد علي", "Zainab", "زينب", "A. K."]

finisher = st.tuples(
    st.integers(1, 12),  # person
    st.booleans(),  # initials
    st.integers(1, 30),  # place
    st.sampled_from(NAMES),
    st.sampled_from(["female", "male"]),
    st.sampled_from(["IQ-BG", "IQ-BA", None]),
)
race_rows = st.lists(finisher, max_size=15)


def rows_of(race: int, version: int, drawn: list[tuple]) -> list[tuple]:
    """Finishers with registration ids unique to the race and version, as an import makes them."""
    return [(race * 10_000 + version * 100 + i, person, initials, place, name, gender, province)
            for i, (person, initials, place, name, gender, province) in enumerate(drawn)]  # fmt: skip


def read(races: dict[int, tuple[int, list]]) -> list:
    return [(DAYS[r], r, f"Race {r}", version, rows) for r, (version, rows) in sorted(races.items())]


def fresh(races, best_of, table):
    kept = KeptStandings()
    kept.update(read(races), best_of, table)
    return kept


@settings(max_examples=150)
@given(
    first=st.lists(race_rows, min_size=1, max_size=4),
    changes=st.lists(st.tuples(st.integers(0, 3), race_rows), max_size=5),
    best_of=st.integers(1, 3),
    table=st.sampled_from([None, [25, 18, 15, 12, 10]]),
)
def test_updated_standings_equal_those_counted_afresh(first, changes, best_of, table):
    races = {r: (0, rows_of(r, 0, drawn)) for r, drawn in enumerate(first)}
    kept = KeptStandings()
    kept.update(read(races), best_of, table)
    for gender in ("", "female", "male"):
        kept.table(gender)  # ranked once: later tables are merged into these
    for version, (race, drawn) in enumerate(changes, start=1):
        if race not in races:
            continue
        races[race] = (version, rows_of(race, version, drawn))
        kept.update(read(races), best_of, table)
        expected = fresh(races, best_of, table)
        assert sorted(kept.standings()[0]) == sorted(expected.standings()[0])
        assert kept.standings()[1] == expected.standings()[1]
        for gender in ("", "female", "male"):
            assert kept.table(gender) == expected.table(gender)


def test_a_changed_race_list_or_rule_counts_everything_again():
    races = {0: (0, rows_of(0, 0, [(1, False, 1, "Zainab", "female", "IQ-BG")])),
             1: (0, rows_of(1, 0, [(1, False, 2, "Zainab", "female", "IQ-BG")]))}  # fmt: skip
    kept = KeptStandings()
    kept.update(read(races), 3, None)
    [row] = kept.table("").rows
    assert row.points == 100 + 99 and row.races == 2
    kept.update(read(races), 1, None)  # best of one
    [row] = kept.table("").rows
    assert row.points == 100 and row.counted == 1
    del races[1]
    kept.update(read(races), 1, None)
    assert kept.table("").rows[0].races == 1


def test_a_person_shows_their_latest_registration_but_keeps_chosen_initials():
    entries = [
        (DAYS[0], 1, "Race 1", (11, 7, True, 3, "A. K.", "female", "IQ-BG")),
        (DAYS[1], 2, "Race 2", (25, 7, False, 1, "Amal Kareem", "female", "IQ-BA")),
        (DAYS[1], 2, "Race 2", (21, 7, False, 4, "Amal Kareem", "female", "IQ-BA")),
    ]
    run, latest = person_run(7, entries)
    assert (run.name, run.province, latest) == ("A. K.", "IQ-BA", 25)
    assert run.finishes == [(1, "Race 1", 3), (2, "Race 2", 1)]  # the better place of two in one race


def test_ranked_keeps_unmoved_rows_and_shares_ranks():
    kept = KeptStandings()
    rows = [(1, False, 1, "B", "female", None), (2, False, 1, "A", "male", None), (3, False, 2, "C", "female", None)]
    kept.update(read({0: (0, rows_of(0, 0, rows))}), 3, None)
    table = kept.table("")
    assert [(r.name, r.rank) for r in table.rows] == [("A", 1), ("B", 1), ("C", 3)]
    assert ranked(table.rows, None, presorted=True)[0] is table.rows[0]
