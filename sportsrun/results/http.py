"""Cached, revalidatable responses for public results: an unchanged poll is answered 304 from a key
lookup, a repeated page from memory; both keyed by the race's results version."""

import hashlib
from collections.abc import Awaitable, Callable

from litestar import Request, Response

from sportsrun.core.errors import NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.results import cache


def etag_of(key: tuple) -> str:
    return 'W/"' + hashlib.blake2b(repr(key).encode(), digest_size=12).hexdigest() + '"'


async def cached_response(
    request: Request,
    race_id: int,
    key: tuple,
    build: Callable[[], Awaitable[bytes]],
    media_type: str,
    vary: str = "Accept-Language, Cookie",
) -> Response:
    state = await cache.race_state(race_id)
    if state is None:
        raise NotFound(_("No such race."))
    full_key = (*key, race_id, state.version, state.results_status, state.shown)
    entry = cache.rendered.get(full_key)
    if entry is None:
        body = await build()
        entry = (body, etag_of(full_key))
        cache.rendered.put(full_key, *entry)
    body, etag = entry
    # no-cache: browsers and proxies keep the page but ask each time; the answer is usually a 304.
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": vary}
    if etag in request.headers.get("if-none-match", ""):
        return Response(content=None, status_code=304, headers=headers)
    return Response(content=body, media_type=media_type, headers=headers)
