"""On PostgreSQL each race's results are a partition of the `result` table, and a change to them writes a
new partition and swaps it in.

A race's results are always rewritten whole (an import, an undo, a hand correction: places move).
Inserted row by row into a table with four indexes and two foreign keys, 50,000 results took PostgreSQL
0.7 s here: every row updates every index and runs every foreign-key check, each of which also locks the
row it points to. Copied into an empty table and indexed in bulk, they take 0.2 s. The new table is
attached in place of the race's old partition inside the write transaction, so readers see the old
results or the new ones, never a mix. Its indexes are built to match the parent's before the swap, so
attaching adopts them instead of building them under the lock.

The partitions have no foreign keys: detaching or dropping a table that has them locks the tables they
point to (dropping one locks `race` and `registration` against every reader until the commit). Instead,
every registration in the new rows is checked to belong to the race before the swap, and triggers on
`registration` delete the results of deleted registrations (and so of deleted races) and empty `result`
when it is truncated, as the foreign keys' cascades did. SQLite keeps one plain table with its foreign
keys: it inserts 50,000 rows in 0.16 s.

Detaching takes an exclusive lock on `result` from then until the commit, a few milliseconds. A writer
that has read `result` earlier in its transaction (each writer reads the race's results first, for the
corrections log) can only get that lock once no other writer holds any lock on it, so two writers of
different races would wait for each other. Writers of results therefore go one at a time across races:
`results_writers_lock` is taken first in their transaction."""

import secrets
from operator import itemgetter

from sportsrun.core.db.connections import engine, is_sqlite
from sportsrun.core.db.sql import execute_long, fetch, insert_many

_WRITERS = 0x5E5017  # this project's only advisory lock key

# Each matches an index or constraint of `result` (see the partitioning migration), so that attaching
# adopts it. A test checks that every index of a race's partition belongs to one of the parent's.
_BUILT = (
    "ALTER TABLE {table} ADD PRIMARY KEY (race, id)",
    "CREATE UNIQUE INDEX ON {table} (race, registration)",
    "CREATE INDEX ON {table} (race, bib)",
    "CREATE INDEX ON {table} (race, position)",
    "ALTER TABLE {table} ADD CHECK (race = {race})",  # lets attaching skip its scan of the rows
)


class ForeignRegistration(Exception):
    """Results for registrations that are not the race's: a bug, refused like a foreign key would."""


async def results_writers_lock() -> None:
    """Called first in a transaction that will store results (SQLite's transactions are already one at a
    time)."""
    if not is_sqlite():
        await fetch(f"SELECT pg_advisory_xact_lock({_WRITERS})")


async def replace(race_id: int, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """The race's rows in `result` become `rows` (in `columns`, which include race and registration),
    inside the caller's write transaction."""
    race_id = int(race_id)
    if is_sqlite():
        # Timing sheets come in finishing order; inserted in registration order instead, two of the
        # indexes (registration, and bib, given out in registration order) grow at their end.
        rows.sort(key=itemgetter(columns.index("registration")))
        # In a thread: one DELETE of 50,000 rows on the loop held it a quarter second.
        await execute_long("DELETE FROM result WHERE race = {}", race_id)
        await insert_many("result", columns, rows)
        return
    race_at, registration_at = columns.index("race"), columns.index("registration")
    if any(row[race_at] != race_id for row in rows):
        raise ForeignRegistration(race_id)
    registrations = list({row[registration_at] for row in rows})
    found = await fetch(
        "SELECT COUNT(*) AS n FROM registration WHERE race = {} AND id = ANY({}::int[])", race_id, registrations
    )
    if found[0]["n"] != len(registrations):
        raise ForeignRegistration(race_id)
    table = f"result_r{race_id}_{secrets.token_hex(4)}"
    await _execute(f"CREATE TABLE {table} (LIKE result INCLUDING DEFAULTS)")
    await insert_many(table, columns, rows)
    # ANALYZE too, inside the transaction (it counts the transaction's own rows): autovacuum comes to a new
    # table later, and until then plans for the race's results would expect an empty table.
    await _execute("; ".join([*(ddl.format(table=table, race=race_id) for ddl in _BUILT), f"ANALYZE {table}"]))
    swap = [f'ALTER TABLE result DETACH PARTITION "{old}"; DROP TABLE "{old}"' for old in await partitions_of(race_id)]
    await _execute("; ".join([*swap, f"ALTER TABLE result ATTACH PARTITION {table} FOR VALUES IN ({race_id})"]))


async def _execute(ddl: str) -> None:
    """Statements as one simple query: DDL naming a new table each time must not fill the driver's cache
    of prepared statements, nor `fetch`'s of compiled ones."""
    transaction = engine().current_transaction.get()
    assert transaction is not None, "results are stored inside a write transaction"
    await transaction.connection.execute(ddl)


async def partitions_of(race_id: int) -> list[str]:
    rows = await fetch(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = 'result'::regclass AND pg_get_expr(c.relpartbound, c.oid) = {}",
        f"FOR VALUES IN ({int(race_id)})",
    )
    return [r["relname"] for r in rows]
