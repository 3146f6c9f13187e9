from hypothesis import given
from hypothesis import strategies as st

from sportsrun.results.ranking import UNRANKED_ORDER, competition_places, standings


def test_only_exactly_equal_times_share_a_place_and_the_next_skips():
    places = competition_places([(100, "a"), (200, "b"), (200, "c"), (300, "d")])
    assert places == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_the_most_precise_time_decides_within_one_published_second():
    # 2:09:44.3 and 2:09:44.9 are both published as 2:09:45 but hold places 1 and 2.
    assert competition_places([(7_784_900, "late"), (7_784_300, "early")]) == {"early": 1, "late": 2}


def _standings(rows):
    """rows: (bib, status, time, gender, age group) → {bib: (place, gender place, group place, position)}"""
    if not rows:
        return {}
    bibs, statuses, times, genders, groups = (list(column) for column in zip(*rows, strict=True))
    return dict(zip(bibs, standings(statuses, times, bibs, genders, groups), strict=True))


def test_places_overall_within_gender_and_age_group_and_statuses_unranked():
    placed = _standings(
        [
            (11, "finished", 2_400_000, "female", "30-39"),
            (21, "finished", 2_300_000, "male", "18-29"),
            (22, "finished", 2_350_000, "male", "30-39"),
            (12, "finished", 2_450_000, "female", "30-39"),
            (13, "finished", 2_460_000, "female", None),  # outside every group
            (31, "DNS", None, "female", "18-29"),
            (32, "DNF", 2_000_000, "male", "18-29"),  # a time, but unranked
            (33, "DQ", None, "male", "18-29"),
        ]
    )
    assert placed[21] == (1, 1, 1, 1)
    assert placed[22] == (2, 2, 1, 2)
    assert placed[11] == (3, 1, 1, 3)
    assert placed[12] == (4, 2, 2, 4)
    assert placed[13] == (5, 3, None, 5)
    # DNF, then DQ, then DNS
    assert placed[32] == (None, None, None, 6)
    assert placed[33] == (None, None, None, 7)
    assert placed[31] == (None, None, None, 8)


def test_equal_times_share_a_place_and_are_listed_by_bib():
    placed = _standings([(9, "finished", 100, "male", "a"), (3, "finished", 100, "male", "a"),
                         (5, "finished", 50, "male", "a"), (7, "finished", 200, "male", "a")])  # fmt: skip
    assert placed == {5: (1, 1, 1, 1), 3: (2, 2, 2, 2), 9: (2, 2, 2, 3), 7: (4, 4, 4, 4)}


def test_nothing_to_rank():
    assert standings([], [], [], [], []) == []
    assert _standings([(4, "DNS", None, "male", None)]) == {4: (None, None, None, 1)}


@given(
    st.lists(
        st.tuples(
            st.integers(-5, 30),
            st.sampled_from(["female", "male"]),
            st.sampled_from(["a", "b", None]),
            st.sampled_from(["finished", "finished", "finished", "DNF", "DNS", "DQ"]),
            st.booleans(),
        ),
        max_size=80,
    ),
    st.integers(0, 10**9),
)
def test_standings_agree_with_the_definition(rows, first_bib):
    entries = [
        (first_bib + 7 * n, status, t if timed else None, g, a) for n, (t, g, a, status, timed) in enumerate(rows)
    ]
    placed = _standings(entries)
    finished = [e for e in entries if e[1] == "finished" and e[2] is not None]
    overall = competition_places((e[2], e[0]) for e in finished)
    for bib, _, t, g, a in finished:
        same_gender = [(o[2], o[0]) for o in finished if o[3] == g]
        same_group = [(o[2], o[0]) for o in finished if o[3] == g and o[4] == a]
        expected_group = competition_places(same_group)[bib] if a is not None else None
        assert placed[bib][:3] == (overall[bib], competition_places(same_gender)[bib], expected_group)
    assert all(placed[e[0]][:3] == (None, None, None) for e in entries if e not in finished)

    def listing_key(e):
        if e in finished:
            return (0, placed[e[0]][0], e[2], e[0])
        return (UNRANKED_ORDER.get(e[1], 4), 0, 0, e[0])

    expected_order = [e[0] for e in sorted(entries, key=listing_key)]
    assert sorted(placed, key=lambda bib: placed[bib][3]) == expected_order
    assert sorted(p[3] for p in placed.values()) == list(range(1, len(entries) + 1))
