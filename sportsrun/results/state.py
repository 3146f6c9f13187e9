"""What the public results pages of a race depend on, for caching them (`core.web.page_cache`).

The race's results version is re-read at most once a second per process: the results a worker shows
are at most a second behind a change made in another worker; a change made in this process is seen at
once."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response

from sportsrun.core.errors import NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web.page_cache import Recent, cached_response
from sportsrun.events import hooks as events_hooks
from sportsrun.results import queries

VERSION_TTL_S = 1.0


@dataclass(frozen=True, slots=True)
class RaceState:
    version: int
    results_status: str
    updated_at: Any
    # What else a rendered page shows of the race and its event: a rename must not wait for new results.
    shown: tuple = ()


# Every column of `queries.race_state` but the version and status, the names in each language included.
SHOWN = ("name", "ranking", "distance_m", "start_time", "age_groups", "event_name", "date", "city",
         "name_ar", "name_ckb", "name_en", "event_name_ar", "event_name_ckb", "event_name_en",
         "city_ar", "city_ckb", "city_en")  # fmt: skip


async def _load(race_id: int) -> RaceState | None:
    row = await queries.race_state(race_id)
    if row is None:
        return None
    shown = tuple(str(row[k]) for k in SHOWN)
    return RaceState(row["results_version"], row["results_status"], row["results_updated_at"], shown)


_states = Recent(_load, VERSION_TTL_S)
race_state = _states.get


@events_hooks.shown_changed.connect
async def forget(race_id: int | None = None) -> None:
    """This process changed the race's results or what its pages show: read its state again next time
    (every race's, when no race is named)."""
    _states.forget(race_id)


async def cached(
    request: Request,
    race_id: int,
    key: tuple,
    build: Callable[[], Awaitable[bytes]],
    media_type: str,
    vary: str = "Accept-Language, Cookie",
) -> Response:
    """A public page or answer of the race, built once per version of its results and of what it shows."""
    state = await race_state(race_id)
    if state is None:
        raise NotFound(_("No such race."))
    full_key = (*key, race_id, state.version, state.results_status, state.shown)
    return await cached_response(request, full_key, build, media_type, vary)
