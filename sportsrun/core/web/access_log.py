"""One line per request on the `sportsrun.access` logger: the worker's process id, a request id (sent
back as X-Request-Id), the method, the route's template, the status and the duration.

Never the path: registrants' and captains' pages carry their secret codes in it (`/registrations/{code}`
is logged as written there, braces and all). Never the query string: searches carry names. Nor the
client's address: nothing personal is logged. A request no route matched is logged as `-`."""

import logging
import re
import secrets
import time

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from sportsrun.core.web.clients import trusted_peer

log = logging.getLogger("sportsrun.access")
HEADER = b"x-request-id"
# An id a trusted proxy sent (nginx's $request_id) is kept, so its log and ours name the same request.
_ACCEPTED = re.compile(rb"[A-Za-z0-9._-]{1,64}")


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == HEADER and _ACCEPTED.fullmatch(value) and trusted_peer(scope):
            return value.decode()
    return secrets.token_hex(8)


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
                log.info("%s %s %s %d %.1fms", request_id, method, route, status, ms)

    return middleware


def uvicorn_log_config(enabled: bool) -> dict:
    """uvicorn's logging, and these lines on standard output (`sportsrun serve`; each worker sets it up)."""
    from uvicorn.config import LOGGING_CONFIG

    config = {key: dict(value) if isinstance(value, dict) else value for key, value in LOGGING_CONFIG.items()}
    # The process id tells the workers apart (core/web/workers.py spreads connections over them).
    config["formatters"]["sportsrun"] = {"format": "%(asctime)s [%(process)d] %(message)s"}
    config["handlers"]["sportsrun"] = {"class": "logging.StreamHandler", "formatter": "sportsrun",
                                       "stream": "ext://sys.stdout"}  # fmt: skip
    level = "INFO" if enabled else "WARNING"
    config["loggers"][log.name] = {"handlers": ["sportsrun"], "level": level, "propagate": False}
    return config
