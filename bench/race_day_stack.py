"""The race-day stack on loopback, as deployed: Debian's nginx (deploy/nginx.conf.template) in front of two
`sportsrun serve` processes on one PostgreSQL. Used by bench/race_day.py and bench/race_day_faults.py.

PostgreSQL is a throwaway cluster made with `.ci/postgres start` (so the fault runs may restart it), or
SPORTSRUN_TEST_POSTGRES_URL's database, wiped first. nginx runs in the foreground as a child, with its
configuration, pid file, logs and temporary files in the bench's own directory."""

import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SPORTSRUN = str(Path(sys.executable).parent / "sportsrun")
PASSWORD = "race day password"
ORGANISER = "organiser@raceday.test"
FAIL_TIMEOUT_S = 5  # nginx passes over a process that failed, for this long
NGINX_INSTALL = "nginx is needed as the reverse proxy: install Debian's with `apt-get install -y nginx` (as root)"

MAIN_CONF = """worker_processes 1;
{user}pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/sportsrun.conf;
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if not found:
        print(NGINX_INSTALL, file=sys.stderr)
        raise SystemExit(2)
    return found


def render_site(servers: list[int], listen: str, body_mb: int, access_log: str) -> str:
    """deploy/nginx.conf.template with its @NAME@s filled in (not in its comments, which name them)."""
    upstream = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout={FAIL_TIMEOUT_S}s;" for p in servers)
    values = {"SERVERS": upstream, "LISTEN": listen, "SERVER_NAME": "localhost", "BODY_MB": str(body_mb),
              "ACCESS_LOG": access_log}  # fmt: skip
    lines = []
    for line in (ROOT / "deploy" / "nginx.conf.template").read_text().splitlines():
        if not line.lstrip().startswith("#"):
            line = re.sub(r"@([A-Z_]+)@", lambda m: values[m.group(1)], line)
        lines.append(line)
    return "\n".join(lines) + "\n"


class Postgres:
    """The bench's own cluster (restartable), or a given database (wiped, never restarted)."""

    def __init__(self, work: Path):
        self.dir: Path | None = None
        self.url = os.environ.get("SPORTSRUN_TEST_POSTGRES_URL", "")
        if not self.url:
            self.dir = work / "pg"
            made = subprocess.run([str(ROOT / ".ci/postgres"), "start", str(self.dir)], capture_output=True, text=True)
            if made.returncode != 0:
                raise SystemExit(f"could not start a PostgreSQL cluster: {made.stderr.strip()[-500:]}")
            self.url = made.stdout.strip().splitlines()[-1]
        else:
            import asyncio

            import asyncpg

            async def wipe() -> None:
                connection = await asyncpg.connect(self.url)
                await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
                await connection.close()

            asyncio.run(wipe())

    @property
    def restartable(self) -> bool:
        return self.dir is not None

    def _pg_ctl(self, *args: str) -> None:
        binary = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))[-1]
        command = shlex.join([str(binary), "-D", str(self.dir / "data"), *args])
        if os.geteuid() == 0:
            command = shlex.join(["su", "postgres", "-s", "/bin/bash", "-c", command])
        subprocess.run(command, shell=True, check=True, capture_output=True, timeout=60)

    def stop(self) -> None:
        """Fast shutdown: open transactions are rolled back, connections cut."""
        # The options the cluster was started with, to start it again on the same port and socket.
        self._options = shlex.split((self.dir / "data" / "postmaster.opts").read_text())[3:]
        self._pg_ctl("-m", "fast", "stop")

    def start(self) -> None:
        self._pg_ctl("-w", "-l", str(self.dir / "server.log"), "-o", shlex.join(self._options), "start")

    def restart(self) -> None:
        # -l: without a log file the server would keep pg_ctl's output open, and pg_ctl would never return.
        self._pg_ctl("-m", "fast", "-w", "-l", str(self.dir / "server.log"), "restart")

    def close(self) -> None:
        if self.dir is not None:
            subprocess.run([str(ROOT / ".ci/postgres"), "stop", str(self.dir)], capture_output=True)


class Stack:
    def __init__(self, app_workers: int = 1, max_upload_mb: int = 10):
        self.nginx_bin = nginx_binary()
        self.work = Path(tempfile.mkdtemp(prefix="sportsrun-raceday-"))
        self.work.chmod(0o755)  # nginx's workers (www-data) make their temporary folders in it
        self.app_workers, self.max_upload_mb = app_workers, max_upload_mb
        self.apps: list[subprocess.Popen | None] = [None, None]
        self.app_ports = [free_port(), free_port()]
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.nginx: subprocess.Popen | None = None
        self.pg: Postgres | None = None

    def env(self) -> dict[str, str]:
        # Registrations unlimited (one machine plays every runner); three failed sign-ins per address, for
        # the check that the app sees each client's own address through nginx.
        return {**os.environ, "SPORTSRUN_DATABASE_URL": self.pg.url, "SPORTSRUN_SECRET_KEY": "race-day-secret-0123456",
                "SPORTSRUN_REGISTRATION_RATE_LIMIT": "0", "SPORTSRUN_LOGIN_RATE_LIMIT": "3",
                "SPORTSRUN_TRUSTED_PROXIES": "127.0.0.1", "SPORTSRUN_MAX_UPLOAD_MB": str(self.max_upload_mb),
                "SPORTSRUN_PUBLIC_URL": self.base}  # fmt: skip

    def start(self) -> "Stack":
        self.pg = Postgres(self.work)
        env = self.env()
        # One host migrates; both serve with --no-migrate, as the deployment guide runs them.
        subprocess.run([SPORTSRUN, "migrate"], env=env, check=True, capture_output=True)
        subprocess.run([SPORTSRUN, "users", "add", ORGANISER, "--role", "organiser", "--password-stdin"], env=env,
                       input=PASSWORD + "\n", text=True, check=True, capture_output=True)  # fmt: skip
        for i in range(2):
            self.start_app(i)
        self.start_nginx()
        return self

    def start_app(self, i: int) -> None:
        log = open(self.work / f"app{i}.log", "ab")  # noqa: SIM115 - the child writes it
        self.apps[i] = subprocess.Popen(
            [SPORTSRUN, "serve", "--host", "127.0.0.1", "--port", str(self.app_ports[i]),
             "--workers", str(self.app_workers), "--no-migrate"],
            env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.wait_ready(f"http://127.0.0.1:{self.app_ports[i]}", self.apps[i])

    def kill_app(self, i: int) -> int:
        """kill -9 the whole `sportsrun serve` (its process group, when it has workers)."""
        proc = self.apps[i]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return proc.pid

    def start_nginx(self) -> None:
        d = self.work
        user = "user www-data www-data;\n" if os.geteuid() == 0 and _has_user("www-data") else ""
        (d / "nginx.conf").write_text(MAIN_CONF.format(dir=d, user=user))
        (d / "sportsrun.conf").write_text(render_site(self.app_ports, f"127.0.0.1:{self.port}", self.max_upload_mb + 1,
                                                      str(d / "nginx-access.log")))  # fmt: skip
        command = [self.nginx_bin, "-p", str(d), "-c", str(d / "nginx.conf"), "-e", str(d / "nginx-error.log")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise SystemExit(f"nginx refused the configuration:\n{checked.stderr}")
        self.nginx = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        self.wait_ready(self.base, self.nginx)

    @staticmethod
    def wait_ready(base: str, proc: subprocess.Popen, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise SystemExit(f"{base} exited with code {proc.returncode} while starting")
            try:
                if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"{base} was not ready within {seconds:.0f} s")

    def log(self, name: str) -> str:
        path = self.work / name
        return path.read_text(errors="replace") if path.exists() else ""

    def close(self) -> None:
        for proc in [self.nginx, *self.apps]:
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in [self.nginx, *self.apps]:
            if proc is not None:
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
        if self.pg is not None:
            self.pg.close()
        if not os.environ.get("RACE_DAY_KEEP"):
            shutil.rmtree(self.work, ignore_errors=True)

    def __enter__(self) -> "Stack":
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *_exc) -> None:
        self.close()


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False
