"""Messages to people (confirmations, lost links): queued in the outbox inside the caller's transaction,
sent by the sender loop (messages/sender.py) of whichever worker claims them first."""

import asyncio
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sportsrun.core.hooks import Hook
from sportsrun.messages import queries
from sportsrun.messages.transports import configured_channels

# (now: datetime), at the start of every round of the sender loop, outside any transaction: higher domains
# turn their own queued work (a lost-link request) into messages here, away from the request that asked.
before_sending = Hook("before_sending")


@dataclass(frozen=True, slots=True)
class Message:
    channel: str  # email | sms
    recipient: str  # an address, or a phone in E.164
    language: str
    subject: str
    body: str
    purpose: str = ""


def channel_for(phone: str | None, email: str | None) -> tuple[str, str] | None:
    """(channel, recipient) to reach someone: a channel that can send first, email before SMS; with
    neither configured, the one they gave (the message waits in the outbox)."""
    ready = configured_channels()
    options = [(c, r) for c, r in (("email", email), ("sms", phone)) if r]
    for option in options:
        if option[0] in ready:
            return option
    return options[0] if options else None


def _rows(messages: Sequence[Message]) -> list[tuple]:
    return [(m.channel, m.recipient, m.language, m.purpose, m.subject[:200], m.body) for m in messages]


async def enqueue(messages: Sequence[Message], now: dt.datetime | None = None) -> None:
    """Queues messages in the current transaction (they go only if it commits). Call `wake()` after it
    commits to send them at once rather than at the loop's next round."""
    if messages:
        await queries.insert(_rows(messages), now or dt.datetime.now(dt.UTC))


def queued_with(messages: Sequence[Message], now: dt.datetime) -> tuple[str, list]:
    """PostgreSQL: the body of a data-modifying CTE that queues `messages` (none: it inserts nothing), and
    its arguments, for a write that queues them in its own statement, as `enqueue` would in its
    transaction. A registration batch writes so while it holds its race's lock, one round trip fewer."""
    return queries.QUEUE_FROM_ARRAYS, queries.queue_from_arrays_args(_rows(messages), now)


_wakers: dict[asyncio.AbstractEventLoop, asyncio.Event] = {}


def waker() -> asyncio.Event:
    loop = asyncio.get_running_loop()
    if loop not in _wakers:
        _wakers.clear()  # a loop that is gone (tests) leaves nothing behind
        _wakers[loop] = asyncio.Event()
    return _wakers[loop]


def wake() -> None:
    """This worker's sender looks at the outbox now (other workers find the messages at their next round)."""
    waker().set()


async def outbox(limit: int = 100, offset: int = 0) -> dict:
    """What admins read: the latest messages, and how many are in each state."""
    return {"counts": await queries.state_counts(), "items": await queries.latest(limit, offset),
            "channels": configured_channels()}  # fmt: skip


async def sent_recently(recipient: str, purpose: str, since: dt.datetime) -> int:
    """How many messages for `purpose` were queued for this recipient since then (for per-contact limits)."""
    return await queries.count_for(recipient, purpose, since)
