"""Uploaded sheets kept between preview and commit, as they were read (see UploadStash): any worker or
host can commit what another one previewed."""

import asyncio
import datetime as dt
import secrets
from dataclasses import dataclass

from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.spreadsheets import cells as codec
from sportsrun.timing import queries

KEEP = dt.timedelta(hours=3)


@dataclass(frozen=True, slots=True)
class Stashed:
    filename: str
    sha256: str
    cells: list[list[object]]


async def keep(race_id: int, user_id: int, filename: str, sha256: str, cells: list[list[object]]) -> str:
    """Keeps the sheet's cells for its commit (replacing the same volunteer's earlier upload for the race,
    the corrected file); returns the token that names it."""
    token = secrets.token_urlsafe(24)
    now = dt.datetime.now(dt.UTC)
    data = await asyncio.to_thread(codec.dumps, cells, compress=True)
    async with write_transaction():
        await queries.stash({"token": token, "race": race_id, "user": user_id, "filename": filename[:255],
                             "sha256": sha256, "data": data, "created_at": now}, now - KEEP)  # fmt: skip
    return token


async def fetch(token: str, race_id: int, user_id: int) -> Stashed:
    """Only the volunteer who uploaded it may use it, for the race it was uploaded to."""
    row = await queries.stashed(token, race_id, user_id)
    if row is None or row["created_at"] < dt.datetime.now(dt.UTC) - KEEP:
        raise NotFound(_("This upload has expired: upload the file again."))
    try:
        cells = await asyncio.to_thread(codec.loads, bytes(row["data"]), compressed=True)
    except codec.NotCells:  # kept by an earlier version of sportsrun, as the file itself
        raise NotFound(_("This upload has expired: upload the file again.")) from None
    return Stashed(row["filename"], row["sha256"], cells)


async def drop(token: str) -> None:
    async with write_transaction():
        await queries.unstash(token)
