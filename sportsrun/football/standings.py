"""A group's table (PRODUCT.md, "Mini-football"). Pure: plain values in, plain values out.

A win is 3 points, a draw 1. Order: points, goal difference, goals scored; then, among the teams still
level, the same three counted only in their matches against each other (head-to-head), applied again to
any subset that head-to-head split off but left level; then fewer cards (fair play, each card counts
once); then a recorded drawing of lots. Teams still level after that share a rank until lots are drawn.

Head-to-head is re-applied only to a strictly smaller subset: when the mini-table of the level teams does
not separate them at all, fair play decides (asking the same question again could only loop). Fair play
and lots do not send the teams they leave level back to head-to-head: the rules list them after it."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

HEAD_TO_HEAD = "head_to_head"
FAIR_PLAY = "fair_play"
LOTS = "lots"
# Internal marks between two neighbouring rows: separated overall, or not separated at all.
_OVERALL = None
_LEVEL = "level"

WIN, DRAW = 3, 1


@dataclass(frozen=True)
class Result:
    home: int
    away: int
    home_goals: int
    away_goals: int
    home_cards: int = 0
    away_cards: int = 0


@dataclass
class Row:
    team: int
    played: int = 0
    won: int = 0
    drawn: int = 0
    lost: int = 0
    goals_for: int = 0
    goals_against: int = 0
    points: int = 0
    cards: int = 0
    rank: int = 0
    # The rule that put this team above the next row: None when points, goal difference or goals scored
    # over the whole group did, and on the last row.
    tiebreak: str | None = None
    # Still level with the next row after fair play, with no lots recorded for them.
    level_with_next: bool = False

    @property
    def goal_difference(self) -> int:
        return self.goals_for - self.goals_against


def _table(teams: Sequence[int], results: Iterable[Result]) -> dict[int, Row]:
    rows = {team: Row(team=team) for team in teams}
    for r in results:
        if r.home not in rows or r.away not in rows or r.home == r.away:
            raise ValueError(r)
        _count(rows[r.home], r.home_goals, r.away_goals, r.home_cards)
        _count(rows[r.away], r.away_goals, r.home_goals, r.away_cards)
    return rows


def _count(row: Row, scored: int, conceded: int, cards: int) -> None:
    row.played += 1
    row.goals_for += scored
    row.goals_against += conceded
    row.cards += cards
    if scored > conceded:
        row.won += 1
        row.points += WIN
    elif scored == conceded:
        row.drawn += 1
        row.points += DRAW
    else:
        row.lost += 1


def _merit(row: Row) -> tuple[int, int, int]:
    return (-row.points, -row.goal_difference, -row.goals_for)


def _split(teams: list[int], key) -> list[list[int]]:
    """Runs of equal key, best (lowest) first; the caller's order is kept inside a run."""
    ordered = sorted(teams, key=key)
    runs: list[list[int]] = []
    for team in ordered:
        if runs and key(runs[-1][0]) == key(team):
            runs[-1].append(team)
        else:
            runs.append([team])
    return runs


# Each resolver returns the teams in order and, between each two neighbours, the mark that separated them.
Ordered = tuple[list[int], list[str | None]]


def _join(runs: list[list[int]], mark: str | None, resolve) -> Ordered:
    order: list[int] = []
    marks: list[str | None] = []
    for run in runs:
        if order:
            marks.append(mark)
        inner_order, inner_marks = resolve(run)
        order += inner_order
        marks += inner_marks
    return order, marks


class _Resolver:
    def __init__(self, rows: dict[int, Row], results: list[Result], lots: Sequence[int] | None):
        self.rows = rows
        self.results = results
        self.lots = {team: i for i, team in enumerate(lots)} if lots is not None else {}

    def overall(self, teams: list[int]) -> Ordered:
        return _join(_split(teams, lambda t: _merit(self.rows[t])), _OVERALL, self.head_to_head)

    def head_to_head(self, level: list[int]) -> Ordered:
        if len(level) == 1:
            return level, []
        inside = set(level)
        mini = _table(level, (r for r in self.results if r.home in inside and r.away in inside))
        runs = _split(level, lambda t: _merit(mini[t]))
        if len(runs) == 1:
            return self.fair_play(level)
        return _join(runs, HEAD_TO_HEAD, self.head_to_head)

    def fair_play(self, level: list[int]) -> Ordered:
        runs = _split(level, lambda t: self.rows[t].cards)
        if len(runs) == 1:
            return self.drawing(level)
        return _join(runs, FAIR_PLAY, self.drawing)

    def drawing(self, level: list[int]) -> Ordered:
        if len(level) == 1:
            return level, []
        # Lots that leave out one of the level teams decide nothing: the organiser draws for all of them.
        if all(t in self.lots for t in level):
            return sorted(level, key=self.lots.__getitem__), [LOTS] * (len(level) - 1)
        return level, [_LEVEL] * (len(level) - 1)


def rank(teams: Sequence[int], results: Iterable[Result], lots: Sequence[int] | None = None) -> list[Row]:
    """Every team of the group in table order. `lots`: team ids in the order a drawing of lots gave (first =
    best). Teams level even after fair play and without lots share a rank and keep the caller's order."""
    if len(set(teams)) != len(teams):
        raise ValueError(teams)
    results = list(results)
    rows = _table(teams, results)
    order, marks = _Resolver(rows, results, lots).overall(list(teams))
    table = [rows[t] for t in order]
    for i, row in enumerate(table):
        mark = marks[i] if i < len(marks) else _OVERALL
        row.level_with_next = mark == _LEVEL
        row.tiebreak = None if mark in (_OVERALL, _LEVEL) else mark
        row.rank = table[i - 1].rank if i and table[i - 1].level_with_next else i + 1
    return table


def needs_lots(rows: Sequence[Row]) -> list[list[int]]:
    """The runs of teams still level after fair play, for the organiser to draw lots between."""
    runs: list[list[int]] = []
    joined = False
    for row in rows:
        if joined:
            runs[-1].append(row.team)
        elif row.level_with_next:
            runs.append([row.team])
        joined = row.level_with_next
    return runs
