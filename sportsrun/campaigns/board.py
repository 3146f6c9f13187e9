"""Everything a campaign shows, computed from what events, registration, results and football hold, through
their services: the figures, the province leaderboard, the timeline and the series standings.

Standings are the costly part (every series finisher and who they are); they depend only on the series
races' results (and the campaign's points rules), so they are computed once per results version
(`state`), while the counts, which change with every registration, are cheap reads of kept tallies."""

import datetime as dt
from dataclasses import dataclass

from sportsrun.campaigns import figures as fig
from sportsrun.campaigns import queries
from sportsrun.campaigns.identity import Entry, Person, people
from sportsrun.campaigns.series import Finish, Standing, scores
from sportsrun.core.text.names import public_name
from sportsrun.events import campaigns as stored
from sportsrun.events import services as events
from sportsrun.events.age_groups import ADULT_AGE, age_on
from sportsrun.events.provinces import province_codes
from sportsrun.events.race_row import RaceRow
from sportsrun.football import services as football
from sportsrun.registration import services as registration
from sportsrun.results import services as results

IRAQ = dt.timezone(dt.timedelta(hours=3))
WOMEN = "female"


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
    persons: dict[int, Person]  # by key
    latest: dict[int, int]  # person key → their most recent series registration (for contacts)


async def series(held: Held) -> Series:
    race_of = {r.id: (e, r) for e, r in held.series_races}
    done = await results.finishes(list(race_of))
    entries, dates = [], {}
    for (reg_id, race_id, gender, birth_date, phone, email, given, family, display, allows,
         province) in await registration.identities([f[0] for f in done]):  # fmt: skip
        event, race = race_of[race_id]
        if birth_date.__class__ is str:  # SQLite's raw rows: converted once per date (they cluster)
            birth_date = dates.get(birth_date) or dates.setdefault(birth_date, dt.date.fromisoformat(birth_date))
        minor = age_on(birth_date, race.race_day) < ADULT_AGE
        entries.append(Entry(reg_id, dt.date.fromisoformat(event["date"]), gender, birth_date, phone, email, given,
                             False, public_name(given, family, display, minor, bool(allows)), display == "initials",
                             province))  # fmt: skip
    persons = people(entries)
    finishes = [Finish(reg, race_id, race_of[race_id][1].name, place) for reg, race_id, place in done]
    rows = scores(persons, finishes, best_of=held.campaign["best_of"], points_table=held.campaign["points_table"])
    date_of = {e.registration: (e.race_date, e.registration) for e in entries}
    latest = {p.key: max(p.registrations, key=date_of.__getitem__) for p in persons}
    return Series(rows, {p.key: p for p in persons}, latest)
