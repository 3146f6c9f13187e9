"""When PostgreSQL goes away under a running `sportsrun serve`: its connections ended by the server (as a
restart ends them), then the server unreachable for a while. Every request is answered at once, 503 with
Retry-After, never a 500 or a hang, and the same processes serve again once it is back.

The app reaches the suite's PostgreSQL through a TCP relay that this test can cut: `down()` drops every
connection and refuses new ones, as a stopped server does; `up()` listens again on the same port."""

import asyncio
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest

from tests.server import free_port, running_server
from tests.support import race_body, runner
from tests.test_backup import admin_postgres_url
from tests.test_cli import run

pytestmark = [pytest.mark.server, pytest.mark.slow]
LOGIN = {"email": "org@example.test", "password": "a long password"}


class Relay:
    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server: asyncio.Server | None = None
        self.transports: set[asyncio.Transport] = set()
        self.open = False
        self.up()

    def _call(self, work):
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(10)

    @staticmethod
    async def _copy(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        except OSError:
            pass
        finally:
            sink.transport.abort()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        pair = [writer.transport]
        self.transports.add(writer.transport)
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
            pair.append(upstream_writer.transport)
            self.transports.add(upstream_writer.transport)
            if self.open:  # not cut while this connection was being made
                await asyncio.gather(self._copy(reader, upstream_writer), self._copy(upstream_reader, writer))
        except OSError:
            pass
        finally:
            for transport in pair:
                transport.abort()
                self.transports.discard(transport)

    def up(self) -> None:
        async def listen():
            self.server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)
            self.open = True

        self._call(listen())

    def down(self) -> None:
        async def cut():
            self.open = False
            self.server.close()
            for transport in list(self.transports):
                transport.abort()
            await self.server.wait_closed()

        self._call(cut())

    def close(self) -> None:
        self.down()

        async def finish():
            # Every connection's task runs to its end (one not started yet finds the relay closed and closes
            # its connection): none is left half closed.
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            if tasks:
                await asyncio.wait(tasks, timeout=5)

        self._call(finish())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


def with_host(url: str, port: int, database: str) -> str:
    parts = urlsplit(url)
    user = parts.netloc.rpartition("@")[0]
    return urlunsplit(parts._replace(netloc=f"{user}@127.0.0.1:{port}", path=f"/{database}"))


def admin(sql: str) -> list:
    """SQL as the suite's PostgreSQL user, on a loop of its own in a thread of its own (the test's thread
    keeps the suite's loop)."""

    async def fetch() -> list:
        connection = await asyncpg.connect(admin_postgres_url())
        try:
            return await connection.fetch(sql)
        finally:
            await connection.close()

    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, fetch()).result()


@pytest.fixture
def outage_database():
    name = f"sportsrun_outage_{os.getpid()}"
    admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin(f"CREATE DATABASE {name}")
    yield name
    admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def under_load(http: httpx.Client, register: str, results: str, seconds: float) -> list[tuple[int, str, float]]:
    """Registrations and results pages from four clients for `seconds`: (status, Retry-After, seconds)."""
    answers = []
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        i = 0
        while time.monotonic() < deadline:
            i += 1
            started = time.monotonic()
            r = http.post(register, json=runner()) if (n + i) % 2 else http.get(results)
            answers.append((r.status_code, r.headers.get("retry-after", ""), time.monotonic() - started))

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(client, range(4)))
    return answers


def test_requests_get_503_while_postgresql_is_gone_and_recover_without_a_restart(outage_database):
    database = outage_database
    url = admin_postgres_url()
    direct = with_host(url, urlsplit(url).port, database)
    target = urlsplit(url)
    relay = Relay(target.hostname, target.port)
    env = {"SPORTSRUN_DATABASE_URL": with_host(url, relay.port, database)}
    try:
        assert run("migrate", env={"SPORTSRUN_DATABASE_URL": direct}).returncode == 0
        made = run("users", "add", LOGIN["email"], "--role", "organiser", "--password-stdin", stdin=LOGIN["password"],
                   env=env)  # fmt: skip
        assert made.returncode == 0, made.stderr
        with running_server(workers=2, **env) as server, httpx.Client(base_url=server.base, timeout=30) as http:
            auth = {"Authorization": "Bearer " + http.post("/api/v1/auth/token", json=LOGIN).json()["token"]}
            where = {"name": "E", "province": "IQ-BG", "city": "Baghdad", "date": "2027-03-20", "published": True}
            event = http.post("/api/v1/events", headers=auth, json=where).json()
            race = http.post(f"/api/v1/events/{event['id']}/races", headers=auth, json=race_body()).json()
            register, results = f"/api/v1/races/{race['id']}/registrations", f"/races/{race['id']}/results"

            # The server ends every connection of the app, again and again, as a restart does.
            ending = threading.Event()

            def terminate() -> None:
                while not ending.wait(0.4):
                    admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          f"WHERE datname = '{database}' AND pid <> pg_backend_pid()")  # fmt: skip

            terminator = threading.Thread(target=terminate)
            terminator.start()
            try:
                answers = under_load(http, register, results, 4)
            finally:
                ending.set()
                terminator.join()
            assert {status for status, _r, _s in answers} <= {200, 201, 503}, answers
            assert all(retry for status, retry, _s in answers if status == 503)

            relay.down()
            try:
                answers = under_load(http, register, results, 2)
                ready = http.get("/readyz")
            finally:
                relay.up()
            assert answers and {status for status, _r, _s in answers} <= {200, 503}, answers
            assert all(retry for status, retry, _s in answers if status == 503)
            # At once: under the 10 s a connection may take to open (SPORTSRUN_DB_CONNECT_TIMEOUT), with room for a
            # busy machine.
            assert max(seconds for _st, _r, seconds in answers) < 3, "a request waited on the missing database"
            assert ready.status_code == 503 and ready.headers["retry-after"]

            for _ in range(50):  # back within seconds, by itself
                if http.post(register, json=runner()).status_code == 201:
                    break
                time.sleep(0.2)
            for _ in range(10):
                assert http.post(register, json=runner()).status_code == 201
                assert http.get(results).status_code == 200
            assert http.get("/readyz").status_code == 200
            assert server.proc.poll() is None
    finally:
        relay.close()
    assert "unhandled error" not in server.final and "a worker exited" not in server.final, server.final[-3000:]
