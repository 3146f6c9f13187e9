"""A timing company's 50,000-row x 8-column .xlsx imported into one race, end to end (read, check, write
the results, store places), beside the bare python-calamine parse of the same file; peak memory. The
database already holds `--held` results of other races (an empty one hides costs that grow with it).

    python bench/timing_import.py [--rows 50000] [--runs 5] [--held 100000] [--database-url sqlite:///...]
"""

import argparse
import asyncio
import datetime as dt
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build_sheet(rows: int, shift_s: int = 0) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Results")
    sheet.append(["Bib", "Name", "Gender", "Age", "5K", "10K", "Chip Time", "Gun Time"])
    for i in range(1, rows + 1):
        chip = dt.timedelta(seconds=1800 + (i * 7919 + shift_s) % 5400, milliseconds=(i * 37) % 1000)
        gun = chip + dt.timedelta(seconds=i % 90)
        sheet.append([i, f"Runner {i}", "F" if i % 2 else "M", 18 + i % 60, chip * 0.23, chip * 0.47, chip, gun])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def prepare(rows: int, user: dict | None = None, name: str = "Bench") -> int:
    """A race with `rows` confirmed runners holding bibs 1…rows (through the bulk entrant import)."""
    from sportsrun.accounts.services import create_user
    from sportsrun.core.spreadsheets.workbooks import xlsx
    from sportsrun.events.services import create_event, create_race
    from sportsrun.registration.imports import import_entrants

    if user is None:
        user = await create_user({"email": "bench@example.test", "role": "organiser", "password": "bench password"})
    event = await create_event({"name": name, "province": "IQ-BG", "city": "Baghdad", "date": "2027-03-20",
                                "published": True})  # fmt: skip
    race = await create_race(event["id"], {
        "name": "Marathon", "distance_m": 21097.5, "start_time": "2027-03-20T07:00:00+03:00", "capacity": rows,
        "bib_first": 1, "bib_last": rows + 1000, "registration_opens_at": "2026-01-01T00:00:00+03:00",
    }, user["id"])  # fmt: skip
    entrants = [["given_name", "family_name", "gender", "birth_date", "province", "email", "bib"]]
    for i in range(1, rows + 1):
        entrants.append([f"Runner{i}", name, "female" if i % 2 else "male", f"19{50 + i % 50}-0{1 + i % 9}-1{i % 9}",
                         "IQ-BG", f"r{i}@example.test", i])  # fmt: skip
    await import_entrants(race["id"], xlsx("Entrants", entrants[0], entrants[1:]), user["id"])
    return race["id"]


def bare_parse(data: bytes) -> float:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    return time.perf_counter() - started


async def forget_results(race_id: int) -> None:
    """Back to the state before the first import, so that the next run imports the file afresh."""
    from sportsrun.core.db.sql import fetch, write_transaction

    async with write_transaction():
        for table in ("result", "result_correction", "result_import"):
            await fetch(f"DELETE FROM {table} WHERE race = {{}}", race_id)


async def measure(rows: int, sheet_path: Path, runs: int, held: int) -> None:
    from sportsrun.accounts.services import create_user
    from sportsrun.core.db import connections
    from sportsrun.settings import get_settings
    from sportsrun.timing.services import import_results

    await connections.start(get_settings())
    try:
        user = await create_user({"email": "bench@example.test", "role": "organiser", "password": "bench password"})
        data = await asyncio.to_thread(sheet_path.read_bytes)
        for n in range(held // rows):
            await import_results(await prepare(rows, user, f"Held {n}"), data, filename="held.xlsx")
        if held:
            print(f"{'':<8} the database holds {held // rows * rows} results of {held // rows} other races")
        race_id = await prepare(rows, user)
        parse = min(bare_parse(data) for _ in range(3))
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        times = []
        for run in range(runs):
            if run:
                await forget_results(race_id)
            started = time.perf_counter()
            result = await import_results(race_id, data, filename="bench.xlsx")
            times.append(time.perf_counter() - started)
            assert result["finishers"] == rows and not result["unchanged"], result
            if not run:
                rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        again = await import_results(race_id, data, filename="bench.xlsx")
        retry = time.perf_counter() - started
        assert again["unchanged"]
        best, median = min(times), statistics.median(times)
        print(
            f"{connections.engine().engine_type:<8} {rows} rows x 8 columns ({len(data) / 1e6:.1f} MB): "
            f"import {best:.2f} s end to end (best of {runs}; median {median:.2f} s), "
            f"bare calamine parse {parse:.2f} s (best of 3), ratio {best / parse:.1f}x; same file again {retry:.2f} s"
        )
        print(f"{'':<8} every run: {', '.join(f'{t:.2f}' for t in times)} s")
        print(
            f"{'':<8} peak memory: process RSS {rss_after / 1024:.0f} MB, of which the first import added "
            f"{max(rss_after - rss_before, 0) / 1024:.0f} MB"
        )
    finally:
        await connections.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=5, help="imports of the file, each into the race afresh")
    ap.add_argument("--held", type=int, default=100_000, help="results of other races in the database first")
    ap.add_argument("--database-url")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        asyncio.run(measure(args.rows, Path(args.child), args.runs, args.held))
        return
    work = tempfile.mkdtemp(prefix="sportsrun-bench-import-")
    sheet = Path(work) / "results.xlsx"
    sheet.write_bytes(build_sheet(args.rows))
    url = args.database_url or f"sqlite:///{work}/bench.db"
    env = {**os.environ, "SPORTSRUN_DATABASE_URL": url, "SPORTSRUN_SECRET_KEY": "bench-secret-key-0123456789"}
    sportsrun = str(Path(sys.executable).parent / "sportsrun")
    subprocess.run([sportsrun, "migrate"], env=env, check=True, capture_output=True)
    # A fresh process, so that its peak memory is the import's and not the sheet builder's.
    child = [sys.executable, __file__, "--rows", str(args.rows), "--runs", str(args.runs), "--held", str(args.held),
             "--child", str(sheet)]  # fmt: skip
    subprocess.run(child, env=env, check=True)


if __name__ == "__main__":
    main()
