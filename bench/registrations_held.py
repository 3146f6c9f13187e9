"""Registrations per second as the installation fills: a real `sportsrun serve --workers 2`, 40 concurrent
clients, with 0, 50,000 and 200,000 registrations already held (half in the race registered into, half in
another event's races; Arabic names; a third born on 1 July of assorted years, as Iraq's civil registry
records those without a date), and 200,000 held where everyone, held and new, shares one birth date.
SQLite, and PostgreSQL when SPORTSRUN_TEST_POSTGRES_URL is set (or Debian's postgresql is installed).
Prints registrations/s, p50/p99, errors, duplicate bibs, whether the bibs are the lowest free, each
worker's share of the CPU and the ratio to the empty installation's figure, with the load average.

    python bench/registrations_held.py [--seconds 10] [--cases 0,50k,200k,200k-one-date]
                                       [--engines sqlite,postgres] [--keyed]
"""

import argparse
import asyncio
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import bench_env, post_json, run, wait_until_serving  # noqa: E402
from registrations import SPORTSRUN, free_port, postgres_url, reset_postgres  # noqa: E402
from registrations_keyed import shares, worker_cpu  # noqa: E402

GIVEN = ["محمد", "علي", "حسين", "فاطمة", "زينب", "مريم", "أحمد", "نور", "حسن", "سارة", "عباس", "رقية"]
FAMILY = ["الموسوي", "الجبوري", "العبيدي", "الساعدي", "التميمي", "الربيعي", "الزبيدي", "الدليمي", "الكعبي"]
CASES = {"0": (0, False), "50k": (50_000, False), "200k": (200_000, False), "200k-one-date": (200_000, True)}
ONE_DATE = dt.date(1990, 7, 1)
FIRST_BIB, LAST_BIB = 101, 500_000  # bibs 1…100 reserved
NEW, WARM = 10_000_000, 20_000_000  # numbering of the new registrations: never a held one's name or phone


def born(i: int, one_date: bool) -> dt.date:
    """A third on 1 July of one of 40 years, the rest spread over the year."""
    if one_date:
        return ONE_DATE
    year = 1965 + i % 40
    return dt.date(year, 7, 1) if i % 3 == 0 else dt.date(year, 1 + i % 12, 1 + (i // 12) % 28)


def person(i: int) -> tuple[str, str, str]:
    return f"{GIVEN[i % len(GIVEN)]} {i}", FAMILY[i % len(FAMILY)], f"+96477{i % 10**8:08d}"


def body(i: int, one_date: bool) -> bytes:
    given, family, phone = person(i)
    return json.dumps({
        "given_name": given, "family_name": family, "gender": "female" if i % 2 else "male",
        "birth_date": born(i, one_date).isoformat(), "province": "IQ-BG", "phone": phone, "consent": True,
    }).encode()  # fmt: skip


# -- filling the installation before the server starts (run in a child process: `--fill`) --------------


async def fill(held: int, one_date: bool) -> int:
    """The bench race (and another event's two races) with `held` registrations between them; returns the
    bench race's id."""
    from sportsrun.accounts.services import create_user
    from sportsrun.core.db import connections
    from sportsrun.core.db.sql import fetch, fetch_rows, insert_many, refresh_statistics, write_transaction
    from sportsrun.core.text.names import name_key
    from sportsrun.events.services import create_event, create_race
    from sportsrun.settings import get_settings

    await connections.start(get_settings())
    user = await create_user({"email": "bench@example.test", "role": "organiser", "password": "bench password 1"})
    opens = {"start_time": "2027-03-20T07:00:00+03:00", "registration_opens_at": "2026-01-01T00:00:00+03:00"}
    races = []
    for name, first, last in (("Bench", FIRST_BIB - 100, LAST_BIB), ("Held", 1, 150_000)):
        event = await create_event({"name": name, "province": "IQ-BG", "city": "Baghdad", "date": "2027-03-20",
                                    "published": True})  # fmt: skip
        if name == "Bench":
            race = {"name": "Marathon", "distance_m": 42195, "capacity": 450_000, "bib_first": first,
                    "bib_last": last, "reserved_bibs": list(range(1, FIRST_BIB))}  # fmt: skip
            races.append(await create_race(event["id"], {**race, **opens}, user["id"]))
        else:
            for n, start in enumerate((1, 75_001)):
                race = {"name": f"10K {n}", "distance_m": 10000, "capacity": 75_000, "bib_first": start,
                        "bib_last": start + 74_999}  # fmt: skip
                races.append(await create_race(event["id"], {**race, **opens}, user["id"]))
    now = dt.datetime.now(dt.UTC)
    in_bench = held - held // 2
    placed = [(races[0]["id"], FIRST_BIB + i) for i in range(in_bench)]
    placed += [(races[1 + i % 2]["id"], 1 + i // 2 + (i % 2) * 75_000) for i in range(held // 2)]
    async with write_transaction():
        people = [(born(i, one_date), person(i)[2], None, now) for i in range(held)]
        await insert_many("person", ("birth_date", "phone", "email", "created_at"), people)
        ids = [r[0] for r in await fetch_rows("SELECT id FROM person ORDER BY id")]
        rows = []
        for i, ((race_id, bib), person_id) in enumerate(zip(placed, ids, strict=True)):
            given, family, phone = person(i)
            rows.append((race_id, person_id, "confirmed", bib, given, family, name_key(given, family),
                         "female" if i % 2 else "male", born(i, one_date), "IQ-BG", "IQ", phone, None, None, None,
                         "full", None, False, "import", hashlib.sha256(b"held%d" % i).hexdigest(), now))  # fmt: skip
        columns = ("race", "person", "status", "bib", "given_name", "family_name", "name_key", "gender",
                   "birth_date", "province", "country", "phone", "email", "emergency_contact", "club",
                   "name_display", "guardian_name", "guardian_allows_full_name", "source", "code_hash",
                   "created_at")  # fmt: skip
        await insert_many("registration", columns, rows)
        await fetch("UPDATE race SET bib_next_free = {} WHERE id = {}", FIRST_BIB + in_bench, races[0]["id"])
    await refresh_statistics("person", "registration", "registration_tally", "race")
    await connections.stop()
    return races[0]["id"]


# -- measuring ---------------------------------------------------------------------------------------------


def check(database_url: str, race_id: int, held_in_race: int) -> tuple[int, int, bool]:
    """(online registrations stored, bibs held twice in a race, whether the race's bibs are the lowest
    free: FIRST_BIB upward without a gap), read straight from the database."""
    duplicates_sql = ("SELECT COUNT(*) FROM (SELECT race, bib FROM registration WHERE bib IS NOT NULL "
                      "GROUP BY race, bib HAVING COUNT(*) > 1) AS d")  # fmt: skip
    bibs_sql = f"SELECT COUNT(bib), MIN(bib), MAX(bib) FROM registration WHERE race = {race_id}"
    stored_sql = f"SELECT COUNT(*) FROM registration WHERE race = {race_id} AND source = 'online'"
    if database_url.startswith("sqlite"):
        import sqlite3

        db = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        answers = [db.execute(q).fetchone() for q in (stored_sql, duplicates_sql, bibs_sql)]
        db.close()
    else:
        import asyncpg

        async def read():
            conn = await asyncpg.connect(database_url)
            try:
                return [tuple(await conn.fetchrow(q)) for q in (stored_sql, duplicates_sql, bibs_sql)]
            finally:
                await conn.close()

        answers = asyncio.run(read())
    (stored,), (duplicates,), (count, low, high) = answers
    lowest = count == 0 or (low == FIRST_BIB and high == FIRST_BIB + count - 1)
    return stored, duplicates, lowest


def measure(engine: str, database_url: str, case: str, args: argparse.Namespace) -> float:
    held, one_date = CASES[case]
    work = tempfile.mkdtemp(prefix="sportsrun-bench-held-")
    env = bench_env(database_url)
    subprocess.run([SPORTSRUN, "migrate"], env=env, check=True, capture_output=True)
    started = time.perf_counter()
    filled = subprocess.run([sys.executable, __file__, "--fill", str(held), *(["--one-date"] if one_date else [])],
                            env=env, check=True, capture_output=True, text=True)  # fmt: skip
    race_id, fill_s = int(filled.stdout.split()[-1]), time.perf_counter() - started
    port = free_port()
    log_path = Path(work) / "server.log"
    log = open(log_path, "w")  # a pipe nobody reads would fill up and block the server
    server = subprocess.Popen([SPORTSRUN, "serve", "--port", str(port), "--workers", str(args.workers)], env=env,
                              cwd=work, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    host, path = f"127.0.0.1:{port}", f"/api/v1/races/{race_id}/registrations"

    def request(i: int) -> bytes:
        return post_json(path, body(i, one_date), host, f"Idempotency-Key: bench-{i}\r\n" if args.keyed else "")

    try:
        wait_until_serving(f"http://{host}")
        asyncio.run(run("127.0.0.1", port, lambda i: request(WARM + i), args.clients, total=400))
        cpu = worker_cpu(server.pid)
        spies = [subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid), "-f",
                                   "raw", "-o", f"{args.profile}/{engine}-{case}-{pid}.txt", "--duration",
                                   str(int(args.seconds))], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for pid in (cpu if args.profile else ())]  # fmt: skip
        outcome = asyncio.run(run("127.0.0.1", port, lambda i: request(NEW + i), args.clients, duration=args.seconds))
        after = worker_cpu(server.pid)
        share, cpu_s = shares(cpu, after), sum(after.values()) - sum(cpu.values())
        load = os.getloadavg()
        for spy in spies:
            spy.wait(timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        locked = "database is locked" in log_path.read_text()
        shutil.rmtree(work, ignore_errors=True)
    stored, duplicates, lowest = check(database_url, race_id, held - held // 2)
    ok = outcome.statuses.get(201, 0)
    errors = outcome.total - ok + outcome.errors
    rate = ok / outcome.elapsed
    print(f"{engine:<10} held {case:<13} {rate:6.0f}/s  p50 {outcome.percentile(0.5) * 1000:5.0f} ms  "
          f"p99 {outcome.percentile(0.99) * 1000:5.0f} ms  errors {errors}  duplicate bibs {duplicates}  "
          f"lowest free {'yes' if lowest else 'NO'}  stored {stored}/{ok + 400}  workers {share}  "
          f"server CPU {1000 * cpu_s / max(ok, 1):.2f} ms/registration  "
          f"load {load[0]:.2f}  (filled in {fill_s:.0f} s){'  database is locked!' if locked else ''}",
          flush=True)  # fmt: skip
    return rate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--clients", type=int, default=40)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, of {', '.join(CASES)}")
    ap.add_argument("--engines", default="sqlite,postgres")
    ap.add_argument("--keyed", action="store_true", help="each registration with an Idempotency-Key, as the form")
    ap.add_argument("--profile", metavar="DIR", help="py-spy each worker meanwhile (raw stacks into DIR)")
    ap.add_argument("--fill", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--one-date", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.fill is not None:
        print(asyncio.run(fill(args.fill, args.one_date)))
        return
    cases = args.cases.split(",")
    for engine in args.engines.split(","):
        started: list[str] = []
        try:
            if engine == "postgres":
                url = postgres_url(started)
                if url is None:
                    print("postgres   skipped: set SPORTSRUN_TEST_POSTGRES_URL or install Debian's postgresql")
                    continue
            empty = None
            for case in cases:
                if engine == "postgres":
                    reset_postgres(url)
                    rate = measure(engine, url, case, args)
                else:
                    db_dir = tempfile.mkdtemp(prefix="sportsrun-bench-db-")
                    rate = measure(engine, f"sqlite:///{db_dir}/bench.db", case, args)
                    shutil.rmtree(db_dir, ignore_errors=True)
                if case == "0":
                    empty = rate
                elif empty:
                    print(f"{'':<10} {case}: {rate / empty:.2f} of the empty installation's figure")
            if engine == "postgres":
                reset_postgres(url)
        finally:
            for pgdir in started:
                subprocess.run([str(Path(__file__).resolve().parents[1] / ".ci/postgres"), "stop", pgdir],
                               capture_output=True)  # fmt: skip


if __name__ == "__main__":
    main()
