"""What load balancers and monitors ask: is the process up (`/healthz`), and can it serve (`/readyz`: the
database answers and no migration is pending). No session, no CSRF cookie, no rate limit, not in the
API's schema."""

import asyncio

from litestar import Response, get

from sportsrun.core.db import migrations
from sportsrun.core.db.outages import RETRY_AFTER_S, is_outage
from sportsrun.core.i18n import gettext as _

CHECK_TIMEOUT_S = 5  # a balancer's probe must not wait on a stalled pool longer than this
OPERATIONS = {"include_in_schema": False, "opt": {"exclude_from_csrf": True}}
NO_STORE = {"Cache-Control": "no-store"}


@get("/healthz", **OPERATIONS)
async def healthz() -> Response:
    return Response({"status": "ok"}, headers=NO_STORE)


def _unready(detail: str) -> Response:
    headers = {**NO_STORE, "Retry-After": str(RETRY_AFTER_S)}
    return Response({"status": "unavailable", "detail": detail}, status_code=503, headers=headers)


@get("/readyz", **OPERATIONS)
async def readyz() -> Response:
    try:
        waiting = await asyncio.wait_for(migrations.pending(), CHECK_TIMEOUT_S)
    except Exception as exc:
        if not is_outage(exc):
            raise
        return _unready(_("The database does not answer: check that it is running and reachable."))
    if waiting:
        return _unready(_("The database needs its migrations: run sportsrun migrate."))
    return Response({"status": "ok"}, headers=NO_STORE)
