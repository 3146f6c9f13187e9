"""The shared rate limit is a sliding window: a client cannot spend its limit at the end of one fixed
window and again at the start of the next. The clock is set by the test; the counters are the real table."""

import pytest

from sportsrun.core.web import ratelimit

WINDOW = 60
START = 1_800_000_000 - 1_800_000_000 % WINDOW  # a window boundary


@pytest.fixture
def clock(monkeypatch):
    now = [START]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    return now


async def test_a_burst_across_a_window_boundary_counts_whole(clock):
    clock[0] = START - 0.01
    assert await ratelimit.hit("registration", "10.0.0.1", WINDOW, 3) == pytest.approx(3)
    clock[0] = START + 0.01
    assert await ratelimit.hit("registration", "10.0.0.1", WINDOW, 2) == pytest.approx(5, abs=0.01)
    assert await ratelimit.count("registration", "10.0.0.1", WINDOW) == pytest.approx(5, abs=0.01)


async def test_the_previous_window_weighs_less_as_time_passes_then_nothing(clock):
    clock[0] = START + 30
    await ratelimit.hit("login", "10.0.0.2", WINDOW, 4)
    clock[0] = START + WINDOW + 15  # a quarter of the last window has left the sliding window
    assert await ratelimit.count("login", "10.0.0.2", WINDOW) == pytest.approx(3)
    assert await ratelimit.hit("login", "10.0.0.2", WINDOW) == pytest.approx(4)
    clock[0] = START + 3 * WINDOW  # two windows on: both counts are out of it
    assert await ratelimit.count("login", "10.0.0.2", WINDOW) == 0
    assert await ratelimit.hit("login", "10.0.0.2", WINDOW) == 1


async def test_clients_and_buckets_count_apart(clock):
    await ratelimit.hit("registration", "10.0.0.3", WINDOW, 5)
    assert await ratelimit.count("registration", "10.0.0.4", WINDOW) == 0
    assert await ratelimit.count("login", "10.0.0.3", WINDOW) == 0
    await ratelimit.reset("registration", "10.0.0.3")
    assert await ratelimit.count("registration", "10.0.0.3", WINDOW) == 0
