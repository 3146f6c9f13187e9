"""Faults on the race-day stack (bench/race_day_stack.py: nginx, two `sportsrun serve`, PostgreSQL), each
reported PASS or FAIL with its numbers. Exits 1 if any fails, 2 when nginx is missing.

1. kill -9 the process importing a timing sheet, at three points of the import: the import is wholly
   there or not at all, nginx does not resend the POST to the other process, and readers meanwhile get
   every page from the other process.
2. kill -9 one process while registrations pour in: every registration answered 201 is in the database
   with its bib and code; a client that got no answer retries with its Idempotency-Key and never makes a
   second registration; no bib is held twice; readers keep getting pages.
3. PostgreSQL restarted (`pg_ctl restart -m fast`), then stopped for a few seconds and started again:
   while it is down every request is answered 503 with Retry-After, at once (not a 500, not a hang), and
   the same app processes serve again once it is back. Needs the bench's own cluster (not with
   SPORTSRUN_TEST_POSTGRES_URL).

    python bench/race_day_faults.py [--rows 20000] [--down 5]"""

import argparse
import asyncio
import json
import os
import random
import sys
import time
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from race_day_data import DUPLICATE_BIBS, FIRST_BIB, Organiser, registration_body, results_csv  # noqa: E402
from race_day_http import Closed, Connection, Tally, multipart  # noqa: E402
from race_day_restart import postgres_restart  # noqa: E402
from race_day_stack import FAIL_TIMEOUT_S, Stack  # noqa: E402


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


class Readers:
    """A few visitors reading pages through nginx until stopped; every answer is tallied."""

    def __init__(self, stack: Stack, race: int, rows: int, event: int, connections: int = 2, pause: float = 0.02):
        self.stack, self.race, self.rows, self.event = stack, race, rows, event
        self.connections, self.pause = connections, pause
        self.tally, self.stopping, self.tasks = Tally(), False, []

    async def _read(self, n: int) -> None:
        conn, rng = Connection("127.0.0.1", self.stack.port, timeout=30), random.Random(n)
        while not self.stopping:
            path = rng.choice([f"/races/{self.race}/results?page={rng.randint(1, 40)}", f"/events/{self.event}",
                               f"/races/{self.race}/results/{FIRST_BIB + rng.randrange(self.rows)}"])  # fmt: skip
            try:
                self.tally.add(await conn.request("GET", path, {"Accept-Language": "ar"}))
            except Closed:
                self.tally.broken += 1
            await asyncio.sleep(self.pause)
        conn.close()

    def start(self) -> "Readers":
        self.tasks = [asyncio.create_task(self._read(n)) for n in range(self.connections)]
        return self

    async def stop(self) -> Tally:
        self.stopping = True
        await asyncio.gather(*self.tasks)
        return self.tally

    def failures(self) -> int:
        return self.tally.broken + sum(n for status, n in self.tally.statuses.items() if status not in (200, 304))


async def fingerprint(url: str, race: int) -> tuple[int, int, int]:
    """(imports recorded, results, sum of gun times) of the race; and no table left over by a swap."""
    c = await asyncpg.connect(url)
    try:
        imports = await c.fetchval("SELECT COUNT(*) FROM result_import WHERE race = $1", race)
        row = await c.fetchrow("SELECT COUNT(*) AS n, COALESCE(SUM(gun_time_ms), 0) AS s FROM result "
                               "WHERE race = $1", race)  # fmt: skip
        strays = await c.fetchval("SELECT COUNT(*) FROM pg_class WHERE relname LIKE 'result_r%' AND relkind = 'r' "
                                  "AND NOT relispartition")  # fmt: skip
    finally:
        await c.close()
    return imports, row["n"], int(row["s"]) + 10**12 * strays


def sheet_sum(sheet: bytes) -> tuple[int, int]:
    """(rows, sum of gun times in ms) that a sheet of results_csv() stores."""
    rows = total = 0
    for line in sheet.decode().splitlines()[1:]:
        rows += 1
        gun = line.split(",")[1]
        if gun != "DNF":
            h, m, s = map(int, gun.split(":"))
            total += (h * 3600 + m * 60 + s) * 1000
    return rows, total


def upstreams_tried(stack: Stack, request_id: str) -> int:
    """How many processes nginx sent this request to (its access log names each in $upstream_addr)."""
    line = next((line for line in stack.log("nginx-access.log").splitlines() if request_id and request_id in line), "")
    return line.count("127.0.0.1:")


async def writing(url: str) -> None:
    """Returns once an import holds the lock that writers of results take first in their transaction
    (sportsrun/results/partitions.py, advisory lock 0x5E5017), plus a tenth of a second."""
    c = await asyncpg.connect(url)
    try:
        held = "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid = $1 AND granted"
        for _ in range(30_000):  # polled every 5 ms, for at most some minutes
            if await c.fetchval(held, 0x5E5017):
                break
            await asyncio.sleep(0.005)
    finally:
        await c.close()
    await asyncio.sleep(0.1)


def importer(stack: Stack, seconds: float = 0.3) -> int:
    """Which process is importing: with nothing else running, the one burning CPU."""
    pids = [p.pid for p in stack.apps]
    ticks = [cpu_ticks(pid) for pid in pids]
    time.sleep(seconds)
    spent = [cpu_ticks(pid) - t for pid, t in zip(pids, ticks, strict=True)]
    busy = max(range(2), key=lambda i: spent[i])
    if spent[busy] < 3 * max(spent[1 - busy], 1):
        raise SystemExit(f"could not tell which process imports (CPU ticks {spent})")
    return busy


async def kill_during_import(stack: Stack, org: Organiser, plan: dict, rows: int) -> bool:
    race, url = plan["big"], stack.pg.url
    started = time.perf_counter()
    org.results(race, results_csv(FIRST_BIB, rows, shift_s=1))
    full = time.perf_counter() - started
    print(f"  a {rows}-row import through nginx takes {full:.1f} s when nothing fails")
    passed = True
    for run, share in enumerate((0.25, 0.6, "write"), start=2):
        before = await fingerprint(url, race)
        sheet = results_csv(FIRST_BIB, rows, shift_s=run)
        conn = Connection("127.0.0.1", stack.port, timeout=300)
        content_type, body = multipart({"mode": "replace"}, "times.csv", sheet)
        headers = {"Content-Type": content_type, "Authorization": org.auth["Authorization"]}
        sent_at = time.perf_counter()
        sent = asyncio.create_task(conn.request("POST", f"/api/v1/races/{race}/results/imports", headers, body))
        await asyncio.sleep(0.05)
        busy = await asyncio.to_thread(importer, stack)
        readers = Readers(stack, race, rows, plan["event"]).start()
        if share == "write":
            when = "inside its write transaction"
            await writing(url)
        else:
            when = f"{share:.0%} of the way into a whole one"
            await asyncio.sleep(max(0.0, sent_at + full * share - time.perf_counter()))
        answered_before_kill = sent.done()
        stack.kill_app(busy)
        killed_after = time.perf_counter() - sent_at
        try:
            answer = await sent
            status, tried = answer.status, upstreams_tried(stack, answer.headers.get("x-request-id", ""))
        except Closed:
            status, tried = "no answer", 0
        await asyncio.sleep(1)
        tally = await readers.stop()
        stack.start_app(busy)
        after = await fingerprint(url, race)
        old, new = (before[1], before[2]), sheet_sum(sheet)
        whole = (after[0] == before[0] and (after[1], after[2]) == old) or (
            after[0] == before[0] + 1 and (after[1], after[2]) == new)  # fmt: skip
        ok = whole and tried == 1 and readers.failures() == 0 and not answered_before_kill
        passed &= ok
        outcome = "the new results, whole" if after[0] > before[0] else "the old results, whole"
        if not whole:
            outcome = f"PARTIAL: {after[1]} results, sum {after[2]} (old {old}, new {new})"
        print(f"  {'PASS' if ok else 'FAIL'} killed app {busy} (the importer) {killed_after:.1f} s into the import, "
              f"{when}: the client got {status}, sent to {tried} process(es); "
              f"the race holds {outcome}; imports recorded {before[0]} -> {after[0]}; readers meanwhile "
              f"{tally.count} answers {dict(tally.statuses)}, broken {tally.broken}")  # fmt: skip
        await asyncio.sleep(FAIL_TIMEOUT_S + 1)  # until nginx sends the restarted process requests again
    return passed


async def kill_during_registrations(stack: Stack, plan: dict, seconds: float = 4) -> bool:
    registered: dict[str, tuple] = {}
    tally, gave_up, retried = Tally(), [], [0]
    stopping = False

    async def client(n: int) -> None:
        conn, count = Connection("127.0.0.1", stack.port, timeout=30), 0
        while not stopping:
            count += 1
            key, body = f"f{n}-{count}", registration_body(count, f"f{n}x")
            headers = {"Content-Type": "application/json", "Idempotency-Key": key}
            for _attempt in range(20):  # a phone that got no answer sends the same form again
                try:
                    answer = await conn.request("POST", f"/api/v1/races/{plan['open']}/registrations", headers, body)
                except Closed:
                    tally.broken += 1
                    answer = None
                if answer is not None:
                    tally.add(answer)
                if answer is not None and answer.status < 500:
                    break
                retried[0] += 1
                await asyncio.sleep(0.3)
            else:
                gave_up.append(key)
            if answer is not None and answer.status == 201:
                made = json.loads(answer.body)
                registered[key] = (made["id"], made["bib"], made["code"])
        conn.close()

    readers = Readers(stack, plan["big"], plan["rows"], plan["event"]).start()
    clients = [asyncio.create_task(client(n)) for n in range(16)]
    await asyncio.sleep(seconds)
    count_at_kill = len(registered)
    stack.kill_app(0)
    await asyncio.sleep(seconds)
    stack.start_app(0)
    await asyncio.sleep(seconds)
    stopping = True
    await asyncio.gather(*clients)
    reads = await readers.stop()
    c = await asyncpg.connect(stack.pg.url)
    try:
        rows = await c.fetch("SELECT id, bib FROM registration WHERE race = $1 AND status <> 'cancelled'", plan["open"])
        duplicates = len(await c.fetch(DUPLICATE_BIBS))
    finally:
        await c.close()
    stored = {r["id"]: r["bib"] for r in rows}
    missing = [k for k, (rid, bib, _code) in registered.items() if stored.get(rid, "none") != bib]
    extra = len(rows) - len(registered)  # registrations nobody was told about: a retry that made a second one
    codes = Connection("127.0.0.1", stack.port)
    sample = random.Random(7).sample(list(registered.values()), min(300, len(registered)))
    wrong_codes = 0
    for rid, _bib, code in sample:
        answer = await codes.request("GET", f"/api/v1/registrations/{code}")
        wrong_codes += answer.status != 200 or json.loads(answer.body)["id"] != rid
    codes.close()
    ok = not (missing or extra or duplicates or wrong_codes or gave_up or readers.failures())
    print(
        f"  {'PASS' if ok else 'FAIL'} killed app 0 after {count_at_kill} registrations, restarted it "
        f"{seconds:.0f} s later: {len(registered)} answered 201"
    )
    print(
        f"    answers {dict(tally.statuses)}, broken {tally.broken}; {retried[0]} retries with the same key; "
        f"gave up: {len(gave_up)}"
    )
    print(
        f"    not in the database as answered: {len(missing)}; in the database but never answered: {extra}; "
        f"bibs held twice: {duplicates}; codes opening the wrong registration or none: {wrong_codes} of "
        f"{len(sample)}"
    )
    print(f"    readers meanwhile: {reads.count} answers {dict(reads.statuses)}, broken {reads.broken}")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=20_000, help="runners of the race whose import is interrupted")
    ap.add_argument("--down", type=float, default=5, help="seconds PostgreSQL stays stopped")
    args = ap.parse_args()
    load_before = os.getloadavg()
    results = {}
    with Stack() as stack:
        org = Organiser(stack.base)
        event = org.event("Faults")
        big = org.race(event, "10 km", FIRST_BIB, FIRST_BIB + args.rows + 1000, args.rows + 500)
        org.entrants(big, FIRST_BIB, args.rows)
        plan = {"event": event, "big": big, "rows": args.rows,
                "open": org.race(event, "Half marathon", 100_001, 299_999, 190_000)}  # fmt: skip
        print(f"faults: nginx -> 2 x sportsrun serve -> PostgreSQL; {os.cpu_count()} CPUs")
        print("1. kill -9 during a results import")
        results["import"] = asyncio.run(kill_during_import(stack, org, plan, args.rows))
        print("2. kill -9 during registrations")
        results["registrations"] = asyncio.run(kill_during_registrations(stack, plan))
        print("3. PostgreSQL restarted")
        if stack.pg.restartable:
            results["postgres"] = asyncio.run(postgres_restart(stack, plan, args.down))
        else:
            print("  SKIPPED: SPORTSRUN_TEST_POSTGRES_URL's server is not the bench's to restart")
        tracebacks = sum(stack.log(f"app{i}.log").count("Traceback") for i in range(2))
    load_after = os.getloadavg()
    # asyncpg logs a traceback each time it fails to reopen its pool's connections while PostgreSQL is down.
    print(f"  tracebacks in the apps' logs (asyncpg's, while PostgreSQL was down, are expected): {tracebacks}")
    print(f"  load average (1, 5, 15 min): before {' '.join(f'{x:.2f}' for x in load_before)}, "
          f"after {' '.join(f'{x:.2f}' for x in load_after)} (a shared machine)")  # fmt: skip
    passed = all(results.values())
    outcomes = ", ".join(f"{name} {'PASS' if ok else 'FAIL'}" for name, ok in results.items())
    print(f"faults: {'PASS' if passed else 'FAIL'} ({outcomes})")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
