"""The volunteer's results upload: preview what was understood, change the column mapping if needed,
then commit; the organiser's undo and hand correction."""

from dataclasses import dataclass

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import MultipartBody, URLEncodedBody
from litestar.response import Redirect

from sportsrun.accounts.guards import page_requires, signed_in
from sportsrun.core.errors import Conflict, InvalidInput, SheetInvalid, TooLarge
from sportsrun.core.web.forms import NO_STORE, form_values, see_other
from sportsrun.core.web.params import PathCode, PathId
from sportsrun.core.web.templating import render
from sportsrun.events.races import load_race
from sportsrun.registration.api import read_upload
from sportsrun.results.services import correct_result
from sportsrun.settings import get_settings
from sportsrun.timing import services, stash
from sportsrun.timing.columns import FIELDS
from sportsrun.timing.timeparse import parse_duration

Form = URLEncodedBody[dict[str, str]]
PROBLEM_ROWS = 50


@dataclass
class SheetUpload:
    file: UploadFile
    mode: str = "replace"


def mapping_from_form(values: dict) -> dict[str, str]:
    return {f: values[f"map_{f}"] for f in FIELDS if values.get(f"map_{f}")}


def preview_context(checked: services.Check, mode: str, token: str, registered: dict) -> dict:
    understood = checked.understood
    problems: dict[int | None, list] = {}
    for e in understood.errors:
        problems.setdefault(e.row, []).append(e)
    shown = {number for number, _cells in understood.preview}
    bad_rows = []
    for number in sorted(n for n in problems if n is not None)[:PROBLEM_ROWS]:
        if number not in shown and number <= len(checked.cells):
            bad_rows.append((number, ["" if v is None else str(v) for v in checked.cells[number - 1]]))
    warnings = understood.warnings + services.absent_warnings(understood, registered, mode)
    return {
        "understood": understood,
        "counts": understood.counts(),
        "rows": sorted(understood.preview + bad_rows),
        "problems": problems,
        "warnings": warnings,
        "mode": mode,
        "token": token,
        "fields": FIELDS,
        "mapped": understood.columns,
    }


class ResultsUploadPages(Controller):
    path = "/volunteer/races/{race_id:int}/results"
    include_in_schema = False
    guards = [page_requires("volunteer")]

    async def _page(self, request: Request, race_id: int, status_code: int = 200, **context) -> Response:
        race = await load_race(race_id)
        context.setdefault("preview", None)
        return render(request, "timing/upload.html", block=context.pop("block", None), status_code=status_code,
                      headers=NO_STORE, race=race.to_json(), history=await services.import_history(race_id),
                      max_mb=get_settings().max_upload_mb, me=signed_in(request), **context)  # fmt: skip

    @get("/")
    async def upload_form(self, request: Request, race_id: PathId) -> Response:
        return await self._page(request, race_id)

    @post("/preview", request_max_body_size=get_settings().max_upload_bytes + 64 * 1024)
    async def preview(self, request: Request, race_id: PathId, data: MultipartBody[SheetUpload]) -> Response:
        try:
            content = await read_upload(data.file)
        except TooLarge as exc:
            return await self._page(request, race_id, 413, problem=exc.detail)
        token = await stash.keep(race_id, signed_in(request).id, data.file.filename or "", content)
        return await self._show(request, race_id, token, data.mode, {})

    async def _show(self, request: Request, race_id: int, token: str, mode: str, mapping: dict,
                    block: str | None = None) -> Response:  # fmt: skip
        _name, content = await stash.fetch_stash(token, race_id, signed_in(request).id)
        mode = mode if mode in services.MODES else "replace"
        try:
            checked = await services.check(race_id, content, mapping)
        except SheetInvalid as exc:  # the file itself is unreadable: nothing to preview
            return await self._page(request, race_id, 422, problem=exc.detail, block=block)
        registered = await services.registrants(race_id)
        context = preview_context(checked, mode, token, registered)
        status = 422 if checked.understood.errors else 200
        return await self._page(request, race_id, status, preview=context, block=block)

    @post("/preview/{token:str}")
    async def remap(self, request: Request, race_id: PathId, token: PathCode, data: Form) -> Response:
        """The volunteer chose columns: the preview again with that mapping (htmx swaps the preview)."""
        values = form_values(data)
        return await self._show(request, race_id, token, values.get("mode", "replace"), mapping_from_form(values),
                                block="preview")  # fmt: skip

    @post("/commit/{token:str}")
    async def commit(self, request: Request, race_id: PathId, token: PathCode, data: Form) -> Response:
        values = form_values(data)
        filename, content = await stash.fetch_stash(token, race_id, signed_in(request).id)
        try:
            result = await services.import_results(
                race_id, content, filename=filename, mode=values.get("mode", "replace"),
                mapping=mapping_from_form(values) or None, reason=values.get("reason", ""),
                user_id=signed_in(request).id,
            )  # fmt: skip
        except (SheetInvalid, InvalidInput):
            return await self._show(request, race_id, token, values.get("mode", "replace"), mapping_from_form(values))
        await stash.drop(token)
        return await self._page(request, race_id, 201, result=result)


class ResultsAdminPages(Controller):
    path = "/organiser/races/{race_id:int}/results"
    include_in_schema = False
    guards = [page_requires("organiser")]

    @post("/imports/{import_id:int}/undo")
    async def undo(self, request: Request, race_id: PathId, import_id: PathId, data: Form) -> Redirect | Response:
        try:
            await services.undo_import(race_id, import_id, data.get("reason", ""), signed_in(request).id)
        except Conflict as exc:
            race = await load_race(race_id)
            return render(request, "timing/upload.html", status_code=409, headers=NO_STORE, race=race.to_json(),
                          history=await services.import_history(race_id), preview=None, problem=exc.detail,
                          max_mb=get_settings().max_upload_mb, me=signed_in(request))  # fmt: skip
        return see_other(f"/volunteer/races/{race_id}/results")

    @post("/correct")
    async def correct(self, request: Request, race_id: PathId, data: Form) -> Redirect | Response:
        values = form_values(data)
        change = {"reason": values.get("reason", "")}
        if values.get("status"):
            change["status"] = values["status"]
        if values.get("time"):
            race = await load_race(race_id)
            reading = parse_duration(values["time"], race.distance_m)
            change["gun_time_ms"] = reading.ms if reading.ms else values["time"]
        try:
            bib = int(values.get("bib", "").strip() or 0)
            await correct_result(race_id, bib, change, signed_in(request).id)
        except (InvalidInput, ValueError) as exc:
            race = await load_race(race_id)
            message = exc.errors[0].message if isinstance(exc, InvalidInput) and exc.errors else str(exc)
            return render(request, "timing/upload.html", status_code=422, headers=NO_STORE, race=race.to_json(),
                          history=await services.import_history(race_id), preview=None, problem=message,
                          max_mb=get_settings().max_upload_mb, me=signed_in(request), correction=values)  # fmt: skip
        return see_other(f"/volunteer/races/{race_id}/results")
