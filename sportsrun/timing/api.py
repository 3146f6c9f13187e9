from dataclasses import dataclass
from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.datastructures import UploadFile
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, KwargDefinition, MultipartBody

from sportsrun.accounts.guards import requires_organiser, requires_volunteer
from sportsrun.core.validation import Fields
from sportsrun.core.web.openapi import errors, required
from sportsrun.core.web.params import JSON_BODY_LIMIT, PathId, present
from sportsrun.core.web.uploads import read_upload
from sportsrun.results.schemas import CorrectedResult, ResultStatusField
from sportsrun.results.services import correct_result
from sportsrun.timing import services
from sportsrun.timing.schemas import ImportReport, PastImport, Undone

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType
MAPPING = (
    "A JSON object from canonical column (`bib`, `gun_time`, `chip_time`, `clock_time`, `status`, `split:<name>`) to "
    "the sheet's header text; overrides detection."
)
DRY_RUN = "A dry run: the same counts, `import_id` null, nothing written."


@dataclass
class ResultsUpload:
    file: UploadFile
    mode: Annotated[str, KwargDefinition(schema_extra={"enum": ["replace", "merge"]})] = "replace"
    dry_run: Annotated[str, KwargDefinition(schema_extra={"enum": ["true", "false"]})] = "false"
    mapping: Annotated[str | None, KwargDefinition(description=MAPPING)] = None
    reason: str = ""


class UndoIn(msgspec.Struct):
    reason: str | Unset = UNSET


@required("reason")
class CorrectionIn(msgspec.Struct):
    gun_time_ms: int | None | Unset = UNSET
    chip_time_ms: int | None | Unset = UNSET
    status: ResultStatusField = UNSET
    reason: str | Unset = UNSET


class ResultsImportApi(Controller):
    path = "/api/v1/races/{race_id:int}/results"
    tags = ["results"]

    @post(
        "/imports/{import_id:int}/undo",
        guards=[requires_organiser],
        status_code=200,
        request_max_body_size=JSON_BODY_LIMIT,
        summary="Undo the race's last import",
        responses=errors(409),
    )
    async def undo(self, request: Request, race_id: PathId, import_id: PathId, data: JSONBody[UndoIn | None] = None
                   ) -> Undone:  # fmt: skip
        reason = present(data).get("reason", "") if data is not None else ""
        return await services.undo_import(race_id, import_id, reason or "", request.user.id)

    @patch(
        "/{bib:int}",
        guards=[requires_organiser],
        request_max_body_size=JSON_BODY_LIMIT,
        summary="Correct one result by hand, with a reason",
    )
    async def correct(self, request: Request, race_id: PathId, bib: PathId, data: JSONBody[CorrectionIn]
                      ) -> CorrectedResult:  # fmt: skip
        return await correct_result(race_id, bib, present(data), request.user.id)


class ResultsUploadApi(Controller):
    """The upload itself (and the list of imports, on the same path); the app gives this controller the upload
    size limit."""

    path = "/api/v1/races/{race_id:int}/results"
    tags = ["results"]

    @post(
        "/imports",
        guards=[requires_volunteer],
        summary="Import a timing sheet (.xlsx, .xlsm, .xls, .ods, .csv); dry_run=true only checks it",
        responses={
            200: ResponseSpec(ImportReport, description=DRY_RUN, generate_examples=False),
            **errors(sheet=True),
        },
    )
    async def import_sheet(self, request: Request, race_id: PathId, data: MultipartBody[ResultsUpload]
                           ) -> Response[ImportReport]:  # fmt: skip
        dry_run = Fields({"dry_run": data.dry_run}).boolean("dry_run")
        result = await services.import_results(
            race_id, await read_upload(data.file), filename=data.file.filename or "", mode=data.mode,
            dry_run=dry_run, mapping=data.mapping, reason=data.reason or "", user_id=request.user.id,
        )  # fmt: skip
        return Response(result, status_code=200 if dry_run else 201)

    @get("/imports", guards=[requires_volunteer], summary="The race's imports, newest first")
    async def history(self, race_id: PathId) -> list[PastImport]:
        return await services.import_history(race_id)
