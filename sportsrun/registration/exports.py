"""The organiser's spreadsheets of a race (`sheets`), built in the export pool, off the event loop. They
carry personal data: each is built for the request that asks and kept nowhere, however many ask.

The rows go to the child in MessagePack: pickled, 50,000 registrations held the GIL six times as long."""

import msgspec

from sportsrun.core.spreadsheets import export_pool
from sportsrun.events import services as events
from sportsrun.registration import sheets
from sportsrun.registration.organiser import list_for_organiser


async def start_list(race_id: int) -> tuple[str, bytes]:
    race = await events.load_race(race_id)
    items = await list_for_organiser(race_id)
    content = await export_pool.run(sheets.start_list, race.race_day, race.age_groups, msgspec.msgpack.encode(items))
    return f"start-list-race-{race.id}.xlsx", content


async def registrations(race_id: int) -> tuple[str, bytes]:
    items = await list_for_organiser(race_id)  # 404 for an unknown race
    content = await export_pool.run(sheets.registrations, msgspec.msgpack.encode(items))
    return f"registrations-race-{race_id}.xlsx", content
