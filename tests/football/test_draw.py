import random
from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sportsrun.football.draw import draw, same_province_pairs

pytestmark = pytest.mark.pure  # no database: run once, on SQLite


def _check(drawn: list[list[int]], teams: list[int], groups: int) -> None:
    assert len(drawn) == groups
    assert sorted(t for g in drawn for t in g) == sorted(teams)
    sizes = [len(g) for g in drawn]
    assert max(sizes) - min(sizes) <= 1 and min(sizes) >= 2


def _fewest_pairs(teams: list[int], provinces: dict[int, str], sizes: list[int]) -> int:
    """Brute force: the fewest same-province pairs of any split of the teams into groups of these sizes."""
    if not sizes:
        return 0
    best = None
    for group in combinations(teams, sizes[0]):
        rest = [t for t in teams if t not in group]
        pairs = same_province_pairs([list(group)], provinces) + _fewest_pairs(rest, provinces, sizes[1:])
        best = pairs if best is None else min(best, pairs)
    return best


def test_sizes_differ_by_at_most_one_and_every_team_is_drawn_once():
    teams = list(range(1, 24))
    for groups in range(1, 12):
        _check(draw(teams, {}, groups, seed=5), teams, groups)
    assert [len(g) for g in draw(teams, {}, 5, seed=1)] == [5, 5, 5, 4, 4]


def test_the_seed_reproduces_the_draw_whatever_the_callers_order():
    teams = list(range(100, 132))
    provinces = {t: "IQ-BG IQ-BA IQ-NI IQ-AR IQ-SU".split()[t % 5] for t in teams}
    pots = [[100, 101, 102, 103], [110, 111, 112, 113]]
    first = draw(teams, provinces, 4, seed=42, pots=pots)
    shuffled = teams[:]
    random.Random(7).shuffle(shuffled)
    assert draw(shuffled, dict(reversed(provinces.items())), 4, seed=42, pots=[p[::-1] for p in pots]) == first
    assert len({str(draw(teams, provinces, 4, seed=s, pots=pots)) for s in range(10)}) > 1


def test_each_pot_is_spread_one_per_group():
    teams = list(range(1, 21))
    pots = [[1, 2, 3, 4], [5, 6, 7]]
    for seed in range(20):
        drawn = draw(teams, {}, 4, seed, pots)
        _check(drawn, teams, 4)
        assert sorted(len(set(g) & {1, 2, 3, 4}) for g in drawn) == [1, 1, 1, 1]
        assert sorted(len(set(g) & {5, 6, 7}) for g in drawn) == [0, 1, 1, 1]


def test_a_pot_larger_than_the_groups_wraps():
    teams = list(range(1, 19))
    pot = [1, 2, 3, 4, 5, 6, 7, 8]
    for seed in range(20):
        drawn = draw(teams, {}, 3, seed, [pot])
        _check(drawn, teams, 3)
        assert sorted(len(set(g) & set(pot)) for g in drawn) == [2, 3, 3]


def test_provinces_are_kept_apart_when_they_can_be():
    provinces = {1: "IQ-BG", 2: "IQ-BG", 3: "IQ-BA", 4: "IQ-BA", 5: "IQ-NI", 6: "IQ-NI", 7: "IQ-AR", 8: "IQ-AR"}
    for seed in range(50):
        drawn = draw(list(provinces), provinces, 2, seed)
        assert same_province_pairs(drawn, provinces) == 0
        assert all(len({provinces[t] for t in g}) == 4 for g in drawn)


def test_a_province_that_cannot_be_split_evenly_takes_the_fewest_pairs():
    # 5 Baghdad teams in 2 groups: 3 + 2 makes 4 pairs at least; the other provinces make none.
    provinces = {1: "IQ-BG", 2: "IQ-BG", 3: "IQ-BG", 4: "IQ-BG", 5: "IQ-BG", 6: "IQ-BA", 7: "IQ-BA", 8: "IQ-NI"}
    for seed in range(30):
        assert same_province_pairs(draw(list(provinces), provinces, 2, seed), provinces) == 4
    # A greedy trap: the single teams drawn first fill one group, leaving the pair nowhere else to go.
    provinces = {1: "IQ-BG", 2: "IQ-BG", 3: "IQ-BA", 4: "IQ-NI"}
    assert all(same_province_pairs(draw([1, 2, 3, 4], provinces, 2, s), provinces) == 0 for s in range(30))


def test_provinces_are_kept_apart_around_the_pots():
    provinces = {1: "IQ-BG", 2: "IQ-BA", 3: "IQ-BG", 4: "IQ-BA", 5: "IQ-NI", 6: "IQ-NI", 7: "IQ-AR", 8: "IQ-AR"}
    for seed in range(30):
        drawn = draw(list(provinces), provinces, 2, seed, pots=[[1, 2]])
        assert same_province_pairs(drawn, provinces) == 0
        assert sorted(len(set(g) & {1, 2}) for g in drawn) == [1, 1]


def test_teams_without_a_province_pair_with_nobody():
    drawn = draw([1, 2, 3, 4], {1: "IQ-BG"}, 2, seed=3)
    _check(drawn, [1, 2, 3, 4], 2)
    assert same_province_pairs([[1, 2, 3, 4]], {}) == 0


@pytest.mark.parametrize(
    ("teams", "groups", "pots"),
    [
        ([1, 2, 3, 4], 0, None),
        ([1, 2, 3, 4], 3, None),
        ([1, 2, 3], 2, None),
        ([1, 2, 3, 4], 2, [[1, 9]]),
        ([1, 2, 3, 4], 2, [[1, 2], [2, 3]]),
        ([1, 2, 2, 4], 1, None),
    ],
)
def test_refusals(teams, groups, pots):
    with pytest.raises(ValueError):
        draw(teams, {}, groups, 1, pots)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from(["IQ-BG", "IQ-BA", "IQ-NI", "IQ-AR", None]), min_size=4, max_size=9),
    st.integers(2, 4),
    st.integers(0, 2**31 - 1),
)
def test_the_fewest_same_province_pairs_on_small_draws(province_list, groups, seed):
    teams = [10 + 3 * i for i in range(len(province_list))]
    groups = min(groups, len(teams) // 2)
    provinces = {t: p for t, p in zip(teams, province_list) if p is not None}
    drawn = draw(teams, provinces, groups, seed)
    _check(drawn, teams, groups)
    sizes = sorted((len(g) for g in drawn), reverse=True)
    assert same_province_pairs(drawn, provinces) == _fewest_pairs(teams, provinces, sizes)


@settings(max_examples=80, deadline=None)
@given(
    st.integers(2, 70),
    st.integers(1, 40),
    st.lists(st.integers(1, 12), max_size=4),
    st.integers(0, 2**31 - 1),
)
def test_any_draw_keeps_sizes_pots_and_seed(n, groups, pot_sizes, seed):
    teams = list(range(1, n + 1))
    groups = max(1, min(groups, n // 2))
    rng = random.Random(seed)
    provinces = {t: rng.choice("ABCDEFG") for t in teams}
    pool = rng.sample(teams, n)
    pots = []
    for size in pot_sizes:
        pots.append(pool[:size])
        pool = pool[size:]
    drawn = draw(teams, provinces, groups, seed, pots)
    _check(drawn, teams, groups)
    assert draw(teams[::-1], provinces, groups, seed, pots) == drawn
    for pot in pots:
        per_group = Counter(
            {g: 0 for g in range(groups)} | Counter(g for g, grp in enumerate(drawn) for t in grp if t in pot)
        )
        assert max(per_group.values()) - min(per_group.values()) <= 1
