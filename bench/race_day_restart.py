"""The PostgreSQL fault of bench/race_day_faults.py: requests keep coming while PostgreSQL restarts, then
while it is stopped for a few seconds; each answer is filed by when it was sent."""

import asyncio
import random
import time

from race_day_data import FIRST_BIB, registration_body
from race_day_http import Closed, Connection
from race_day_stack import Stack


async def postgres_restart(stack: Stack, plan: dict, down_s: float) -> bool:
    """Requests flow while PostgreSQL restarts, then while it is stopped for down_s: each answer is filed
    by when it was sent: before, while down, after."""
    events: list[tuple[float, float, int | str, str]] = []  # (sent, seconds, status, kind)
    stopping = False

    async def client(n: int) -> None:
        conn, count, rng = Connection("127.0.0.1", stack.port, timeout=60), 0, random.Random(n)
        while not stopping:
            count += 1
            if n % 2:
                kind, method, path, body = "registration", "POST", f"/api/v1/races/{plan['open']}/registrations", \
                    registration_body(count, f"pg{n}x")  # fmt: skip
            else:
                kind, method, body = "read", "GET", b""
                race, bib = plan["big"], FIRST_BIB + rng.randrange(plan["rows"])
                path = rng.choice([f"/races/{race}/results?page={rng.randint(1, 40)}", "/readyz",
                                   f"/races/{race}/results/{bib}"])  # fmt: skip
            sent = time.monotonic()
            try:
                answer = await conn.request(method, path, {"Content-Type": "application/json"}, body)
                status, seconds = answer.status, answer.seconds
                if status == 503 and not answer.headers.get("retry-after"):
                    status = "503 without Retry-After"
            except Closed:
                status, seconds = "broken", time.monotonic() - sent
            events.append((sent, seconds, status, kind))
            await asyncio.sleep(0.02)
        conn.close()

    pids = [p.pid for p in stack.apps]
    clients = [asyncio.create_task(client(n)) for n in range(8)]
    await asyncio.sleep(3)
    t0 = time.monotonic()
    await asyncio.to_thread(stack.pg.restart)
    t1 = time.monotonic()
    await asyncio.sleep(4)
    t2 = time.monotonic()
    await asyncio.to_thread(stack.pg.stop)
    t3 = time.monotonic()
    await asyncio.sleep(down_s)
    t4 = time.monotonic()
    await asyncio.to_thread(stack.pg.start)
    t5 = time.monotonic()
    await asyncio.sleep(8)
    stopping = True
    await asyncio.gather(*clients)
    same = [p.pid for p in stack.apps] == pids and all(p.poll() is None for p in stack.apps)

    def window(start: float, end: float) -> list:
        return [e for e in events if start <= e[0] < end]

    def summary(chosen: list) -> str:
        counts: dict = {}
        for _sent, _s, status, _kind in chosen:
            counts[status] = counts.get(status, 0) + 1
        slowest = max((s for _t, s, _st, _k in chosen), default=0)
        return f"{len(chosen)} answers {counts}, slowest {slowest:.2f} s"

    down = window(t3, t4)
    bad_down = [e for e in down if e[2] not in (503, 200, 304) or e[1] > 3]
    first_ok = min((e[0] + e[1] for e in events if e[0] >= t5 and e[3] == "registration" and e[2] == 201), default=None)
    recovered = None if first_ok is None else first_ok - t5
    settled = window(t5 + (recovered or 0) + 1, float("inf"))
    bad_after = [e for e in settled if e[2] not in (200, 201, 304)]
    fails = [e for e in events if e[2] in (500, 502, 504, "broken", "503 without Retry-After")]
    ok = same and not bad_down and down and recovered is not None and not bad_after and not fails
    print(f"  restart -m fast took {t1 - t0:.1f} s; sent meanwhile and the next second: "
          f"{summary(window(t0, t1 + 1))}")  # fmt: skip
    print(f"  stopped for {t4 - t3:.1f} s (stop took {t3 - t2:.1f} s); sent while down: {summary(down)}")
    back = "never" if recovered is None else f"{recovered:.2f} s later"
    print(f"  started again in {t5 - t4:.1f} s; the first registration after it succeeded {back}; "
          f"after that: {summary(settled)}")  # fmt: skip
    print(f"  {'PASS' if ok else 'FAIL'} PostgreSQL restarted and stopped: 5xx other than 503 or broken: {len(fails)}; "
          f"while down, not a quick 503: {len(bad_down)}; after recovery, not 2xx: {len(bad_after)}; "
          f"the same app processes throughout: {'yes' if same else 'NO'}")  # fmt: skip
    return ok
