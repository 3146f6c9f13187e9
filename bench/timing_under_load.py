"""A 5,000-row timing sheet imported through the HTTP endpoint of a real server (2 workers) while 20
registrations a second arrive for another race: how long the imports take, and whether any
registration fails or waits long.

    python bench/timing_under_load.py [--seconds 20] [--database-url postgresql://…]
"""

import argparse
import asyncio
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import bench_env, wait_until_serving  # noqa: E402
from registrations import PASSWORD, create_race, free_port, prepare  # noqa: E402
from timing_import import build_sheet  # noqa: E402

SPORTSRUN = str(Path(sys.executable).parent / "sportsrun")


async def entrants(http: httpx.AsyncClient, auth: dict, race_id: int, rows: int) -> None:
    from sportsrun.core.spreadsheets.workbooks import xlsx

    header = ["given_name", "family_name", "gender", "birth_date", "province", "email", "bib"]
    data = [[f"Runner{i}", "Load", "female" if i % 2 else "male", f"19{60 + i % 40}-0{1 + i % 9}-1{i % 9}", "IQ-BG",
             f"load{i}@example.test", i] for i in range(1, rows + 1)]  # fmt: skip
    r = await http.post(f"/api/v1/races/{race_id}/registrations/imports", headers=auth,
                        files={"file": ("entrants.xlsx", xlsx("Entrants", header, data))}, timeout=300)  # fmt: skip
    assert r.status_code == 201, r.text[:300]


async def run(base: str, seconds: float, rows: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        timed_race, auth = create_race(base)
        await http.patch(f"/api/v1/races/{timed_race}", headers=auth, json={"capacity": 180000})
        await entrants(http, auth, timed_race, rows)
        open_race, _auth = create_race(base)
        # Two different sheets, alternated: every import is a real change (no "unchanged" shortcut).
        sheets = [build_sheet(rows), build_sheet(rows, shift_s=7)]
        stop = time.monotonic() + seconds
        latencies, failures, imports = [], [], []

        async def register_steadily() -> None:
            i = 0
            while time.monotonic() < stop:
                started = time.perf_counter()
                r = await http.post(f"/api/v1/races/{open_race}/registrations", json={
                    "given_name": f"Walkin{i}", "family_name": "Steady", "gender": "female",
                    "birth_date": (dt.date(1990, 1, 1) + dt.timedelta(days=i)).isoformat(), "province": "IQ-BG",
                    "email": f"steady{i}@example.test", "consent": True})  # fmt: skip
                latencies.append(time.perf_counter() - started)
                if r.status_code != 201:
                    failures.append((r.status_code, r.text[:100]))
                i += 1
                await asyncio.sleep(max(0.0, 0.05 - (time.perf_counter() - started)))

        async def import_repeatedly() -> None:
            n = 0
            while time.monotonic() < stop:
                content = sheets[n % 2]
                started = time.perf_counter()
                r = await http.post(f"/api/v1/races/{timed_race}/results/imports", headers=auth,
                                    files={"file": ("times.xlsx", content)}, data={"mode": "replace"})  # fmt: skip
                elapsed = time.perf_counter() - started
                assert r.status_code == 201, r.text[:300]
                imports.append((elapsed, r.json()["unchanged"]))
                n += 1

        await asyncio.gather(register_steadily(), import_repeatedly())
    latencies.sort()
    fresh = [e for e, unchanged in imports if not unchanged]
    print(
        f"{rows}-row imports over HTTP: {len(imports)} in {seconds:.0f} s "
        f"({len(fresh)} written, {len(imports) - len(fresh)} unchanged retries), "
        f"each {min(fresh):.2f}-{max(fresh):.2f} s"
        if fresh
        else "no import completed"
    )
    print(
        f"registrations meanwhile: {len(latencies)} at ~20/s, failed {len(failures)}, "
        f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms"
    )
    if failures:
        print("failures:", failures[:5])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="sportsrun-bench-load-")
    env = bench_env(args.database_url or f"sqlite:///{work}/bench.db")
    prepare(env)
    port = free_port()
    server = subprocess.Popen([SPORTSRUN, "serve", "--port", str(port), "--workers", "2"], env=env, cwd=work)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base)
        asyncio.run(run(base, args.seconds, args.rows))
    finally:
        server.terminate()
        server.wait(30)
    assert PASSWORD


if __name__ == "__main__":
    main()
