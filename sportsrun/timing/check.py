"""Checking a timing sheet against its race before anything is written: its rows understood (`sheet`)
against the runners who hold bibs, who are read from the database while the file is still being parsed."""

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from sportsrun.core.errors import RowError
from sportsrun.core.i18n import gettext as _
from sportsrun.events import services as events
from sportsrun.events.race_row import RaceRow
from sportsrun.registration import services as registration
from sportsrun.results import services as results
from sportsrun.timing.sheet import RaceFacts, Understood, understand

Progress = Callable[[str, int, int], None]
Cells = list[list[object]]


@dataclass
class Check:
    """A sheet read and understood, before anything is written."""

    race: RaceRow
    understood: Understood
    sha256: str
    mapping: dict[str, str]  # as the volunteer gave it ({} for none)
    cells: Cells  # the sheet as read, for showing rows beside their problems
    registered: dict  # bib → Registrant, as they were when the sheet was checked
    public: dict  # registration → Shown, worked out from `registered`
    fingerprint: tuple
    elsewhere: dict[int, str]


def race_facts(race: RaceRow) -> RaceFacts:
    return RaceFacts(distance_m=race.distance_m, start=race.start_time.astimezone(race.tz), ranking=race.ranking)


def understand_sheet(cells: Cells, race: RaceRow, registered: Mapping, mapping: Mapping[str, str],
                     elsewhere: Mapping[int, str], progress: Progress | None = None) -> Understood:  # fmt: skip
    """The sheet's rows; when no mapping is given and the sheet is not recognised by itself, with the
    columns mapped last time for this race."""
    understood = understand(cells, race_facts(race), registered, mapping=mapping or None, elsewhere=elsewhere.get,
                            progress=progress)  # fmt: skip
    if not mapping and race.results_mapping and understood.header_row is None:
        understood = understand(cells, race_facts(race), registered, mapping=race.results_mapping,
                                elsewhere=elsewhere.get)  # fmt: skip
    if progress:
        progress("check", understood.rows_read, understood.rows_read)
    return understood


async def check(race_id: int, cells: Awaitable[Cells], sha256: str, mapping: Mapping[str, str] | None = None,
                progress: Progress | None = None) -> Check:  # fmt: skip
    """Understands the sheet without writing anything. `cells` may still be being read (in a worker thread)
    while the race's bibs are read here; checking the rows runs in a thread too."""
    race = await events.load_race(race_id)
    try:
        fingerprint = await registration.registrants_fingerprint(race.id)
        registered = await registration.registrants(race.id)
        elsewhere = await registration.bibs_elsewhere(race)
        public = await results.shown_off_the_loop(race, registered.values())
    finally:
        rows = await cells
    used = dict(mapping or {})
    understood = await asyncio.to_thread(understand_sheet, rows, race, registered, used, elsewhere, progress)
    return Check(race, understood, sha256, used, rows, registered, public, fingerprint, elsewhere)


def absent_warnings(understood: Understood, registered: Mapping, mode: str) -> list[RowError]:
    """In `replace` mode, a runner holding a bib and missing from the file gets no result."""
    if mode != "replace":
        return []
    return [
        RowError(None, None, _("Bib {bib} is registered but not in the file: no result for this runner.", bib=bib))
        for bib in sorted(set(registered) - understood.bibs)
    ]
