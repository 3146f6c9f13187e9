import pytest
from hypothesis import given
from hypothesis import strategies as st

from sportsrun.campaigns.series import (
    BEST_RESULT,
    RACES_COUNTED,
    Finish,
    Person,
    Score,
    points,
    ranked,
    scores,
    standings,
)

pytestmark = pytest.mark.pure  # no database: run once, on SQLite

BASRA, MOSUL, ERBIL, BAGHDAD = 1, 2, 3, 4  # race ids
RACE = {BASRA: "Basra 10K", MOSUL: "Mosul 10K", ERBIL: "Erbil half", BAGHDAD: "Baghdad 10K"}


def person(key, name, gender="female", province="IQ-BG", more=()):
    return Person(key, name, gender, province, (key, *more))


def finish(registration, race, place):
    return Finish(registration, race, RACE[race], place)


def test_points_by_place_within_gender():
    assert [points(p) for p in (1, 2, 3, 50, 99, 100, 101, 150)] == [100, 99, 98, 51, 2, 1, 1, 1]
    table = [25, 18, 15]
    assert [points(p, table) for p in (1, 2, 3, 4, 40)] == [25, 18, 15, 0, 0]
    with pytest.raises(ValueError):
        points(0)


def test_best_of_counts_the_best_results_and_lists_every_finish():
    # Zainab runs four races (one registration per race: her person holds all four) and fails to finish one.
    zainab = person(10, "Zainab", more=(11, 12, 13))
    rows = standings(
        [zainab],
        [finish(10, BASRA, 3), finish(11, MOSUL, 1), finish(12, ERBIL, 5), finish(13, BAGHDAD, None)],
        best_of=2,
    )
    assert [(r.rank, r.name, r.points, r.races) for r in rows] == [(1, "Zainab", 198, 3)]
    assert rows[0].results == (
        Score(BASRA, "Basra 10K", 3, 98, True),
        Score(MOSUL, "Mosul 10K", 1, 100, True),
        Score(ERBIL, "Erbil half", 5, 96, False),
    )


def test_equal_points_count_the_earlier_race_and_the_total_is_the_same():
    rows = standings([person(1, "Huda", more=(2, 3))], [finish(1, BASRA, 4), finish(2, MOSUL, 2), finish(3, ERBIL, 4)],
                     best_of=2)  # fmt: skip
    assert [(s.race_id, s.points, s.counted) for s in rows[0].results] == [
        (BASRA, 97, True),
        (MOSUL, 99, True),
        (ERBIL, 97, False),
    ]


def test_only_finishers_are_in_the_standings():
    rows = standings([person(1, "Noor"), person(2, "Maryam")], [finish(1, BASRA, None), finish(2, BASRA, 1)])
    assert [(r.name, r.points, r.races) for r in rows] == [("Maryam", 100, 1)]


def test_ties_go_to_more_results_counted_then_the_best_result_else_the_rank_is_shared():
    persons = [person(k, name) for k, name in ((1, "Aya"), (2, "Bushra"), (3, "Dalia"), (4, "Farah"), (5, "Ghada"))]
    persons = [Person(p.key, p.name, p.gender, p.province, (p.key, p.key + 10, p.key + 20)) for p in persons]
    rows = standings(
        persons,
        [
            finish(1, BASRA, 1), finish(11, MOSUL, 2),   # Aya: 100 + 99 = 199, two counted, best 100
            finish(2, BASRA, 2), finish(12, MOSUL, 1),   # Bushra: 99 + 100 = 199, level with Aya
            finish(3, BASRA, 3), finish(13, MOSUL, 4), finish(23, ERBIL, 97),  # Dalia: 98 + 97 + 4 = 199
            finish(4, ERBIL, 1), finish(14, BAGHDAD, 100),   # Farah: 100 + 1 = 101
            finish(5, ERBIL, 3), finish(15, BAGHDAD, 4),   # Ghada: 98 + 97 = 195
        ],
        best_of=3,
    )  # fmt: skip
    assert [(r.rank, r.name, r.points, r.counted, r.best, r.tiebreak) for r in rows] == [
        (1, "Dalia", 199, 3, 98, RACES_COUNTED),
        (2, "Aya", 199, 2, 100, None),  # level with Bushra: a shared rank, listed by name
        (2, "Bushra", 199, 2, 100, None),
        (4, "Ghada", 195, 2, 98, None),
        (5, "Farah", 101, 2, 100, None),
    ]
    # Aya 99 + 99, Bushra 100 + 98: level on points and results counted, Bushra has the best single result.
    best = standings(
        persons[:2], [finish(1, BASRA, 2), finish(11, MOSUL, 2), finish(2, BASRA, 1), finish(12, MOSUL, 3)]
    )
    assert [(r.rank, r.name, r.points, r.tiebreak) for r in best] == [
        (1, "Bushra", 198, BEST_RESULT),
        (2, "Aya", 198, None),
    ]


def test_rank_is_within_gender_when_a_gender_is_chosen_and_overall_otherwise():
    persons = [person(1, "Zahra", "female", more=(11,)), person(2, "Ali", "male"), person(3, "Omar", "male")]
    finishes = [finish(1, BASRA, 1), finish(11, MOSUL, 3), finish(2, BASRA, 1), finish(3, BASRA, 2)]
    overall = standings(persons, finishes)
    assert [(r.rank, r.name, r.points) for r in overall] == [(1, "Zahra", 198), (2, "Ali", 100), (3, "Omar", 99)]
    assert [(r.rank, r.name) for r in standings(persons, finishes, gender="male")] == [(1, "Ali"), (2, "Omar")]
    assert [(r.rank, r.name) for r in ranked(overall, "female")] == [(1, "Zahra")]


def test_a_campaigns_own_table_gives_nothing_beyond_its_end():
    persons = [person(k, f"R{k}") for k in (1, 2, 3)]
    rows = standings(persons, [finish(1, BASRA, 1), finish(2, BASRA, 2), finish(3, BASRA, 3)], points_table=[10, 6])
    assert [(r.rank, r.name, r.points, r.races) for r in rows] == [(1, "R1", 10, 1), (2, "R2", 6, 1), (3, "R3", 0, 1)]


def test_two_results_of_one_person_in_one_race_keep_the_better_place():
    rows = standings([person(1, "Rana", more=(2,))], [finish(1, BASRA, 7), finish(2, BASRA, 3)])
    assert [(r.points, r.races, r.results) for r in rows] == [(98, 1, (Score(BASRA, "Basra 10K", 3, 98, True),))]


def test_nonsense_is_refused():
    for wrong in ({"best_of": 0}, {"points_table": []}, {"points_table": [10, -1]}):
        with pytest.raises(ValueError):
            standings([person(1, "A")], [finish(1, BASRA, 1)], **wrong)
    with pytest.raises(ValueError, match="no person"):
        standings([person(1, "A")], [finish(9, BASRA, 1)])


@st.composite
def series(draw):
    n = draw(st.integers(1, 8))
    names, genders = st.sampled_from("ABC"), st.sampled_from(["female", "male"])
    persons = [person(k, draw(names), draw(genders), more=(k + 100, k + 200)) for k in range(1, n + 1)]
    finishes = []
    for race in RACE:
        for p in persons:
            if draw(st.integers(0, 2)):
                registration = draw(st.sampled_from(p.registrations))
                finishes.append(finish(registration, race, draw(st.none() | st.integers(1, 4) | st.integers(98, 102))))
    table = draw(st.none() | st.lists(st.integers(0, 5), min_size=1, max_size=4))
    return persons, finishes, draw(st.integers(1, 4)), table, draw(st.sampled_from([None, "female", "male"]))


@given(series())
def test_standings_agree_with_the_rules_read_literally(case):
    persons, finishes, best_of, table, gender = case
    rows = standings(persons, finishes, best_of=best_of, points_table=table, gender=gender)
    owner = {r: p for p in persons for r in p.registrations}
    expected = {}
    for p in persons:
        if gender and p.gender != gender:
            continue
        places = {}
        for f in finishes:
            if owner[f.registration] is p and f.place is not None:
                places[f.race_id] = min(places.get(f.race_id, f.place), f.place)
        if places:
            earned = sorted((points(place, table) for place in places.values()), reverse=True)
            counted = earned[:best_of]
            expected[p.key] = (sum(counted), len(counted), max(earned), len(places))
    assert {r.person: (r.points, r.counted, r.best, r.races) for r in rows} == expected
    for r in rows:
        key = (-r.points, -r.counted, -r.best)
        assert r.rank == 1 + sum((-o.points, -o.counted, -o.best) < key for o in rows)
        assert sum(s.counted for s in r.results) == min(best_of, r.races)
        assert min((s.points for s in r.results if s.counted), default=0) >= max(
            (s.points for s in r.results if not s.counted), default=0
        )
    assert [r.rank for r in rows] == sorted(r.rank for r in rows)
    assert ranked(scores(persons, finishes, best_of=best_of, points_table=table), gender) == rows
