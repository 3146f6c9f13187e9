import msgspec
from litestar import Controller, Request, Response, get

from sportsrun.core.spreadsheets.workbooks import XLSX
from sportsrun.core.web.openapi import file_answer
from sportsrun.core.web.params import PathId
from sportsrun.results import downloads, public
from sportsrun.results.schemas import (
    AgeGroupFilter,
    Correction,
    GenderFilter,
    Limit,
    Offset,
    ProvinceFilter,
    ResultsPage,
    Search,
)
from sportsrun.results.state import cached


class ResultsApi(Controller):
    path = "/api/v1/races/{race_id:int}"
    tags = ["results"]

    # The filters are read from the query string by `public.read_query` (its messages are localised); the
    # parameters below are what the schema shows of them.
    @get("/results", summary="Results: finishers by place, then DNF, DQ, DNS; filters, search, pages")
    async def results(
        self,
        request: Request,
        race_id: PathId,
        gender: GenderFilter = "",
        age_group: AgeGroupFilter = "",
        province: ProvinceFilter = "",
        q: Search = "",
        limit: Limit = "",
        offset: Offset = "",
    ) -> Response[ResultsPage]:
        query = public.read_query(request.query_params)

        async def build() -> bytes:
            return msgspec.json.encode(await public.listing(race_id, query))

        return await cached(request, race_id, ("api", query.key()), build, "application/json", vary="Accept-Encoding")

    @get("/results.xlsx", summary="The same rows as .xlsx (times as durations, text as text)",
         responses=file_answer(XLSX, "The filtered rows as a workbook, headers the JSON field names."))  # fmt: skip
    async def results_xlsx(
        self,
        request: Request,
        race_id: PathId,
        gender: GenderFilter = "",
        age_group: AgeGroupFilter = "",
        province: ProvinceFilter = "",
        q: Search = "",
    ) -> Response[bytes]:
        return await downloads.download(request, race_id, public.read_query(request.query_params), "xlsx")

    @get("/results.csv", summary="The same rows as .csv (cells that would run as formulas are quoted)",
         responses=file_answer("text/csv", "The filtered rows in UTF-8, headers the JSON field names."))  # fmt: skip
    async def results_csv(
        self,
        request: Request,
        race_id: PathId,
        gender: GenderFilter = "",
        age_group: AgeGroupFilter = "",
        province: ProvinceFilter = "",
        q: Search = "",
    ) -> Response[bytes]:
        return await downloads.download(request, race_id, public.read_query(request.query_params), "csv")

    @get("/corrections", summary="Every change to an existing result, with its source and reason")
    async def corrections(self, race_id: PathId) -> list[Correction]:
        return await public.corrections(race_id)
