"""Sliding-window rate limits shared by every worker process through the database.

Each key keeps the count of the current fixed window and of the one before it; the estimate weighs the
previous window by the share of it still inside the sliding window. A plain fixed window let a client
spend its limit at the end of one window and again at the start of the next, twice the limit in a
moment. Keys are HMACs of the client address with the secret key: the table never holds an address."""

import hashlib
import hmac
import random
import time

from sportsrun.core.db.sql import fetch, write_transaction
from sportsrun.settings import get_settings


def client_key(bucket: str, client_address: str) -> str:
    digest = hmac.new(get_settings().secret_key.encode(), client_address.encode(), hashlib.sha256)
    return f"{bucket}:{digest.hexdigest()[:48]}"


def _window(window_s: int, now: float) -> int:
    """The epoch second the current window started: comparable across buckets of any window size."""
    second = int(now)
    return second - second % window_s


def _estimate(current: int, previous: int, window: int, window_s: int, now: float) -> float:
    still_inside = max(0.0, 1.0 - (now - window) / window_s)
    return current + previous * still_inside


async def hit(bucket: str, client_address: str, window_s: int, amount: int = 1) -> float:
    """Counts `amount` events (one by default) for this client; returns the sliding window's estimate
    with them."""
    now = time.time()
    window = _window(window_s, now)
    async with write_transaction():
        # Every right-hand side reads the row as it was before the update, on both databases.
        rows = await fetch(
            "INSERT INTO rate_counter (key, window_start, count, previous_count) VALUES ({}, {}, {}, 0) "
            "ON CONFLICT (key) DO UPDATE SET "
            "previous_count = CASE WHEN rate_counter.window_start = excluded.window_start "
            "THEN rate_counter.previous_count "
            "WHEN rate_counter.window_start = excluded.window_start - {} THEN rate_counter.count ELSE 0 END, "
            "count = CASE WHEN rate_counter.window_start = excluded.window_start "
            "THEN rate_counter.count + excluded.count ELSE excluded.count END, "
            "window_start = excluded.window_start RETURNING count, previous_count",
            client_key(bucket, client_address),
            window,
            amount,
            window_s,
        )
        if random.random() < 0.01:  # keep the table small without a scheduler
            await fetch("DELETE FROM rate_counter WHERE window_start < {}", window - 3600)
    return _estimate(rows[0]["count"], rows[0]["previous_count"], window, window_s, now)


async def count(bucket: str, client_address: str, window_s: int) -> float:
    """The sliding window's estimate for this client, counting nothing."""
    now = time.time()
    window = _window(window_s, now)
    rows = await fetch(
        "SELECT window_start, count, previous_count FROM rate_counter WHERE key = {} AND window_start >= {}",
        client_key(bucket, client_address),
        window - window_s,
    )
    if not rows:
        return 0
    row = rows[0]
    if row["window_start"] == window:
        return _estimate(row["count"], row["previous_count"], window, window_s, now)
    return _estimate(0, row["count"], window, window_s, now) if row["window_start"] == window - window_s else 0


async def reset(bucket: str, client_address: str) -> None:
    async with write_transaction():
        await fetch("DELETE FROM rate_counter WHERE key = {}", client_key(bucket, client_address))


def retry_after(window_s: int) -> int:
    """Seconds to the end of the current window, when the oldest counted events start to weigh less."""
    return window_s - int(time.time()) % window_s
