"""Registrations per second through a real `sportsrun serve --workers 2`, 40 concurrent clients, on
SQLite and on PostgreSQL (when SPORTSRUN_TEST_POSTGRES_URL is set, or Debian's PostgreSQL server is
installed for a throwaway cluster). Prints throughput, latency, errors and the duplicate-bib count.

    python bench/registrations.py [--seconds 15] [--clients 40] [--workers 2]
"""

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import bench_env, post_json, run, wait_until_serving  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SPORTSRUN = str(Path(sys.executable).parent / "sportsrun")
PASSWORD = "bench password 123"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env: dict) -> None:
    subprocess.run([SPORTSRUN, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run(
        [SPORTSRUN, "users", "add", "bench@example.test", "--role", "organiser", "--password-stdin"],
        env=env,
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
    )


def create_race(base: str) -> tuple[int, dict]:
    c = httpx.Client(base_url=base, timeout=30)
    token = c.post("/api/v1/auth/token", json={"email": "bench@example.test", "password": PASSWORD}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    event = c.post(
        "/api/v1/events",
        headers=auth,
        json={"name": "Bench", "province": "IQ-BG", "city": "Baghdad", "date": "2027-03-20", "published": True},
    ).json()
    race = c.post(
        f"/api/v1/events/{event['id']}/races",
        headers=auth,
        json={
            "name": "Marathon",
            "distance_m": 42195,
            "start_time": "2027-03-20T07:00:00+03:00",
            "capacity": 180000,
            "bib_first": 1,
            "bib_last": 200000,
            "reserved_bibs": list(range(1, 101)),
            "registration_opens_at": "2026-01-01T00:00:00+03:00",
        },
    ).json()
    return race["id"], auth


def body(i: int) -> bytes:
    return json.dumps(
        {
            "given_name": f"Runner{i}",
            "family_name": "Bench",
            "gender": "female" if i % 2 else "male",
            "birth_date": f"19{60 + i % 40}-0{1 + i % 9}-1{i % 10}",
            "province": "IQ-BG",
            "phone": f"+9647{7 + i % 3}{i:08d}"[:14],
            "email": f"runner{i}@example.test",
            "consent": True,
        }
    ).encode()


def check_bibs(base: str, race_id: int, auth: dict) -> tuple[int, int, bool]:
    listing = httpx.get(f"{base}/api/v1/races/{race_id}/registrations", headers=auth, timeout=120).json()
    bibs = [r["bib"] for r in listing if r["status"] == "confirmed"]
    duplicates = len(bibs) - len(set(bibs))
    expected = list(range(101, 101 + len(bibs)))
    return len(listing), duplicates, sorted(bibs) == expected


def measure(name: str, database_url: str, seconds: float, clients: int, workers: int) -> None:
    work = tempfile.mkdtemp(prefix="sportsrun-bench-")
    env = bench_env(database_url)
    prepare(env)
    port = free_port()
    # The access log goes to a file: a pipe nobody reads fills up and blocks the server.
    log_path = Path(work) / "server.log"
    log = open(log_path, "w")
    server = subprocess.Popen(
        [SPORTSRUN, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=work,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base)
        race_id, auth = create_race(base)
        path = f"/api/v1/races/{race_id}/registrations"
        host = f"127.0.0.1:{port}"
        # Warm up both workers (imports, pools, caches) before measuring.
        asyncio.run(run("127.0.0.1", port, lambda i: post_json(path, body(10**7 + i), host), clients, total=400))
        outcome = asyncio.run(
            run("127.0.0.1", port, lambda i: post_json(path, body(i), host), clients, duration=seconds)
        )
        stored, duplicates, lowest = check_bibs(base, race_id, auth)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        output = log_path.read_text()
        shutil.rmtree(work, ignore_errors=True)
    ok = outcome.statuses.get(201, 0)
    errors = outcome.total - ok + outcome.errors
    print(
        f"{name:<11} {ok / outcome.elapsed:8.0f} registrations/s  ({ok} in {outcome.elapsed:.1f} s, {clients} clients, "
        f"{workers} workers)  p50 {outcome.percentile(0.5) * 1000:.1f} ms  p99 {outcome.percentile(0.99) * 1000:.1f} ms"
    )
    print(
        f"{'':<11} errors {errors} {dict(outcome.statuses)}  duplicate bibs {duplicates}  "
        f"lowest free bibs {'yes' if lowest else 'NO'}  stored {stored}"
        f"{'  database is locked!' if 'database is locked' in output else ''}"
    )


def postgres_url(stack: list) -> str | None:
    url = os.environ.get("SPORTSRUN_TEST_POSTGRES_URL")
    if url:
        return url
    if not any(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        return None
    pgdir = tempfile.mkdtemp(prefix="sportsrun-bench-pg-")
    url = subprocess.run(
        [str(ROOT / ".ci/postgres"), "start", pgdir], capture_output=True, text=True, check=True
    ).stdout.strip()
    stack.append(pgdir)
    return url


def reset_postgres(url: str) -> None:
    import asyncpg

    async def reset():
        conn = await asyncpg.connect(url)
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        await conn.close()

    asyncio.run(reset())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--clients", type=int, default=40)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    db_dir = tempfile.mkdtemp(prefix="sportsrun-bench-db-")
    measure("SQLite", f"sqlite:///{db_dir}/bench.db", args.seconds, args.clients, args.workers)
    shutil.rmtree(db_dir, ignore_errors=True)
    started: list[str] = []
    try:
        url = postgres_url(started)
        if url is None:
            print("PostgreSQL   skipped: set SPORTSRUN_TEST_POSTGRES_URL or install Debian's postgresql")
            return
        reset_postgres(url)
        measure("PostgreSQL", url, args.seconds, args.clients, args.workers)
        reset_postgres(url)
    finally:
        for pgdir in started:
            subprocess.run([str(ROOT / ".ci/postgres"), "stop", pgdir], capture_output=True)


if __name__ == "__main__":
    main()
