from hypothesis import given
from hypothesis import strategies as st

from sportsrun.results.ranking import Entry, competition_places, order_key, rank


def test_only_exactly_equal_times_share_a_place_and_the_next_skips():
    places = competition_places([(100, "a"), (200, "b"), (200, "c"), (300, "d")])
    assert places == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_the_most_precise_time_decides_within_one_published_second():
    # 2:09:44.3 and 2:09:44.9 are both published as 2:09:45 but hold places 1 and 2.
    assert competition_places([(7_784_900, "late"), (7_784_300, "early")]) == {"early": 1, "late": 2}


def test_places_overall_within_gender_and_age_group_and_statuses_unranked():
    entries = [
        Entry("w1", "finished", 2_400_000, "female", "30-39"),
        Entry("m1", "finished", 2_300_000, "male", "18-29"),
        Entry("m2", "finished", 2_350_000, "male", "30-39"),
        Entry("w2", "finished", 2_450_000, "female", "30-39"),
        Entry("w3", "finished", 2_460_000, "female", None),  # outside every group
        Entry("x", "DNF", None, "male", "18-29"),
        Entry("y", "DNS", None, "female", "18-29"),
    ]
    places = rank(entries)
    assert places["m1"] == (1, 1, 1)
    assert places["m2"] == (2, 2, 1)
    assert places["w1"] == (3, 1, 1)
    assert places["w2"] == (4, 2, 2)
    assert places["w3"] == (5, 3, None)
    assert "x" not in places and "y" not in places


def test_order_puts_finishers_then_dnf_dq_dns():
    rows = [
        ("DNS", None, None, 1),
        ("finished", 2, 20, 2),
        ("DQ", None, None, 3),
        ("finished", 1, 10, 4),
        ("DNF", None, None, 5),
    ]
    assert [r[3] for r in sorted(rows, key=lambda r: order_key(*r))] == [4, 2, 5, 3, 1]


@given(st.lists(st.integers(1, 50), min_size=1, max_size=60))
def test_competition_places_match_the_definition(times):
    places = competition_places((t, i) for i, t in enumerate(times))
    for i, t in enumerate(times):
        assert places[i] == 1 + sum(1 for other in times if other < t)


@given(
    st.lists(
        st.tuples(
            st.integers(1, 30),
            st.sampled_from(["female", "male"]),
            st.sampled_from(["a", "b", None]),
            st.sampled_from(["finished", "finished", "DNF"]),
        ),
        max_size=80,
    )
)
def test_rank_agrees_with_competition_places_per_group(rows):
    entries = [Entry(i, status, t, g, a) for i, (t, g, a, status) in enumerate(rows)]
    places = rank(entries)
    finished = [e for e in entries if e.status == "finished"]
    overall = competition_places((e.time_ms, e.key) for e in finished)
    for e in finished:
        same_gender = [(o.time_ms, o.key) for o in finished if o.gender == e.gender]
        same_group = [(o.time_ms, o.key) for o in finished if o.gender == e.gender and o.age_group == e.age_group]
        expected_group = competition_places(same_group)[e.key] if e.age_group is not None else None
        assert places[e.key] == (overall[e.key], competition_places(same_gender)[e.key], expected_group)
    assert all(e.key not in places for e in entries if e.status != "finished")
