"""A campaign at the Baghdad Marathon's scale: 20 races with 250,000 results in all (one of 50,000), runners
who come back race after race (the same phone and birth date; birth dates clustered on 1 July, Arabic
names), and 500 football teams.

1. The time to recompute the standings and the leaderboard after an import (the first read after it),
   and the import's own time.
2. Server time (median, in-process ASGI) of the campaign's answers, cold and cached, and a 304.
3. A hot campaign page through a real server (2 workers, 40 connections): requests per second.

    python bench/campaign.py [--results 250000] [--seconds 10] [--database-url …] [--work DIR]
"""

import argparse
import asyncio
import datetime as dt
import io
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import bench_env, run, wait_until_serving  # noqa: E402
from registrations import free_port  # noqa: E402
from results_read import asgi_get  # noqa: E402

SPORTSRUN = str(Path(sys.executable).parent / "sportsrun")
GIVEN = ["محمد", "علي", "حسين", "فاطمة", "زينب", "مريم", "أحمد", "نور", "حسن", "سارة"]
FAMILY = ["الموسوي", "الجبوري", "العبيدي", "الساعدي", "التميمي", "الربيعي", "الزبيدي", "الدليمي"]
RACES = 20
POPULATION = 120_000  # people: each of the 250,000 results is one of them, most run several races


def person(p: int) -> list:
    born = f"{1965 + p % 40}-07-01" if p % 3 else f"{1965 + p % 40}-{1 + p % 12:02d}-{1 + p % 28:02d}"
    return [f"{GIVEN[p % 10]} {p}", FAMILY[p % 8], "female" if p % 2 else "male", born, "IQ-BG", f"+96477{p:08d}"]


def sizes(total: int) -> list[int]:
    big = min(50_000, total // 5)
    rest = (total - big) // (RACES - 1)
    return [big] + [rest] * (RACES - 1)


def results_sheet(n: int, shift: int) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Results")
    sheet.append(["Bib", "Time"])
    for bib in range(1, n + 1):
        sheet.append([bib, dt.timedelta(seconds=1800 + (bib * 7919 + shift) % 5400)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def build(total: int) -> tuple[int, list[int]]:
    from sportsrun.accounts.services import create_user
    from sportsrun.campaigns import services as campaigns
    from sportsrun.core.db import sql
    from sportsrun.core.spreadsheets.workbooks import xlsx
    from sportsrun.events.provinces import province_codes
    from sportsrun.events.services import create_event, create_race
    from sportsrun.registration.imports import import_entrants
    from sportsrun.timing.services import import_results

    user = await create_user({"email": "bench@example.test", "role": "organiser", "password": "bench password"})
    campaign = await campaigns.create({"name": "Road to Baghdad", "hashtag": "SportsAgainstViolence", "targets": [
        {"metric": "registrations", "target": 300_000}, {"metric": "finishers", "target": 250_000},
        {"metric": "provinces", "target": 19}, {"metric": "women_share", "target": 0.5},
        {"metric": "km", "target": 4_000_000}, {"metric": "teams", "target": 500}]})  # fmt: skip
    codes = sorted(await province_codes())
    races, started = [], time.perf_counter()
    for r, n in enumerate(sizes(total)):
        day = dt.date(2026, 1, 10) + dt.timedelta(days=14 * r)
        event = await create_event({"name": f"Race {r + 1}", "province": codes[r % len(codes)], "city": "City",
                                    "date": day.isoformat(), "published": True,
                                    "campaign_id": campaign["id"]})  # fmt: skip
        race = await create_race(event["id"], {
            "name": "Marathon" if r == 0 else "10 km", "distance_m": 42195 if r == 0 else 10000,
            "start_time": f"{day.isoformat()}T07:00:00+03:00", "capacity": n, "bib_first": 1, "bib_last": n + 100,
            "registration_opens_at": "2025-01-01T00:00:00+03:00",
            "registration_closes_at": f"{day.isoformat()}T06:00:00+03:00"}, user["id"])  # fmt: skip
        first = r * 6_000
        rows = [[*person((first + j) % POPULATION), j + 1] for j in range(n)]
        header = ["given_name", "family_name", "gender", "birth_date", "province", "phone", "bib"]
        await import_entrants(race["id"], await asyncio.to_thread(xlsx, "Entrants", header, rows), user["id"])
        await import_results(race["id"], await asyncio.to_thread(results_sheet, n, r))
        races.append(race["id"])
        print(f"  race {r + 1:>2}: {n:>6} runners and results ({time.perf_counter() - started:5.0f} s)", flush=True)
    async with sql.write_transaction():
        for r in range(RACES):
            event = (await sql.fetch("SELECT event FROM race WHERE id = {}", races[r]))[0]["event"]
            division = (await sql.fetch(
                "INSERT INTO division (event, name, gender, squad_min, squad_max, max_teams, registration_closes_at, "
                "qualifiers_per_group, third_place_match, lots) VALUES ({}, 'Cup', 'mixed', 5, 10, 32, {}, 2, {}, "
                "'{{}}') RETURNING id", event, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), False))[0]["id"]  # fmt: skip
            for t in range(25):
                await sql.fetch(
                    "INSERT INTO team (division, name, name_key, province, captain_name, captain_phone, "
                    "guardian_consent, code_hash, status, created_at) VALUES ({}, {}, {}, 'IQ-BG', 'C', "
                    "'+9647700000000', {}, {}, 'registered', {})", division, f"Team {r}-{t}", f"team {r}-{t}", False,
                    f"{r:04d}{t:060d}", dt.datetime.now(dt.UTC))  # fmt: skip
    return campaign["id"], races


async def _built() -> tuple[int, list[int]] | None:
    """The campaign an earlier run built in this database (`--work`), if any."""
    from sportsrun.core.db import sql

    found = await sql.fetch("SELECT id FROM campaign WHERE name = 'Road to Baghdad'")
    if not found:
        return None
    races = await sql.fetch("SELECT r.id FROM race r JOIN event e ON e.id = r.event WHERE e.campaign = {} "
                            "ORDER BY r.id", found[0]["id"])  # fmt: skip
    return found[0]["id"], [r["id"] for r in races]


def calibration() -> float:
    """How fast this machine runs Python right now: benches share two cores with whatever else runs."""
    started, total = time.perf_counter(), 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - started


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:8.2f} ms"


async def measure(total: int) -> None:
    from sportsrun.app import create_app
    from sportsrun.campaigns import state
    from sportsrun.core.db import connections
    from sportsrun.settings import get_settings
    from sportsrun.timing.services import import_results

    logging.getLogger("sportsrun.access").setLevel(logging.WARNING)
    await connections.start(get_settings())
    try:
        built = await _built()
        if built:
            campaign_id, races = built
            print(f"reusing the campaign built before ({len(races)} races)", flush=True)
        else:
            print(f"building a campaign of {RACES} races, {total} results, 500 teams", flush=True)
            campaign_id, races = await build(total)
        held = await state.held(campaign_id)
        started = time.perf_counter()
        await state.table(held)  # the standings, ranked and folded for search
        await state.counts(held)
        print(f"standings and leaderboard computed from nothing: {time.perf_counter() - started:6.2f} s")
        print(f"  (a pure-Python loop of 10 million additions takes {calibration():.2f} s on this machine now)")
        last = races[-1]
        sheet = results_sheet(sizes(total)[-1], 7)
        started = time.perf_counter()
        await import_results(last, sheet, mode="replace")
        print(f"import of {sizes(total)[-1]} results into a series race: {time.perf_counter() - started:6.2f} s")
        await state.forget()
        marks = [time.perf_counter()]
        held = await state.held(campaign_id)
        for step in (state.series(held), state.table(held), state.counts(held)):
            await step
            marks.append(time.perf_counter())
        parts = ", ".join(f"{name} {b - a:.2f}" for name, a, b in zip(("standings", "ranked", "figures"), marks,
                                                                          marks[1:], strict=False))  # fmt: skip
        print(f"recompute after that import (first read): {marks[-1] - marks[0]:6.2f} s ({parts})")

        app = create_app()
        base = f"/api/v1/campaigns/{campaign_id}"
        cases = {"campaign page": (f"/campaigns/{campaign_id}", "", {"Accept-Language": "ar"}),
                 "standings API": (f"{base}/standings", "", {}),
                 "standings search": (f"{base}/standings", "q=محمد 12", {}),
                 "provinces API": (f"{base}/provinces", "", {}),
                 "progress API": (f"{base}/progress", "", {})}  # fmt: skip
        for label, (path, query, headers) in cases.items():
            status, _body, head, _ = await asgi_get(app, path, query, headers)
            if status == 404:
                print(f"{label:<18} not served by this build")
                continue
            from sportsrun.core.web import page_cache

            cold, warm, revalidated = [], [], []
            for _ in range(20):
                page_cache.rendered.clear()
                cold.append((await asgi_get(app, path, query, headers))[3])
            for _ in range(200):
                warm.append((await asgi_get(app, path, query, headers))[3])
                revalidated.append(
                    (await asgi_get(app, path, query, {**headers, "If-None-Match": head.get("etag", "")}))[3]
                )
            print(f"{label:<18} cold {median_ms(cold)}  cached {median_ms(warm)}  304 {median_ms(revalidated)}")
    finally:
        await connections.stop()
    return campaign_id


def hot(env: dict, work: str, seconds: float) -> None:
    import httpx

    port = free_port()
    server = subprocess.Popen([SPORTSRUN, "serve", "--port", str(port), "--workers", "2"], env=env, cwd=work,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_until_serving(f"http://127.0.0.1:{port}")
        campaign_id = httpx.get(f"http://127.0.0.1:{port}/api/v1/campaigns", timeout=120).json()[0]["id"]
        path = f"/campaigns/{campaign_id}"
        # The first read computes the standings in each worker: long at 250,000 results.
        if httpx.get(f"http://127.0.0.1:{port}{path}", timeout=300).status_code == 404:
            path = f"/api/v1/campaigns/{campaign_id}/standings"
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: ar\r\n\r\n".encode()
        asyncio.run(run("127.0.0.1", port, lambda i: request, 40, duration=2))  # warm both workers
        made = asyncio.run(run("127.0.0.1", port, lambda i: request, 40, duration=seconds))
        ok = made.statuses.get(200, 0)
        print(f"hot {path}: {ok / made.elapsed:7.0f} req/s  p99 {made.percentile(0.99) * 1000:5.1f} ms  "
              f"answers {dict(made.statuses)}")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", type=int, default=250_000)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--database-url")
    ap.add_argument("--work", help="a directory to keep the built database in: a later run with it measures again "
                    "without building (some ten minutes)")  # fmt: skip
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        asyncio.run(measure(args.results))
        return
    work = args.work or tempfile.mkdtemp(prefix="sportsrun-bench-campaign-")
    Path(work).mkdir(parents=True, exist_ok=True)
    env = bench_env(args.database_url or f"sqlite:///{work}/bench.db")
    subprocess.run([SPORTSRUN, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, __file__, "--results", str(args.results), "--child"], env=env, check=True)
    hot(env, work, args.seconds)


if __name__ == "__main__":
    main()
