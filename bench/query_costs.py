"""Why some queries are raw SQL: the hot reads measured raw and through Piccolo's query builder, on a
database holding a 50,000-runner race with its results. Prints the median of each.

    python bench/query_costs.py [--rows 50000] [--database-url sqlite:///...]
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import rows_bench  # noqa: E402
from timing_import import build_sheet, prepare  # noqa: E402


async def median_of(query, times: int) -> float:
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        await query()
        spent.append(time.perf_counter() - started)
    return statistics.median(spent)


async def measure(rows: int) -> None:
    from sportsrun.accounts import queries as accounts
    from sportsrun.accounts.tables import User
    from sportsrun.core.db import connections
    from sportsrun.events import queries as events
    from sportsrun.events.tables import Race
    from sportsrun.registration import queries as registration
    from sportsrun.registration.tables import Registration
    from sportsrun.results import queries as results
    from sportsrun.results.tables import Result
    from sportsrun.settings import get_settings
    from sportsrun.timing.services import import_results

    await connections.start(get_settings())
    try:
        race_id = await prepare(rows)
        await import_results(race_id, build_sheet(rows), filename="bench.xlsx")
        user_id = (await accounts.users())[0]["id"]
        race = [getattr(Race, c) for c in ("id", "event", "name", "distance_m", "start_time", "utc_offset_minutes",
                "capacity", "bib_first", "bib_last", "reserved_bibs", "bib_next_free", "registration_opens_at",
                "registration_closes_at", "min_age", "ranking", "age_groups", "results_status", "results_version",
                "results_mapping", "results_updated_at", "results_stats")]  # fmt: skip
        race += [Race.event.published, Race.event.date, Race.event.name, Race.event.city]
        page = [getattr(Result, c) for c in results.PUBLIC_COLUMNS.replace(" ", "").split(",")]
        runner = [getattr(Registration, c) for c in ("id", "gender", "birth_date", "given_name", "family_name",
                  "name_display", "guardian_allows_full_name", "province", "country", "name_key", "bib")]  # fmt: skip
        holding = (Registration.race == race_id) & Registration.bib.is_not_null()
        condition, args = results.where(race_id, [("gender", "female")], None, None)
        pairs = [
            ("a race with its event", 1e6, "µs", 200, lambda: events.race_row(race_id),
             lambda: Race.select(*race).where(Race.id == race_id).first()),
            ("a user by id", 1e6, "µs", 200, lambda: accounts.user(user_id),
             lambda: User.select(*accounts.USER).where(User.id == user_id).first()),
            ("a results page (50 rows)", 1e3, "ms", 50, lambda: results.page(condition, args, 50, 0),
             lambda: Result.select(*page).where((Result.race == race_id) & (Result.gender == "female"))
             .order_by(Result.position).limit(50)),
            (f"the race's {rows} runners", 1, "s", 5, lambda: registration.registrants(race_id),
             lambda: Registration.select(*runner).where(holding)),
        ]  # fmt: skip
        engine = connections.engine().engine_type
        for label, scale, unit, times, raw, built in pairs:
            raw_s, built_s = await median_of(raw, times), await median_of(built, times)
            print(f"{engine:<8} {label:<28} raw {raw_s * scale:8.2f} {unit}   Piccolo {built_s * scale:8.2f} {unit}")
    finally:
        await connections.stop()


if __name__ == "__main__":
    rows_bench(__file__, measure, "sportsrun-bench-queries-")
