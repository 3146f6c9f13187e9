"""Organiser pages for a race's registrations: the table, bib reassignment, exports, entrant import."""

from dataclasses import dataclass

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromQuery, MultipartBody, URLEncodedBody
from litestar.response import Redirect

from sportsrun.accounts.guards import page_requires, signed_in
from sportsrun.core.errors import Conflict, FieldError, InvalidInput, SheetInvalid, TooLarge
from sportsrun.core.i18n import gettext as _
from sportsrun.core.spreadsheets.workbooks import XLSX
from sportsrun.core.web.forms import NO_STORE, see_other
from sportsrun.core.web.params import PathId
from sportsrun.core.web.templating import render
from sportsrun.core.web.uploads import read_upload
from sportsrun.events import services as events
from sportsrun.events.provinces import province_names
from sportsrun.registration import exports, imports, organiser
from sportsrun.settings import get_settings

PAGE_SIZE = 50
# A page number past the database's integers would reach its OFFSET: refused (422), as the results pages
# refuse a page past their ten millionth row.
MAX_PAGE = 200_000


@dataclass
class ImportUpload:
    file: UploadFile


def _download(name: str, content: bytes) -> Response:
    return Response(content, media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{name}"', **NO_STORE})  # fmt: skip


class OrganiserRegistrationPages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [page_requires("organiser")]

    @get("/races/{race_id:int}/registrations")
    async def table(self, request: Request, race_id: PathId, q: FromQuery[str] = "", status: FromQuery[str] = "",
                    page: FromQuery[int] = 1) -> Response:  # fmt: skip
        if page > MAX_PAGE:
            raise InvalidInput([FieldError("page", _("Enter a number from {low} to {high}.", low=1, high=MAX_PAGE))])
        race = await events.load_race(race_id)
        page = max(page, 1)
        found = await organiser.search_for_organiser(race_id, q, status, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        pages = max((found["total"] + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        return render(request, "organiser/registrations.html", block="table", headers=NO_STORE,
                      race=race.to_json(), found=found, q=q, status=status, page=page, pages=pages,
                      province_names=await province_names())  # fmt: skip

    @post("/registrations/{registration_id:int}/bib")
    async def reassign(self, request: Request, registration_id: PathId,
                       data: URLEncodedBody[dict[str, str]]) -> Response | Redirect:  # fmt: skip
        """Inline: htmx swaps the row; without JavaScript the table is shown again."""
        problem = None
        try:
            await organiser.reassign(registration_id, {"bib": data.get("bib")}, signed_in(request).id)
        except (InvalidInput, Conflict) as exc:
            problem = exc.errors[0].message if isinstance(exc, InvalidInput) and exc.errors else exc.detail
        row = await organiser.organiser_row(registration_id)
        back = f"/organiser/races/{row['race_id']}/registrations?q={row['bib'] or ''}"
        if request.headers.get("hx-request") != "true":
            if problem is None:
                return see_other(back)
            race = await events.load_race(row["race_id"])
            found = {"total": 1, "items": [row]}
            return render(request, "organiser/registrations.html", status_code=422, headers=NO_STORE,
                          race=race.to_json(), found=found, q="", status="", page=1, pages=1,
                          problem=problem, problem_row=registration_id,
                          province_names=await province_names())  # fmt: skip
        return render(request, "organiser/_registration_row.html", status_code=422 if problem else 200,
                      headers=NO_STORE, r=row, problem=problem, province_names=await province_names())  # fmt: skip

    @get("/races/{race_id:int}/start-list.xlsx")
    async def start_list(self, race_id: PathId) -> Response:
        return _download(*await exports.start_list(race_id))

    @get("/races/{race_id:int}/registrations.xlsx")
    async def registrations_xlsx(self, race_id: PathId) -> Response:
        return _download(*await exports.registrations(race_id))


class EntrantImportPages(Controller):
    """The entrant upload; the app gives this controller the upload size limit."""

    path = "/organiser"
    include_in_schema = False
    guards = [page_requires("organiser")]

    @get("/races/{race_id:int}/import")
    async def import_form(self, request: Request, race_id: PathId) -> Response:
        race = await events.load_race(race_id)
        return render(request, "organiser/import.html", headers=NO_STORE, race=race.to_json(), result=None,
                      problems=None, max_mb=get_settings().max_upload_mb)  # fmt: skip

    @post("/races/{race_id:int}/import")
    async def import_file(self, request: Request, race_id: PathId, data: MultipartBody[ImportUpload]) -> Response:
        race = await events.load_race(race_id)
        context = {"race": race.to_json(), "result": None, "problems": None, "max_mb": get_settings().max_upload_mb,
                   "filename": data.file.filename}  # fmt: skip
        try:
            content = await read_upload(data.file)
            context["result"] = await imports.import_entrants(race_id, content, signed_in(request).id)
            status = 201
        except SheetInvalid as exc:
            context["problems"] = imports.problem_rows(exc)
            context["detail"] = exc.detail
            status = 422
        except TooLarge as exc:
            context["detail"], status = exc.detail, 413
        return render(request, "organiser/import.html", status_code=status, headers=NO_STORE, **context)
