"""Everything a campaign shows, computed from what events, registration, results and football hold, through
their services: the figures, the province leaderboard, the timeline and the series standings.

Standings are the costly part (every series finisher and who they are); they depend only on the series
races' results (and the campaign's points rules), so they are computed once per results version
(`state`), while the counts, which change with every registration, are cheap reads of kept tallies."""

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sportsrun.campaigns import figures as fig
from sportsrun.campaigns import queries
from sportsrun.campaigns.kept_standings import KeptStandings
from sportsrun.campaigns.series import Standing
from sportsrun.core.gc_pause import gc_paused
from sportsrun.core.localised import language_fields
from sportsrun.events import campaigns as stored
from sportsrun.events import services as events
from sportsrun.events.provinces import province_codes
from sportsrun.events.race_row import RaceRow
from sportsrun.football import services as football
from sportsrun.registration import services as registration
from sportsrun.results import services as results

IRAQ = dt.timezone(dt.timedelta(hours=3))
WOMEN = "female"


NAMES = (*language_fields("name"), *language_fields("city"))


@dataclass(frozen=True)
class Held:
    """A campaign's events and races as read now, and the counts that change with every registration."""

    campaign: dict
    events: list[tuple[dict, list[RaceRow]]]
    confirmed: dict[int, int]  # race → confirmed registrations
    teams: dict[int, int]  # event → registered teams
    invitations: str = ""  # when the invitation list was made: the public page shows it

    @property
    def series_races(self) -> list[tuple[dict, RaceRow]]:
        return [(e, r) for e, races in self.events for r in races if r.in_series]

    def version(self) -> tuple:
        """Changes whenever anything the campaign shows may have changed."""
        c = self.campaign
        return (
            c["id"], c["name"], c["description"], c["hashtag"], c["best_of"], repr(c["points_table"]),
            repr(c["targets"]), tuple(self.confirmed.items()), tuple(self.teams.items()),
            tuple((e["id"], e["date"], e["province"], e["name"], tuple((r.id, r.name, r.distance_m, r.in_series,
                   r.results_version) for r in races)) for e, races in self.events), self.invitations,
            # the names in each language the pages show
            tuple((tuple(e.get(k) for k in NAMES), tuple((r.name_ar, r.name_ckb, r.name_en) for r in races))
                  for e, races in self.events),
        )  # fmt: skip

    def series_version(self) -> tuple:
        """Changes whenever the series standings may have changed."""
        c = self.campaign
        return (c["id"], c["best_of"], repr(c["points_table"]),
                tuple((r.id, r.name, e["date"], r.results_version) for e, r in self.series_races))  # fmt: skip


async def read(campaign_id: int) -> Held:
    campaign = await stored.get(campaign_id)
    held = await stored.events_and_races(campaign_id)
    races = [r.id for _, rs in held for r in rs]
    counts = await events.race_counts(races)
    teams = await football.teams_by_event([e["id"] for e, _ in held])
    invited = await queries.invitations_made(campaign_id)
    return Held(campaign, held, {r: counts[r].get("confirmed", 0) for r in races}, teams, invited)


def _finishers(race: RaceRow) -> tuple[int, int]:
    finished = race.results_stats.get("finishers", {}) if race.results_stats else {}
    return finished.get("", 0), finished.get(WOMEN, 0)


@dataclass(frozen=True)
class Counts:
    figures: fig.Figures
    targets: list[fig.Target]
    provinces: list[fig.ProvinceRow]
    timeline: list[fig.Progress]


async def counts(held: Held) -> Counts:
    event_counts = []
    for event, races in held.events:
        race_counts = []
        for race in races:
            finishers, women = _finishers(race)
            race_counts.append(fig.RaceCounts(race.distance_m, held.confirmed[race.id], finishers, women))
        event_counts.append(fig.EventCounts(event["province"], dt.date.fromisoformat(event["date"]),
                                            tuple(race_counts), held.teams.get(event["id"], 0)))  # fmt: skip
    today = dt.datetime.now(IRAQ).date()
    figures = fig.figures(event_counts, today)
    wanted = [(t["metric"], t["target"]) for t in held.campaign["targets"]]
    codes = sorted(await province_codes())
    return Counts(figures, fig.targets(wanted, figures), fig.provinces(event_counts, codes, today),
                  fig.timeline(event_counts))  # fmt: skip


@dataclass(frozen=True)
class Series:
    rows: list[Standing]  # unranked: `series.ranked` ranks them overall or within a gender
    latest: dict[int, int]  # person key → their most recent series registration (for contacts)


Finisher = tuple[int, int, bool, int, str, str, str | None]  # registration, person, initials, place, name, …


async def race_finishers(race: RaceRow) -> list[Finisher]:
    """(registration, person, chose initials, place within gender, public name, gender, province) of each
    finisher of a series race. The person is who the registration was matched to when it was made
    (PRODUCT.md's identity rule, applied once at write time for the whole installation), not recomputed here;
    the name is the public one the results show."""
    who = await registration.persons_in_race(race.id)
    return [(reg, *who[reg], place, name, gender, province)
            for reg, place, name, gender, province in await results.finishes(race.id)]  # fmt: skip


async def series(held: Held, kept: KeptStandings,
                 finishers: Callable[[RaceRow], Awaitable[list[Finisher]]] = race_finishers) -> Series:  # fmt: skip
    """The standings from each series race's finishers (`finishers` may keep them per results version: one
    import then reads one race again, not twenty), brought up to date in `kept` (kept_standings: only the
    people of a changed race are counted again). The counting runs in a thread: a quarter of a million
    finishes take a while, and the event loop keeps its turns meanwhile."""
    races = sorted(((dt.date.fromisoformat(e["date"]), r) for e, r in held.series_races), key=lambda x: (x[0], x[1].id))
    c = held.campaign
    # Reading a race's 50,000 finishers and counting them set off collections that walked the whole heap.
    with gc_paused():
        read = [(day, race.id, race.name, race.results_version, await finishers(race)) for day, race in races]
        await asyncio.to_thread(kept.update, read, c["best_of"], c["points_table"])
    return Series(*kept.standings())
