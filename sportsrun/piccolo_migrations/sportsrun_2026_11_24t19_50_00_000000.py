"""On PostgreSQL, `result` becomes a table partitioned by race, one partition per race, without foreign
keys (see `sportsrun.results.partitions`): triggers on `registration` delete the results of deleted
registrations instead, and empty `result` when `registration` is truncated. The primary key becomes
(race, id), as a partitioned table's keys must hold the partition key; the other indexes keep their
names. SQLite is unchanged."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-24T19:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "result partitioned by race on PostgreSQL"

_INDEXES = (
    "CREATE UNIQUE INDEX result_race_registration ON result (race, registration)",
    "CREATE INDEX result_race_bib ON result (race, bib)",
    "CREATE INDEX result_race_position ON result (race, position)",
)
_FOREIGN_KEYS = (
    "ALTER TABLE result ADD CONSTRAINT result_race_fkey FOREIGN KEY (race) REFERENCES race (id) "
    "ON UPDATE CASCADE ON DELETE CASCADE, ADD CONSTRAINT result_registration_fkey FOREIGN KEY (registration) "
    "REFERENCES registration (id) ON UPDATE CASCADE ON DELETE CASCADE"
)
_CASCADE = (
    "CREATE FUNCTION result_registrations_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "DELETE FROM result USING deleted WHERE result.race = deleted.race AND result.registration = deleted.id; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER result_registrations_deleted AFTER DELETE ON registration REFERENCING OLD TABLE AS deleted "
    "FOR EACH STATEMENT EXECUTE FUNCTION result_registrations_deleted()",
    # TRUNCATE registration CASCADE emptied `result` through its foreign key.
    "CREATE FUNCTION result_registrations_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "TRUNCATE result; RETURN NULL; END $$",
    "CREATE TRIGGER result_registrations_truncated AFTER TRUNCATE ON registration "
    "FOR EACH STATEMENT EXECUTE FUNCTION result_registrations_truncated()",
)


async def _set_aside(db) -> None:
    """Renames `result` out of the way and frees its index and constraint names for the new table."""
    await db.run_ddl("ALTER SEQUENCE result_id_seq OWNED BY NONE")
    await db.run_ddl("ALTER TABLE result RENAME TO result_before")
    constraints = await db.run_ddl(
        "SELECT conname FROM pg_constraint WHERE conrelid = 'result_before'::regclass AND contype IN ('p', 'f')"
    )
    for row in constraints:
        await db.run_ddl(f'ALTER TABLE result_before DROP CONSTRAINT "{row["conname"]}"')
    await db.run_ddl("DROP INDEX result_race_registration, result_race_bib, result_race_position")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="sportsrun", description=DESCRIPTION)

    async def run():
        db = engine_finder()
        if db.engine_type != "postgres":
            return
        await _set_aside(db)
        await db.run_ddl("CREATE TABLE result (LIKE result_before INCLUDING DEFAULTS) PARTITION BY LIST (race)")
        await db.run_ddl("ALTER TABLE result ADD CONSTRAINT result_pkey PRIMARY KEY (race, id)")
        for ddl in (*_INDEXES, *_CASCADE, "ALTER SEQUENCE result_id_seq OWNED BY result.id"):
            await db.run_ddl(ddl)
        for row in await db.run_ddl("SELECT DISTINCT race FROM result_before ORDER BY race"):
            race = int(row["race"])
            await db.run_ddl(f"CREATE TABLE result_r{race}_0 PARTITION OF result FOR VALUES IN ({race})")
        await db.run_ddl("INSERT INTO result SELECT * FROM result_before")
        await db.run_ddl("DROP TABLE result_before")

    async def run_backwards():
        db = engine_finder()
        if db.engine_type != "postgres":
            return
        for name in ("result_registrations_deleted", "result_registrations_truncated"):
            await db.run_ddl(f"DROP TRIGGER {name} ON registration")
            await db.run_ddl(f"DROP FUNCTION {name}()")
        await _set_aside(db)
        await db.run_ddl("CREATE TABLE result (LIKE result_before INCLUDING DEFAULTS)")
        await db.run_ddl("ALTER TABLE result ADD CONSTRAINT result_pkey PRIMARY KEY (id)")
        await db.run_ddl("INSERT INTO result SELECT * FROM result_before")
        await db.run_ddl("DROP TABLE result_before")
        for ddl in (*_INDEXES, _FOREIGN_KEYS, "ALTER SEQUENCE result_id_seq OWNED BY result.id"):
            await db.run_ddl(ddl)

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
