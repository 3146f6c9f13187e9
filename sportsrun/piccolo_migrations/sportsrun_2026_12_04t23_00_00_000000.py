"""`registration_tally`: how many registrations each race holds per status, kept by triggers on
`registration`. Every batch of registrations needs the race's confirmed and waitlisted counts; counting
them read the whole race (13 ms a batch at 50,000), so registration slowed as the race filled. Triggers
keep the tally right whatever writes the rows (registrations, cancellations, promotions, imports, a race
deleted with its registrations). On PostgreSQL the triggers are per statement, one upsert per statement
rather than per row, in (race, status) order so that two statements never lock tally rows in opposite
orders. Not a Piccolo table: its key is (race, status)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-04T23:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "registration counts per race and status, kept by triggers"

TABLE = (
    "CREATE TABLE registration_tally (race INTEGER NOT NULL, status VARCHAR(12) NOT NULL, n INTEGER NOT NULL, "
    "PRIMARY KEY (race, status))"
)
FILL = "INSERT INTO registration_tally (race, status, n) SELECT race, status, COUNT(*) FROM registration GROUP BY 1, 2"

_ADD = "INSERT INTO registration_tally (race, status, n) VALUES ({race}, {status}, 1) " \
       "ON CONFLICT (race, status) DO UPDATE SET n = registration_tally.n + 1"  # fmt: skip
_REMOVE = "UPDATE registration_tally SET n = n - 1 WHERE race = {race} AND status = {status}"
SQLITE = (
    "CREATE TRIGGER registration_tally_insert AFTER INSERT ON registration BEGIN "
    + _ADD.format(race="NEW.race", status="NEW.status") + "; END",
    "CREATE TRIGGER registration_tally_delete AFTER DELETE ON registration BEGIN "
    + _REMOVE.format(race="OLD.race", status="OLD.status") + "; END",
    "CREATE TRIGGER registration_tally_update AFTER UPDATE OF race, status ON registration "
    "WHEN OLD.race IS NOT NEW.race OR OLD.status IS NOT NEW.status BEGIN "
    + _REMOVE.format(race="OLD.race", status="OLD.status") + "; "
    + _ADD.format(race="NEW.race", status="NEW.status") + "; END",
)  # fmt: skip

# The change per (race, status) of one statement: + the rows it wrote, - the rows it replaced or deleted
# (an update that changes no status nets to nothing and touches no tally row).
_APPLY = (
    "INSERT INTO registration_tally (race, status, n) SELECT race, status, SUM(d) FROM ({rows}) AS c "
    "GROUP BY race, status HAVING SUM(d) <> 0 ORDER BY race, status "
    "ON CONFLICT (race, status) DO UPDATE SET n = registration_tally.n + EXCLUDED.n"
)
_FUNCTIONS = {
    "insert": "SELECT race, status, 1 AS d FROM added",
    "delete": "SELECT race, status, -1 AS d FROM removed",
    "update": "SELECT race, status, 1 AS d FROM added UNION ALL SELECT race, status, -1 FROM removed",
}
_TRANSITIONS = {
    "insert": "REFERENCING NEW TABLE AS added",
    "delete": "REFERENCING OLD TABLE AS removed",
    "update": "REFERENCING OLD TABLE AS removed NEW TABLE AS added",
}
POSTGRES = [
    ddl
    for kind, rows in _FUNCTIONS.items()
    for ddl in (
        f"CREATE FUNCTION registration_tally_{kind}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + _APPLY.format(rows=rows) + "; RETURN NULL; END $$",
        f"CREATE TRIGGER registration_tally_{kind} AFTER {kind.upper()} ON registration {_TRANSITIONS[kind]} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION registration_tally_{kind}()",
    )
] + [
    "CREATE FUNCTION registration_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "DELETE FROM registration_tally; RETURN NULL; END $$",
    "CREATE TRIGGER registration_tally_truncate AFTER TRUNCATE ON registration "
    "FOR EACH STATEMENT EXECUTE FUNCTION registration_tally_truncate()",
]  # fmt: skip


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="sportsrun", description=DESCRIPTION)

    async def run():
        db = engine_finder()
        for ddl in (TABLE, *(SQLITE if db.engine_type == "sqlite" else POSTGRES), FILL):
            await db.run_ddl(ddl)

    async def run_backwards():
        db = engine_finder()
        if db.engine_type == "sqlite":
            for kind in ("insert", "delete", "update"):
                await db.run_ddl(f"DROP TRIGGER registration_tally_{kind}")
        else:
            for kind in ("insert", "delete", "update", "truncate"):
                await db.run_ddl(f"DROP TRIGGER registration_tally_{kind} ON registration")
                await db.run_ddl(f"DROP FUNCTION registration_tally_{kind}()")
        await db.run_ddl("DROP TABLE registration_tally")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
