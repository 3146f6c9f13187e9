"""Check-in tokens: unique (an index, as SQLite cannot add a UNIQUE column), and one for every live
registration made before they existed, each from `secrets` as new ones are (registration/checkin_token.py).
Cancelled registrations get none: their token would have died with the cancellation."""

import secrets

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-05T01:59:57:000000"
VERSION = "1.38.0"
DESCRIPTION = "a unique check-in token for every live registration"

INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS registration_checkin_token ON registration (checkin_token)"
CHUNK = 500


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="sportsrun", description=DESCRIPTION)

    async def run():
        db = engine_finder()
        await db.run_ddl(INDEX)
        rows = await db.run_ddl(
            "SELECT id FROM registration WHERE checkin_token IS NULL AND status <> 'cancelled' ORDER BY id"
        )
        ids = [int(row["id"]) for row in rows]
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            # Integers and URL-safe base64 only: nothing here needs quoting.
            cases = " ".join(f"WHEN {i} THEN '{secrets.token_urlsafe(18)}'" for i in chunk)
            listed = ", ".join(str(i) for i in chunk)
            await db.run_ddl(f"UPDATE registration SET checkin_token = CASE id {cases} END WHERE id IN ({listed})")

    async def run_backwards():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS registration_checkin_token")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
