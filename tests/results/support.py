"""A race with finished runners, for the results tests."""

import datetime as dt

from sportsrun.core.db import sql as db
from tests.support import make_race, register, xlsx
from tests.timing.support import upload


async def race_with_results(client, organiser, volunteer, **race_overrides) -> dict:
    """Six runners: women and men, a minor, one shown by initials, a DNF and a DNS, a bad name."""
    race = await make_race(client, organiser, capacity=20, bib_first=1, bib_last=99, **race_overrides)
    day = dt.date.fromisoformat(race["start_time"][:10])
    runners = [
        dict(
            given_name="أحمد",
            family_name="الزهراء",
            gender="male",
            birth_date="1990-05-05",
            province="IQ-KA",
            phone="07701230001",
            email="ahmad@example.com",
            emergency_contact="Umm Ahmad 07709990000",
        ),
        dict(
            given_name="Sara",
            family_name="Aziz",
            gender="female",
            birth_date="1992-06-06",
            province="IQ-BA",
            phone="07701230002",
            name_display="initials",
        ),
        dict(
            given_name="Noor",
            family_name="Kareem",
            gender="female",
            birth_date=day.replace(year=day.year - 15).isoformat(),
            province="IQ-BG",
            phone="07701230003",
            guardian_name="Huda Kareem",
        ),
        dict(
            given_name='=HYPERLINK("http://evil.example")',
            family_name="X",
            gender="male",
            birth_date="1980-01-01",
            province="IQ-BG",
            phone="07701230004",
        ),
        dict(
            given_name="Late",
            family_name="Runner",
            gender="male",
            birth_date="1985-02-02",
            province="IQ-AR",
            phone="07701230005",
        ),
        dict(
            given_name="Absent",
            family_name="Runner",
            gender="female",
            birth_date="1970-03-03",
            country="DE",
            province=None,
            email="absent@example.de",
            phone=None,
        ),
    ]
    bibs = []
    for body in runners:
        r = await register(client, race["id"], **body)
        assert r.status_code == 201, r.text
        bibs.append(r.json()["bib"])
    sheet = xlsx(
        [
            ["Bib", "Time", "5K"],
            [bibs[0], "0:40:11.3", "0:19:59"],
            [bibs[1], "0:42:00", ""],
            [bibs[2], "0:40:11.3", ""],
            [bibs[3], "0:45:30", ""],
            [bibs[4], "DNF", ""],
            [bibs[5], "DNS", ""],
        ]
    )
    r = await upload(client, volunteer, race["id"], sheet)
    assert r.status_code == 201, r.text
    return {**race, "bibs": bibs}


async def forbidden_values() -> list[str]:
    """Every personal value of the race's runners that must never reach a public page or export."""
    rows = await db.fetch("SELECT birth_date, phone, email, emergency_contact, guardian_name FROM registration")
    values = []
    for r in rows:
        values.append(r["birth_date"].isoformat())
        values += [v for v in (r["phone"], r["email"], r["emergency_contact"], r["guardian_name"]) if v]
    return values
