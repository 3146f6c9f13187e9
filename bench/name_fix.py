"""A registration fixed after the results of a 50,000-finisher race: a runner's new spelling of their name
(their row and the name index changed) and an organiser's corrected gender (the race's results stored
again: places within gender move). The time of each, and the longest the event loop went without a turn
meanwhile, which is how long every other request on that worker waited.

    python bench/name_fix.py [--rows 50000] [--database-url …]
"""

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import rows_bench  # noqa: E402
from timing_import import build_sheet, prepare  # noqa: E402


async def ticking(gaps: list[float]) -> None:
    last = time.perf_counter()
    while True:
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now


async def timed(label: str, engine: str, fix) -> None:
    gaps: list[float] = []
    ticker = asyncio.create_task(ticking(gaps))
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    await fix()
    took = time.perf_counter() - started
    await asyncio.sleep(0.05)
    ticker.cancel()
    print(f"{engine:<8} {label}: {took * 1000:7.1f} ms, longest without a turn of the loop {max(gaps) * 1000:5.1f} ms")


async def measure(rows: int) -> None:
    from sportsrun.core.db import connections
    from sportsrun.core.db.sql import fetch_one
    from sportsrun.registration.changes import change_by_organiser
    from sportsrun.settings import get_settings
    from sportsrun.timing.services import import_results

    await connections.start(get_settings())
    engine = connections.engine().engine_type
    try:
        race_id = await prepare(rows)
        await import_results(race_id, await asyncio.to_thread(build_sheet, rows), filename="bench.xlsx")
        print(f"{engine:<8} a race of {rows} finishers")
        runner = await fetch_one("SELECT id FROM registration WHERE race = {} AND bib = 777", race_id)
        user = await fetch_one("SELECT id FROM account_user WHERE email = 'bench@example.test'")

        def fix(values: dict):  # the same change as the runner's own PATCH makes, and its hook
            return lambda: change_by_organiser(runner["id"], values, user["id"])

        await timed("a fixed name       ", engine, fix({"given_name": "Fixed"}))
        await timed("a corrected gender ", engine, fix({"gender": "male"}))
    finally:
        await connections.stop()


if __name__ == "__main__":
    rows_bench(__file__, measure, "sportsrun-bench-fix-")
