"""The `sportsrun` command: serve, migrate, demo, users add, import-results, football schedule, backup, restore,
copy-to."""

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable

from sportsrun import cli_backup
from sportsrun.settings import ConfigError, get_settings


def _with_database(work: Callable[[], Awaitable[int]]) -> int:
    from sportsrun.core.db import connections

    async def run() -> int:
        await connections.start(get_settings())
        try:
            return await work()
        finally:
            await connections.stop()

    return asyncio.run(run())


def migrate(quiet: bool = False) -> int:
    """Applies what is pending and says so in one line (Piccolo's own lines count every migration as
    "already complete", even on a new database)."""
    from sportsrun.core.db import connections, migrations

    async def run() -> int:
        try:
            outcome = await migrations.forward(get_settings())
        finally:
            await connections.stop()
        if not outcome.success:
            print(outcome.piccolo_says, end="", file=sys.stderr)
            print(f"migration failed: {outcome.message}", file=sys.stderr)
            return 1
        if not quiet:
            applied = outcome.after - outcome.before
            if applied:
                print(f"applied {applied} migration{'s' if applied != 1 else ''}; the database is up to date")
            else:
                print(f"the database is up to date ({outcome.after} migrations); nothing to apply")
        return 0

    return asyncio.run(run())


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sportsrun.core.web.access_log import uvicorn_log_config
    from sportsrun.core.web.protocol import Protocol
    from sportsrun.core.web.workers import Workers

    if args.migrate and migrate(quiet=True) != 0:
        return 1
    # Links in pages and QR codes point at the address served, unless the public one is configured.
    os.environ.setdefault("SPORTSRUN_PUBLIC_URL", f"http://{args.host}:{args.port}")
    get_settings.cache_clear()
    print(f"sportsrun serving on http://{args.host}:{args.port} with {args.workers} worker(s)", flush=True)
    options = dict(
        app="sportsrun.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        # uvicorn's access log writes paths, which carry registrants' secret codes; ours writes route
        # templates (core/web/access_log.py).
        access_log=False,
        log_config=uvicorn_log_config(args.access_log),
        log_level="warning",
        server_header=False,
        # The client address is decided by SPORTSRUN_TRUSTED_PROXIES alone (core/web/clients.py);
        # uvicorn's own rewriting trusted any peer on 127.0.0.1 whatever was configured.
        proxy_headers=False,
        timeout_graceful_shutdown=10,
        http=Protocol,  # unparseable requests answered in the API's shape
    )
    if args.workers > 1:
        return Workers(args.workers, options).run()
    uvicorn.run(**options)
    return 0


def demo(_args: argparse.Namespace) -> int:
    from sportsrun.demo import load_demo

    return _with_database(load_demo)


def users_add(args: argparse.Namespace) -> int:
    from sportsrun.accounts.services import create_user
    from sportsrun.core.errors import DomainError, InvalidInput

    if not args.password_stdin:
        print("give the password on standard input with --password-stdin", file=sys.stderr)
        return 2
    password = sys.stdin.readline().rstrip("\r\n")

    async def run() -> int:
        try:
            user = await create_user({"email": args.email, "role": args.role, "password": password})
        except InvalidInput as exc:
            for error in exc.errors:
                print(f"{error.field}: {error.message}", file=sys.stderr)
            return 1
        except DomainError as exc:
            print(exc.detail, file=sys.stderr)
            return 1
        print(f"created {user['role']} {user['email']} (id {user['id']})")
        return 0

    return _with_database(run)


class ProgressBar:
    """A one-line progress bar on standard error, for the timing company's laptop. Cleared when the work is
    done, so the summary starts a line of its own; where standard error is not a terminal (a log file), one
    plain line per stage instead."""

    LABELS = {"read": "reading the file", "check": "checking rows", "write": "writing results"}
    CLEAR = "\r\x1b[2K"  # back to the start of the line, and erase it

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.drawn = False
        self.stages: set[str] = set()
        self.live = stream.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        label = self.LABELS.get(stage, stage)
        if not self.live:
            if stage not in self.stages:
                self.stages.add(stage)
                self.stream.write(f"{label}\n")
            return
        width = 30
        filled = width if total == 0 else min(width, round(width * done / total))
        count = f" {done}/{total}" if stage != "read" else ""
        self.stream.write(f"{self.CLEAR}[{'#' * filled}{'.' * (width - filled)}] {label}{count}")
        self.stream.flush()
        self.drawn = True

    def done(self) -> None:
        if self.drawn:
            self.stream.write(self.CLEAR)
            self.stream.flush()
            self.drawn = False


def import_results(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sportsrun.core.errors import DomainError, InvalidInput, SheetInvalid
    from sportsrun.timing.services import import_results as run_import

    path = Path(args.file)
    limit = get_settings().max_upload_bytes
    try:
        if path.stat().st_size > limit:
            print(f"{path}: larger than SPORTSRUN_MAX_UPLOAD_MB ({get_settings().max_upload_mb} MB)", file=sys.stderr)
            return 1
        data = path.read_bytes()
    except OSError as exc:
        print(f"{path}: {exc.strerror}", file=sys.stderr)
        return 1
    bar = ProgressBar()

    async def run() -> int:
        try:
            result = await run_import(args.race_id, data, filename=path.name, mode=args.mode, dry_run=args.dry_run,
                                      mapping=args.mapping, reason=args.reason, progress=bar)  # fmt: skip
        except SheetInvalid as exc:
            bar.done()
            print(exc.detail, file=sys.stderr)
            for e in exc.errors:
                where = ", ".join(filter(None, (f"row {e.row}" if e.row else None, e.column and f"column {e.column}")))
                print(f"  {where + ': ' if where else ''}{e.message}", file=sys.stderr)
            return 1
        except InvalidInput as exc:
            bar.done()
            for e in exc.errors:
                print(f"{e.field}: {e.message}", file=sys.stderr)
            return 1
        except DomainError as exc:
            bar.done()
            print(exc.detail, file=sys.stderr)
            return 1
        bar.done()
        verb = "would import" if args.dry_run else ("unchanged:" if result["unchanged"] else "imported")
        print(
            f"{verb} {result['rows_read']} rows: {result['finishers']} finishers, {result['dnf']} DNF, "
            f"{result['dns']} DNS, {result['dq']} DQ"
            + (f" (import {result['import_id']})" if result["import_id"] else "")
        )
        for w in result["warnings"]:
            where = ", ".join(
                filter(None, (f"row {w['row']}" if w["row"] else None, w["column"] and f"column {w['column']}"))
            )
            print(f"  warning: {where + ': ' if where else ''}{w['message']}")
        return 0

    return _with_database(run)


def football_schedule(args: argparse.Namespace) -> int:
    """The schedule per pitch, for the printer at the ground."""
    from sportsrun.core.errors import DomainError
    from sportsrun.football.matches import division_matches
    from sportsrun.football.services import get_division

    async def run() -> int:
        try:
            division = await get_division(args.division_id, public=False)
            listed = (await division_matches(args.division_id, public=False))["matches"]
        except DomainError as exc:
            print(exc.detail, file=sys.stderr)
            return 1
        print(f"{division['name']} · {division['event_name']}")
        if not listed:
            print("No fixtures yet.")
        for pitch in sorted({m["pitch"] for m in listed if m["status"] != "bye"}):
            print(f"\nPitch {pitch}")
            for m in (m for m in listed if m["pitch"] == pitch and m["status"] != "bye"):
                stage = f"Group {m['group']}" if m["stage"] == "group" else "Knockout"
                home = m["home_team"] or m["home_from"] or "?"
                away = m["away_team"] or m["away_from"] or "?"
                score = f"{m['home_goals']}-{m['away_goals']}" if m["status"] == "played" else "   "
                print(f"  {m['kickoff'][11:16]}  {stage:<9} #{m['id']:<5} {home}  {score}  {away}")
        return 0

    return _with_database(run)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sportsrun", description="Registration and results for Sports Against Violence.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="apply pending migrations and serve the site and API")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--workers", type=int, default=1)
    s.add_argument(
        "--no-migrate",
        dest="migrate",
        action="store_false",
        help="serve without migrating (another host or `sportsrun migrate` does it; /readyz says 503 until then)",
    )
    s.add_argument("--no-access-log", dest="access_log", action="store_false", help="no line per request on stdout")
    s.set_defaults(run=serve)

    m = sub.add_parser("migrate", help="apply pending database migrations (safe to repeat)")
    m.set_defaults(run=lambda _a: migrate())

    d = sub.add_parser("demo", help="load a demo campaign into an empty database and print its logins")
    d.set_defaults(run=demo)

    r = sub.add_parser("import-results", help="import a timing sheet into a race, with the API's checks")
    r.add_argument("race_id", type=int)
    r.add_argument("file")
    r.add_argument("--mode", choices=["replace", "merge"], default="replace")
    r.add_argument("--dry-run", action="store_true", help="check the sheet and report, write nothing")
    r.add_argument("--mapping", help='JSON: canonical column to header text, e.g. {"bib": "No.", "gun_time": "Result"}')
    r.add_argument("--reason", default="", help="why, when this import corrects earlier results")
    r.set_defaults(run=import_results)

    f = sub.add_parser("football", help="mini-football: print a division's schedule")
    fsub = f.add_subparsers(dest="football_command", required=True)
    sched = fsub.add_parser("schedule", help="print a division's schedule per pitch")
    sched.add_argument("division_id", type=int)
    sched.set_defaults(run=football_schedule)

    u = sub.add_parser("users", help="manage user accounts")
    usub = u.add_subparsers(dest="users_command", required=True)
    add = usub.add_parser("add", help="create a user")
    add.add_argument("email")
    add.add_argument("--role", required=True, choices=["admin", "organiser", "volunteer"])
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(run=users_add)

    cli_backup.add_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        get_settings()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
