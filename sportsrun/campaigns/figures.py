"""A campaign's figures, its province leaderboard and its progress timeline (PRODUCT.md, "The road to the
Baghdad Marathon"; API.md, "Campaign leaderboards"). Pure: counts in, figures out; the caller counts
(confirmed registrations, finishers, women among them, registered teams) for the campaign's published events.

- An event is held once its date has come (`today`, the date in Iraq, is the caller's). `provinces` is the
  number of provinces that held an event; registrations count whether or not their event is held yet.
- Women's share is women finishers over finishers, a fraction 0–1, None when nobody finished.
- Kilometres are distance × finishers, summed exactly (a half marathon is 21,097.5 m: decimal metres, never
  binary floats, add up) and only then rounded to 0.1 km, half up.
- The province leaderboard lists every province given, each event counted in its own province, most
  finishers first and in the given order among equals.
- The timeline has one row per event date, oldest first, with the registrations and finishers of the events
  on or before that date; future dates are listed too (their registrations already count)."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

METRICS = ("registrations", "finishers", "provinces", "women_share", "km", "teams")
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class RaceCounts:
    distance_m: float | int | Decimal  # as stored (a float column): read through its shortest decimal text
    registrations: int  # confirmed: not waitlisted, not cancelled
    finishers: int
    women_finishers: int

    def __post_init__(self) -> None:
        if not 0 <= self.women_finishers <= self.finishers or self.registrations < 0 or self.distance_m < 0:
            raise ValueError(self)

    @property
    def metres(self) -> Decimal:
        # str() of a float is its shortest round-tripping decimal: 21097.5, not 21097.499999….
        return Decimal(str(self.distance_m)) * self.finishers


@dataclass(frozen=True)
class EventCounts:
    province: str
    date: dt.date
    races: tuple[RaceCounts, ...] = ()
    teams: int = 0  # football teams registered (not waiting)

    def held(self, today: dt.date) -> bool:
        return self.date <= today


@dataclass(frozen=True)
class Figures:
    """The campaign's figures, named as the targets' metrics."""

    registrations: int
    finishers: int
    provinces: int
    women_share: float | None
    km: float
    teams: int

    def value(self, metric: str) -> int | float | None:
        if metric not in METRICS:
            raise ValueError(metric)
        return getattr(self, metric)


@dataclass(frozen=True)
class ProvinceRow:
    province: str
    events: int  # held
    registrations: int
    finishers: int
    women_share: float | None
    km: float
    teams: int


@dataclass(frozen=True)
class Progress:
    date: dt.date
    registrations: int  # up to and including this date's events
    finishers: int


@dataclass(frozen=True)
class Target:
    metric: str
    target: float
    value: int | float | None


class _Sum:
    def __init__(self) -> None:
        self.events = self.registrations = self.finishers = self.women = self.teams = 0
        self.metres = Decimal(0)

    def add(self, event: EventCounts, today: dt.date) -> None:
        self.events += event.held(today)
        self.teams += event.teams
        for race in event.races:
            self.registrations += race.registrations
            self.finishers += race.finishers
            self.women += race.women_finishers
            self.metres += race.metres

    @property
    def women_share(self) -> float | None:
        return self.women / self.finishers if self.finishers else None

    @property
    def km(self) -> float:
        # Exact until here; the float of a number with one decimal prints as that number.
        return float((self.metres / 1000).quantize(_TENTH, rounding=ROUND_HALF_UP))


def figures(events: Iterable[EventCounts], today: dt.date) -> Figures:
    events = list(events)
    total = _Sum()
    for event in events:
        total.add(event, today)
    held = {e.province for e in events if e.held(today)}
    return Figures(total.registrations, total.finishers, len(held), total.women_share, total.km, total.teams)


def targets(wanted: Iterable[tuple[str, float]], figures: Figures) -> list[Target]:
    """The campaign's (metric, target) pairs, in their order, each with its value now."""
    return [Target(metric, target, figures.value(metric)) for metric, target in wanted]


def provinces(events: Iterable[EventCounts], codes: Sequence[str], today: dt.date) -> list[ProvinceRow]:
    """Every province of `codes` (all 19: they are data, read by the caller), most finishers first."""
    sums = {code: _Sum() for code in codes}
    for event in events:
        if event.province not in sums:
            raise ValueError(f"unknown province {event.province!r}")
        sums[event.province].add(event, today)
    rows = [
        ProvinceRow(code, s.events, s.registrations, s.finishers, s.women_share, s.km, s.teams)
        for code, s in sums.items()
    ]
    return sorted(rows, key=lambda r: -r.finishers)  # stable: the given order among equals


def timeline(events: Iterable[EventCounts]) -> list[Progress]:
    by_date: dict[dt.date, tuple[int, int]] = {}
    for event in events:
        registrations, finishers = by_date.get(event.date, (0, 0))
        by_date[event.date] = (
            registrations + sum(r.registrations for r in event.races),
            finishers + sum(r.finishers for r in event.races),
        )
    rows, registrations, finishers = [], 0, 0
    for date in sorted(by_date):
        registrations += by_date[date][0]
        finishers += by_date[date][1]
        rows.append(Progress(date, registrations, finishers))
    return rows
