"""The demo's campaign: its targets and hashtag, the club runners who come back race after race (the same
phone and birth date each time, so the series knows them; many born on 1 July, as the civil registry
wrote unknown dates), the finish-line sheets of the races already run, imported as volunteers import
them, results made official, and the organiser's invitation list. Everything goes through the services
the pages and the API use."""

import csv
import datetime as dt
import io
import random

from sportsrun.campaigns import services as campaigns
from sportsrun.events import services as events
from sportsrun.registration import services as registration
from sportsrun.results import services as results
from sportsrun.timing import services as timing

# (women, men, families) in Arabic, then in Kurdish: a third of the regulars write their names in Kurdish.
NAMES = (
    (["زينب", "فاطمة", "مريم", "نور", "سارة", "هدى"], ["علي", "حسين", "مصطفى", "عباس", "حيدر", "يوسف"],
     ["الجبوري", "الموسوي", "التميمي", "الزبيدي", "الخفاجي", "السعدي"]),
    (["ژیلا", "شیلان", "هێڤی", "ڤیان", "نازدار", "چنار"], ["کاروان", "ڕێبوار", "ئازاد", "هێمن", "دلێر", "شوان"],
     ["ئەحمەد", "مەحموود", "عەزیز", "کەریم", "ڕەشید", "قادر"]),
)  # fmt: skip
PROVINCES = ["IQ-BG", "IQ-BA", "IQ-AR", "IQ-SU", "IQ-KA", "IQ-NI", "IQ-DA", "IQ-NA", "IQ-HAL", "IQ-DI", "IQ-KI"]
REGULARS = 48
# How fast people run, in seconds per km: club regulars, then everyone else; women, men.
PACE = {(True, "female"): (225, 300), (True, "male"): (195, 265), (False, "female"): (320, 560),
        (False, "male"): (270, 500)}  # fmt: skip
CAMPAIGN = {
    "name": "Road to the Baghdad Marathon 2027",
    "description": "Road races and mini-football in every province, building toward an international Baghdad "
    "Marathon. Runners collect series points in every race on the way.",
    "hashtag": "رياضة_ضد_العنف",
    "best_of": 3,
    "targets": [{"metric": "registrations", "target": 5000}, {"metric": "finishers", "target": 3000},
                {"metric": "provinces", "target": 19}, {"metric": "women_share", "target": 0.4},
                {"metric": "km", "target": 40000}, {"metric": "teams", "target": 24}],
}  # fmt: skip
RULE = {"top_women": 5, "top_men": 5, "best_per_province": True}


async def create_campaign() -> dict:
    return await campaigns.create(CAMPAIGN)


class Regulars:
    """Club runners, each entered in a few of the campaign's events (one race per event)."""

    def __init__(self, rng: random.Random, events: list[str]):
        self.people: list[dict] = []
        self.keys: set[tuple] = set()
        for n in range(REGULARS):
            gender = "female" if n % 2 else "male"
            year = rng.randint(1972, 2004)
            # Half of them born "on 1 July", as many Iraqis are on paper; the rest on their own day.
            born = dt.date(year, 7, 1) if n % 4 < 2 else dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            key = None
            while key is None or key in self.keys:  # namesakes born the same day would be one person in a race
                women, men, families = NAMES[n % 3 == 1]
                key = (rng.choice(women if gender == "female" else men), rng.choice(families), born.isoformat())
            self.keys.add(key)
            phone = f"0750{n:03d}{rng.randint(1000, 9999)}"
            runs = set(rng.sample(events, rng.randint(2, min(4, len(events)))))
            self.people.append({"given": key[0], "family": key[1], "gender": gender, "born": born,
                                "province": rng.choice(PROVINCES), "phone": phone, "runs": runs,
                                "initials": n % 11 == 5})  # fmt: skip

    def rows(self, event: str, race_name: str, main_race: str) -> list[list]:
        """The regulars in this event's race, as rows of the organisers' entrant import: its main race, or
        for every third of them the 5 km where the event has one beside a longer race."""
        rows = []
        for n, p in enumerate(self.people):
            wanted = "5 km" if n % 3 == 0 and event in TWO_RACES else main_race
            if event not in p["runs"] or race_name != wanted:
                continue
            display = "initials" if p["initials"] else "full"
            rows.append([p["given"], p["family"], p["gender"], p["born"].isoformat(), p["province"], p["phone"],
                         display, ""])  # fmt: skip
        return rows

    def is_regular(self, given: str, family: str, birth_date: str) -> bool:
        return (given, family, birth_date) in self.keys


TWO_RACES = {"Baghdad Peace Run", "Erbil Half Marathon"}


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{int(seconds * 10) % 10}"


async def _sheet(race: dict, regulars: Regulars, rng: random.Random) -> bytes:
    """The finish-line sheet of a race run: every runner with a bib, a few who did not finish or start."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Bib", "Time"])
    km = race["distance_m"] / 1000
    for bib, r in sorted((await registration.registrants(race["id"])).items()):
        roll = rng.random()
        if roll < 0.015:
            writer.writerow([bib, "DNS"])
        elif roll < 0.04:
            writer.writerow([bib, "DNF"])
        else:
            low, high = PACE[(regulars.is_regular(r.given_name, r.family_name, r.birth_date), r.gender)]
            writer.writerow([bib, _clock(rng.uniform(low, high) * km * rng.uniform(0.97, 1.03))])
    return out.getvalue().encode()


async def publish_results(campaign_id: int, run: list[tuple[dict, bool]], regulars: Regulars, organiser_id: int,
                          volunteer_id: int) -> int:  # fmt: skip
    """Imports the sheets of the races already run (a volunteer at the finish), makes the results official
    where the organiser has checked them, and makes the invitation list. Returns the finishers."""
    rng = random.Random(7)
    finishers = 0
    for race, official in run:
        done = await timing.import_results(race["id"], await _sheet(race, regulars, rng), filename="finish-line.csv",
                                           user_id=volunteer_id)  # fmt: skip
        finishers += done["finishers"]
        if official:
            await events.update_race(race["id"], {"results_status": "official"}, organiser_id)
    if run:
        await _corrections(run[0][0], organiser_id, volunteer_id)
    await campaigns.make_invitations(campaign_id, RULE, organiser_id)
    return finishers


async def _corrections(race: dict, organiser_id: int, volunteer_id: int) -> None:
    """Race day's usual mending, in the race's public correction log: a volunteer sends one line again (the finish
    mat read a wrong time; the backup watch has the right one) and the organiser disqualifies a runner on the
    marshal's report, each through the path the pages and the API use."""
    bibs = sorted(await registration.registrants(race["id"]))
    misread, cut = bibs[len(bibs) // 3], bibs[len(bibs) // 2]
    sheet = f"Bib,Time\n{misread},{_clock(race['distance_m'] / 1000 * 301.4)}\n".encode()
    why = "The finish mat read a wrong time: corrected from the backup watch."
    await timing.import_results(race["id"], sheet, filename="backup-watch.csv", mode="merge", reason=why,
                                user_id=volunteer_id)  # fmt: skip
    disqualified = {"status": "DQ", "reason": "Cut the course at the 7 km turn (marshal's report)."}
    await results.correct_result(race["id"], cut, disqualified, organiser_id)
