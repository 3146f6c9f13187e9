"""The organiser's answer to a flagged registration: someone said they are another person than a
registrant with the same name and birth date (people.NameTaken). Keep it (the flag is cleared) or cancel
it as a real duplicate (the bib is freed and the waitlist moves up); either way recorded on the
registration: the decision, who and when."""

import datetime as dt

from sportsrun.bibs import services as bibs
from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict, FieldError, InvalidInput, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.events import services as events
from sportsrun.registration import flag_queries, hooks, queries
from sportsrun.registration.organiser import organiser_row
from sportsrun.registration.race_changes import promote_waitlist

DECISIONS = {"keep": "kept", "cancel": "cancelled"}


async def resolve(registration_id: int, decision: str | None, user_id: int | None) -> dict:
    if decision not in DECISIONS:
        raise InvalidInput([FieldError("decision", _("Choose keep or cancel."))])
    row = await queries.by_id(registration_id)
    if row is None:
        raise NotFound(_("No such registration."))
    now = dt.datetime.now(dt.UTC)
    async with write_transaction():
        race = await events.lock_race(row["race"])
        current = await queries.by_id(registration_id)
        if not current["flagged"]:
            raise Conflict(_("This registration is not flagged (any more)."))
        if decision == "cancel":
            if current["status"] == "cancelled":
                raise Conflict(_("This registration is already cancelled."))
            await hooks.cancelling.send(race.id, registration_id)
            await queries.cancel(registration_id, now)
            bib_range = bibs.bib_range(race)
            if current["bib"] is not None:
                await queries.record_bibs([(race.id, registration_id, "released", current["bib"], None, user_id,
                                            "cancelled by the organiser as a duplicate", now)])  # fmt: skip
                bib_range.freed(current["bib"])
            if current["status"] == "confirmed":
                await promote_waitlist(race, bib_range, user_id)
            await bibs.save_next_free(bib_range)
        await flag_queries.decide(registration_id, DECISIONS[decision], user_id, now)
    return await organiser_row(registration_id)
