"""A campaign's computed figures and standings, kept per process by the version of what they come from.

What the campaign holds (its events, races, results versions, registration tallies, teams) is read at
most once a second per process (`Recent`), a few small queries; the figures are recomputed when that
changes, the series standings only when a series race's results change. Concurrent requests after a
change wait for one computation instead of each making their own."""

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from litestar import Request, Response

from sportsrun.campaigns import board
from sportsrun.campaigns.kept_standings import KeptStandings, Table
from sportsrun.core.gc_pause import gc_paused
from sportsrun.core.web.page_cache import Recent, cached_response
from sportsrun.events import hooks as events_hooks
from sportsrun.events.race_row import RaceRow

HELD_TTL_S = 1.0
KEPT = 16  # computed boards per process: a few campaigns, each at its current version


class _Once:
    """Results by key, each computed once (however many ask at the same time), the latest few kept."""

    def __init__(self, size: int = KEPT):
        self.size = size
        self.done: OrderedDict[tuple, object] = OrderedDict()
        self.running: dict[tuple, asyncio.Future] = {}

    async def get(self, key: tuple, compute: Callable[[], Awaitable[object]]) -> object:
        if key in self.done:
            self.done.move_to_end(key)
            return self.done[key]
        if key in self.running:
            return await asyncio.shield(self.running[key])
        future = asyncio.get_running_loop().create_future()
        self.running[key] = future
        try:
            value = await compute()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # seen: nobody else may be waiting
            raise
        finally:
            self.running.pop(key, None)
        future.set_result(value)
        self.done[key] = value
        while len(self.done) > self.size:
            self.done.popitem(last=False)
        return value


_held = Recent(board.read, HELD_TTL_S)
_counts = _Once()
_series = _Once()
_tables = _Once()
_standings: dict[int, KeptStandings] = {}  # campaign → its standings, counted again only where a race changed
_finishers = _Once(size=128)  # each series race's finishers at its results version: an import reads one again


@events_hooks.shown_changed.connect
async def forget(race_id: int | None = None) -> None:
    """This process changed a race's results or what its pages show: read the campaigns again."""
    _held.forget()


def clear() -> None:
    """Forgets everything computed: for a database emptied under the running process (the tests do)."""
    _held.forget()
    for kept in (_counts, _series, _tables, _finishers):
        kept.done.clear()
    _standings.clear()


def forget_campaign(campaign_id: int) -> None:
    _held.forget(campaign_id)


async def held(campaign_id: int) -> board.Held:
    return await _held.get(campaign_id)  # type: ignore[return-value]


async def counts(held: board.Held) -> board.Counts:
    return await _counts.get(held.version(), lambda: board.counts(held))  # type: ignore[return-value]


def _kept(held: board.Held) -> KeptStandings:
    return _standings.setdefault(held.campaign["id"], KeptStandings())


async def series(held: board.Held) -> board.Series:
    return await _series.get(held.series_version(), lambda: board.series(held, _kept(held), finishers))  # type: ignore[return-value]


async def table(held: board.Held, gender: str = "") -> Table:
    """The standings ranked overall ("") or within a gender, for paging and search."""
    await series(held)  # brings the kept standings to this version
    key = (held.series_version(), gender)
    with gc_paused():  # as in board.series: ranking 120,000 rows makes as many tuples
        return await _tables.get(key, lambda: asyncio.to_thread(_kept(held).table, gender))  # type: ignore[return-value]


async def finishers(race: RaceRow) -> list[board.Finisher]:
    key = (race.id, race.results_version)
    rows = await _finishers.get(key, lambda: board.race_finishers(race))
    for stale in [k for k in _finishers.done if k[0] == race.id and k != key]:
        del _finishers.done[stale]  # tens of thousands of rows each: keep only the current version
    return rows  # type: ignore[return-value]


async def cached(request: Request, held: board.Held, key: tuple, build: Callable[[], Awaitable[bytes]],
                 media_type: str, vary: str = "Accept-Language, Cookie") -> Response:  # fmt: skip
    """A public page or answer of the campaign, built once per version of what it shows."""
    return await cached_response(request, ("campaign", held.version(), *key), build, media_type, vary)
