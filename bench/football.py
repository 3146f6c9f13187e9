"""Mini-football at the size of a big championship: a 64-team division in 16 groups over 8 pitches.

1. The pure rules: fixtures for 64 teams over 8 pitches (16 groups of 4, 8 groups of 8) and the
   standings of 16 groups, time per call.
2. Server time (in-process ASGI, median) of the division page with 64 teams and every group score:
   cold (not cached) and cached, and the 304 poll.
3. Through a real server (2 workers, 40 connections): the hot division page beside a hot results page
   of a race in the same run, and how long after a score is entered every worker shows it.

    python bench/football.py [--seconds 8] [--database-url …]
"""

import argparse
import asyncio
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import bench_env, run, wait_until_serving  # noqa: E402
from registrations import free_port  # noqa: E402
from results_read import asgi_get  # noqa: E402
from timing_import import build_sheet, prepare  # noqa: E402

SPORTSRUN = str(Path(sys.executable).parent / "sportsrun")
ARABIC = ["زينب", "فاطمة", "مريم", "نور", "سارة", "هدى", "رقية", "آمنة", "شيلان", "ژیلا", "هێڤی", "ڤیان"]
FAMILIES = ["الجبوري", "العبيدي", "الموسوي", "التميمي", "الربيعي", "عەزیز", "کەریم", "ڕەشید"]


def per_call(work, repeat: int = 20) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def pure_rules() -> None:
    from sportsrun.football.fixtures import group_fixtures, lay_out, wait_spread
    from sportsrun.football.standings import Result, rank

    print("pure rules (median per call):")
    for count, size in ((16, 4), (8, 8)):
        groups = {chr(65 + g): list(range(g * size, (g + 1) * size)) for g in range(count)}
        seconds = per_call(lambda groups=groups: lay_out(groups, 8))
        placed = lay_out(groups, 8)
        slots = max(p.slot for p in placed) + 1
        print(f"  fixtures, 64 teams in {count} groups of {size}, 8 pitches: {seconds * 1000:.1f} ms "
              f"({len(placed)} matches in {slots} slots, wait spread {wait_spread(placed)})")  # fmt: skip
    rng = random.Random(1)
    groups = {chr(65 + g): list(range(g * 4, g * 4 + 4)) for g in range(16)}
    results = {
        g: [
            Result(f.home, f.away, rng.randint(0, 3), rng.randint(0, 3), rng.randint(0, 2), rng.randint(0, 2))
            for f in group_fixtures({g: teams})
        ]  # fmt: skip
        for g, teams in groups.items()
    }
    seconds = per_call(lambda: [rank(teams, results[g]) for g, teams in groups.items()], repeat=200)
    print(f"  standings of 16 groups of 4, every match played: {seconds * 1000:.2f} ms")


async def build_division() -> tuple[int, int, list[dict]]:
    """A published event with a 64-team division, drawn into 16 groups, fixtures over 8 pitches, every
    group match scored; and a race with 500 results for comparison. Through the services."""
    from sportsrun.accounts.services import create_user
    from sportsrun.core.db import sql as db
    from sportsrun.football import schedule, scores, services, teams
    from sportsrun.timing.services import import_results

    race_id = await prepare(500)
    await db.fetch("UPDATE event SET published = {}", True)
    await import_results(race_id, build_sheet(500))
    user = await create_user({"email": "fb@example.test", "role": "organiser", "password": "bench password"})
    events = await db.fetch("SELECT id FROM event")
    division = await services.create_division(events[0]["id"], {
        "name": "Women", "gender": "women", "squad_min": 5, "squad_max": 10, "max_teams": 64,
        "registration_closes_at": "2027-03-19T00:00:00+03:00"})  # fmt: skip
    rng = random.Random(7)
    provinces = ["IQ-BG", "IQ-BA", "IQ-NI", "IQ-AR", "IQ-SU", "IQ-KA", "IQ-NA", "IQ-DA"]
    for n in range(64):
        players = [{"given_name": rng.choice(ARABIC), "family_name": f"{rng.choice(FAMILIES)} {n}-{i}",
                    "birth_date": "1995-07-01", "shirt_number": i + 1} for i in range(7)]  # fmt: skip
        await teams.register(division["id"], {"name": f"فريق {n}", "province": provinces[n % 8],
                                              "captain_name": "كابتن", "captain_phone": f"0770 300 {n:04d}",
                                              "players": players})  # fmt: skip
    await schedule.make_draw(division["id"], {"groups": 16, "seed": 1}, user["id"])
    fixtures = await schedule.make_fixtures(division["id"], {"pitches": 8, "slot_minutes": 25,
                                                             "first_kickoff": "2027-03-20T09:00:00+03:00"})  # fmt: skip
    for m in fixtures["matches"]:
        await scores.enter_score(m["id"], {"home_goals": rng.randint(0, 4), "away_goals": rng.randint(0, 4),
                                           "home_cards": rng.randint(0, 2)}, user["id"])  # fmt: skip
    return division["id"], race_id, fixtures["matches"]


async def server_times() -> tuple[int, int, list[dict]]:
    from sportsrun.app import create_app
    from sportsrun.core.db import connections
    from sportsrun.core.web import page_cache
    from sportsrun.settings import get_settings

    await connections.start(get_settings())
    try:
        started = time.perf_counter()
        division_id, race_id, matches = await build_division()
        print(f"built the division (64 teams, {len(matches)} matches scored) in {time.perf_counter() - started:.1f} s")
        app = create_app()
        ar = {"Accept-Language": "ar"}
        path = f"/divisions/{division_id}"
        cold = []
        for _ in range(30):
            page_cache.rendered.clear()
            status, body, _h, seconds = await asgi_get(app, path, "", ar)
            assert status == 200, status
            cold.append(seconds)
        warm = [(await asgi_get(app, path, "", ar))[3] for _ in range(300)]
        _s, _b, headers, _t = await asgi_get(app, path, "", {**ar, "HX-Request": "true"})
        polls = [(await asgi_get(app, path, "", {**ar, "HX-Request": "true", "If-None-Match": headers["etag"]}))[3]
                 for _ in range(300)]  # fmt: skip
        print(f"division page, server time (median): cold {statistics.median(cold) * 1000:.1f} ms, "
              f"cached {statistics.median(warm) * 1000:.3f} ms, 304 poll {statistics.median(polls) * 1000:.3f} ms "
              f"({len(body) // 1024} KB)")  # fmt: skip
        return division_id, race_id, matches
    finally:
        await connections.stop()


def over_http(base: str, port: int, division_id: int, race_id: int, match: dict, seconds: float) -> None:
    def request(path: str) -> bytes:
        return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: ar\r\n"
                "Cookie: csrftoken=bench\r\n\r\n").encode()  # fmt: skip

    for label, path in (("division page", f"/divisions/{division_id}"), ("results page", f"/races/{race_id}/results")):
        wire = request(path)
        asyncio.run(run("127.0.0.1", port, lambda i, wire=wire: wire, 40, total=1000))
        outcome = asyncio.run(run("127.0.0.1", port, lambda i, wire=wire: wire, 40, duration=seconds))
        print(f"  hot {label} over HTTP (2 workers, 40 connections): {outcome.total / outcome.elapsed:,.0f} req/s, "
              f"p50 {outcome.percentile(0.5) * 1000:.1f} ms, p99 {outcome.percentile(0.99) * 1000:.1f} ms, "
              f"statuses {dict(outcome.statuses)}")  # fmt: skip

    login = {"email": "fb@example.test", "password": "bench password"}
    token = httpx.post(base + "/api/v1/auth/token", json=login).json()["token"]
    marker = 97  # a score no random match has
    for _ in range(20):  # both workers have just read the division's version: the worst moment for a change
        with httpx.Client() as fresh:
            fresh.get(f"{base}/divisions/{division_id}", headers={"Accept-Language": "ar"})
    started = time.perf_counter()
    r = httpx.put(f"{base}/api/v1/matches/{match['id']}/score", headers={"Authorization": f"Bearer {token}"},
                  json={"home_goals": marker, "away_goals": 0})  # fmt: skip
    assert r.status_code == 200, r.text
    last_stale, seen = 0.0, 0
    while time.perf_counter() - started < 5:
        with httpx.Client() as fresh:  # a new connection each time: either worker may answer
            page = fresh.get(f"{base}/api/v1/divisions/{division_id}/standings").json()
            html = fresh.get(f"{base}/divisions/{division_id}", headers={"Accept-Language": "ar"}).text
        stale = (
            not any(row["goals_for"] >= marker for g in page["groups"] for row in g["rows"])
            or f">{marker}<" not in html
        )
        if stale:
            last_stale = time.perf_counter() - started
        seen += 1
    # A new connection per check, but the kernel may hand all of them to one worker (issue 15 (c)): by
    # design another worker re-reads the division's version within 1 s (football/state.py).
    print(f"  a score entered: every answer showed it after {last_stale * 1000:.0f} ms ({seen} checks over 5 s)")


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    pure_rules()
    work = tempfile.mkdtemp(prefix="sportsrun-bench-football-")
    env = bench_env(args.database_url or f"sqlite:///{work}/bench.db")
    os.environ.update(env)
    subprocess.run([SPORTSRUN, "migrate"], env=env, check=True, capture_output=True)
    division_id, race_id, matches = asyncio.run(server_times())
    port = free_port()
    server = subprocess.Popen([SPORTSRUN, "serve", "--port", str(port), "--workers", "2"], env=env, cwd=work)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(base)
        over_http(base, port, division_id, race_id, matches[0], args.seconds)
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
