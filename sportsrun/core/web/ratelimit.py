"""Fixed-window rate limits shared by every worker process through the database.

Keys are HMACs of the client address with the secret key: the table never holds an address."""

import hashlib
import hmac
import random
import time

from sportsrun.core.db.sql import fetch, write_transaction
from sportsrun.settings import get_settings


def client_key(bucket: str, client_address: str) -> str:
    digest = hmac.new(get_settings().secret_key.encode(), client_address.encode(), hashlib.sha256)
    return f"{bucket}:{digest.hexdigest()[:48]}"


def _window(window_s: int) -> int:
    """The epoch second the current window started: comparable across buckets of any window size."""
    now = int(time.time())
    return now - now % window_s


async def hit(bucket: str, client_address: str, window_s: int, amount: int = 1) -> int:
    """Counts `amount` events (one by default) for this client in the current window; returns the
    window's count."""
    window = _window(window_s)
    async with write_transaction():
        rows = await fetch(
            "INSERT INTO rate_counter (key, window_start, count) VALUES ({}, {}, {}) "
            "ON CONFLICT (key) DO UPDATE SET "
            "count = CASE WHEN rate_counter.window_start = excluded.window_start "
            "THEN rate_counter.count + excluded.count ELSE excluded.count END, "
            "window_start = excluded.window_start RETURNING count",
            client_key(bucket, client_address),
            window,
            amount,
        )
        if random.random() < 0.01:  # keep the table small without a scheduler
            await fetch("DELETE FROM rate_counter WHERE window_start < {}", window - 3600)
    return rows[0]["count"]


async def count(bucket: str, client_address: str, window_s: int) -> int:
    rows = await fetch(
        "SELECT count FROM rate_counter WHERE key = {} AND window_start = {}",
        client_key(bucket, client_address),
        _window(window_s),
    )
    return rows[0]["count"] if rows else 0


async def reset(bucket: str, client_address: str) -> None:
    async with write_transaction():
        await fetch("DELETE FROM rate_counter WHERE key = {}", client_key(bucket, client_address))


def retry_after(window_s: int) -> int:
    return window_s - int(time.time()) % window_s
