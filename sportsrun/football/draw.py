"""The draw of a division's teams into groups (PRODUCT.md, "Mini-football"). Pure: plain values in, plain
values out.

Group sizes differ by at most one (the first groups take the extra teams). Each pot is spread one team
per group, a pot larger than the groups in turns of one per group. Teams of one province are kept
apart as far as the numbers allow: the fewest same-province pairs inside groups. The same seed and
inputs give the same groups, whatever order the caller lists them in."""

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import combinations, permutations


def draw(
    teams: Sequence[int],
    provinces: Mapping[int, str],
    groups: int,
    seed: int,
    pots: Sequence[Sequence[int]] | None = None,
) -> list[list[int]]:
    everyone = sorted(set(teams))
    if len(everyone) != len(teams):
        raise ValueError("a team is listed twice")
    if groups < 1 or groups > len(everyone) // 2:
        raise ValueError("every group needs at least 2 teams")
    potted: dict[int, int] = {}
    for number, pot in enumerate(pots or []):
        for team in pot:
            if team not in everyone or team in potted:
                raise ValueError("a pot team is not in the division or is in two pots")
            potted[team] = number
    rng = random.Random(seed)
    size = [len(everyone) // groups + (g < len(everyone) % groups) for g in range(groups)]
    drawn: list[list[int]] = [[] for _ in range(groups)]

    def place(team: int, allowed: Sequence[int], roomiest: bool = False) -> int:
        # Ties go by a fresh random order of the groups, so the draw is a draw and not a fill.
        rank = rng.sample(range(groups), groups)
        province = provinces.get(team)
        group = min(
            (g for g in allowed if len(drawn[g]) < size[g]),
            key=lambda g: (
                len(drawn[g]) - size[g] if roomiest else 0,
                sum(province is not None and provinces.get(o) == province for o in drawn[g]),
                len(drawn[g]) / size[g],
                rank[g],
            ),
        )
        drawn[group].append(team)
        return group

    for pot in pots or []:
        members = sorted(pot)
        rng.shuffle(members)
        for start in range(0, len(members), groups):
            turn = members[start : start + groups]
            free = set(range(groups))
            for team in turn:
                # One per group. A turn short of the groups goes to the groups with most room left, or a
                # later turn could find a group full; and should it still, sizes win over the pot's spread.
                room = [g for g in free if len(drawn[g]) < size[g]] or list(range(groups))
                free.discard(place(team, sorted(room), roomiest=len(turn) < groups))
    # The province with most teams goes first: the later, smaller ones fit round it.
    rest = [t for t in everyone if t not in potted]
    rng.shuffle(rest)
    count = {p: sum(provinces.get(t) == p for t in rest) for p in {provinces.get(t) for t in rest}}
    rest.sort(key=lambda t: -count[provinces.get(t)])
    for team in rest:
        place(team, range(groups))
    _separate(drawn, provinces, potted)
    return drawn


def same_province_pairs(drawn: Sequence[Sequence[int]], provinces: Mapping[int, str]) -> int:
    """Pairs of teams of one province inside one group (teams without a province pair with nobody)."""
    return sum(
        1
        for group in drawn
        for a, b in combinations(group, 2)
        if provinces.get(a) is not None and provinces.get(a) == provinces.get(b)
    )


def _separate(drawn: list[list[int]], provinces: Mapping[int, str], potted: Mapping[int, int]) -> None:
    """Swaps two teams of different groups (both unpotted, or of one pot) while that lowers the number of
    same-province pairs: the greedy placing can corner itself."""
    count = [Counter(provinces.get(t) for t in group) for group in drawn]
    while swap := _improving_swap(drawn, provinces, potted, count):
        g, i, h, j = swap
        a, b = drawn[g][i], drawn[h][j]
        drawn[g][i], drawn[h][j] = b, a
        count[g].update({provinces.get(a): -1, provinces.get(b): 1})
        count[h].update({provinces.get(b): -1, provinces.get(a): 1})


def _improving_swap(drawn, provinces, potted, count) -> tuple[int, int, int, int] | None:
    for g, h in permutations(range(len(drawn)), 2):
        for i, a in enumerate(drawn[g]):
            pa = provinces.get(a)
            if pa is None or count[g][pa] < 2:
                continue
            for j, b in enumerate(drawn[h]):
                pb = provinces.get(b)
                if potted.get(a) != potted.get(b) or pa == pb:
                    continue
                # a leaves its province's mates in g for those in h; b the reverse
                gain = count[g][pa] - 1 - count[h][pa] + (count[h][pb] - 1 - count[g][pb] if pb is not None else 0)
                if gain > 0:
                    return g, i, h, j
    return None
