"""The knockout bracket (PRODUCT.md, "Mini-football"). Pure: plain values in, plain values out.

Qualifiers are ranked across groups by position, then points, goal difference and goals scored per match
played (groups may differ in size), then the caller's order (the recorded lots). The bracket has the next
power of two of places and the best-ranked qualifiers get the byes.

The bracket is built by halving: the qualifiers of a sub-bracket are split between its two halves, then
each half again, down to the first-round slots. Each split, in order of importance:
1. keeps teams of one group apart (a split that separates them puts off their meeting to the round that
   joins the two halves, so splitting from the top down makes them meet as late as possible);
2. leaves as few winner-against-winner first-round matches as the halves' make-up allows (pairing
   is free below, so a half with w winners and n others to play can always reach max(0, (w - n) / 2));
3. sends each qualifier, best first, to the half ordinary seeding (1 v 8, 4 v 5, 2 v 7, 3 v 6) would.
The split is exact: the halves' counts of byes and of winners and others to play, summed group by group
(a small dynamic programme), tell which choices can still reach the best value of 1 and 2."""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import product


@dataclass(frozen=True)
class Qualifier:
    team: int
    group: str
    position: int  # 1 = group winner, 2 = runner-up
    points: int = 0
    goal_difference: int = 0
    goals_for: int = 0
    played: int = 1

    @property
    def source(self) -> str:
        return f"{self.group}{self.position}"


@dataclass(frozen=True)
class Slot:
    home: Qualifier | None
    away: Qualifier | None  # None: a bye, home goes through


def _per_match(value: int, played: int) -> Fraction:
    # Fractions, not floats: 4/3 against 8/6 must compare equal and fall through to the next criterion.
    return Fraction(value, max(played, 1))


def seed_order(qualifiers: Sequence[Qualifier]) -> list[Qualifier]:
    """Best first. `sorted` is stable, so the caller's order (the lots) decides what the figures leave level."""
    return sorted(
        qualifiers,
        key=lambda q: (
            q.position,
            -_per_match(q.points, q.played),
            -_per_match(q.goal_difference, q.played),
            -_per_match(q.goals_for, q.played),
        ),
    )


def bracket_size(count: int) -> int:
    size = 2
    while size < count:
        size *= 2
    return size


def standard_order(size: int) -> list[int]:
    """Seeds (1-based) by bracket place for ordinary seeding: 1 v size, and the two best meet last."""
    order = [1]
    while len(order) < size:
        order = [s for seed in order for s in (seed, 2 * len(order) + 1 - seed)]
    return order


def first_round(qualifiers: Sequence[Qualifier]) -> list[Slot]:
    """The first-round slots in bracket order: slot i's winner meets slot i ^ 1's in the next round."""
    seeds = seed_order(qualifiers)
    if len(seeds) < 2:
        return []
    size = bracket_size(len(seeds))
    byes = size - len(seeds)
    units = [_Unit(rank, q.group, q.position == 1, rank < byes) for rank, q in enumerate(seeds)]
    pairs = _place(units, size)
    return [Slot(seeds[a.rank], seeds[b.rank] if b is not None else None) for a, b in pairs]


@dataclass(frozen=True)
class _Unit:
    rank: int  # 0 = best seed
    group: str
    winner: bool
    bye: bool


def _place(units: list[_Unit], size: int) -> list[tuple[_Unit, _Unit | None]]:
    if size == 2:
        return [(units[0], units[1] if len(units) > 1 else None)]
    half = size // 2
    on_top = {seed: place < half for place, seed in enumerate(standard_order(size))}
    # As ordinary seeding would: the byes of seeds 1..b split between the halves as those seeds are.
    top_byes = sum(on_top[local + 1] for local, u in enumerate(units) if u.bye)
    top = _split(units, on_top, top_byes, half - 2 * top_byes)
    bottom = [u for u in units if u not in top]
    return _place(sorted(top, key=_rank), half) + _place(bottom, half)


def _rank(unit: _Unit) -> int:
    return unit.rank


# Counts sent to the top half: (byes, winners to play, others to play).
State = tuple[int, int, int]


def _split(units: list[_Unit], on_top: dict[int, bool], top_byes: int, top_players: int) -> set[_Unit]:
    prefers_top = {u: on_top[local + 1] for local, u in enumerate(units)}
    winners = sum(u.winner and not u.bye for u in units)
    others = sum(not u.winner and not u.bye for u in units)

    def mismatch(state: State) -> int:
        _, w, n = state
        return _winner_pairs(w, n) + _winner_pairs(winners - w, others - n)

    def complete(state: State) -> bool:
        return state[0] == top_byes and state[1] + state[2] == top_players

    groups: dict[str, list[_Unit]] = {}
    for u in units:
        groups.setdefault(u.group, []).append(u)
    choices = [_choices(members, prefers_top) for members in groups.values()]

    # rest[i]: for the groups from i on, each reachable state with the fewest group-mates left together.
    rest: list[dict[State, int]] = [{} for _ in range(len(choices) + 1)]
    rest[-1][(0, 0, 0)] = 0
    for i in range(len(choices) - 1, -1, -1):
        for state, together in rest[i + 1].items():
            for _, delta, cost in choices[i]:
                reached = (state[0] + delta[0], state[1] + delta[1], state[2] + delta[2])
                if reached[0] > top_byes or reached[1] + reached[2] > top_players:
                    continue
                if rest[i].get(reached, together + cost + 1) > together + cost:
                    rest[i][reached] = together + cost
    best = min((together, mismatch(state)) for state, together in rest[0].items() if complete(state))

    top: set[_Unit] = set()
    taken: State = (0, 0, 0)
    spent = 0
    for i, options in enumerate(choices):
        for chosen, delta, cost in options:
            head = (taken[0] + delta[0], taken[1] + delta[1], taken[2] + delta[2])
            if any(
                complete(total) and (spent + cost + together, mismatch(total)) == best
                for state, together in rest[i + 1].items()
                for total in [(head[0] + state[0], head[1] + state[1], head[2] + state[2])]
            ):
                top |= chosen
                taken, spent = head, spent + cost
                break
    return top


def _choices(members: list[_Unit], prefers_top: dict[_Unit, bool]) -> list[tuple[set[_Unit], State, int]]:
    """Every way of sending a group's members up or down, the one nearest ordinary seeding (best member
    first) first: (members sent up, counts sent up, group-mates left together)."""
    options = []
    for sides in product((True, False), repeat=len(members)):
        chosen = {u for u, up in zip(members, sides, strict=True) if up}
        delta = (
            sum(u.bye for u in chosen),
            sum(u.winner and not u.bye for u in chosen),
            sum(not u.winner and not u.bye for u in chosen),
        )
        up = len(chosen)
        together = up * (up - 1) // 2 + (len(members) - up) * (len(members) - up - 1) // 2
        nearness = tuple(up != prefers_top[u] for u, up in zip(members, sides, strict=True))
        options.append((nearness, chosen, delta, together))
    options.sort(key=lambda option: option[0])
    return [option[1:] for option in options]


def _winner_pairs(winners: int, others: int) -> int:
    """The fewest winner-against-winner matches among these players, however they are paired."""
    return max(0, (winners - others) // 2)


def round_names(size: int) -> list[str]:
    """Names of the rounds, first to last, of a bracket of `size` places (a power of two)."""
    if size < 1 or size & (size - 1):
        raise ValueError(size)
    names = []
    places = size
    while places >= 2:
        names.append({2: "final", 4: "semi_final", 8: "quarter_final"}.get(places, f"round_of_{places}"))
        places //= 2
    return names


def winner(home_goals: int, away_goals: int, home_penalties: int | None, away_penalties: int | None) -> str | None:
    """Which side won ("home" or "away"), or None for a draw with no penalty winner entered yet."""
    if home_goals != away_goals:
        return "home" if home_goals > away_goals else "away"
    if home_penalties is None or away_penalties is None or home_penalties == away_penalties:
        return None
    return "home" if home_penalties > away_penalties else "away"


def meet_round(size: int, i: int, j: int) -> int:
    """The round (1 = first) in which the teams of first-round slots i and j (0-based, bracket order) can
    first meet in a bracket of `size` places: slots i and i ^ 1 feed one second-round match, and so on."""
    if not (0 <= i < size // 2 and 0 <= j < size // 2):
        raise ValueError((size, i, j))
    return 1 if i == j else (i ^ j).bit_length() + 1
