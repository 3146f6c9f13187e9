"""Registrations as the form sends them (each with an Idempotency-Key, so each keeps its answer for a day),
50,000 in a row into one race, birth dates shaped like Iraq's (most on 1 July), Arabic names. Printed per
10,000: throughput must not fall as the race and the kept answers fill up. Then a retry of every 10th
registration already made, which must answer from the kept answers.

    python bench/registrations_keyed.py [--rows 50000] [--clients 40] [--workers 2] [--database-url …] [--no-key]
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import bench_env, post_json, run, wait_until_serving  # noqa: E402
from registrations import SPORTSRUN, create_race, free_port, prepare  # noqa: E402

GIVEN = ["محمد", "علي", "حسين", "فاطمة", "زينب", "مريم", "أحمد", "نور", "حسن", "سارة"]
FAMILY = ["الموسوي", "الجبوري", "العبيدي", "الساعدي", "التميمي", "الربيعي", "الزبيدي", "الدليمي"]
CHUNK = 10_000


def body(i: int) -> bytes:
    # Seven in ten born on 1 July (the civil registry's stand-in date), the year spread over 40.
    born = f"{1965 + i % 40}-07-01" if i % 10 < 7 else f"{1965 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}"
    return json.dumps({
        "given_name": f"{GIVEN[i % 10]} {i}", "family_name": FAMILY[i % 8], "gender": "female" if i % 2 else "male",
        "birth_date": born, "province": "IQ-BG", "phone": f"+96477{i:08d}", "consent": True,
    }).encode()  # fmt: skip


KEYED = "--no-key" not in sys.argv  # without keys: what the birth dates alone cost


def request(path: str, host: str, i: int) -> bytes:
    return post_json(path, body(i), host, f"Idempotency-Key: bench-{i}\r\n" if KEYED else "")


def worker_cpu(server_pid: int) -> dict[int, float]:
    """CPU seconds used so far by each of the server's worker processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    with open(f"/proc/{server_pid}/task/{server_pid}/children") as f:
        children = [int(p) for p in f.read().split()]
    used = {}
    for pid in children:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return used


def shares(before: dict[int, float], after: dict[int, float]) -> str:
    spent = {pid: after[pid] - before.get(pid, 0.0) for pid in after}
    total = sum(spent.values()) or 1.0
    return " / ".join(f"{100 * v / total:.0f}%" for v in sorted(spent.values(), reverse=True) if v > 0.05)


def measure(database_url: str, rows: int, clients: int, workers: int) -> None:
    work = tempfile.mkdtemp(prefix="sportsrun-bench-keyed-")
    env = bench_env(database_url.replace("{work}", work))
    prepare(env)
    port = free_port()
    server = subprocess.Popen([SPORTSRUN, "serve", "--port", str(port), "--workers", str(workers)], env=env,
                              cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_until_serving(f"http://127.0.0.1:{port}")
        race_id, _auth = create_race(f"http://127.0.0.1:{port}")
        path, host = f"/api/v1/races/{race_id}/registrations", f"127.0.0.1:{port}"
        engine = "postgres" if database_url.startswith("postgres") else "sqlite"
        for start in range(0, rows, CHUNK):
            cpu = worker_cpu(server.pid)
            made = asyncio.run(run("127.0.0.1", port, lambda i, s=start: request(path, host, s + i), clients,
                                   total=min(CHUNK, rows - start)))  # fmt: skip
            ok = made.statuses.get(201, 0)
            p99, other = made.percentile(0.99) * 1000, made.total - ok + made.errors
            share = shares(cpu, worker_cpu(server.pid))
            print(f"{engine}  registrations {start + 1:>6}-{start + ok:<6} {ok / made.elapsed:6.0f}/s  "
                  f"p99 {p99:5.0f} ms  other answers {other}  workers' CPU {share}")  # fmt: skip
        retries = asyncio.run(run("127.0.0.1", port, lambda i: request(path, host, i * 10), clients,
                                  total=rows // 10))  # fmt: skip
        rate = retries.statuses.get(201, 0) / retries.elapsed
        print(f"{engine}  retries of {rows // 10} made earlier: {rate:6.0f}/s  answers {dict(retries.statuses)}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--clients", type=int, default=40)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--database-url", default="sqlite:///{work}/bench.db")
    ap.add_argument("--no-key", action="store_true", help="send no Idempotency-Key (retries then get 409)")
    args = ap.parse_args()
    measure(args.database_url, args.rows, args.clients, args.workers)


if __name__ == "__main__":
    main()
