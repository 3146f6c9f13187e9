"""What a division's public pages depend on, for caching them (`core.web.page_cache`), as the results
pages do: its version is re-read at most once a second per process, so a score entered on one worker
shows on every worker within a second."""

from collections.abc import Awaitable, Callable

from litestar import Request, Response

from sportsrun.core.errors import NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web.page_cache import Recent, cached_response
from sportsrun.football import queries


async def _load(division_id: int) -> tuple | None:
    row = await queries.division_state(division_id)
    return None if row is None or not row["published"] else tuple(str(v) for v in row.values())


_states = Recent(_load)
division_state = _states.get


def forget(division_id: int | None = None) -> None:
    """This process changed the division: read its state again at once."""
    _states.forget(division_id)


async def cached(request: Request, division_id: int, key: tuple, build: Callable[[], Awaitable[bytes]],
                 media_type: str, vary: str = "HX-Request, Accept-Language, Cookie") -> Response:  # fmt: skip
    """A public page of the division, built once per version of what it shows."""
    state = await division_state(division_id)
    if state is None:
        raise NotFound(_("No such division."))
    return await cached_response(request, (*key, division_id, state), build, media_type, vary)
