"""Uploaded sheets kept between preview and commit (see UploadStash)."""

import datetime as dt
import secrets

from sportsrun.core.db.sql import fetch, fetch_one, write_transaction
from sportsrun.core.errors import NotFound
from sportsrun.core.i18n import gettext as _

KEEP = dt.timedelta(hours=3)


async def keep(race_id: int, user_id: int, filename: str, data: bytes) -> str:
    token = secrets.token_urlsafe(24)
    now = dt.datetime.now(dt.UTC)
    async with write_transaction():
        # An upload replaces the same volunteer's earlier one for this race (the corrected file).
        await fetch(
            'DELETE FROM upload_stash WHERE created_at < {} OR (race = {} AND "user" = {})',
            now - KEEP,
            race_id,
            user_id,
        )
        await fetch(
            'INSERT INTO upload_stash (token, race, "user", filename, data, created_at) '
            "VALUES ({}, {}, {}, {}, {}, {})",
            token, race_id, user_id, filename[:255], data, now,
        )  # fmt: skip
    return token


async def fetch_stash(token: str, race_id: int, user_id: int) -> tuple[str, bytes]:
    """Only the volunteer who uploaded it may use it, for the race it was uploaded to."""
    row = await fetch_one(
        'SELECT filename, data, created_at FROM upload_stash WHERE token = {} AND race = {} AND "user" = {}',
        token, race_id, user_id,
    )  # fmt: skip
    if row is None or row["created_at"] < dt.datetime.now(dt.UTC) - KEEP:
        raise NotFound(_("This upload has expired: upload the file again."))
    return row["filename"], bytes(row["data"])


async def drop(token: str) -> None:
    async with write_transaction():
        await fetch("DELETE FROM upload_stash WHERE token = {}", token)
