"""The index public result listings read in order."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-24T11:06:14:000000"
VERSION = "1.38.0"
DESCRIPTION = "result listing index"

INDEXES = ["CREATE INDEX result_race_position ON result (race, position)"]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="sportsrun", description=DESCRIPTION)

    async def run():
        db = engine_finder()
        for ddl in INDEXES:
            await db.run_ddl(ddl)

    async def run_backwards():
        db = engine_finder()
        for ddl in INDEXES:
            await db.run_ddl("DROP INDEX " + ddl.split(" INDEX ")[1].split()[0])

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
