"""The registration domain's queries for who a runner is across races (campaign series, invitations)."""

from collections.abc import Sequence

from sportsrun.core.db.sql import fetch, fetch_rows

_CHUNK = 5000  # ids per statement: SQLite allows 32,766 bound values


async def persons(registration_ids: Sequence[int]) -> list[tuple]:
    """(registration id, person id, chose initials) of each registration."""
    rows: list[tuple] = []
    for start in range(0, len(registration_ids), _CHUNK):
        chunk = registration_ids[start : start + _CHUNK]
        rows += await fetch_rows(
            "SELECT id, person, CASE WHEN name_display = 'initials' THEN 1 ELSE 0 END FROM registration "
            f"WHERE id IN ({', '.join(['{}'] * len(chunk))})",
            *chunk,
        )
    return rows


async def contacts(registration_ids: Sequence[int]) -> list[dict]:
    if not registration_ids:
        return []
    return await fetch(
        "SELECT id, given_name, family_name, phone, email FROM registration "
        f"WHERE id IN ({', '.join(['{}'] * len(registration_ids))})",
        *registration_ids,
    )
