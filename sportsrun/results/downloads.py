"""`results.xlsx` and `results.csv`: built in the export pool (off the event loop), once per race, version
of its results, what its pages show of it (the title, the distance paces come from) and filters however
many ask at once, then kept per worker for the next request in a store bounded in bytes. The ETag comes
from that key, so a repeat is answered 304 without reading anything but the race's cached state."""

from functools import partial

from litestar import Request, Response

from sportsrun.core.errors import NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.spreadsheets import export_pool
from sportsrun.core.spreadsheets.workbooks import XLSX
from sportsrun.core.web.built_once import BuiltOnce
from sportsrun.core.web.page_cache import etag_of
from sportsrun.results import exports, public
from sportsrun.results.state import race_state

# Per worker: some twenty 50,000-row workbooks, or a dozen such .csv files.
KEPT_BYTES = 64 << 20
# Litestar adds "; charset=utf-8" to a text type itself (the CSV said it twice before).
MEDIA_TYPES = {"xlsx": XLSX, "csv": "text/csv"}

store = BuiltOnce(KEPT_BYTES)


async def _build(race_id: int, query: public.Query, kind: str) -> bytes:
    race, parts = await public.export_rows(race_id, query)
    if kind == "xlsx":
        return await export_pool.run(exports.to_xlsx, race.name, race.distance_m, parts)
    return await export_pool.run(exports.to_csv, race.distance_m, parts)


async def download(request: Request, race_id: int, query: public.Query, kind: str) -> Response:
    """The export of `kind` ("xlsx" or "csv") with the listing's filters; pages (limit, offset) do not apply."""
    state = await race_state(race_id)
    if state is None:
        raise NotFound(_("No such race."))
    key = ("results", kind, race_id, query.gender, query.age_group, query.province, query.q, state.version,
           state.shown)  # fmt: skip
    # no-cache: a browser or proxy may keep the file, and asks each time; an unchanged one is a 304.
    headers = {"ETag": etag_of(key), "Cache-Control": "no-cache"}
    if headers["ETag"] in request.headers.get("if-none-match", ""):
        return Response(content=None, status_code=304, headers=headers)
    body = await store.get(key, partial(_build, race_id, query, kind))
    headers["Content-Disposition"] = f'attachment; filename="results-race-{race_id}.{kind}"'
    return Response(body, media_type=MEDIA_TYPES[kind], headers=headers)
