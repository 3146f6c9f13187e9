"""Every query of the timing domain: the record of imports, and uploads kept between preview and commit.
Piccolo's query builder throughout: each runs once or twice per import."""

import datetime as dt
from typing import Any

from sportsrun.timing.tables import ResultImport, UploadStash

_LAST = (ResultImport.id, ResultImport.sha256, ResultImport.mode, ResultImport.results_version,
         ResultImport.outcome, ResultImport.mapping, ResultImport.rows_read, ResultImport.finishers,
         ResultImport.dnf, ResultImport.dns, ResultImport.dq)  # fmt: skip
_HISTORY = (ResultImport.id, ResultImport.at, ResultImport.filename, ResultImport.mode, ResultImport.rows_read,
            ResultImport.results_written, ResultImport.finishers, ResultImport.dnf, ResultImport.dns,
            ResultImport.dq, ResultImport.warnings, ResultImport.outcome)  # fmt: skip
_UNDO = (ResultImport.id, ResultImport.at, ResultImport.filename, ResultImport.mode, ResultImport.finishers,
         ResultImport.dnf, ResultImport.dns, ResultImport.dq, ResultImport.outcome, ResultImport.previous)  # fmt: skip


async def record_import(values: dict[str, Any]) -> int:
    """A row of the import record (its columns by name); returns its id."""
    rows = await ResultImport.insert(ResultImport(**values)).returning(ResultImport.id)
    return rows[0]["id"]


async def last_import(race_id: int, outcomes: tuple[str, ...] = ("committed", "unchanged")) -> dict | None:
    return (
        await ResultImport.select(*_LAST)
        .where((ResultImport.race == race_id) & ResultImport.outcome.is_in(list(outcomes)))
        .order_by(ResultImport.id, ascending=False)
        .first()
    )


async def import_of_race(import_id: int, race_id: int) -> dict | None:
    return (
        await ResultImport.select(*_UNDO).where((ResultImport.id == import_id) & (ResultImport.race == race_id)).first()
    )


async def set_outcome(import_id: int, outcome: str) -> None:
    await ResultImport.update(outcome=outcome).where(ResultImport.id == import_id)


async def produced_next_version(import_id: int) -> None:
    """The import's row names the results version its own write made."""
    await ResultImport.update({ResultImport.results_version: ResultImport.results_version + 1}).where(
        ResultImport.id == import_id
    )


async def history(race_id: int) -> list[dict]:
    query = ResultImport.select(*_HISTORY).where(ResultImport.race == race_id)
    return await query.order_by(ResultImport.id, ascending=False)


async def published_imports(race_ids: list[int]) -> list[dict]:
    """Imports that wrote results (those later undone included: they were published), oldest first."""
    if not race_ids:
        return []
    r = ResultImport
    return await (
        r.select(r.id, r.race, r.at, r.finishers)
        .where(r.race.is_in(race_ids) & r.outcome.is_in(["committed", "undone"]))
        .order_by(r.id)
    )


# -- uploads between preview and commit ----------------------------------------------------------------


async def stash(values: dict[str, Any], older_than: dt.datetime) -> None:
    """Keeps an upload, in place of the same volunteer's earlier one for the race and of any expired one."""
    await UploadStash.delete().where(
        (UploadStash.created_at < older_than)
        | ((UploadStash.race == values["race"]) & (UploadStash.user == values["user"]))
    )
    await UploadStash.insert(UploadStash(**values))


async def stashed(token: str, race_id: int, user_id: int) -> dict | None:
    return (
        await UploadStash.select(UploadStash.filename, UploadStash.sha256, UploadStash.data, UploadStash.created_at)
        .where((UploadStash.token == token) & (UploadStash.race == race_id) & (UploadStash.user == user_id))
        .first()
    )


async def unstash(token: str) -> None:
    await UploadStash.delete().where(UploadStash.token == token)
