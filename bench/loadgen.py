"""A lean HTTP/1.1 load generator: N keep-alive connections on asyncio streams, each sending one request
after another. Far cheaper per request than a full client library, which matters on a 2-core machine
where the generator shares the CPU with the server it measures."""

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Outcome:
    statuses: dict[int, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(int(len(ordered) * p), len(ordered) - 1)] if ordered else 0.0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    body = await reader.readexactly(length) if length else b""
    return status, body


async def run(
    host: str,
    port: int,
    make_request: Callable[[int], bytes],
    connections: int,
    total: int | None = None,
    duration: float | None = None,
    keep_bodies: bool = False,
) -> Outcome:
    """Sends make_request(i) for i = 0, 1, … until `total` requests or `duration` seconds."""
    outcome = Outcome()
    counter = iter(range(10**12))
    deadline = time.perf_counter() + duration if duration else None

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while True:
                i = next(counter)
                if (total is not None and i >= total) or (deadline and time.perf_counter() > deadline):
                    return
                started = time.perf_counter()
                writer.write(make_request(i))
                try:
                    status, body = await _read_response(reader)
                except (asyncio.IncompleteReadError, ConnectionError):
                    outcome.errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                    continue
                outcome.latencies.append(time.perf_counter() - started)
                outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
                if keep_bodies:
                    outcome.bodies.append(body)
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    outcome.elapsed = time.perf_counter() - started
    return outcome


def post_json(path: str, body: bytes, host: str, headers: str = "") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{headers}\r\n"
    ).encode() + body


def bench_env(database_url: str) -> dict[str, str]:
    """The environment a bench's server and CLI calls run with: no rate limit, a throwaway secret."""
    return {**os.environ, "SPORTSRUN_DATABASE_URL": database_url, "SPORTSRUN_REGISTRATION_RATE_LIMIT": "0",
            "SPORTSRUN_SECRET_KEY": "bench-secret-key-0123456789"}  # fmt: skip


def run_in_child(script: str, args: list[str], database_url: str | None, prefix: str) -> None:
    """Runs `script` again with `args` and `--child`, on `database_url` or a new SQLite file, migrated first:
    the measured process imports the app only once its database is set."""
    work = tempfile.mkdtemp(prefix=prefix)
    env = bench_env(database_url or f"sqlite:///{work}/bench.db")
    subprocess.run([str(Path(sys.executable).parent / "sportsrun"), "migrate"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    subprocess.run([sys.executable, script, *args, "--child"], env=env, check=True)


def rows_bench(script: str, measure: Callable[[int], Awaitable[None]], prefix: str) -> None:
    """The command line of a bench that runs `measure(rows)` in a child process on a new database (or
    `--database-url`): `--rows` (50,000 by default)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--database-url")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        asyncio.run(measure(args.rows))
        return
    run_in_child(script, ["--rows", str(args.rows)], args.database_url, prefix)


def wait_until_serving(base: str) -> None:
    import httpx

    for _ in range(200):
        try:
            if httpx.get(base + "/api/v1/provinces", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"the server at {base} did not start")
