"""The registration domain's queries for who a runner is across races (campaign series, invitations)."""

from collections.abc import Sequence

from sportsrun.core.db.sql import fetch, fetch_rows


async def persons_in_race(race_id: int) -> list[tuple]:
    """(registration id, person id, chose initials) of every registration of a race, by the race's index."""
    return await fetch_rows(
        "SELECT id, person, CASE WHEN name_display = 'initials' THEN 1 ELSE 0 END FROM registration WHERE race = {}",
        race_id,
    )


async def contacts(registration_ids: Sequence[int]) -> list[dict]:
    if not registration_ids:
        return []
    return await fetch(
        "SELECT id, given_name, family_name, phone, email FROM registration "
        f"WHERE id IN ({', '.join(['{}'] * len(registration_ids))})",
        *registration_ids,
    )
