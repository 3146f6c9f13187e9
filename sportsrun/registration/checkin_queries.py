"""The check-in's queries beside `queries.bib_holder`: a registration by its check-in token, the volunteer's
search by name, and a registration's token for its QR."""

from sportsrun.core.db.sql import fetch, fetch_one

# What the volunteer's view needs (checkin._volunteer_view), and the race, to refuse another race's runner.
_HOLDER = (
    "SELECT r.id, r.race, r.bib, r.status, r.given_name, r.family_name, r.name_display, r.birth_date, "
    "r.guardian_allows_full_name, r.checked_in_at, race.start_time, race.utc_offset_minutes, race.name AS race_name, "
    "race.name_ar AS race_name_ar, race.name_ckb AS race_name_ckb, race.name_en AS race_name_en "
    "FROM registration r JOIN race ON race.id = r.race"
)
SEARCH_LIMIT = 20


async def token_holder(token: str) -> dict | None:
    """The live registration holding this check-in token (a cancellation clears it)."""
    return await fetch_one(f"{_HOLDER} WHERE r.checkin_token = {{}}", token)


async def by_name(race_id: int, pattern: str) -> list[dict]:
    """The race's registrations whose folded full name matches the LIKE pattern, by bib (those without one
    last), at most SEARCH_LIMIT."""
    return await fetch(
        f"{_HOLDER} WHERE r.race = {{}} AND r.name_key LIKE {{}} "
        "ORDER BY CASE WHEN r.bib IS NULL THEN 1 ELSE 0 END, r.bib, r.id LIMIT {}",
        race_id,
        pattern,
        SEARCH_LIMIT,
    )


async def token_of(registration_id: int) -> str | None:
    row = await fetch_one("SELECT checkin_token FROM registration WHERE id = {}", registration_id)
    return row["checkin_token"] if row else None
