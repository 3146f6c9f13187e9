from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import ForeignKey
from piccolo.engine import engine_finder

ID = "2026-12-05T06:20:09:759402"
VERSION = "1.38.0"
DESCRIPTION = "Indexes on the columns that point at a registration: a cascade looked each up by a scan"

# The event page's podiums read the first three of each gender: without it, every result of the race.
INDEXES = ["CREATE INDEX result_race_gender_place ON result (race, gender_place)"]
SQLITE_ONLY = "CREATE INDEX result_registration ON result (registration)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="sportsrun", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="BibAudit",
        tablename="bib_audit",
        column_name="registration",
        db_column_name="registration",
        params={"index": True},
        old_params={"index": False},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Invitation",
        tablename="invitation",
        column_name="registration",
        db_column_name="registration",
        params={"index": True},
        old_params={"index": False},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    async def run():
        db = engine_finder()
        for ddl in INDEXES:
            await db.run_ddl(ddl)
        if db.engine_type == "sqlite":
            # PostgreSQL's partitioned `result` has no foreign key: a trigger deletes by (race, registration).
            await db.run_ddl(SQLITE_ONLY)

    async def run_backwards():
        db = engine_finder()
        for ddl in INDEXES:
            await db.run_ddl("DROP INDEX " + ddl.split(" INDEX ")[1].split()[0])
        if db.engine_type == "sqlite":
            await db.run_ddl("DROP INDEX result_registration")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
