"""Indexes for results, imports and corrections, which Piccolo's auto-migrations cannot express on
both engines."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-24T10:14:17:000000"
VERSION = "1.38.0"
DESCRIPTION = "result indexes"

INDEXES = [
    # A registration has at most one result in its race.
    "CREATE UNIQUE INDEX result_race_registration ON result (race, registration)",
    "CREATE INDEX result_race_bib ON result (race, bib)",
    "CREATE INDEX result_import_race ON result_import (race, id)",
    "CREATE INDEX result_correction_race ON result_correction (race, id)",
]


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
