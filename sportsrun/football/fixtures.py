"""Group round robins and their layout over pitches and time slots (PRODUCT.md, "Mini-football"). Pure.

The layout's priorities, in order: no team twice in a slot (never broken); no team in three slots in a
row; as few slots as those two allow; waits between a team's matches as even as possible. Avoiding three
in a row can cost slots (one group of 4 on 2 pitches takes 4 slots, not 3): a fourth short wait is
kinder than three matches back to back."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise


@dataclass(frozen=True)
class Fixture:
    group: str
    round: int  # 1-based round of the group's round robin
    home: int
    away: int


@dataclass(frozen=True)
class Placed:
    fixture: Fixture
    slot: int  # 0-based
    pitch: int  # 1-based


def round_robin(teams: Sequence[int]) -> list[list[tuple[int, int]]]:
    """The Berger tables: rounds of (home, away) pairs, every pair once, a bye's pairs left out, hosts even."""
    return [[(home, away) for _, home, away in pairs] for _, pairs in _berger(teams)]


def _berger(teams: Sequence[int]) -> list[tuple[int, list[tuple[int, int, int]]]]:
    """Per round: the player at the circle's centre, and (distance from the centre, home, away) per pair, so
    that the layout can walk the circle a step a round, keeping each team's place in a round nearly fixed."""
    if len(set(teams)) != len(teams):
        raise ValueError("a team appears twice")
    real = len(teams)
    if real < 2:
        return []
    n = real + real % 2
    m = n - 1  # players 1..m turn around the circle; player n stays put
    half = (m + 1) // 2  # the inverse of 2 modulo the odd m
    rounds = []
    for r in range(1, n):
        # Berger: in round r the pairs off player n sum to r + 1 modulo m, player n meets p with 2p = r + 1,
        # and player n alternates home and away.
        p = ((r + 1) * half - 1) % m + 1
        pairs = [(0, p, n) if r % 2 else (0, n, p)]
        pairs += [(k, (p + k - 1) % m + 1, (p - k - 1) % m + 1) for k in range(1, n // 2)]
        rounds.append((p, [(k, teams[a - 1], teams[b - 1]) for k, a, b in pairs if a <= real and b <= real]))
    return rounds


def group_fixtures(groups: Mapping[str, Sequence[int]]) -> list[Fixture]:
    return [fixture for fixture, _ in _fixtures(groups)]


def _fixtures(groups: Mapping[str, Sequence[int]]) -> list[tuple[Fixture, tuple[int, int, int]]]:
    """Each fixture with its place in the walk around the circle: (centre, group, distance)."""
    seen: set[int] = set()
    fixtures = []
    for number, (name, teams) in enumerate(groups.items()):
        if len(teams) < 2:
            raise ValueError("a group needs at least 2 teams")
        if seen & set(teams):
            raise ValueError("a team is in two groups")
        seen |= set(teams)
        for r, (centre, pairs) in enumerate(_berger(teams), start=1):
            fixtures += [(Fixture(name, r, home, away), (centre, number, k)) for k, home, away in pairs]
    return fixtures


def _slots_of_teams(placed: Sequence[Placed]) -> dict[int, list[int]]:
    slots: dict[int, list[int]] = {}
    for p in placed:
        for team in (p.fixture.home, p.fixture.away):
            slots.setdefault(team, []).append(p.slot)
    return {team: sorted(s) for team, s in slots.items()}


def waits(placed: Sequence[Placed]) -> dict[int, list[int]]:
    return {team: [b - a for a, b in pairwise(s)] for team, s in _slots_of_teams(placed).items()}


def wait_spread(placed: Sequence[Placed]) -> int:
    return max((max(w) - min(w) for w in waits(placed).values() if w), default=0)


def three_in_a_row(placed: Sequence[Placed]) -> set[int]:
    return {team for team, s in _slots_of_teams(placed).items() if any(t + 1 in s and t + 2 in s for t in s)}


def clashes(placed: Sequence[Placed]) -> list[tuple[int, int]]:
    seen: set[tuple[int, int]] = set()
    found = []
    for p in placed:
        for team in (p.fixture.home, p.fixture.away):
            if (p.slot, team) in seen:
                found.append((p.slot, team))
            seen.add((p.slot, team))
    return found


@cache
def _span(run: int, left: int) -> int:
    """The fewest slots for `left` more matches without three in a row, after `run` slots in a row."""
    if left == 0:
        return 0
    if run == 2:
        return 1 + _span(0, left)
    return 1 + _span(run + 1, left - 1)


def lay_out(groups: Mapping[str, Sequence[int]], pitches: int) -> list[Placed]:
    """Every fixture on a slot and pitch, sorted by (slot, pitch). Deterministic."""
    if pitches < 1:
        raise ValueError("at least one pitch")
    walk = _fixtures(groups)
    if not walk:
        return []
    index: dict[int, int] = {}
    for f, _ in walk:
        index.setdefault(f.home, len(index))
        index.setdefault(f.away, len(index))
    ends = [(index[f.home], index[f.away]) for f, _ in walk]
    played = [0] * len(index)
    for a, b in ends:
        played[a] += 1
        played[b] += 1
    floor = max(-(-len(ends) // pitches), max(_span(0, n) for n in played))
    rank = {place: i for i, place in enumerate(sorted(place for _, place in walk))}
    orders = {
        # the Berger rounds in turn, or one step round the circle a round (its teams keep their place)
        False: [(f.round, i) for i, (f, _) in enumerate(walk)],
        True: [(rank[place], i) for i, (_, place) in enumerate(walk)],
    }
    best: tuple | None = None
    for horizon in range(floor, floor + 3):
        for fill, eager, walking in _VARIANTS:
            slot_of = _attempt(ends, orders[walking], played, pitches, horizon, fill, eager, walking)
            key = _quality(ends, slot_of, len(index))
            if best is None or key < best[0]:
                best = (key, slot_of)
            if best[0][:3] == (0, floor, 0):
                break
        if best[0][1] <= horizon:
            break
    slot_of = _closed_up(ends, _polish(ends, best[1], len(index), pitches), len(index))
    return [Placed(walk[i][0], slot, pitch) for slot, pitch, i in _pitched(slot_of)]


def _closed_up(ends, slot_of: list[int], teams: int) -> list[int]:
    """Empty slots the polish left go: the first always, another when that adds no three in a row."""
    for empty in sorted(set(range(max(slot_of) + 1)) - set(slot_of), reverse=True):
        shifted = [s - (s > empty) for s in slot_of]
        if empty < min(slot_of) or _quality(ends, shifted, teams)[0] <= _quality(ends, slot_of, teams)[0]:
            slot_of = shifted
    return slot_of


# (fill every free pitch, judge a pair by its more rested team, follow the circle rather than the rests)
_VARIANTS = [(True, False, False), (True, True, False), (False, False, False), (False, True, False),
             (True, False, True)]  # fmt: skip


def _attempt(ends, order, played, pitches, horizon, fill, eager, walking) -> list[int]:
    """Slot by slot, the most overdue matches, never a third slot in a row; a team that must play now goes first."""
    teams = len(played)
    left = list(played)
    last = [-1] * teams
    run = [0] * teams
    gap = [horizon / n for n in played]
    remaining = list(range(len(ends)))
    slot_of = [0] * len(ends)
    t = 0
    while remaining:
        room = horizon - t
        relaxed = [room > _span(run[x], left[x]) for x in range(teams)]
        due = [t - last[x] - gap[x] for x in range(teams)]
        scored = []
        for i in remaining:
            a, b = ends[i]
            if run[a] == 2 or run[b] == 2:
                continue
            late = 0 if walking else -(max(due[a], due[b]) if eager else min(due[a], due[b]))
            scored.append((relaxed[a] and relaxed[b], late, order[i]))
        scored.sort()
        busy: set[int] = set()
        for calm, late, (_, i) in scored:
            a, b = ends[i]
            if a in busy or b in busy or (calm and not fill and late > 0):
                continue
            busy.update((a, b))
            remaining.remove(i)
            slot_of[i] = t
            left[a] -= 1
            left[b] -= 1
            last[a] = last[b] = t
            if len(busy) == 2 * pitches:
                break
        run = [run[x] + 1 if x in busy else 0 for x in range(teams)]
        t += 1
    return slot_of


def _cost(slots: list[int]) -> tuple[int, int]:
    """A team's three-in-a-rows and wait spread, from its sorted slots."""
    gaps = [y - x for x, y in pairwise(slots)]
    threes = sum(1 for g, h in pairwise(gaps) if g == h == 1)
    return threes, (max(gaps) - min(gaps) if gaps else 0)


def _quality(ends, slot_of, teams) -> tuple[int, int, int, int]:
    slots: list[list[int]] = [[] for _ in range(teams)]
    for (a, b), s in zip(ends, slot_of, strict=True):
        slots[a].append(s)
        slots[b].append(s)
    costs = [_cost(sorted(s)) for s in slots]
    return sum(c[0] for c in costs), max(slot_of) + 1, max(c[1] for c in costs), sum(c[1] ** 2 for c in costs)


def _pitched(slot_of: list[int]) -> list[tuple[int, int, int]]:
    placed = []
    pitch: dict[int, int] = {}
    for i in sorted(range(len(slot_of)), key=lambda i: (slot_of[i], i)):
        pitch[slot_of[i]] = pitch.get(slot_of[i], 0) + 1
        placed.append((slot_of[i], pitch[slot_of[i]], i))
    return placed


def _polish(ends, slot_of, teams, pitches, budget=600) -> list[int]:
    """Moves a match of a worst-off team to a free pitch, or swaps it with another, while that lowers
    (three-in-a-rows, the worst spread, the sum of squared spreads) and adds no slot. Counting tries,
    not time, keeps it deterministic."""
    slot_of = list(slot_of)
    used = max(slot_of) + 1
    at: list[dict[int, int]] = [{} for _ in range(used)]
    mine: list[list[int]] = [[] for _ in range(teams)]
    for i, (a, b) in enumerate(ends):
        at[slot_of[i]][a] = at[slot_of[i]][b] = i
        mine[a].append(i)
        mine[b].append(i)
    cost = [_cost(sorted(slot_of[i] for i in mine[x])) for x in range(teams)]
    hist = [0] * (used + 1)
    for c in cost:
        hist[c[1]] += 1
    state = (sum(c[0] for c in cost), max(c[1] for c in cost), sum(c[1] ** 2 for c in cost))

    def moves():
        for x in [x for x in range(teams) if cost[x][1] == state[1] or cost[x][0]]:
            for i in mine[x]:
                here, (a, b) = slot_of[i], ends[i]
                for there in range(used):
                    met = {at[there].get(a), at[there].get(b)} - {None}
                    if there == here or len(met) > 1:
                        continue
                    if not met and len(at[there]) < 2 * pitches:
                        yield {i: there}
                    for j in sorted(met or set(at[there].values())):
                        c, d = ends[j]
                        if at[here].get(c, i) == i and at[here].get(d, i) == i:
                            yield {i: there, j: here}

    improved = state != (0, 0, 0)
    while improved and budget > 0:
        improved = False
        for changes in moves():
            budget -= 1
            if budget < 0:
                break
            hit = {x for i in changes for x in ends[i]}
            new = {x: _cost(sorted(changes.get(i, slot_of[i]) for i in mine[x])) for x in hit}
            worst = max(c[1] for c in new.values())
            for v in range(state[1], worst, -1):
                if hist[v] > sum(1 for x in hit if cost[x][1] == v):
                    worst = v
                    break
            key = (
                state[0] + sum(new[x][0] - cost[x][0] for x in hit),
                worst,
                state[2] + sum(new[x][1] ** 2 - cost[x][1] ** 2 for x in hit),
            )
            if key >= state:
                continue
            for i in changes:
                for x in ends[i]:
                    del at[slot_of[i]][x]
            for i, slot in changes.items():
                slot_of[i] = slot
                at[slot].update(dict.fromkeys(ends[i], i))
            for x in hit:
                hist[cost[x][1]] -= 1
                hist[new[x][1]] += 1
                cost[x] = new[x]
            state, improved = key, True
            break
    return slot_of
