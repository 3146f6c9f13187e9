"""The bulk entrant import at 5,000, 20,000 and 50,000 rows into a database that already holds 50,000
people, birth dates shaped like Iraq's (seven in ten on 1 July), Arabic names; a fifth of each file's
rows are people already known (same birth date and phone), who must be matched rather than created.
Each size goes into a race of its own; the time is the whole `import_entrants` (read, check, write).

    python bench/entrant_import.py [--sizes 5000,20000,50000] [--held 50000] [--database-url …]
"""

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import run_in_child  # noqa: E402

GIVEN = ["محمد", "علي", "حسين", "فاطمة", "زينب", "مريم", "أحمد", "نور", "حسن", "سارة"]
FAMILY = ["الموسوي", "الجبوري", "العبيدي", "الساعدي", "التميمي", "الربيعي", "الزبيدي", "الدليمي"]
HEADER = ["given_name", "family_name", "gender", "birth_date", "province", "phone"]


def entrant(i: int) -> list:
    # Seven in ten born on 1 July (the civil registry's stand-in date), the year spread over 40.
    born = f"{1965 + i % 40}-07-01" if i % 10 < 7 else f"{1965 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    return [f"{GIVEN[i % 10]} {i}", FAMILY[i % 8], "female" if i % 2 else "male", born, "IQ-BG", f"+96477{i:08d}"]


def sheet(numbers: list[int]) -> bytes:
    from sportsrun.core.spreadsheets.workbooks import xlsx

    return xlsx("Entrants", HEADER, [entrant(i) for i in numbers])


async def new_race(user_id: int, name: str, capacity: int) -> int:
    from sportsrun.events.services import create_event, create_race

    event = await create_event({"name": name, "province": "IQ-BG", "city": "Baghdad", "date": "2027-03-20",
                                "published": True})  # fmt: skip
    race = await create_race(event["id"], {
        "name": "Marathon", "distance_m": 42195, "start_time": "2027-03-20T07:00:00+03:00", "capacity": capacity,
        "bib_first": 1, "bib_last": capacity + 1000, "registration_opens_at": "2026-01-01T00:00:00+03:00",
    }, user_id)  # fmt: skip
    return race["id"]


async def timed_import(race_id: int, data: bytes, user_id: int) -> tuple[float, float]:
    """The import's time, and the CPU time of the event loop's thread meanwhile (what other requests of the
    worker wait behind: the rest is threads, SQLite or the database server)."""
    from sportsrun.registration.imports import import_entrants

    started, loop_cpu = time.perf_counter(), time.thread_time()
    result = await import_entrants(race_id, data, user_id)
    elapsed, loop_cpu = time.perf_counter() - started, time.thread_time() - loop_cpu
    assert result["created"] > 0 and not result["bibs_changed"], result
    return elapsed, loop_cpu


async def measure(sizes: list[int], held: int) -> None:
    from sportsrun.accounts.services import create_user
    from sportsrun.core.db import connections
    from sportsrun.settings import get_settings

    await connections.start(get_settings())
    engine = connections.engine().engine_type
    try:
        user = await create_user({"email": "bench@example.test", "role": "organiser", "password": "bench password"})
        if held:
            data = await asyncio.to_thread(sheet, list(range(held)))
            took, _loop = await timed_import(await new_race(user["id"], "Held", held), data, user["id"])
            print(f"{engine:<8} {held} rows into an empty database (fills it): {took:.2f} s")
        for size in sizes:
            # A fifth already known (the first `held` people), the rest new to the installation.
            known = min(size // 5, held)
            numbers = list(range(known)) + list(range(10_000_000 + size * 10, 10_000_000 + size * 10 + size - known))
            data = await asyncio.to_thread(sheet, numbers)
            took, loop = await timed_import(await new_race(user["id"], f"Size {size}", size), data, user["id"])
            print(f"{engine:<8} {size:>6} rows ({known} known people) with {held} people held: {took:.2f} s "
                  f"({size / took:,.0f} rows/s), the loop's thread busy {loop:.2f} s")  # fmt: skip
    finally:
        await connections.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="5000,20000,50000")
    ap.add_argument("--held", type=int, default=50_000, help="people registered before the timed imports")
    ap.add_argument("--database-url")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        asyncio.run(measure(sizes, args.held))
        return
    run_in_child(__file__, ["--sizes", args.sizes, "--held", str(args.held)], args.database_url,
                 "sportsrun-bench-entrants-")  # fmt: skip


if __name__ == "__main__":
    main()
