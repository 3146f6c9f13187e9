"""The identity rule's lookups by exactly their keys: a new registration's duplicates in its race by
(birth date, folded name), (birth date, phone) or (birth date, email), its person by (birth date, phone)
or (birth date, email). Birth dates cluster (1 July), so an index on the birth date alone leaves
thousands of rows to read per key; (race, birth_date, name_key) also serves what (race, birth_date) did."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-04T20:01:51:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for the identity rule's keys"

INDEXES = [
    "CREATE INDEX IF NOT EXISTS registration_race_birth_name ON registration (race, birth_date, name_key)",
    "CREATE INDEX IF NOT EXISTS registration_race_birth_phone ON registration (race, birth_date, phone)",
    "CREATE INDEX IF NOT EXISTS registration_race_birth_email ON registration (race, birth_date, email)",
    "CREATE INDEX IF NOT EXISTS person_birth_phone ON person (birth_date, phone)",
    "CREATE INDEX IF NOT EXISTS person_birth_email ON person (birth_date, email)",
]
SUPERSEDED = "CREATE INDEX IF NOT EXISTS registration_race_birth_date ON registration (race, birth_date)"


def _name(ddl: str) -> str:
    return ddl.split(" IF NOT EXISTS ")[1].split()[0]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="sportsrun", description=DESCRIPTION)

    async def run():
        db = engine_finder()
        for ddl in INDEXES:
            await db.run_ddl(ddl)
        await db.run_ddl(f"DROP INDEX IF EXISTS {_name(SUPERSEDED)}")

    async def run_backwards():
        db = engine_finder()
        await db.run_ddl(SUPERSEDED)
        for ddl in INDEXES:
            await db.run_ddl(f"DROP INDEX IF EXISTS {_name(ddl)}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
