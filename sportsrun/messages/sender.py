"""The sender loop every worker runs: claim due messages in the database, send them, record the outcome.

A claim is an UPDATE that marks messages with this round's random token until a lease runs out
(queries.claim), so two workers, or two hosts on one PostgreSQL, never send one message twice; a worker
that dies mid-send leaves its claim to run out and another sends the message later. A failed send is
tried again with growing waits, and given up after MAX_ATTEMPTS (state `failed`, shown to admins)."""

import asyncio
import datetime as dt
import logging
import secrets
from contextlib import asynccontextmanager, suppress

from sportsrun.core.db.sql import write_transaction
from sportsrun.messages import queries, transports
from sportsrun.messages.services import before_sending, waker

log = logging.getLogger("sportsrun.messages")

ROUND_S = 5.0  # how often a worker looks at the outbox when nothing wakes it
LEASE = dt.timedelta(minutes=5)  # longer than a batch of sends can take (each is cut at 30 s)
BATCH = 20
MAX_ATTEMPTS = 8  # waits of 30 s, 1, 2, 4, 8, 16, 32 min: some two hours of an outage
SENT_KEPT = dt.timedelta(days=30)  # a sent message holds a private link: kept for admins' questions, then gone
_last_sweep: dt.datetime | None = None  # in this process: the sweep runs at most once an hour


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


async def send_due(now: dt.datetime | None = None) -> int:
    """Claims and sends one batch of due messages; returns how many it claimed. Nothing is claimed for
    a channel without a transport: those messages wait in the outbox."""
    channels = transports.configured_channels()
    if not channels:
        return 0
    now = now or dt.datetime.now(dt.UTC)
    if not await queries.any_due(channels, now):
        return 0  # a read: every worker looks every few seconds, and needs no write lock to find nothing
    token = secrets.token_hex(16)
    async with write_transaction():
        claimed = await queries.claim(channels, token, now, now + LEASE, BATCH)
    for m in claimed:
        try:
            await transports.send(m["channel"], m["recipient"], m["subject"], m["body"], m["language"])
        except Exception as exc:  # noqa: BLE001 - any failure is retried; the loop must go on
            error = str(exc) if isinstance(exc, transports.SendError) else type(exc).__name__
            retry_at = None if m["attempts"] >= MAX_ATTEMPTS else now + backoff(m["attempts"])
            # The id and the error only: never the recipient or the text.
            log.warning("message %s not sent (attempt %s): %s", m["id"], m["attempts"], error)
            async with write_transaction():
                await queries.not_sent(m["id"], token, error, retry_at)
            continue
        async with write_transaction():
            await queries.sent(m["id"], token, dt.datetime.now(dt.UTC))
    return len(claimed)


async def run_once(now: dt.datetime | None = None) -> int:
    """One round: higher domains' queued work (`before_sending`), then one batch of sends; once an hour,
    messages sent more than SENT_KEPT ago are deleted."""
    global _last_sweep
    current = now or dt.datetime.now(dt.UTC)
    await before_sending.send(current)
    if _last_sweep is None or current - _last_sweep >= dt.timedelta(hours=1):
        async with write_transaction():
            await queries.forget_sent(current - SENT_KEPT)
        _last_sweep = current
    return await send_due(now)


async def run_forever() -> None:
    wake = waker()
    while True:
        claimed = 0
        try:
            claimed = await run_once()
        except Exception as exc:  # noqa: BLE001 - a database outage must not end the loop
            log.warning("message round failed: %s", type(exc).__name__)
        if claimed >= BATCH:
            continue  # more may be due: no pause
        with suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), ROUND_S)
        wake.clear()


@asynccontextmanager
async def running(_app=None):
    """The app's lifespan: the loop runs while the worker serves."""
    task = asyncio.get_running_loop().create_task(run_forever())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
