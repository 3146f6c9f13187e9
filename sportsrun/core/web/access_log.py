"""One line per request on the `sportsrun.access` logger: the worker's process id, a request id (sent
back as X-Request-Id), the method, the route's template, the status and the duration.

Never the path: registrants' and captains' pages carry their secret codes in it (`/registrations/{code}`
is logged as written there, braces and all). Never the query string: searches carry names. Nor the
client's address: nothing personal is logged. A request no route matched is logged as `-`."""

import asyncio
import itertools
import logging
import os
import re
import secrets
import time

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from sportsrun.core.web.clients import trusted_peer

log = logging.getLogger("sportsrun.access")
HEADER = b"x-request-id"
# An id a trusted proxy sent (nginx's $request_id) is kept, so its log and ours name the same request.
_ACCEPTED = re.compile(rb"[A-Za-z0-9._-]{1,64}")


# Ours: this process's random prefix and a count, 16 hex digits, unique without a system call per request.
_PREFIX = secrets.token_hex(4)
_count = itertools.count()


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == HEADER and _ACCEPTED.fullmatch(value) and trusted_peer(scope):
            return value.decode()
    return f"{_PREFIX}{next(_count) & 0xFFFFFFFF:08x}"


def access_log_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        method = scope["method"]  # before anything below changes it (HEAD is served as GET)
        status = 500  # if the application fails before it answers

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (HEADER, request_id.encode())]
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            if log.isEnabledFor(logging.INFO):
                route = scope.get("path_template") or "-"
                ms = (time.perf_counter() - started) * 1000
                lines = _batched()
                if lines is not None:
                    lines.add(f"{request_id} {method} {route} {status} {ms:.1f}ms")
                else:
                    log.info("%s %s %s %d %.1fms", request_id, method, route, status, ms)

    return middleware


class Lines(logging.StreamHandler):
    """The access log of `sportsrun serve`: lines written a batch at a time (every 0.1 s, or 256 lines),
    formatted here rather than through a log record each. A log record, its formatting and a write per
    request were four in ten of a worker's time on a page sent from memory (hot_cache). Other records on
    the logger go out as usual, after the lines before them."""

    DELAY_S = 0.1
    MAX_LINES = 256

    def __init__(self, stream=None):
        super().__init__(stream)
        self.pending: list[str] = []
        self.scheduled = False
        self.second, self.stamp = -1, ""
        self.pid = os.getpid()

    def add(self, message: str) -> None:
        now = time.time()
        second = int(now)
        if second != self.second:
            self.second, self.stamp = second, time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
        self.pending.append(f"{self.stamp},{int(now * 1000) % 1000:03d} [{self.pid}] {message}")
        if len(self.pending) >= self.MAX_LINES:
            self.flush()
        elif not self.scheduled:
            self.scheduled = True
            asyncio.get_running_loop().call_later(self.DELAY_S, self.flush)

    def flush(self) -> None:
        self.scheduled = False
        if self.pending:
            text, self.pending = "\n".join(self.pending) + "\n", []
            self.acquire()
            try:
                self.stream.write(text)
            finally:
                self.release()
        super().flush()

    def emit(self, record: logging.LogRecord) -> None:
        self.flush()
        super().emit(record)


_lines: list[Lines | None] = []  # looked up once per process: the logger's handler when it is `Lines`


def _batched() -> Lines | None:
    if not _lines:
        _lines.append(next((h for h in log.handlers if isinstance(h, Lines)), None))
    return _lines[0]


def uvicorn_log_config(enabled: bool) -> dict:
    """uvicorn's logging, and these lines on standard output (`sportsrun serve`; each worker sets it up)."""
    from uvicorn.config import LOGGING_CONFIG

    config = {key: dict(value) if isinstance(value, dict) else value for key, value in LOGGING_CONFIG.items()}
    # The process id tells the workers apart (core/web/workers.py spreads connections over them).
    config["formatters"]["sportsrun"] = {"format": "%(asctime)s [%(process)d] %(message)s"}
    config["handlers"]["sportsrun"] = {"class": f"{__name__}.Lines", "formatter": "sportsrun",
                                       "stream": "ext://sys.stdout"}  # fmt: skip
    level = "INFO" if enabled else "WARNING"
    config["loggers"][log.name] = {"handlers": ["sportsrun"], "level": level, "propagate": False}
    return config
