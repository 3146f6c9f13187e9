"""What operators see: /healthz, /readyz and the access log (route templates, never paths or queries)."""

import logging
import os
import re
import signal
import socket
import time
from collections import Counter

import httpx

from sportsrun.core.db import sql as db
from tests.server import running_server
from tests.support import make_race, register, token_headers


async def test_healthz_answers_without_the_database_cookies_or_schema(client):
    r = await client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    assert "set-cookie" not in r.headers and r.headers["cache-control"] == "no-store"
    schema = (await client.get("/schema/openapi.json")).json()
    assert not {"/healthz", "/readyz"} & set(schema["paths"])


async def test_readyz_says_503_while_a_migration_is_pending(client):
    r = await client.get("/readyz")
    assert r.status_code == 200 and r.json() == {"status": "ok"} and "set-cookie" not in r.headers
    [last] = await db.fetch("SELECT id, name, app_name, ran_on FROM migration ORDER BY name DESC LIMIT 1")
    await db.fetch("DELETE FROM migration WHERE id = {}", last["id"])
    try:
        r = await client.get("/readyz", headers={"Accept-Language": "en"})
        assert r.status_code == 503 and r.headers["retry-after"]
        assert r.json() == {
            "status": "unavailable",
            "detail": "The database needs its migrations: run sportsrun migrate.",
        }
    finally:
        await db.fetch("INSERT INTO migration (id, name, app_name, ran_on) VALUES ({}, {}, {}, {})", *last.values())
    assert (await client.get("/readyz")).status_code == 200


async def test_the_access_log_names_the_route_never_the_code_or_query(client, caplog):
    race = await make_race(client, await token_headers(client, "organiser"))
    code = (await register(client, race["id"])).json()["code"]
    caplog.set_level(logging.INFO, logger="sportsrun.access")
    caplog.clear()
    r = await client.get(f"/registrations/{code}?name=Zainab")
    head = await client.head(f"/races/{race['id']}/results")
    missing = await client.get(f"/registrations/{code}/nothing-here")
    lines = [rec.getMessage() for rec in caplog.records if rec.name == "sportsrun.access"]
    assert len(lines) == 3, lines
    assert re.fullmatch(r"[0-9a-f]{16} GET /registrations/\{code\} 200 \d+\.\dms", lines[0]), lines[0]
    assert lines[0].startswith(r.headers["x-request-id"] + " ")
    assert " HEAD /races/{race_id}/results 200 " in lines[1], lines[1]
    assert head.headers["x-request-id"] != r.headers["x-request-id"]
    assert missing.status_code == 404 and " GET - 404 " in lines[2]
    assert not any(code in line or "Zainab" in line or "?" in line for line in lines)


def test_serve_logs_requests_and_believes_no_forged_header(tmp_path):
    url = f"sqlite:///{tmp_path}/served.db"
    with running_server(workers=1, SPORTSRUN_DATABASE_URL=url, SPORTSRUN_LOGIN_RATE_LIMIT="2") as server:
        wrong = {"email": "nobody@example.test", "password": "nope nope"}
        # A visitor on the same host as the server (uvicorn used to believe any peer on 127.0.0.1).
        forged = [{"X-Forwarded-For": f"203.0.113.{n}"} for n in range(3)]
        said = [httpx.post(f"{server.base}/api/v1/auth/token", json=wrong, headers=h).status_code for h in forged]
        assert said == [401, 401, 429]
        ready = httpx.get(f"{server.base}/readyz")
        assert ready.status_code == 200
    lines = [line for line in server.final.splitlines() if " /api/v1/auth/token " in line or " /readyz " in line]
    assert len(lines) == 4, server.final
    assert lines[-1].endswith(f"{ready.headers['x-request-id']} GET /readyz 200 " + lines[-1].rsplit(" ", 1)[1])
    assert " POST /api/v1/auth/token 429 " in lines[2]
    with running_server(workers=1, args=("--no-access-log",), SPORTSRUN_DATABASE_URL=url) as quiet:
        assert httpx.get(f"{quiet.base}/healthz").status_code == 200
    assert "/healthz" not in quiet.final and "/api/v1/provinces" not in quiet.final


def _served_by(output: str) -> list[int]:
    return [int(line.split("[", 1)[1].split("]", 1)[0]) for line in output.splitlines() if " GET /healthz 200 " in line]


def _gone(pid: int) -> bool:
    """Reaped by the server: every thread has ended and the process's sockets are closed (a zombie leader
    can outlive threads that still hold them)."""
    return not os.path.exists(f"/proc/{pid}")


def _connect_together(server, n: int) -> Counter:
    """n clients connecting at the same moment, each sending one request on its connection: how many
    each worker answered."""
    before = len(_served_by(server.output()))
    sockets = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(n)]
    try:
        for s in sockets:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        for s in sockets:
            assert s.recv(4096).startswith(b"HTTP/1.1 200")
    finally:
        for s in sockets:
            s.close()
    deadline = time.monotonic() + 10
    while len(served := _served_by(server.output())) < before + n:  # a line is logged after its answer
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return Counter(served[before:])


def _until(condition, server, n: int = 20) -> Counter:
    deadline = time.monotonic() + 60
    while not condition(shares := _connect_together(server, n)):
        assert time.monotonic() < deadline, server.output()
        time.sleep(0.2)
    return shares


def test_workers_share_connections_and_a_dead_worker_is_replaced(tmp_path):
    url = f"sqlite:///{tmp_path}/served.db"
    with running_server(workers=2, SPORTSRUN_DATABASE_URL=url) as server:
        started = time.monotonic()
        workers = set(_until(lambda shares: len(shares) == 2, server))  # both have started
        shares = _connect_together(server, 40)
        # Each worker listens on a socket of its own, so the kernel spreads connections made together
        # (one shared socket let one worker accept them all). Under 8 of 40 is a one-in-50,000 chance.
        assert set(shares) == workers and min(shares.values()) >= 8, shares
        time.sleep(max(0.0, 5.5 - (time.monotonic() - started)))  # past the start-up window
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        while not _gone(victim):  # connections queued on it as it dies are lost with it, as in any crash
            time.sleep(0.05)
        assert set(_connect_together(server, 20)) == workers - {victim}  # the survivor answers meanwhile
        _until(lambda shares: len(set(shares) - workers) == 1, server)  # and a new worker joins it
        assert server.proc.poll() is None
