"""Reading results of a race with 50,000 finishers.

1. Server time (median, in-process ASGI calls, no network) of: a results page, an API page, one runner's
   page, a name search; each cold (page not cached) and warm (cached), a 304 poll, and the first search
   after results change (which builds the name index).
2. A hot results page through a real server (2 workers) from a local client on loopback, gzipped (as
   browsers ask for it) and not: requests per second, bytes per answer and p99 latency.

    python bench/results_read.py [--rows 50000] [--seconds 10] [--database-url …]
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import bench_env, run, wait_until_serving  # noqa: E402
from registrations import free_port  # noqa: E402
from timing_import import build_sheet, prepare  # noqa: E402

SPORTSRUN = str(Path(sys.executable).parent / "sportsrun")


async def asgi_get(app, path: str, query: str = "", headers: dict | None = None) -> tuple[int, bytes, dict, float]:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000), "state": {},
    }  # fmt: skip
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    started = time.perf_counter()
    await app(scope, receive, send)
    elapsed = time.perf_counter() - started
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body, {k.decode(): v.decode() for k, v in start["headers"]}, elapsed


async def server_times(rows: int, sheet: Path) -> tuple[int, dict]:
    from sportsrun.app import create_app
    from sportsrun.core.db import connections
    from sportsrun.core.db import sql as db
    from sportsrun.core.web import page_cache
    from sportsrun.results import search
    from sportsrun.settings import get_settings
    from sportsrun.timing.services import import_results

    await connections.start(get_settings())
    try:
        race_id = await prepare(rows)
        await db.fetch("UPDATE event SET published = {}", True)
        result = await import_results(race_id, await asyncio.to_thread(sheet.read_bytes))
        assert result["finishers"] == rows
        app = create_app()
        ar = {"Accept-Language": "ar"}
        cases = {
            "results page": (f"/races/{race_id}/results", "", ar),
            "results page 3": (f"/races/{race_id}/results", "page=3", ar),
            "API page": (f"/api/v1/races/{race_id}/results", "", {}),
            "runner page": (f"/races/{race_id}/results/1234", "", ar),
            "name search": (f"/api/v1/races/{race_id}/results", "q=Runner4321", {}),
        }
        figures = {}
        for label, (path, query, headers) in cases.items():
            cold = []
            for _ in range(60):
                page_cache.rendered.clear()
                status, _body, _h, seconds = await asgi_get(app, path, query, headers)
                assert status == 200, (label, status)
                cold.append(seconds)
            warm = [(await asgi_get(app, path, query, headers))[3] for _ in range(200)]
            figures[label] = (statistics.median(cold), statistics.median(warm))
        status, _b, headers, _s = await asgi_get(app, f"/races/{race_id}/results", "", {**ar, "HX-Request": "true"})
        etag = headers["etag"]
        polls = []
        for _ in range(500):
            status, _b, _h, seconds = await asgi_get(app, f"/races/{race_id}/results", "",
                                                     {**ar, "HX-Request": "true", "If-None-Match": etag})  # fmt: skip
            assert status == 304
            polls.append(seconds)
        figures["304 poll"] = (statistics.median(polls), statistics.median(polls))
        builds = []
        for _ in range(5):
            search.forget()
            page_cache.rendered.clear()
            builds.append((await asgi_get(app, f"/api/v1/races/{race_id}/results", "q=Runner4321"))[3])
        figures["first search"] = (statistics.median(builds), figures["name search"][1])
        return race_id, figures
    finally:
        await connections.stop()


def hot_page(port: int, request: bytes, seconds: float):
    """Requests per second for one request sent over and over, and the size of its answer's body."""
    size = len(asyncio.run(run("127.0.0.1", port, lambda i: request, 1, total=1, keep_bodies=True)).bodies[0])
    asyncio.run(run("127.0.0.1", port, lambda i: request, 40, total=2000))  # warm both workers
    return asyncio.run(run("127.0.0.1", port, lambda i: request, 40, duration=seconds)), size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="sportsrun-bench-read-")
    sheet = Path(work) / "results.xlsx"
    sheet.write_bytes(build_sheet(args.rows))
    env = bench_env(args.database_url or f"sqlite:///{work}/bench.db")
    os.environ.update(env)
    subprocess.run([SPORTSRUN, "migrate"], env=env, check=True, capture_output=True)
    race_id, figures = asyncio.run(server_times(args.rows, sheet))
    engine = "postgres" if env["SPORTSRUN_DATABASE_URL"].startswith("postgres") else "sqlite"
    print(f"{engine}: {args.rows} finishers in one race; server time, median (cold = page not cached, warm = cached;")
    print("  'first search' loads the race's stored name index, once per worker and change of results)")
    for label, (cold, warm) in figures.items():
        print(f"  {label:<15} cold {cold * 1000:6.2f} ms   warm {warm * 1000:6.3f} ms")
    full = figures["results page"][0]
    print(
        f"  a 304 poll is {full / figures['304 poll'][0]:.0f}x cheaper than rendering the page, "
        f"{figures['results page'][1] / figures['304 poll'][0]:.1f}x cheaper than serving it from the cache"
    )

    port = free_port()
    # The access log stays on (as in production) but goes nowhere: these lines would bury the figures.
    server = subprocess.Popen([SPORTSRUN, "serve", "--port", str(port), "--workers", "2"], env=env, cwd=work,
                              stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(base)
        for encoding in ("gzip", "identity"):  # every browser asks for gzip
            request = (f"GET /races/{race_id}/results HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: ar\r\n"
                       f"Accept-Encoding: {encoding}\r\nCookie: csrftoken=bench\r\n\r\n").encode()  # fmt: skip
            outcome, size = hot_page(port, request, args.seconds)
            print(
                f"  hot page over HTTP, {encoding} (2 workers, 40 connections): "
                f"{outcome.total / outcome.elapsed:,.0f} req/s, {size / 1024:.1f} KB each, "
                f"p50 {outcome.percentile(0.5) * 1000:.1f} ms, p99 {outcome.percentile(0.99) * 1000:.1f} ms, "
                f"statuses {dict(outcome.statuses)}, errors {outcome.errors}"
            )
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
