"""SQLite: the registrations a batch writes are counted into `registration_tally` by the writer, in one
statement per batch, not by a trigger per row. The per-row trigger was 0.5 s of a 50,000-row entrant import's
1.2 s insert (SQLite has no statement-level triggers). Every registration is inserted by one function,
`registration.batch_queries.write`, which now adds its batch's counts in the same transaction; the triggers
for updates and deletes stay, and PostgreSQL keeps its per-statement triggers. Going back restores the
trigger; the counts are the same either way."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-05T11:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "SQLite: registrations counted by their writer, not by a trigger per row"

TRIGGER = (
    "CREATE TRIGGER registration_tally_insert AFTER INSERT ON registration BEGIN "
    "INSERT INTO registration_tally (race, status, n) VALUES (NEW.race, NEW.status, 1) "
    "ON CONFLICT (race, status) DO UPDATE SET n = registration_tally.n + 1; END"
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="sportsrun", description=DESCRIPTION)

    async def run():
        db = engine_finder()
        if db.engine_type == "sqlite":
            await db.run_ddl("DROP TRIGGER registration_tally_insert")

    async def run_backwards():
        db = engine_finder()
        if db.engine_type == "sqlite":
            await db.run_ddl(TRIGGER)

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
