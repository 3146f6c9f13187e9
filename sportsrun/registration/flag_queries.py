"""Queries of flagged registrations (people.NameTaken: "another person" with a registered name and birth
date) and of the registrations a group has just made."""

import datetime as dt
from collections.abc import Sequence

from sportsrun.core.db.sql import fetch
from sportsrun.registration.tables import Registration


async def decide(registration_id: int, decision: str, user_id: int | None, at: dt.datetime) -> None:
    """The organiser's decision on a flag, recorded; the flag is cleared either way."""
    await Registration.update(
        {
            Registration.flagged: False,
            Registration.flag_decision: decision,
            Registration.flag_decided_by: user_id,
            Registration.flag_decided_at: at,
        }
    ).where(Registration.id == registration_id)


async def by_codes(code_hashes: Sequence[str]) -> list[dict]:
    """The registrations with these code digests (a group's confirmation), in one query."""
    if not code_hashes:
        return []
    marks = ", ".join(["{}"] * len(code_hashes))
    return await fetch(
        "SELECT id, race, status, bib, given_name, family_name, flagged, code_hash FROM registration "
        f"WHERE code_hash IN ({marks})",
        *code_hashes,
    )
