"""Real `sportsrun serve` processes for the tests that need several workers and real sockets."""

import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

SPORTSRUN = str(Path(sys.executable).parent / "sportsrun")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(workers: int = 2, args: tuple[str, ...] = (), **env_overrides: str):
    port = free_port()
    env = {**os.environ, "SPORTSRUN_REGISTRATION_RATE_LIMIT": "0", **env_overrides}
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [SPORTSRUN, "serve", "--port", str(port), "--workers", str(workers), *args],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    server = ServerHandle(base, proc, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"sportsrun serve exited: {server.output()}")
            try:
                if httpx.get(base + "/api/v1/provinces", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"sportsrun serve did not start: {server.output()}")
            time.sleep(0.2)
        # Each worker listens on its own socket once started: a worker joining while a test's clients
        # connect can reset a handshake in flight. Wait until every worker has answered (the access log
        # names each by its process id).
        while len(set(re.findall(r"\[(\d+)\] \S+ GET /api/v1/provinces 200", server.output()))) < workers:
            if "--no-access-log" in args or time.monotonic() > deadline:
                break
            try:
                httpx.get(base + "/api/v1/provinces", timeout=2)
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
        server.final = server.output()
        log.close()


class ServerHandle:
    def __init__(self, base: str, proc: subprocess.Popen, log):
        self.base, self.proc, self.log = base, proc, log
        self.port = int(base.rsplit(":", 1)[1])
        self.final: str | None = None

    def output(self) -> str:
        if self.final is not None:
            return self.final
        self.log.seek(0)
        return self.log.read().decode(errors="replace")
