"""The registration domain's query for printed lists (start list, bib pickup): kept apart from
`queries`, which is full, as `identity_queries` is."""

from sportsrun.core.db.sql import fetch_rows

PRINT_COLUMNS = ("bib, given_name, family_name, gender, CAST(birth_date AS TEXT), name_display, "
                 "CAST(guardian_allows_full_name AS INTEGER), province, country, club")  # fmt: skip


async def confirmed_for_print(race_id: int) -> list[tuple]:
    """The race's confirmed runners by bib, as tuples of `PRINT_COLUMNS`: one statement, plain tuples
    (50,000 of them)."""
    return await fetch_rows(
        f"SELECT {PRINT_COLUMNS} FROM registration WHERE race = {{}} AND status = 'confirmed' AND bib IS NOT NULL "
        "ORDER BY bib",
        race_id,
    )
