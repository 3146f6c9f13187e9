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
from sportsrun.core.web.page_cache import Recent, cached_response
from sportsrun.events import hooks as events_hooks

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


@events_hooks.shown_changed.connect
async def forget(race_id: int | None = None) -> None:
    """This process changed a race's results or what its pages show: read the campaigns again."""
    _held.forget()


def forget_campaign(campaign_id: int) -> None:
    _held.forget(campaign_id)


async def held(campaign_id: int) -> board.Held:
    return await _held.get(campaign_id)  # type: ignore[return-value]


async def counts(held: board.Held) -> board.Counts:
    return await _counts.get(held.version(), lambda: board.counts(held))  # type: ignore[return-value]


async def series(held: board.Held) -> board.Series:
    return await _series.get(held.series_version(), lambda: board.series(held))  # type: ignore[return-value]


async def cached(request: Request, held: board.Held, key: tuple, build: Callable[[], Awaitable[bytes]],
                 media_type: str, vary: str = "Accept-Language, Cookie") -> Response:  # fmt: skip
    """A public page or answer of the campaign, built once per version of what it shows."""
    return await cached_response(request, ("campaign", held.version(), *key), build, media_type, vary)
