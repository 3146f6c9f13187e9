"""The organiser's spreadsheets of a race, written in the export pool's child
(`core.spreadsheets.export_pool`) from the rows of `organiser.list_for_organiser` in MessagePack: the
start list (for the bib table and the timing company) and every registration with personal data. Pure."""

import datetime as dt

import msgspec

from sportsrun.core.spreadsheets.workbooks import xlsx
from sportsrun.core.text.names import public_name
from sportsrun.events.age_groups import ADULT_AGE, AgeGroup, age_on, group_for, label

START_LIST = ["bib", "given_name", "family_name", "public_name", "gender", "age_group", "province", "club",
              "checked_in"]  # fmt: skip
REGISTRATIONS = ["id", "bib", "status", "given_name", "family_name", "gender", "birth_date", "province", "country",
                 "phone", "email", "emergency_contact", "club", "name_display", "guardian_name", "source",
                 "checked_in", "created_at"]  # fmt: skip


def start_list(race_day: dt.date, age_groups: list[AgeGroup], encoded: bytes) -> bytes:
    rows = []
    confirmed = (r for r in msgspec.msgpack.decode(encoded) if r["status"] == "confirmed")
    for r in sorted(confirmed, key=lambda r: r["bib"]):
        age = age_on(dt.date.fromisoformat(r["birth_date"]), race_day)
        group = group_for(age, age_groups)
        rows.append([
            r["bib"], r["given_name"], r["family_name"],
            public_name(r["given_name"], r["family_name"], r["name_display"], age < ADULT_AGE,
                        r["guardian_allows_full_name"]),
            r["gender"], label(group) if group else None, r["province"] or r["country"], r["club"],
            "yes" if r["checked_in"] else "no",
        ])  # fmt: skip
    return xlsx("Start list", START_LIST, rows)


def registrations(encoded: bytes) -> bytes:
    items = msgspec.msgpack.decode(encoded)
    rows = [[r[h] if h != "checked_in" else ("yes" if r[h] else "no") for h in REGISTRATIONS] for r in items]
    return xlsx("Registrations", REGISTRATIONS, rows)
