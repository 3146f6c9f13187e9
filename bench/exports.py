"""Exports and imports that never stall the site: results.xlsx (then .csv) of a 50,000-finisher race, two at
once with different filters (so both build), one on each worker of a real server (`sportsrun serve
--workers 2`), while a client reads the event page and the results page every 20 ms on two keep-alive
connections per worker. Prints the worst and p95 latency of those pages during the exports, the exports' own
times, a repeat (kept: no build) and a 304. Then the same pages' latency while a 50,000-row entrant import
and a 50,000-row timing import are posted over HTTP, one after the other, then while an organiser corrects
a runner's gender and a finisher's time (each stores the race's 50,000 results again).

    python bench/exports.py [--rows 50000] [--database-url …]
"""

import argparse
import asyncio
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import bench_env, wait_until_serving  # noqa: E402
from registrations import free_port  # noqa: E402
from results_read import asgi_get  # noqa: E402
from timing_import import build_sheet, prepare  # noqa: E402

SPORTSRUN = str(Path(sys.executable).parent / "sportsrun")
HOST = "127.0.0.1"
PROBE_EVERY_S = 0.02


async def make_race(rows: int, sheet: bytes) -> tuple[int, int, int]:
    """The event, its race of `rows` finishers and an empty race for the entrant import."""
    from sportsrun.core.db import connections
    from sportsrun.core.db import sql as db
    from sportsrun.events.services import create_race
    from sportsrun.settings import get_settings
    from sportsrun.timing.services import import_results

    await connections.start(get_settings())
    try:
        race_id = await prepare(rows)
        await db.fetch("UPDATE event SET published = {}", True)
        assert (await import_results(race_id, sheet))["finishers"] == rows
        await loop_work(race_id, rows)
        event_id = (await db.fetch("SELECT event FROM race WHERE id = {}", race_id))[0]["event"]
        empty = await create_race(event_id, {
            "name": "Bulk", "distance_m": 10000, "start_time": "2027-03-20T08:00:00+03:00", "capacity": rows,
            "bib_first": 100_001, "bib_last": 100_000 + rows + 1000,  # after the first race's bibs
            "registration_opens_at": "2026-01-01T00:00:00+03:00",
        }, None)  # fmt: skip
        return event_id, race_id, empty["id"]
    finally:
        await connections.stop()


async def loop_work(race_id: int, rows: int) -> None:
    """One worker's event loop while it answers an export (the app in this process): the longest time it
    went without a turn, in wall time and in the CPU time of the loop's thread, which does not count
    waiting for the CPU on a busy machine."""
    from sportsrun.app import create_app

    try:
        from sportsrun.core.spreadsheets import export_pool
    except ImportError:  # a server from before exports were built in a child process
        export_pool = None
    app = create_app()
    await asgi_get(app, f"/api/v1/races/{race_id}/results.xlsx", "q=1")  # the export child starts
    gaps: list[tuple[float, float]] = []
    done = False

    async def tick() -> None:
        while not done:
            wall, cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(0.001)
            gaps.append((time.perf_counter() - wall - 0.001, time.thread_time() - cpu))

    ticker = asyncio.ensure_future(tick())
    status, body, _headers, seconds = await asgi_get(app, f"/api/v1/races/{race_id}/results.xlsx")
    done = True
    await ticker
    assert status == 200 and len(body) > rows * 20, status
    print(f"one worker's event loop during a {rows:,}-row results.xlsx export ({seconds:.2f} s): longest "
          f"without a turn {max(g[0] for g in gaps) * 1000:.1f} ms wall, {max(g[1] for g in gaps) * 1000:.1f} ms "
          f"of CPU")  # fmt: skip
    if export_pool is not None:
        await asyncio.to_thread(export_pool.shutdown)


def request(path: str, extra: str = "") -> bytes:
    head = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept-Language: ar\r\nCookie: csrftoken=bench\r\n"
    return (head + extra + "\r\n").encode()


async def response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    length = int(headers.get("content-length", 0))
    return int(lines[0].split()[1]), headers, await reader.readexactly(length) if length else b""


class Connection:
    """One keep-alive connection, and the worker process that accepted it (read from /proc)."""

    def __init__(self, port: int):
        self.port = port

    async def open(self, workers: list[int]) -> "Connection":
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        await self.get("/healthz")  # accepted by then
        self.worker = owner(self.writer.get_extra_info("sockname")[1], self.port, workers)
        return self

    async def get(self, path: str, extra: str = "") -> tuple[int, dict[str, str], bytes, float]:
        started = time.perf_counter()
        self.writer.write(request(path, extra))
        status, headers, body = await response(self.reader)
        return status, headers, body, time.perf_counter() - started

    def close(self) -> None:
        self.writer.close()


def worker_pids(server: int) -> list[int]:
    children = []
    for task in os.listdir(f"/proc/{server}/task"):
        children += [int(p) for p in Path(f"/proc/{server}/task/{task}/children").read_text().split()]
    # uvicorn's workers hold the listening socket; other children (a resource tracker) hold none.
    return [pid for pid in children if any(os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
                                           for fd in os.listdir(f"/proc/{pid}/fd"))]  # fmt: skip


def owner(client_port: int, server_port: int, workers: list[int]) -> int | None:
    """The worker holding the server's end of the connection from `client_port`."""
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == server_port and int(fields[2].split(":")[1], 16) == client_port:
            inode = fields[9]
    for pid in workers:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    return pid
            except FileNotFoundError:
                continue
    return None


async def per_worker(port: int, workers: list[int], each: int) -> list[Connection]:
    """`each` connections on every worker (connections are opened until the kernel has spread them so)."""
    kept: dict[int, list[Connection]] = {pid: [] for pid in workers}
    for _ in range(200):
        if all(len(c) >= each for c in kept.values()):
            break
        connection = await Connection(port).open(workers)
        if connection.worker in kept and len(kept[connection.worker]) < each:
            kept[connection.worker].append(connection)
        else:
            connection.close()
    assert all(len(c) >= each for c in kept.values()), "the kernel gave every connection to one worker"
    return [c for cs in kept.values() for c in cs]


async def probe(connection: Connection, paths: list[str], stop: asyncio.Event, seen: list) -> None:
    i = 0
    while not stop.is_set():
        try:
            status, _headers, _body, seconds = await connection.get(paths[i % len(paths)])
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            print(f"  a probe's connection to worker {connection.worker} was lost: {exc!r}")
            return
        assert status == 200, status
        seen.append((time.perf_counter() - seconds, seconds))
        i += 1
        await asyncio.sleep(PROBE_EVERY_S)


def figures(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p95 = ordered[min(int(len(ordered) * 0.95), len(ordered) - 1)]
    median = ordered[len(ordered) // 2]
    return f"worst {ordered[-1] * 1000:6.1f} ms, p95 {p95 * 1000:5.1f} ms, median {median * 1000:5.1f} ms"


async def measure(port: int, workers: list[int], event_id: int, race_id: int, empty_race_id: int, rows: int) -> None:
    pages = [f"/events/{event_id}", f"/races/{race_id}/results"]
    probes = await per_worker(port, workers, 2)
    exporters = await per_worker(port, workers, 1)
    base = f"/api/v1/races/{race_id}/results"
    for connection in probes:  # the pages are cached as on a race day; each worker's export child started
        for path in pages:
            await connection.get(path)
    for connection in exporters:
        _status, _headers, _body, seconds = await connection.get(base + ".csv?q=1")
        print(f"  first export on worker {connection.worker}: {seconds * 1000:.0f} ms (its export child starts)")
        connection.close()
    seen: list[tuple[float, float]] = []
    stop = asyncio.Event()
    running = [asyncio.ensure_future(probe(c, pages, stop, seen)) for c in probes]
    await asyncio.sleep(2)
    idle = [s for _t, s in seen]
    print(f"  other pages, idle: {figures(idle)} ({len(idle)} requests)")
    for kind in ("xlsx", "csv"):
        paths = [f"{base}.{kind}", f"{base}.{kind}?province=IQ-BG"]  # every finisher in both; two keys
        exporters = await per_worker(port, workers, 1)  # one export on each worker
        started = time.perf_counter()
        done = await asyncio.gather(*(c.get(p) for c, p in zip(exporters, paths, strict=True)))
        ended = time.perf_counter()
        during = [s for t, s in seen if started <= t <= ended]
        for (status, _headers, body, seconds), connection in zip(done, exporters, strict=True):
            assert status == 200 and len(body) > rows * 20, status
            print(f"  {kind} export of {rows:,} rows on worker {connection.worker}: {seconds:.2f} s "
                  f"({len(body) / 1e6:.1f} MB)")  # fmt: skip
        print(f"  other pages during the two {kind} exports: {figures(during)} ({len(during)} requests, "
              f"{len(probes)} connections, {len(workers)} workers)")  # fmt: skip
        for exporter in exporters:
            exporter.close()
        for exporter, path in zip(exporters, paths, strict=True):
            # On a new connection to the same worker: the server closes one left idle for 5 s.
            [connection] = await per_worker(port, [exporter.worker], 1)
            status, headers, _body, seconds = await connection.get(path)
            assert status == 200, status
            line = f"  {kind} repeat on worker {connection.worker}: {seconds * 1000:.1f} ms"
            if "etag" in headers:  # (an older server has none: compare with `git stash` or another checkout)
                not_modified, _h, _b, revalidate = await connection.get(path, f"If-None-Match: {headers['etag']}\r\n")
                assert not_modified == 304, not_modified
                line += f", 304 {revalidate * 1000:.1f} ms"
            print(line)
            connection.close()
        await asyncio.sleep(1)
    await bulk_meanwhile(port, seen, race_id, empty_race_id, rows)
    stop.set()
    await asyncio.gather(*running)
    for connection in probes:
        connection.close()


async def bulk_meanwhile(port: int, seen: list, race_id: int, empty_race_id: int, rows: int) -> None:
    """The pages' latency while an entrant import, then a timing import, of `rows` rows go through one worker."""
    import httpx
    from entrant_import import sheet as entrants_sheet

    logging.getLogger("httpx").setLevel(logging.WARNING)  # the app's logging set it to log every request

    entrants = await asyncio.to_thread(entrants_sheet, list(range(60_000_000, 60_000_000 + rows)))
    times = await asyncio.to_thread(build_sheet, rows, 7)  # new times: the results are stored again
    async with httpx.AsyncClient(base_url=f"http://{HOST}:{port}", timeout=300) as http:
        login = {"email": "bench@example.test", "password": "bench password"}
        token = (await http.post("/api/v1/auth/token", json=login)).json()["token"]
        for label, path, data in (
            ("an entrant import", f"/api/v1/races/{empty_race_id}/registrations/imports", entrants),
            ("a timing import", f"/api/v1/races/{race_id}/results/imports", times),
        ):
            request = http.post(path, headers=auth(token), files={"file": ("bulk.xlsx", data)})
            await meanwhile(f"{label} of {rows:,} rows over HTTP", request, 201, seen)
        # One runner's gender fixed by the organiser, and one finisher's time: each stores the race's results
        # again (places move), 50,000 rows.
        registrations = (await http.get(f"/api/v1/races/{race_id}/registrations", headers=auth(token))).json()
        holder = next(r for r in registrations if r["bib"] == 777)
        for label, path, body in (
            ("a runner's gender corrected", f"/api/v1/registrations/{holder['id']}",
             {"gender": "female" if holder["gender"] == "male" else "male"}),
            ("a finisher's time corrected", f"/api/v1/races/{race_id}/results/777",
             {"gun_time_ms": 4_000_000, "reason": "bench"}),
        ):  # fmt: skip
            request = http.patch(path, headers=auth(token), json=body)
            await meanwhile(f"{label} in a race of {rows:,} results", request, 200, seen)


async def meanwhile(label: str, request, status: int, seen: list) -> None:
    """Sends `request` (awaitable), and prints its time and the other pages' latency while it ran."""
    started = time.perf_counter()
    answer = await request
    ended = time.perf_counter()
    assert answer.status_code == status, answer.text
    during = [s for t, s in seen if started <= t <= ended]
    print(f"  {label}: {ended - started:.2f} s; other pages meanwhile: {figures(during)} ({len(during)} requests)")
    await asyncio.sleep(1)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="sportsrun-bench-exports-")
    env = bench_env(args.database_url or f"sqlite:///{work}/bench.db")
    os.environ.update(env)
    subprocess.run([SPORTSRUN, "migrate"], env=env, check=True, capture_output=True)
    event_id, race_id, empty_race_id = asyncio.run(make_race(args.rows, build_sheet(args.rows)))
    engine = "postgres" if env["SPORTSRUN_DATABASE_URL"].startswith("postgres") else "sqlite"
    print(f"{engine}: exports of a race of {args.rows:,} finishers through a real server (2 workers); "
          f"other pages read every {PROBE_EVERY_S * 1000:.0f} ms per connection")  # fmt: skip
    port = free_port()
    server = subprocess.Popen([SPORTSRUN, "serve", "--port", str(port), "--workers", "2", "--no-access-log"],
                              env=env, cwd=work)  # fmt: skip
    try:
        wait_until_serving(f"http://{HOST}:{port}")
        workers = []
        while len(workers) < 2:
            time.sleep(0.1)
            workers = worker_pids(server.pid)
        asyncio.run(measure(port, workers, event_id, race_id, empty_race_id, args.rows))
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
