"""Race day through the deployed stack on loopback: nginx (deploy/nginx.conf.template) in front of two
`sportsrun serve` processes on one PostgreSQL (bench/race_day_stack.py), under a mix of what a race day
asks for, for a bounded time:

  80 %  results pages (by page, filtered, a runner's page, the API's pages, htmx polls) and event pages
  15 %  registrations (the API, each with its Idempotency-Key)
   5 %  results exports (.xlsx) and timing-sheet imports (a 300-runner race, via the API with a token)

Prints throughput and p50/p95/p99 per kind, the count of 5xx answers (must be 0), checks that every
registration answered 201 is in the database with its bib and that no bib is held twice, and first checks
what the proxy passes on (the client's address for rate limits, the request id, the upload limit).
Exits 1 when a check fails; 2 when nginx is missing.

    python bench/race_day.py [--minutes 10] [--clients 32] [--finishers 3000]

The fault runs (a process killed, PostgreSQL restarted) are bench/race_day_faults.py."""

import argparse
import asyncio
import json
import os
import random
import re
import sys
import time
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from race_day_data import DUPLICATE_BIBS, SMALL, Organiser, registration_body, results_csv  # noqa: E402
from race_day_http import Closed, Connection, Tally, multipart  # noqa: E402
from race_day_stack import ORGANISER, PASSWORD, Stack  # noqa: E402


def set_up(base: str, finishers: int) -> dict:
    """An event with three races of `finishers` results each, a small race whose results the mix imports
    again, and an open race taking registrations."""
    org = Organiser(base)
    event = org.event("Race day")
    plan = {"event": event, "token": org.auth["Authorization"], "results": {}}
    span = max(10_000, finishers + 1_000)  # each race's bib range; the ranges of an event may not overlap
    for k in range(4):
        rows, first = (finishers if k < 3 else SMALL), 1 + k * span
        race = org.race(event, f"10 km wave {k + 1}" if k < 3 else "Kids 2 km", first, first + span - 1, rows + 500)
        org.entrants(race, first, rows)
        org.results(race, results_csv(first, rows))
        plan["results"][race] = (first, rows)
    plan["small"] = race
    plan["sheets"] = [results_csv(first, SMALL, shift) for shift in (7, 8)]  # each import a real change
    plan["open"] = org.race(event, "Half marathon", 1 + 4 * span, 200_000 + 4 * span, 190_000)
    return plan


KINDS = [("results page", 34), ("runner page", 18), ("event page", 10), ("results API", 10), ("htmx poll", 8),
         ("registration", 15), ("export .xlsx", 4), ("import", 1)]  # fmt: skip

KINDS_WITHOUT_EXPORTS = [("results page", 38)] + [k for k in KINDS if k[0] not in ("results page", "export .xlsx")]


class Visitor:
    """One simulated client on a keep-alive connection to nginx, choosing each request by the mix."""

    def __init__(self, port: int, plan: dict, number: int, tallies: dict, registered: list, seed: int):
        self.conn = Connection("127.0.0.1", port)
        self.plan, self.tallies, self.registered = plan, tallies, registered
        self.rng = random.Random(seed * 1000 + number)
        self.number, self.count = number, 0
        self.cookie: str | None = None
        self.etags: dict[int, str] = {}

    def _race(self) -> tuple[int, int, int]:
        race = self.rng.choice(list(self.plan["results"]))
        first, rows = self.plan["results"][race]
        return race, first, rows

    async def one(self) -> None:
        kind = self.rng.choices([k for k, _ in self.plan["kinds"]], [w for _, w in self.plan["kinds"]])[0]
        self.count += 1
        headers = {"Accept-Language": self.rng.choice(("ar", "ar", "ckb", "en"))}
        if self.cookie:
            headers["Cookie"] = self.cookie
        method, body = "GET", b""
        race, first, rows = self._race()
        if kind == "results page":
            query = f"page={self.rng.randint(1, max(rows // 50, 1))}"
            path = f"/races/{race}/results?{query}" + ("&gender=female" if self.rng.random() < 0.2 else "")
        elif kind == "runner page":
            path = f"/races/{race}/results/{first + self.rng.randrange(rows)}"
        elif kind == "event page":
            path = f"/events/{self.plan['event']}"
        elif kind == "results API":
            path = f"/api/v1/races/{race}/results?offset={50 * self.rng.randrange(max(rows // 50, 1))}&limit=50"
        elif kind == "htmx poll":
            path = f"/races/{race}/results"
            headers["HX-Request"] = "true"
            if race in self.etags:
                headers["If-None-Match"] = self.etags[race]
        elif kind == "registration":
            method, path = "POST", f"/api/v1/races/{self.plan['open']}/registrations"
            body = registration_body(self.count, f"v{self.number}x")
            headers.update({"Content-Type": "application/json", "Idempotency-Key": f"v{self.number}-{self.count}"})
        elif kind == "export .xlsx":
            path = f"/api/v1/races/{race}/results.xlsx"
        else:
            method, path = "POST", f"/api/v1/races/{self.plan['small']}/results/imports"
            content_type, body = multipart({"mode": "replace"}, "times.csv", self.plan["sheets"][self.count % 2])
            headers.update({"Content-Type": content_type, "Authorization": self.plan["token"]})
        try:
            answer = await self.conn.request(method, path, headers, body)
        except Closed:
            self.tallies[kind].broken += 1
            return
        self.tallies[kind].add(answer)
        cookie = answer.headers.get("set-cookie", "")
        if cookie.startswith("csrftoken="):
            self.cookie = cookie.split(";", 1)[0]
        if kind == "htmx poll" and "etag" in answer.headers:
            self.etags[race] = answer.headers["etag"]
        if kind == "registration" and answer.status == 201:
            made = json.loads(answer.body)
            self.registered.append((made["id"], made["bib"], made["status"]))


async def run_mix(port: int, plan: dict, seconds: float, clients: int, seed: int) -> tuple[dict, list, float]:
    tallies = {kind: Tally() for kind, _ in KINDS}
    registered: list = []
    visitors = [Visitor(port, plan, n, tallies, registered, seed) for n in range(clients)]
    deadline = time.monotonic() + seconds

    async def loop(visitor: Visitor) -> None:
        while time.monotonic() < deadline:
            await visitor.one()
        visitor.conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(loop(v) for v in visitors))
    return tallies, registered, time.perf_counter() - started


async def check_registrations(url: str, registered: list) -> tuple[int, int]:
    """(bibs held by more than one live registration, registrations answered 201 that are not in the
    database as they were answered)."""
    connection = await asyncpg.connect(url)
    try:
        duplicates = await connection.fetch(DUPLICATE_BIBS)
        rows = await connection.fetch(
            "SELECT id, bib, status FROM registration WHERE id = ANY($1::int[])", [r[0] for r in registered]
        )
    finally:
        await connection.close()
    stored = {r["id"]: (r["id"], r["bib"], r["status"]) for r in rows}
    missing = sum(1 for r in registered if stored.get(r[0]) != tuple(r))
    return len(duplicates), missing


async def check_proxy(stack: Stack) -> list[tuple[str, bool, str]]:
    """What nginx must pass on: the client's own address (rate limits count clients, not the proxy), its
    request id, and uploads up to the app's own limit (the app, not nginx, refuses a file too large)."""
    checks = []
    login = json.dumps({"email": "nobody@raceday.test", "password": "wrong password"}).encode()
    json_type = {"Content-Type": "application/json"}
    statuses = {}
    for source, attempts in (("127.0.0.2", 4), ("127.0.0.3", 1)):
        conn = Connection("127.0.0.1", stack.port, source=source)
        statuses[source] = [(await conn.request("POST", "/api/v1/auth/token", json_type, login)).status
                            for _ in range(attempts)]  # fmt: skip
        conn.close()
    ok = statuses["127.0.0.2"] == [401, 401, 401, 429] and statuses["127.0.0.3"] == [401]
    checks.append(("rate limits see each client", ok, f"failed sign-ins from 127.0.0.2 {statuses['127.0.0.2']}, "
                   f"then from 127.0.0.3 {statuses['127.0.0.3']} (limit 3 per address)"))  # fmt: skip
    conn = Connection("127.0.0.1", stack.port)
    answer = await conn.request("GET", "/healthz")
    request_id = answer.headers.get("x-request-id", "")
    await asyncio.sleep(0.2)
    logged = request_id in stack.log("nginx-access.log")
    ok = bool(re.fullmatch(r"[0-9a-f]{32}", request_id)) and logged
    checks.append(("nginx's request id reaches the app", ok, f"X-Request-Id {request_id or '(none)'}, "
                   f"{'also' if logged else 'NOT'} in nginx's log"))  # fmt: skip
    upload = {"Authorization": (await _token(stack)), "Content-Type": ""}
    sizes = {}
    limit = stack.max_upload_mb * 2**20
    for label, size in (("limit + 0.5 MB", limit + 2**19), ("limit + 2 MB", limit + 2**21)):
        upload["Content-Type"], body = multipart({}, "big.csv", b"0" * size)
        answer = await conn.request("POST", "/api/v1/races/1/results/imports", upload, body)
        conn.close()
        kind = "the app's JSON" if answer.body.startswith(b"{") else "nginx's page"
        sizes[label] = (answer.status, kind)
    ok = sizes["limit + 0.5 MB"] == (413, "the app's JSON") and sizes["limit + 2 MB"][0] == 413
    checks.append(("uploads up to the app's limit pass nginx", ok,
                   ", ".join(f"{k}: {s} from {w}" for k, (s, w) in sizes.items())))  # fmt: skip
    return checks


async def _token(stack: Stack) -> str:
    async with httpx.AsyncClient(base_url=stack.base) as http:
        r = await http.post("/api/v1/auth/token", json={"email": ORGANISER, "password": PASSWORD})
        return f"Bearer {r.json()['token']}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=10, help="how long the mix runs (default 10)")
    ap.add_argument("--clients", type=int, default=32, help="concurrent keep-alive clients")
    ap.add_argument("--finishers", type=int, default=3000, help="results in each of the three big races")
    ap.add_argument("--app-workers", type=int, default=1, help="workers of each sportsrun serve")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--without-exports", action="store_true", help="the exports' 4 %% go to results pages instead, "
                    "to see what exports cost")  # fmt: skip
    args = ap.parse_args()
    load_before = os.getloadavg()
    with Stack(app_workers=args.app_workers) as stack:
        started = time.perf_counter()
        plan = set_up(stack.base, args.finishers)
        setup_s = time.perf_counter() - started
        print(f"race day: nginx on :{stack.port} -> 2 x sportsrun serve --workers {args.app_workers} "
              f"(:{stack.app_ports[0]}, :{stack.app_ports[1]}) -> PostgreSQL; {os.cpu_count()} CPUs")  # fmt: skip
        print(f"  set up in {setup_s:.1f} s: 3 races x {args.finishers} results, a {SMALL}-runner race re-imported "
              "during the mix, an open race for registrations")  # fmt: skip
        checks = asyncio.run(check_proxy(stack))
        for name, ok, detail in checks:
            print(f"  {'PASS' if ok else 'FAIL'} {name}: {detail}")
        seconds = args.minutes * 60
        plan["kinds"] = KINDS_WITHOUT_EXPORTS if args.without_exports else KINDS
        tallies, registered, elapsed = asyncio.run(run_mix(stack.port, plan, seconds, args.clients, args.seed))
        duplicates, missing = asyncio.run(check_registrations(stack.pg.url, registered))
        tracebacks = sum(stack.log(f"app{i}.log").count("Traceback") for i in range(2))
    load_after = os.getloadavg()
    total = sum(t.count for t in tallies.values())
    errors = sum(t.server_errors for t in tallies.values())
    broken = sum(t.broken for t in tallies.values())
    print(f"  mix{' without exports' if args.without_exports else ''} for {elapsed:.0f} s, {args.clients} clients: "
          f"{total} requests, {total / elapsed:.1f}/s "
          "(latency in ms, [status:count])")  # fmt: skip
    for kind, tally in tallies.items():
        print(tally.line(kind, elapsed))
    print(f"  5xx answers: {errors}; broken connections: {broken}; tracebacks in the apps' logs: {tracebacks}")
    print(f"  registrations answered 201: {len(registered)}, not in the database as answered: {missing}; "
          f"bibs held by more than one live registration: {duplicates}")  # fmt: skip
    print(f"  load average (1, 5, 15 min): before {' '.join(f'{x:.2f}' for x in load_before)}, "
          f"after {' '.join(f'{x:.2f}' for x in load_after)} (a shared machine)")  # fmt: skip
    passed = all(ok for _n, ok, _d in checks) and not (errors or broken or missing or duplicates or tracebacks)
    print(f"  {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
