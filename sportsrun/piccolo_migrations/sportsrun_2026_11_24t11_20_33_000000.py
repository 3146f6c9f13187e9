"""Counts for races whose results were stored before `race.results_stats` existed."""

import json

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-24T11:20:33:000000"
VERSION = "1.38.0"
DESCRIPTION = "backfill race results stats"


class _Raw(Table, tablename="race"):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="sportsrun", description=DESCRIPTION)

    async def run():
        from sportsrun.results import stats

        races = await _Raw.raw("SELECT DISTINCT race FROM result")
        for race in races:
            rows = await _Raw.raw(
                "SELECT status, gender, age_group, province FROM result WHERE race = {}", race["race"]
            )
            leader = await _Raw.raw(
                "SELECT time_ms FROM result WHERE race = {} AND position = 1 AND status = 'finished'", race["race"]
            )
            summary = stats.compute(
                ((r["status"], r["gender"], r["age_group"], r["province"]) for r in rows),
                leader[0]["time_ms"] if leader else None,
            )
            await _Raw.raw("UPDATE race SET results_stats = {} WHERE id = {}", json.dumps(summary), race["race"])

    manager.add_raw(run)
    return manager
