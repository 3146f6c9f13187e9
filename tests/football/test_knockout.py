import random
import string
from itertools import permutations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sportsrun.football.knockout import Qualifier, first_round, meet_round, round_names, seed_order, winner

pytestmark = pytest.mark.pure  # no database: run once, on SQLite


def qualifiers(groups, per_group, rng=None):
    """Winners (and runners-up) of `groups` groups, with figures that differ from group to group."""
    rng = rng or random.Random(0)
    out = []
    for g in range(groups):
        for position in range(1, per_group + 1):
            out.append(Qualifier(100 * g + position, string.ascii_uppercase[g], position,
                                 points=rng.randint(0, 9), goal_difference=rng.randint(-5, 5),
                                 goals_for=rng.randint(0, 9), played=rng.choice([2, 3])))  # fmt: skip
    rng.shuffle(out)
    return out


def sides(slots):
    """Each qualifier's first-round slot index."""
    return {q: i for i, slot in enumerate(slots) for q in (slot.home, slot.away) if q is not None}


def rounds_apart(slots):
    """For each group with two qualifiers, the round in which they can first meet."""
    where = sides(slots)
    size = 2 * len(slots)
    by_group = {}
    for q in where:
        by_group.setdefault(q.group, []).append(where[q])
    return sorted(meet_round(size, *at) for at in by_group.values() if len(at) == 2)


def winner_pairs(slots):
    return sum(s.away is not None and s.home.position == 1 and s.away.position == 1 for s in slots)


def test_seed_order_by_position_then_figures_per_match_then_the_callers_order():
    a1 = Qualifier(1, "A", 1, points=7, goal_difference=3, goals_for=6, played=3)  # 2.33 points a match
    b1 = Qualifier(2, "B", 1, points=6, goal_difference=1, goals_for=3, played=2)  # 3 points a match
    c2 = Qualifier(3, "C", 2, points=9, goal_difference=9, goals_for=9, played=3)  # a runner-up: after winners
    d1 = Qualifier(4, "D", 1, points=4, goal_difference=2, goals_for=4, played=2)  # 2 a match, +1 a match
    e1 = Qualifier(5, "E", 1, points=6, goal_difference=3, goals_for=9, played=3)  # 2 a match, +1, 3 goals
    f1 = Qualifier(6, "F", 1, points=6, goal_difference=3, goals_for=9, played=3)  # level with E: lots
    assert seed_order([c2, f1, d1, e1, a1, b1]) == [b1, a1, f1, e1, d1, c2]
    assert seed_order([e1, f1]) == [e1, f1]


def test_round_names():
    assert round_names(2) == ["final"]
    assert round_names(4) == ["semi_final", "final"]
    assert round_names(8) == ["quarter_final", "semi_final", "final"]
    assert round_names(16) == ["round_of_16", "quarter_final", "semi_final", "final"]
    assert round_names(32)[:2] == ["round_of_32", "round_of_16"]
    with pytest.raises(ValueError):
        round_names(12)


def test_winner_after_goals_then_penalties():
    assert winner(2, 1, None, None) == "home"
    assert winner(0, 3, None, None) == "away"
    assert winner(1, 1, None, None) is None
    assert winner(1, 1, 4, 5) == "away"
    assert winner(1, 1, 5, 3) == "home"
    assert winner(1, 1, 4, 4) is None
    assert winner(2, 1, 3, 4) == "home"  # penalties only count after a draw


def test_meet_round():
    assert [meet_round(8, 0, j) for j in range(4)] == [1, 2, 3, 3]
    assert meet_round(8, 2, 3) == 2
    assert meet_round(16, 1, 6) == 4
    with pytest.raises(ValueError):
        meet_round(8, 0, 4)


def test_nothing_to_play_one_qualifier_a_final_for_two():
    a1, a2 = Qualifier(1, "A", 1, points=6), Qualifier(2, "A", 2, points=3)
    assert first_round([]) == []
    assert first_round([a1]) == []
    final = first_round([a2, a1])
    assert [(s.home, s.away) for s in final] == [(a1, a2)]
    assert round_names(2 * len(final)) == ["final"]


def laid_out(slots):
    return [(s.home.source, s.away.source if s.away else None) for s in slots]


def test_ordinary_seeding_when_nothing_stands_in_its_way():
    # Winners only: 1 v 8, 4 v 5, 2 v 7, 3 v 6, the byes going to the best.
    winners = [Qualifier(i, g, 1, points=20 - i) for i, g in enumerate("ABCDEFGH")]
    assert laid_out(first_round(winners)) == [("A1", "H1"), ("D1", "E1"), ("B1", "G1"), ("C1", "F1")]
    assert laid_out(first_round(winners[:5])) == [("A1", None), ("D1", "E1"), ("B1", None), ("C1", None)]
    assert laid_out(first_round(winners[:3])) == [("A1", None), ("B1", "C1")]
    # Runners-up ranked B2, A2, D2, C2: ordinary seeding already keeps every group's two in opposite halves.
    runners_up = [Qualifier(10 + i, g, 2, points=p) for i, (g, p) in enumerate(zip("ABCD", [5, 6, 4, 1], strict=True))]
    slots = first_round(winners[:4] + runners_up)
    assert laid_out(slots) == [("A1", "C2"), ("D1", "B2"), ("B1", "D2"), ("C1", "A2")]


def test_the_best_runner_up_gets_its_bye_in_the_half_away_from_its_own_winner():
    # Five groups of two: 16 places, 6 byes, so the best runner-up (B2) gets one. Ordinary seeding would give
    # seed 6's bye beside B1 (seed 2); it must go to the other half.
    qs = [Qualifier(i, g, 1, points=9 - i) for i, g in enumerate("ABCDE")]
    qs += [Qualifier(10 + i, g, 2, points=p) for i, (g, p) in enumerate(zip("ABCDE", [3, 5, 1, 2, 0], strict=True))]
    slots = first_round(qs)
    assert len(slots) == 8
    byes = {s.home.source for s in slots if s.away is None}
    assert byes == {"A1", "B1", "C1", "D1", "E1", "B2"}
    assert rounds_apart(slots) == [4] * 5
    assert winner_pairs(slots) == 0


def check(qs, per_group):
    slots = first_round(qs)
    size = 2 * len(slots)
    assert size >= len(qs) > size // 2
    assert sorted(q.team for q in sides(slots)) == sorted(q.team for q in qs)
    assert all(s.home is not None for s in slots)
    byes = size - len(qs)
    assert {s.home for s in slots if s.away is None} == set(seed_order(qs)[:byes])
    assert all(s.away is None or s.home.group != s.away.group for s in slots)
    players = [q for s in slots if s.away is not None for q in (s.home, s.away)]
    winners = sum(q.position == 1 for q in players)
    # No winner against winner while runners-up are there to play them (only a surplus of winners pairs up).
    assert winner_pairs(slots) == max(0, (winners - (len(players) - winners)) // 2)
    rounds = len(round_names(size))
    if per_group == 2:
        assert rounds_apart(slots) == [rounds] * (len(qs) // 2)  # group-mates only in the final
    assert first_round(list(qs)) == slots  # deterministic
    return slots


@pytest.mark.parametrize("groups", range(2, 9))
@pytest.mark.parametrize("per_group", [1, 2])
def test_every_division_shape(groups, per_group):
    for seed in range(5):
        check(qualifiers(groups, per_group, random.Random(seed)), per_group)


@given(st.integers(2, 8), st.integers(1, 2), st.randoms(use_true_random=False))
def test_any_figures(groups, per_group, rng):
    check(qualifiers(groups, per_group, rng), per_group)


def brute_force(qs, size):
    """Every way of laying the qualifiers over the places that gives the byes to the best: the latest the
    group-mates can all meet (earliest meeting first) and the fewest winner-against-winner matches. Swapping
    the two teams of a slot changes neither, so only one order of each slot is tried."""
    n = len(qs)
    best_seeds = {qs.index(q) for q in seed_order(qs)[: size - n]}
    mates = {}
    for i, q in enumerate(qs):
        mates.setdefault(q.group, []).append(i)
    mates = [pair for pair in mates.values() if len(pair) == 2]
    best_apart, fewest_winner_pairs = None, None
    for places in set(permutations(list(range(n)) + [n] * (size - n))):  # n: an empty place
        if any(places[i] >= places[i + 1] for i in range(0, size, 2)):
            continue
        if {places[i] for i in range(0, size, 2) if places[i + 1] == n} != best_seeds:
            continue
        where = {team: place // 2 for place, team in enumerate(places)}
        apart = sorted(meet_round(size, where[a], where[b]) for a, b in mates)
        pairs = sum(qs[places[i]].position == 1 and places[i + 1] < n and qs[places[i + 1]].position == 1
                    for i in range(0, size, 2))  # fmt: skip
        best_apart = apart if best_apart is None else max(best_apart, apart)
        fewest_winner_pairs = pairs if fewest_winner_pairs is None else min(fewest_winner_pairs, pairs)
    return best_apart, fewest_winner_pairs


@pytest.mark.parametrize(("groups", "per_group"), [(2, 2), (3, 2), (4, 2), (3, 1), (5, 1), (6, 1)])
def test_as_good_as_every_bracket_there_is(groups, per_group):
    for seed in range(3):
        qs = qualifiers(groups, per_group, random.Random(seed))
        slots = first_round(qs)
        best_apart, fewest_winner_pairs = brute_force(qs, 2 * len(slots))
        assert rounds_apart(slots) == best_apart
        assert winner_pairs(slots) == fewest_winner_pairs
