"""What a race's registrations do when the race or its room changes: the waitlist moves up into free
places, and a change to the race that would strand a runner's bib is refused. Connected to events' hooks
when this module is imported."""

import datetime as dt
from functools import partial

from sportsrun.bibs import services as bibs
from sportsrun.bibs.allocation import BibRange
from sportsrun.core.errors import Conflict
from sportsrun.core.i18n import gettext as _
from sportsrun.events import hooks as events_hooks
from sportsrun.events.race_row import RaceRow
from sportsrun.registration import queries


async def promote_waitlist(race: RaceRow, bib_range: BibRange, user_id: int | None = None) -> list[int]:
    """Fills free places from the waitlist in arrival order. The caller holds the race's lock."""
    room = race.capacity - (await queries.live_counts(race.id)).get("confirmed", 0)
    if room <= 0:
        return []
    free = bibs.free_bibs(bib_range, partial(queries.held_from, race.id, race.bib_last))
    promoted, audit, now = [], [], dt.datetime.now(dt.UTC)
    for registration_id in await queries.first_waiting(race.id, room):
        bib = await free.next()
        if bib is None:
            break
        await queries.confirm(registration_id, bib)
        audit.append((race.id, registration_id, "allocated", bib, None, user_id, "promoted from the waitlist", now))
        promoted.append(registration_id)
    await queries.record_bibs(audit)
    await bibs.save_next_free(bib_range)
    return promoted


@events_hooks.race_changing.connect
async def refuse_stranding_a_runner(current: RaceRow, proposed: dict) -> None:
    """Nothing may put a held bib outside the range, reserve a held bib, or push the capacity below the
    confirmed count."""
    outside = await queries.held_outside(current.id, proposed["bib_first"], proposed["bib_last"])
    if outside is not None:
        raise Conflict(_("Bib {bib} is held by a runner and would fall outside the new range.", bib=outside))
    added = sorted(set(proposed["reserved_bibs"]) - set(current.reserved_bibs))
    held = sorted(await queries.held_among(current.id, added)) if added else []
    if held:
        raise Conflict(_("Bib {bib} is held by a runner: reassign it before reserving it.", bib=held[0]))
    confirmed = (await queries.live_counts(current.id)).get("confirmed", 0)
    if proposed["capacity"] < confirmed:
        raise Conflict(_("{n} runners are confirmed: the capacity cannot go below that.", n=confirmed))


@events_hooks.race_changed.connect
async def follow_the_race(before: RaceRow | None, after: RaceRow, user_id: int | None) -> None:
    """Reserved bibs go into the bib audit; a new range restarts the allocator's scan, an unreserved bib
    lowers it; new room is filled from the waitlist."""
    old_reserved = set(before.reserved_bibs) if before else set()
    added, removed = sorted(set(after.reserved_bibs) - old_reserved), sorted(old_reserved - set(after.reserved_bibs))
    now = dt.datetime.now(dt.UTC)
    changes = [("reserved", bib) for bib in added] + [("unreserved", bib) for bib in removed]
    await queries.record_bibs([(after.id, None, action, bib, None, user_id, "", now) for action, bib in changes])
    if before is None:
        return
    bib_range = bibs.bib_range(after)
    if (after.bib_first, after.bib_last) != (before.bib_first, before.bib_last):
        bib_range.next_free, bib_range.dirty = after.bib_first, True
    for bib in removed:
        bib_range.freed(bib)
    await promote_waitlist(after, bib_range, user_id=user_id)
    await bibs.save_next_free(bib_range)
