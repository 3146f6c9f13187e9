"""Every query of the messages domain: the outbox."""

import datetime as dt
from collections.abc import Sequence

from sportsrun.core.db.connections import is_sqlite
from sportsrun.core.db.sql import fetch, fetch_one

_COLUMNS = "channel, recipient, language, purpose, subject, body, state, attempts, next_attempt_at, error, created_at"
_PER_STATEMENT = 50  # 11 values a row: well under SQLite's parameter limit


# The outbox rows from arrays, as one data-modifying CTE's body: for a PostgreSQL write of another domain
# that queues its messages in its own statement (`services.queued_with`).
QUEUE_FROM_ARRAYS = (f"INSERT INTO outbox_message ({_COLUMNS}) SELECT m.*, 'pending', 0, {{}}, '', {{}} FROM "
                     "unnest({}::text[], {}::text[], {}::text[], {}::text[], {}::text[], {}::text[]) AS m")  # fmt: skip


def queue_from_arrays_args(rows: Sequence[tuple], now: dt.datetime) -> list:
    return [now, now, *([list(column) for column in zip(*rows, strict=True)] or [[]] * 6)]


async def insert(rows: Sequence[tuple], now: dt.datetime) -> None:
    """(channel, recipient, language, purpose, subject, body) each, due at once."""
    for start in range(0, len(rows), _PER_STATEMENT):
        chunk = rows[start : start + _PER_STATEMENT]
        values = ", ".join(["({}, {}, {}, {}, {}, {}, 'pending', 0, {}, '', {})"] * len(chunk))
        await fetch(f"INSERT INTO outbox_message ({_COLUMNS}) VALUES {values}",
                    *[v for row in chunk for v in (*row, now, now)])  # fmt: skip


async def claim(channels: Sequence[str], token: str, now: dt.datetime, until: dt.datetime, limit: int) -> list[dict]:
    """Takes up to `limit` due messages of `channels` for the sender holding `token` until `until`.

    PostgreSQL locks the rows it picks (SKIP LOCKED: a second sender takes other rows rather than waiting)
    in a CTE, which runs once: inside `IN (…)` the planner may run the locking subquery again for each
    row and hand a sender nothing while rows are due. SQLite runs one writer at a time, and the outer
    WHERE checks each row again as it is updated."""
    marks = ", ".join(["{}"] * len(channels))
    due = f"state = 'pending' AND channel IN ({marks}) AND next_attempt_at <= {{}} AND " \
          "(claimed_until IS NULL OR claimed_until < {})"  # fmt: skip
    columns = ("id", "channel", "recipient", "language", "subject", "body", "attempts")
    if is_sqlite():
        returning = "RETURNING " + ", ".join(columns)
        sql = ("UPDATE outbox_message SET claimed_by = {}, claimed_until = {}, attempts = attempts + 1 "
               f"WHERE {due} AND id IN (SELECT id FROM outbox_message WHERE {due} ORDER BY id LIMIT {{}}) "
               + returning)  # fmt: skip
        rows = await fetch(sql, token, until, *channels, now, now, *channels, now, now, limit)
    else:
        returning = "RETURNING " + ", ".join(f"m.{c}" for c in columns)
        sql = (f"WITH picked AS (SELECT id FROM outbox_message WHERE {due} ORDER BY id LIMIT {{}} "
               "FOR UPDATE SKIP LOCKED) "
               "UPDATE outbox_message AS m SET claimed_by = {}, claimed_until = {}, attempts = m.attempts + 1 "
               f"FROM picked WHERE m.id = picked.id {returning}")  # fmt: skip
        rows = await fetch(sql, *channels, now, now, limit, token, until)
    return sorted(rows, key=lambda r: r["id"])


async def any_due(channels: Sequence[str], now: dt.datetime) -> bool:
    marks = ", ".join(["{}"] * len(channels))
    rows = await fetch(f"SELECT 1 AS one FROM outbox_message WHERE state = 'pending' AND channel IN ({marks}) "
                       "AND next_attempt_at <= {} AND (claimed_until IS NULL OR claimed_until < {}) LIMIT 1",
                       *channels, now, now)  # fmt: skip
    return bool(rows)


async def sent(message_id: int, token: str, now: dt.datetime) -> None:
    await fetch("UPDATE outbox_message SET state = 'sent', sent_at = {}, claimed_until = NULL, error = '' "
                "WHERE id = {} AND claimed_by = {}", now, message_id, token)  # fmt: skip


async def forget_sent(before: dt.datetime) -> None:
    await fetch("DELETE FROM outbox_message WHERE state = 'sent' AND sent_at < {}", before)


async def not_sent(message_id: int, token: str, error: str, next_attempt_at: dt.datetime | None) -> None:
    """Another try at `next_attempt_at`, or given up (state failed) when it is None."""
    state = "pending" if next_attempt_at is not None else "failed"
    await fetch("UPDATE outbox_message SET state = {}, error = {}, next_attempt_at = COALESCE({}, next_attempt_at), "
                "claimed_until = NULL WHERE id = {} AND claimed_by = {}",
                state, error[:500], next_attempt_at, message_id, token)  # fmt: skip


async def latest(limit: int, offset: int) -> list[dict]:
    return await fetch(
        "SELECT id, channel, recipient, language, purpose, subject, body, state, attempts, next_attempt_at, "
        "sent_at, error, created_at FROM outbox_message ORDER BY id DESC LIMIT {} OFFSET {}",
        limit,
        offset,
    )


async def state_counts() -> dict[str, int]:
    rows = await fetch("SELECT state, COUNT(*) AS n FROM outbox_message GROUP BY state")
    return {r["state"]: r["n"] for r in rows}


async def one(message_id: int) -> dict | None:
    return await fetch_one("SELECT id, state, attempts, error, sent_at FROM outbox_message WHERE id = {}", message_id)


async def count_for(recipient: str, purpose: str, since: dt.datetime) -> int:
    row = await fetch_one("SELECT COUNT(*) AS n FROM outbox_message WHERE recipient = {} AND purpose = {} "
                          "AND created_at >= {}", recipient, purpose, since)  # fmt: skip
    return row["n"] if row else 0
