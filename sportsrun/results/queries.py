"""Every query of the results domain but the storing of a race's rows (`partitions`).

All raw SQL: these run on every public results page, poll and search, and inside imports. A cached page
is answered from memory, but a cold 50-row page of a 50,000-finisher race read its rows in a median
0.57 ms on SQLite on this project's 2-core machine, and in 1.47 ms through Piccolo's query objects
(bench/query_costs.py)."""

from collections.abc import Iterable, Sequence

from sportsrun.core.db.sql import fetch, fetch_one, fetch_rows, insert_many

PUBLIC_COLUMNS = (
    "place, gender_place, age_group_place, bib, name, gender, age_group, province, country, status, time_ms, "
    "gun_time_ms, chip_time_ms, splits"
)
# What the exports read (`exports.cells` unpacks them in this order), with the position they are paged by.
EXPORT_COLUMNS = (
    "place, gender_place, age_group_place, bib, name, gender, age_group, province, status, time_ms, gun_time_ms, "
    "chip_time_ms, position"
)
FILTERS = ("gender", "age_group", "province")  # columns a listing may be filtered by
CORRECTION_COLUMNS = ("race", "bib", "change", "source", "reason", "user", "at")


def _placeholders(n: int) -> str:
    return ", ".join("{}" for _ in range(n))


async def race_state(race_id: int) -> dict | None:
    """What the race's public pages show of it, for caches to key on; None when it is not published."""
    return await fetch_one(
        "SELECT race.results_version, race.results_status, race.results_updated_at, race.name, race.ranking, "
        "race.distance_m, race.start_time, race.age_groups, event.name AS event_name, event.date, event.city, "
        "race.name_ar, race.name_ckb, race.name_en, event.name_ar AS event_name_ar, event.name_ckb AS event_name_ckb, "
        "event.name_en AS event_name_en, event.city_ar, event.city_ckb, event.city_en "
        "FROM race JOIN event ON event.id = race.event WHERE race.id = {} AND event.published = {}",
        race_id,
        True,
    )


# -- the stored results --------------------------------------------------------------------------------


async def current_results(race_id: int) -> list[tuple]:
    """(registration, bib, status, gun, chip, splits JSON, import_id) per result."""
    return await fetch_rows(
        "SELECT registration, bib, status, gun_time_ms, chip_time_ms, splits, import_id FROM result WHERE race = {}",
        race_id,
    )


async def result_of_bib(race_id: int, bib: int) -> dict | None:
    return await fetch_one(
        "SELECT bib, status, gun_time_ms, chip_time_ms, time_ms, place, gender_place, age_group, age_group_place "
        "FROM result WHERE race = {} AND bib = {}",
        race_id,
        bib,
    )


async def has_result(race_id: int, registration_id: int) -> bool:
    row = await fetch_one("SELECT 1 AS x FROM result WHERE race = {} AND registration = {}", race_id, registration_id)
    return row is not None


async def record_corrections(rows: list[tuple]) -> None:
    """Rows in CORRECTION_COLUMNS' order."""
    await insert_many("result_correction", CORRECTION_COLUMNS, rows)


# -- what the public reads -----------------------------------------------------------------------------


def where(race_id: int, filters: Iterable[tuple[str, str]], bib: int | None, name: str | None) -> tuple[str, list]:
    """A listing's condition: the filters given (column, value), then a bib or a folded name to find."""
    conditions, args = ["race = {}"], [race_id]
    for column, value in filters:
        assert column in FILTERS
        conditions.append(f"{column} = {{}}")
        args.append(value)
    if bib is not None:
        conditions.append("bib = {}")  # a runner shown by initials is found by bib only
        args.append(bib)
    elif name is not None:
        conditions.append("name_key LIKE {}" if name else "1 = 0")
        if name:
            args.append(f"%{name}%")
    return " AND ".join(conditions), args


async def count(condition: str, args: Sequence) -> int:
    return (await fetch_one(f"SELECT COUNT(*) AS n FROM result WHERE {condition}", *args))["n"]


async def page(condition: str, args: Sequence, limit: int | None = None, offset: int = 0) -> list[dict]:
    """Rows in listing order; all of them without a `limit`."""
    if limit is None:
        return await fetch(f"SELECT {PUBLIC_COLUMNS} FROM result WHERE {condition} ORDER BY position", *args)
    return await fetch(
        f"SELECT {PUBLIC_COLUMNS} FROM result WHERE {condition} ORDER BY position LIMIT {{}} OFFSET {{}}",
        *args,
        limit,
        offset,
    )


async def export_slice(condition: str, args: Sequence, after: int, limit: int | None) -> list[tuple]:
    """Rows in listing order past `position` `after`, as tuples of EXPORT_COLUMNS; all of them without a limit."""
    sql = f"SELECT {EXPORT_COLUMNS} FROM result WHERE {condition} AND position > {{}} ORDER BY position"
    if limit is None:
        rows = await fetch_rows(sql, *args, after)
    else:
        rows = await fetch_rows(sql + " LIMIT {}", *args, after, limit)
    return [tuple(r) for r in rows]  # PostgreSQL's records are not plain data


async def at_positions(race_id: int, positions: Sequence[int]) -> list[dict]:
    return await fetch(
        f"SELECT {PUBLIC_COLUMNS} FROM result WHERE race = {{}} AND position IN ({_placeholders(len(positions))}) "
        "ORDER BY position",
        race_id,
        *positions,
    )


async def of_bib(race_id: int, bib: int) -> dict | None:
    return await fetch_one(f"SELECT {PUBLIC_COLUMNS} FROM result WHERE race = {{}} AND bib = {{}}", race_id, bib)


async def names(race_id: int) -> list[tuple]:
    """(position, folded name, gender, age group, province) in listing order, for the name index."""
    return await fetch_rows(
        "SELECT position, name_key, gender, age_group, province FROM result WHERE race = {} ORDER BY position", race_id
    )


async def name_index(race_id: int) -> tuple[int, bytes] | None:
    """(results version, packed index) of the race's stored name index."""
    rows = await fetch_rows("SELECT results_version, data FROM result_name_index WHERE race = {}", race_id)
    return (rows[0][0], bytes(rows[0][1])) if rows else None


async def rename(race_id: int, registration_id: int, name: str, name_key: str) -> int | None:
    """The runner's result shown under a new name: its listing position, None without a result."""
    row = await fetch_one("UPDATE result SET name = {}, name_key = {} WHERE race = {} AND registration = {} "
                          "RETURNING position", name, name_key, race_id, registration_id)  # fmt: skip
    return None if row is None else row["position"]


async def save_name_index(race_id: int, version: int, data: bytes) -> None:
    await fetch("DELETE FROM result_name_index WHERE race = {}", race_id)
    await fetch(
        "INSERT INTO result_name_index (race, results_version, data) VALUES ({}, {}, {})", race_id, version, data
    )


async def podium_rows(race_ids: Sequence[int]) -> list[dict]:
    return await fetch(
        "SELECT race, gender, gender_place, bib, name, time_ms FROM result "
        f"WHERE race IN ({_placeholders(len(race_ids))}) AND status = 'finished' AND gender_place <= 3 "
        "ORDER BY race, gender, gender_place, bib",
        *race_ids,
    )


async def corrections(race_id: int) -> list[dict]:
    return await fetch(
        "SELECT at, bib, change, source, reason FROM result_correction WHERE race = {} ORDER BY id DESC", race_id
    )


async def finishes(race_id: int) -> list[tuple]:
    """(registration, gender place, public name, gender, province) of every finisher of a race."""
    return await fetch_rows(
        "SELECT registration, gender_place, name, gender, province FROM result WHERE race = {} "
        "AND status = 'finished' AND gender_place IS NOT NULL",
        race_id,
    )
