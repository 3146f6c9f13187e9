"""Every person gets the folded given name they were first registered under (`person.given_name_key`), not
only those a group made: a runner who registered alone and later in a family group is then found by that
name (registration.people.assign_people). Without it, the first group after this change to list an old
runner with a twin would give the runner's past to whichever twin came first.

Folding is Python's (core.text.names.fold, as the writer folds), so the names are read, folded here and
written back in chunks. Nothing to undo: going back, the older code reads a key on a person made alone as
it reads a group's."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

from sportsrun.core.text.names import fold

ID = "2026-12-05T08:07:58:000000"
VERSION = "1.38.0"
DESCRIPTION = "Person: the folded given name of everyone, from their first registration"

CHUNK = 500
# Each person's first registration, by registration_person (the index on registration.person).
FIRST_NAMES = (
    "SELECT p.id, (SELECT r.given_name FROM registration AS r WHERE r.person = p.id ORDER BY r.id LIMIT 1) "
    "AS given_name FROM person AS p WHERE p.given_name_key IS NULL"
)
# CAST rather than `::`: one statement for both engines.
UPDATE = "WITH v(id, k) AS (VALUES {}) UPDATE person SET given_name_key = v.k FROM v WHERE person.id = v.id"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="sportsrun", description=DESCRIPTION)

    async def run():
        db = engine_finder()
        rows = await db.run_querystring(QueryString(FIRST_NAMES))
        keys = [(r["id"], fold(r["given_name"])) for r in rows if r["given_name"] is not None]
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            values = ", ".join(["(CAST({} AS INTEGER), CAST({} AS TEXT))"] * len(chunk))
            await db.run_querystring(QueryString(UPDATE.format(values), *[v for pair in chunk for v in pair]))

    manager.add_raw(run)
    return manager
