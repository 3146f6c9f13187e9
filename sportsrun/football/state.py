"""What a division's public pages depend on, for caching them (`core.web.page_cache`), as the results
pages do: its version is re-read at most once a second per process, so a score entered on one worker
shows on every worker within a second."""

import time
from collections.abc import Awaitable, Callable

from litestar import Request, Response

from sportsrun.core.errors import NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web.page_cache import cached_response
from sportsrun.football import queries

VERSION_TTL_S = 1.0

_states: dict[int, tuple[float, tuple | None]] = {}


async def division_state(division_id: int) -> tuple | None:
    now = time.monotonic()
    kept = _states.get(division_id)
    if kept and now - kept[0] < VERSION_TTL_S:
        return kept[1]
    row = await queries.division_state(division_id)
    state = None if row is None or not row["published"] else tuple(str(v) for v in row.values())
    _states[division_id] = (now, state)
    return state


def forget(division_id: int | None = None) -> None:
    """This process changed the division: read its state again at once."""
    if division_id is None:
        _states.clear()
    else:
        _states.pop(division_id, None)


async def cached(request: Request, division_id: int, key: tuple, build: Callable[[], Awaitable[bytes]],
                 media_type: str, vary: str = "HX-Request, Accept-Language, Cookie") -> Response:  # fmt: skip
    """A public page of the division, built once per version of what it shows."""
    state = await division_state(division_id)
    if state is None:
        raise NotFound(_("No such division."))
    return await cached_response(request, (*key, division_id, state), build, media_type, vary)
