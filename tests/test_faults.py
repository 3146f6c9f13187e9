"""When the database fails for a while: a person is told to try again (503), and writes come back by
themselves once the cause is gone, on every worker, without a restart."""

import os
import subprocess
import tempfile
from pathlib import Path

import httpx
import pytest

from tests.server import running_server
from tests.support import race_body, runner
from tests.test_cli import run

pytestmark = pytest.mark.server


def immutable(paths: list[Path], on: bool) -> None:
    subprocess.run(["chattr", "+i" if on else "-i", *map(str, paths)], check=True, capture_output=True)


@pytest.fixture
def chattr_works(tmp_path):
    """Making a file immutable needs root (CAP_LINUX_IMMUTABLE) and a file system that has the flag."""
    probe = tmp_path / "probe"
    probe.write_text("x")
    try:
        immutable([probe], True)
        immutable([probe], False)
    except (OSError, subprocess.CalledProcessError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but files cannot be made immutable here ({exc}): run the suite as root")
        pytest.skip(f"files cannot be made immutable here ({exc})")


def test_sqlite_writes_recover_by_themselves_after_the_files_were_unwritable(chattr_works):
    work = Path(tempfile.mkdtemp(prefix="sportsrun-faults-"))
    database = work / "faults.db"
    env = {"SPORTSRUN_DATABASE_URL": f"sqlite:///{database}", "SPORTSRUN_SECRET_KEY": "faults-secret-key-0123456789"}
    assert run("migrate", env=env).returncode == 0
    login = {"email": "org@example.test", "password": "a long password"}
    made = run(
        "users", "add", login["email"], "--role", "organiser", "--password-stdin", stdin=login["password"], env=env
    )
    assert made.returncode == 0, made.stderr
    # The database and its write-ahead log; not the -shm index, which SQLite maps into memory: made
    # immutable, it kills the process with SIGBUS inside SQLite itself, beyond what any code above it sees.
    files = [database, Path(f"{database}-wal")]
    with running_server(workers=2, **env) as server, httpx.Client(base_url=server.base, timeout=30) as http:
        auth = {"Authorization": "Bearer " + http.post("/api/v1/auth/token", json=login).json()["token"]}
        where = {"name": "E", "province": "IQ-BG", "city": "Baghdad", "date": "2027-03-20", "published": True}
        event = http.post("/api/v1/events", headers=auth, json=where).json()
        race = http.post(f"/api/v1/events/{event['id']}/races", headers=auth, json=race_body()).json()
        register = f"/api/v1/races/{race['id']}/registrations"
        assert http.post(register, json=runner()).status_code == 201
        immutable(files, True)
        try:
            for _ in range(6):  # on both workers, pooled connections and new ones alike
                refused = http.post(register, json=runner())
                assert refused.status_code == 503, refused.text
                assert refused.headers["retry-after"] and "try again" in refused.json()["detail"].lower()
                assert http.post("/api/v1/auth/token", json=login).status_code == 503
                # Reads still work, and open connections while the files cannot be written.
                assert http.get(f"/api/v1/races/{race['id']}").status_code == 200
                page = http.post(f"/races/{race['id']}/register", data={})  # no CSRF token: 403 before any write
                assert page.status_code < 500
        finally:
            immutable(files, False)
        for _ in range(8):
            assert http.post(register, json=runner()).status_code == 201
            assert http.post("/api/v1/auth/token", json=login).status_code == 200
        assert http.get(register, headers=auth).json()[-1]["status"] == "confirmed"
    assert "Traceback" not in server.final
