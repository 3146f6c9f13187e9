"""`results.xlsx` and `results.csv`: built in the export pool (off the event loop), once per race, version
of its results, what its pages show of it (the title, the distance paces come from) and filters however
many ask at once, then kept per worker for the next request in a store bounded in bytes
(`SPORTSRUN_EXPORT_CACHE_MB`). The ETag comes from that key, so a repeat is answered 304 without reading
anything but the race's cached state.

The .csv is gzipped in the child too, once, and sent so to clients that accept it (gzipping 5 MB here, on
every request, would hold the loop as long as the file took to build); an .xlsx is a zip already. What
is exported is public, the same for everyone, so compressing it gives nothing away (`compression`)."""

from functools import partial

from litestar import Request, Response

from sportsrun.core.errors import NotFound
from sportsrun.core.i18n import current_locale
from sportsrun.core.i18n import gettext as _
from sportsrun.core.localised import localised
from sportsrun.core.spreadsheets import export_pool
from sportsrun.core.spreadsheets.workbooks import XLSX
from sportsrun.core.web import compression
from sportsrun.core.web.built_once import Built, BuiltOnce
from sportsrun.core.web.page_cache import etag_of
from sportsrun.results import exports, public
from sportsrun.results.state import race_state
from sportsrun.settings import get_settings

# Litestar adds "; charset=utf-8" to a text type itself (the CSV said it twice before).
MEDIA_TYPES = {"xlsx": XLSX, "csv": "text/csv"}

store = BuiltOnce(lambda: get_settings().export_cache_bytes)


async def _build(race_id: int, query: public.Query, kind: str, locale: str) -> Built:
    race, parts = await public.export_rows(race_id, query)
    if kind == "xlsx":
        title = localised(race, locale=locale)
        return (await export_pool.run(exports.to_xlsx, title, race.distance_m, parts),)
    return await export_pool.run(exports.to_csv, race.distance_m, parts)


async def download(request: Request, race_id: int, query: public.Query, kind: str) -> Response:
    """The export of `kind` ("xlsx" or "csv") with the listing's filters; pages (limit, offset) do not apply."""
    state = await race_state(race_id)
    if state is None:
        raise NotFound(_("No such race."))
    # The workbook's sheet is named after the race in the visitor's language; the CSV names nothing.
    locale = current_locale.get() if kind == "xlsx" else ""
    key = ("results", kind, race_id, query.gender, query.age_group, query.province, query.q, state.version,
           state.shown, locale)  # fmt: skip
    # no-cache: a browser or proxy may keep the file, and asks each time; an unchanged one is a 304.
    headers = {"ETag": etag_of(key), "Cache-Control": "no-cache"}
    headers["Vary"] = "Accept-Encoding" if kind == "csv" else "Accept-Language, Cookie"
    request.scope[compression.CHOSEN] = True  # type: ignore[literal-required]
    if headers["ETag"] in request.headers.get("if-none-match", ""):
        return Response(content=None, status_code=304, headers=headers)
    built = await store.get(key, partial(_build, race_id, query, kind, locale))
    headers["Content-Disposition"] = f'attachment; filename="results-race-{race_id}.{kind}"'
    if len(built) > 1 and compression.accepts_gzip(request.scope["headers"]):
        headers["Content-Encoding"] = "gzip"
        return Response(built[1], media_type=MEDIA_TYPES[kind], headers=headers)
    return Response(built[0], media_type=MEDIA_TYPES[kind], headers=headers)
