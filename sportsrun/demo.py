"""A realistic demo campaign for a fresh installation (`sportsrun demo`, run by `make run`).

Entrants go in through the same bulk import organisers use, so the demo exercises the real paths:
validation, duplicates, bib allocation and the waitlist. Four events are already run, with their results
imported (`demo_campaign`), so the campaign shows progress, standings and an invitation list."""

import csv
import datetime as dt
import io
import random

from sportsrun.accounts.services import create_user, list_users
from sportsrun.demo_campaign import Regulars, create_campaign, publish_results
from sportsrun.demo_football import load_football
from sportsrun.demo_names import city as in_city
from sportsrun.demo_names import named
from sportsrun.events.services import create_event, create_race, list_events
from sportsrun.registration.imports import import_entrants

LOGINS = [
    ("admin@sportsrun.demo", "admin", "demo-admin-pass"),
    ("organiser@sportsrun.demo", "organiser", "demo-organiser-pass"),
    ("volunteer@sportsrun.demo", "volunteer", "demo-volunteer-pass"),
]

ARABIC_WOMEN = ["زينب", "فاطمة", "مريم", "نور", "سارة", "هدى", "رقية", "آمنة", "إسراء", "دعاء", "شهد", "رُسُل", "ضحى"]
ARABIC_MEN = ["علي", "حسين", "محمد", "أحمد", "مصطفى", "عباس", "حيدر", "كرار", "مرتضى", "يوسف", "عمر", "إبراهيم"]
ARABIC_FAMILIES = [
    "الجبوري",
    "العبيدي",
    "الموسوي",
    "الحسيني",
    "التميمي",
    "الربيعي",
    "الزبيدي",
    "الخفاجي",
    "السعدي",
    "الدليمي",
    "الشمري",
    "الكعبي",
    "البصري",
    "العزاوي",
]
KURDISH_WOMEN = ["ژیلا", "شیلان", "هێڤی", "ڤیان", "نازدار", "چنار", "ئاوات", "ڕۆژان", "بەهار", "سۆزان"]
KURDISH_MEN = ["کاروان", "ڕێبوار", "ئازاد", "هێمن", "سەرکەوت", "دلێر", "شوان", "بەختیار", "هەڵمەت", "ئاراس"]
KURDISH_FAMILIES = ["ئەحمەد", "مەحموود", "عەزیز", "کەریم", "ڕەشید", "قادر", "سەعید", "حەمە", "عوسمان", "تاهیر"]
LATIN_WOMEN = ["Sara", "Lina", "Maria", "Anna", "Nadia", "Emma", "Yasmin", "Clara"]
LATIN_MEN = ["Ali", "Omar", "David", "Karwan", "Lukas", "James", "Sami", "Marco"]
LATIN_FAMILIES = ["Hamid", "Kareem", "Aziz", "Salih", "Schmidt", "Rossi", "Smith", "Haddad", "Yousif", "Nasser"]

# (province, city, venue, name, days ahead (below 0: already run), races: (name, metres, capacity, bib range,
# entrants)). Results of the races run are official once older than three weeks.
EVENTS = [
    (
        "IQ-BG",
        "Baghdad",
        "Abu Nuwas Street",
        "Baghdad Peace Run",
        -63,
        [("10 km", 10000, 400, (1, 999), 420), ("5 km", 5000, 300, (2001, 2999), 260)],
    ),
    ("IQ-BA", "Basra", "Shatt al-Arab Corniche", "Basra Corniche 10K", -42, [("10 km", 10000, 250, (1, 499), 265)]),
    (
        "IQ-AR",
        "Erbil",
        "Sami Abdulrahman Park",
        "Erbil Half Marathon",
        -14,
        [("Half marathon", 21097.5, 300, (1, 599), 240), ("5 km", 5000, 200, (1001, 1499), 180)],
    ),
    ("IQ-SU", "Sulaymaniyah", "Azadi Park", "Slemani Run for Coexistence", 19, [("10 km", 10000, 200, (1, 399), 150)]),
    (
        "IQ-KA",
        "Karbala",
        "University of Karbala",
        "Karbala Community 5K",
        -28,
        [("5 km", 5000, 150, (1, 299), 160), ("Children's 2 km", 2000, 100, (501, 699), 60)],
    ),
    ("IQ-NI", "Mosul", "Mosul University campus", "Mosul Rebuilds 10K", 47, [("10 km", 10000, 200, (1, 399), 140)]),
]


def _people(rng: random.Random, count: int, race_day: dt.date, children: bool) -> list[list]:
    rows = []
    for i in range(count):
        style = rng.choices(["ar", "ckb", "latin"], weights=[6, 3, 1])[0]
        gender = "female" if rng.random() < 0.42 else "male"
        women, men, families = {
            "ar": (ARABIC_WOMEN, ARABIC_MEN, ARABIC_FAMILIES),
            "ckb": (KURDISH_WOMEN, KURDISH_MEN, KURDISH_FAMILIES),
            "latin": (LATIN_WOMEN, LATIN_MEN, LATIN_FAMILIES),
        }[style]
        given = rng.choice(women if gender == "female" else men)
        age = rng.randint(8, 13) if children else rng.choice([rng.randint(16, 17), *[rng.randint(18, 68)] * 9])
        birth = race_day - dt.timedelta(days=age * 365 + rng.randint(10, 350))
        province = rng.choice(["IQ-BG", "IQ-BA", "IQ-AR", "IQ-SU", "IQ-KA", "IQ-NI", "IQ-DA", "IQ-NA", "IQ-HAL"])
        phone = f"07{rng.choice('789')}{rng.randint(0, 9)}{i:03d}{rng.randint(1000, 9999)}"
        guardian = rng.choice(families) if age < 18 else ""
        rows.append(
            [
                given,
                rng.choice(families),
                gender,
                birth.isoformat(),
                province,
                phone,
                rng.choice(["full", "full", "full", "initials"]),
                guardian,
            ]
        )
    return rows


def _csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["given_name", "family_name", "gender", "birth_date", "province", "phone", "name_display", "guardian_name"]
    )
    writer.writerows(rows)
    return out.getvalue().encode()


def print_logins() -> None:
    print("Demo logins (for this demo database only):")
    for email, role, password in LOGINS:
        print(f"  {role:<10} {email:<28} {password}")


async def load_demo() -> int:
    if await list_events(include_unpublished=True):
        existing = {u["email"] for u in await list_users()}
        if {email for email, _r, _p in LOGINS} <= existing:
            print("The database already holds data; the demo was not loaded again.")
            print_logins()
        else:
            print("The database already holds data: the demo loads only into an empty database.")
        return 0
    rng = random.Random(2026)
    for email, role, password in LOGINS:
        await create_user({"email": email, "role": role, "password": password})
    organiser = next(u for u in await list_users() if u["role"] == "organiser")
    volunteer = next(u for u in await list_users() if u["role"] == "volunteer")
    campaign = await create_campaign()
    regulars = Regulars(rng, [e[3] for e in EVENTS])
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC)
    total, run = 0, []
    for province, city, venue, name, days, races in EVENTS:
        day = today + dt.timedelta(days=days)
        event = await create_event(
            {
                **named(name),
                "province": province,
                **in_city(city),
                "venue": venue,
                "date": day.isoformat(),
                "campaign_id": campaign["id"],
                "published": True,
                "description": "Sports Against Violence: running together for non-violence and coexistence.",
            }
        )
        for race_name, metres, capacity, (first, last), entrants in races:
            start = dt.datetime.combine(day, dt.time(7, 30), dt.timezone(dt.timedelta(hours=3)))
            children = "Children" in race_name
            race = await create_race(
                event["id"],
                {
                    **named(race_name),
                    "distance_m": metres,
                    "start_time": start.isoformat(),
                    "capacity": capacity,
                    "bib_first": first,
                    "bib_last": last,
                    "reserved_bibs": [first, first + 1, first + 2],
                    "registration_opens_at": min(now - dt.timedelta(days=7), start - dt.timedelta(days=40)).isoformat(),
                    "min_age": 6 if children else 16,
                    "in_series": not children,  # a children's run is out of the series standings
                },
                organiser["id"],
            )
            # The regulars first: in a full race they hold places, the public fills the rest.
            rows = regulars.rows(name, race_name, races[0][0]) + _people(rng, entrants, day, children)
            result = await import_entrants(race["id"], _csv(rows), organiser["id"])
            total += result["created"]
            if days < 0:
                run.append((race, days < -21))
    finishers = await publish_results(campaign["id"], run, regulars, organiser["id"], volunteer["id"])
    given = {"women": ARABIC_WOMEN + KURDISH_WOMEN, "men": ARABIC_MEN + KURDISH_MEN}
    teams = await load_football(
        campaign["id"], organiser["id"], volunteer["id"], given, ARABIC_FAMILIES + KURDISH_FAMILIES
    )
    print(
        f"Loaded the demo campaign: {len(EVENTS) + 1} events, {total} registrations, {finishers} finishers, "
        f"{teams} football teams."
    )
    print_logins()
    return 0
