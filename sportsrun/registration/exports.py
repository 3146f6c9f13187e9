"""The organiser's spreadsheets of a race: the start list (for the bib table and the timing company)
and every registration with personal data."""

import datetime as dt

from sportsrun.core.spreadsheets.workbooks import xlsx
from sportsrun.core.text.names import public_name
from sportsrun.events import services as events
from sportsrun.events.age_groups import ADULT_AGE, age_on, group_for, label
from sportsrun.registration.organiser import list_for_organiser


async def start_list(race_id: int) -> tuple[str, bytes]:
    race = await events.load_race(race_id)
    rows = []
    for r in sorted((r for r in await list_for_organiser(race_id) if r["status"] == "confirmed"),
                    key=lambda r: r["bib"]):  # fmt: skip
        age = age_on(dt.date.fromisoformat(r["birth_date"]), race.race_day)
        group = group_for(age, race.age_groups)
        rows.append([
            r["bib"], r["given_name"], r["family_name"],
            public_name(r["given_name"], r["family_name"], r["name_display"], age < ADULT_AGE,
                        r["guardian_allows_full_name"]),
            r["gender"], label(group) if group else None, r["province"] or r["country"], r["club"],
            "yes" if r["checked_in"] else "no",
        ])  # fmt: skip
    headers = ["bib", "given_name", "family_name", "public_name", "gender", "age_group", "province", "club",
               "checked_in"]  # fmt: skip
    return f"start-list-race-{race.id}.xlsx", xlsx("Start list", headers, rows)


async def registrations(race_id: int) -> tuple[str, bytes]:
    await events.load_race(race_id)
    items = await list_for_organiser(race_id)
    headers = ["id", "bib", "status", "given_name", "family_name", "gender", "birth_date", "province", "country",
               "phone", "email", "emergency_contact", "club", "name_display", "guardian_name", "source",
               "checked_in", "created_at"]  # fmt: skip
    rows = [[r[h] if h != "checked_in" else ("yes" if r[h] else "no") for h in headers] for r in items]
    return f"registrations-race-{race_id}.xlsx", xlsx("Registrations", headers, rows)
