"""Caching what the public reads, keyed by the race's results version.

Hundreds of families refresh the results page at once on race day. A rendered page (or API page) is
kept per process under a key that includes the race's results version, so a change of results makes new
keys and old entries simply age out. The version itself is re-read at most once a second per process
(the results a worker shows are at most a second behind a change made in another worker); a change
made in this process is seen at once."""

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sportsrun.core.db.sql import fetch_one

VERSION_TTL_S = 1.0


@dataclass(frozen=True, slots=True)
class RaceState:
    version: int
    results_status: str
    updated_at: Any
    # What else a rendered page shows of the race and its event: a rename must not wait for new results.
    shown: tuple = ()


_states: dict[int, tuple[float, RaceState]] = {}


async def race_state(race_id: int) -> RaceState | None:
    now = time.monotonic()
    cached = _states.get(race_id)
    if cached and now - cached[0] < VERSION_TTL_S:
        return cached[1]
    row = await fetch_one(
        "SELECT race.results_version, race.results_status, race.results_updated_at, race.name, race.ranking, "
        "race.distance_m, race.start_time, race.age_groups, event.name AS event_name, event.date, event.city "
        "FROM race JOIN event ON event.id = race.event WHERE race.id = {} AND event.published = {}",
        race_id,
        True,
    )
    if row is None:
        _states.pop(race_id, None)
        return None
    shown = tuple(str(row[k]) for k in ("name", "ranking", "distance_m", "start_time", "age_groups", "event_name",
                                          "date", "city"))  # fmt: skip
    state = RaceState(row["results_version"], row["results_status"], row["results_updated_at"], shown)
    _states[race_id] = (now, state)
    return state


def forget(race_id: int | None = None) -> None:
    """This process changed the race's results or their status: read the version again next time
    (every race's, when no race is named)."""
    if race_id is None:
        _states.clear()
    else:
        _states.pop(race_id, None)


class Rendered:
    """A small LRU of rendered responses (body, ETag) by key."""

    def __init__(self, size: int = 2000):
        self.size = size
        self.entries: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()

    def get(self, key: tuple) -> tuple[bytes, str] | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: tuple, body: bytes, etag: str) -> None:
        self.entries[key] = (body, etag)
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


rendered = Rendered()
