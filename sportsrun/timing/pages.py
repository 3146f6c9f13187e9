"""The volunteer's results upload: preview what was understood, change the column mapping if needed,
then commit; the organiser's undo and hand correction."""

from dataclasses import dataclass

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import MultipartBody, URLEncodedBody
from litestar.response import Redirect

from sportsrun.accounts.guards import page_requires, signed_in
from sportsrun.core.errors import Conflict, InvalidInput, SheetInvalid, TooLarge
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web.forms import NO_STORE, form_values, see_other
from sportsrun.core.web.params import PathCode, PathId
from sportsrun.core.web.templating import render
from sportsrun.core.web.uploads import read_upload
from sportsrun.events.services import load_race
from sportsrun.results.services import correct_result
from sportsrun.results.times import format_exact, zone_name
from sportsrun.settings import get_settings
from sportsrun.timing import services
from sportsrun.timing.check import Check
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


def preview_context(checked: Check, mode: str, token: str) -> dict:
    understood = checked.understood
    problems: dict[int | None, list] = {}
    for e in understood.errors:
        problems.setdefault(e.row, []).append(e)
    shown = {number for number, _cells in understood.preview}
    bad_rows = []
    for number in sorted(n for n in problems if n is not None)[:PROBLEM_ROWS]:
        if number not in shown and number <= len(checked.cells):
            bad_rows.append((number, ["" if v is None else str(v) for v in checked.cells[number - 1]]))
    # In replace mode a runner missing from the file loses their result: one folded warning for all of them,
    # and a plain question first when that is most of the race (a partial sheet uploaded as the whole).
    absent = sorted(set(checked.registered) - understood.bibs) if mode == "replace" else []
    rows = sorted(understood.preview + bad_rows)
    return {
        "understood": understood,
        "counts": understood.counts(),
        "rows": rows,
        "read": rows_as_read(checked, {number for number, _cells in rows}),
        "problems": problems,
        "warnings": understood.warnings,
        "absent": absent,
        "mostly_absent": len(absent) * 2 > len(checked.registered),
        "mode": mode,
        "token": token,
        "fields": FIELDS,
        "mapped": understood.columns,
    }


def rows_as_read(checked: Check, numbers: set[int]) -> dict[int, dict]:
    """For the sheet rows shown: the times as they were read and the public name of the bib's runner, so that
    a volunteer can check both beside the cells (a typed `42:10` read as 42 minutes, the right person)."""
    out = {}
    for row in checked.understood.rows:
        if row.row not in numbers:
            continue
        holder = checked.registered.get(row.bib)
        shown = checked.public.get(holder.registration) if holder else None
        out[row.row] = {"status": row.status, "gun": format_exact(row.gun_ms), "chip": format_exact(row.chip_ms),
                        "name": shown.name if shown else ""}  # fmt: skip
    return out


def status_names() -> dict[str, str]:
    """The statuses a result may have, for forms and lists that name no runner (the values stay the codes)."""
    return {"finished": _("Finished"), "DNF": _("Did not finish (DNF)"), "DNS": _("Did not start (DNS)"),
            "DQ": _("Disqualified (DQ)")}  # fmt: skip


async def _upload_page(request: Request, race_id: int, status_code: int = 200, **context) -> Response:
    race = await load_race(race_id)
    context.setdefault("preview", None)
    return render(request, "timing/upload.html", block=context.pop("block", None), status_code=status_code,
                  headers=NO_STORE, race=race.to_json(), history=await services.import_history(race_id),
                  zone=zone_name(race.utc_offset_minutes), status_names=status_names(),
                  max_mb=get_settings().max_upload_mb, me=signed_in(request), **context)  # fmt: skip


async def _preview_page(request: Request, race_id: int, token: str, checked: Check, mode: str,
                        block: str | None = None) -> Response:  # fmt: skip
    mode = mode if mode in services.MODES else "replace"
    status = 422 if checked.understood.errors else 200
    return await _upload_page(request, race_id, status, preview=preview_context(checked, mode, token), block=block)


class SheetUploadPages(Controller):
    """The upload itself; the app gives this controller the upload size limit."""

    path = "/volunteer/races/{race_id:int}/results"
    include_in_schema = False
    guards = [page_requires("volunteer")]

    @post("/preview")
    async def preview(self, request: Request, race_id: PathId, data: MultipartBody[SheetUpload]) -> Response:
        try:
            content = await read_upload(data.file)
            token, checked = await services.preview(race_id, signed_in(request).id, data.file.filename or "", content)
        except TooLarge as exc:
            return await _upload_page(request, race_id, 413, problem=exc.detail)
        except SheetInvalid as exc:  # the file itself is unreadable: nothing to preview
            return await _upload_page(request, race_id, 422, problem=exc.detail)
        return await _preview_page(request, race_id, token, checked, data.mode)


class ResultsUploadPages(Controller):
    path = "/volunteer/races/{race_id:int}/results"
    include_in_schema = False
    guards = [page_requires("volunteer")]

    @get("/")
    async def upload_form(self, request: Request, race_id: PathId) -> Response:
        return await _upload_page(request, race_id)

    async def _recheck(self, request: Request, race_id: int, token: str, mode: str, mapping: dict,
                       block: str | None = None) -> Response:  # fmt: skip
        try:
            checked = await services.recheck(race_id, signed_in(request).id, token, mapping)
        except SheetInvalid as exc:
            return await _upload_page(request, race_id, 422, problem=exc.detail, block=block)
        return await _preview_page(request, race_id, token, checked, mode, block)

    @post("/preview/{token:str}")
    async def remap(self, request: Request, race_id: PathId, token: PathCode, data: Form) -> Response:
        """The volunteer chose columns: the preview again with that mapping (htmx swaps the preview)."""
        values = form_values(data)
        return await self._recheck(request, race_id, token, values.get("mode", "replace"), mapping_from_form(values),
                                   block="preview")  # fmt: skip

    @post("/commit/{token:str}")
    async def commit(self, request: Request, race_id: PathId, token: PathCode, data: Form) -> Response:
        values = form_values(data)
        mode, mapping = values.get("mode", "replace"), mapping_from_form(values)
        try:
            result = await services.commit_preview(race_id, signed_in(request).id, token, mode=mode, mapping=mapping,
                                                   reason=values.get("reason", ""))  # fmt: skip
        except (SheetInvalid, InvalidInput):
            return await self._recheck(request, race_id, token, mode, mapping)
        return await _upload_page(request, race_id, 201, result=result)


class ResultsAdminPages(Controller):
    path = "/organiser/races/{race_id:int}/results"
    include_in_schema = False
    guards = [page_requires("organiser")]

    @get("/imports/{import_id:int}/undo")
    async def confirm_undo(self, request: Request, race_id: PathId, import_id: PathId) -> Response:
        """Undoing asks first, saying what would come back."""
        return await self._confirm_undo(request, race_id, import_id)

    async def _confirm_undo(self, request: Request, race_id: int, import_id: int, status_code: int = 200) -> Response:
        race, undo = await load_race(race_id), await services.undo_preview(race_id, import_id)
        return render(request, "timing/undo.html", status_code=status_code, headers=NO_STORE, race=race.to_json(),
                      undo=undo, zone=zone_name(race.utc_offset_minutes))  # fmt: skip

    @post("/imports/{import_id:int}/undo")
    async def undo(self, request: Request, race_id: PathId, import_id: PathId, data: Form) -> Redirect | Response:
        if data.get("confirm") != "yes":  # a form that did not come from the confirmation: ask first
            return await self._confirm_undo(request, race_id, import_id)
        try:
            await services.undo_import(race_id, import_id, data.get("reason", ""), signed_in(request).id)
        except Conflict:
            return await self._confirm_undo(request, race_id, import_id, 409)
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
            message = exc.errors[0].message if isinstance(exc, InvalidInput) and exc.errors else str(exc)
            return await _upload_page(request, race_id, 422, problem=message, correction=values)
        return see_other(f"/volunteer/races/{race_id}/results")
