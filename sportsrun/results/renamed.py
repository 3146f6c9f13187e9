"""A runner's fixed name followed into the stored results: their row and the name index changed, under a
new results version, instead of the race's whole results stored again.

A name changes no place, age group or count, so nothing else needs working out. Storing a 50,000-finisher
race again took 1.3 s, 0.9 s of it on the event loop, and any runner may fix their name from their own
page: on a race day's evening each fix would have stalled a worker for everyone. A stored name index of the
current version is patched (one name replaced); an older one is left for the first search to rebuild from
the rows, as after any change made behind the application's back."""

import datetime as dt

import msgspec

from sportsrun.events import services as events
from sportsrun.events.race_row import RaceRow
from sportsrun.registration import services as registration
from sportsrun.results import queries, search, state
from sportsrun.results.rows import shown

# What only the shown name comes from (rows.shown); gender, birth date and province place or count the runner.
NAME_FIELDS = frozenset({"given_name", "family_name", "name_display", "guardian_allows_full_name"})


async def follow_a_new_name(race: RaceRow, registration_id: int) -> bool:
    """Inside `results_transaction` (`race` as it locked it). False when the runner has no result here."""
    people = await registration.registrants_by_id([registration_id])
    now = shown(race, people)[registration_id]
    position = await queries.rename(race.id, registration_id, now.name, now.name_key)
    if position is None:
        return False
    stored = await queries.name_index(race.id)
    if stored is not None and stored[0] == race.results_version:
        index = search.unpack(stored[1])
        patched = search.renamed(index, position, now.name_key) if index is not None else None
        if patched is not None:
            await queries.save_name_index(race.id, race.results_version + 1, search.pack(patched))
    stats = msgspec.json.encode(race.results_stats or {}).decode()
    await events.set_results_state(race.id, dt.datetime.now(dt.UTC), stats)
    await state.forget(race.id)
    return True
