"""Reading a race's fields from a form or a JSON body, with the rules between them. Pure: no I/O."""

import datetime as dt
import json
from typing import Any

from sportsrun.core.i18n import gettext as _
from sportsrun.core.localised import language_fields, read_languages
from sportsrun.core.validation import Fields
from sportsrun.events.age_groups import DEFAULT_AGE_GROUPS, parse_groups
from sportsrun.events.race_row import RaceRow

RANKINGS = ("gun", "chip")
RESULTS_STATUSES = ("provisional", "official")
MAX_BIB = 999_999


def read_race(fields: Fields, current: RaceRow | None) -> dict:
    """Every field of a race after this change: the current values, overridden by those given."""
    creating = current is None
    v: dict[str, Any] = {}

    def given(name: str) -> bool:
        return creating or fields.present(name)

    v["name"] = fields.text("name", required=True, max_length=100) if given("name") else current.name
    v.update({key: getattr(current, key, None) for key in language_fields("name")})
    v.update(read_languages(fields, "name", 100))
    v["distance_m"] = fields.number("distance_m", required=True) if given("distance_m") else current.distance_m
    if v["distance_m"] is not None and v["distance_m"] > 1_000_000:
        fields.error("distance_m", _("Enter the distance in metres (at most 1,000 km)."))
    v["start_time"] = fields.datetime("start_time", required=True) if given("start_time") else current.start_time
    v["capacity"] = (
        fields.integer("capacity", required=True, minimum=0, maximum=1_000_000)
        if given("capacity")
        else current.capacity
    )
    v["bib_first"] = (
        fields.integer("bib_first", required=True, minimum=1, maximum=MAX_BIB)
        if given("bib_first")
        else current.bib_first
    )
    v["bib_last"] = (
        fields.integer("bib_last", required=True, minimum=1, maximum=MAX_BIB) if given("bib_last") else current.bib_last
    )
    reserved = (
        fields.int_list("reserved_bibs")
        if fields.present("reserved_bibs")
        else ([] if creating else current.reserved_bibs)
    )
    v["reserved_bibs"] = sorted(set(reserved)) if reserved is not None else None
    v["registration_opens_at"] = (
        fields.datetime("registration_opens_at")
        if fields.present("registration_opens_at")
        else None
        if creating
        else current.registration_opens_at
    )
    closes = (
        fields.datetime("registration_closes_at")
        if fields.present("registration_closes_at")
        else None
        if creating
        else current.registration_closes_at
    )
    v["registration_closes_at"] = closes or v["start_time"]
    v["min_age"] = (
        fields.integer("min_age", minimum=0, maximum=120)
        if fields.present("min_age")
        else None
        if creating
        else current.min_age
    )
    v["ranking"] = (
        fields.choice("ranking", RANKINGS, default="gun")
        if fields.present("ranking")
        else "gun"
        if creating
        else current.ranking
    )
    v["results_status"] = (
        fields.choice("results_status", RESULTS_STATUSES, default="provisional")
        if fields.present("results_status")
        else "provisional"
        if creating
        else current.results_status
    )
    v["in_series"] = (
        fields.boolean("in_series", default=True) if fields.present("in_series") else creating or current.in_series
    )
    if fields.present("age_groups") and fields.data.get("age_groups") is not None:
        groups, error = parse_groups(fields.data["age_groups"])
        if error:
            fields.error("age_groups", error)
        v["age_groups"] = groups
    else:
        v["age_groups"] = list(DEFAULT_AGE_GROUPS) if creating or fields.present("age_groups") else current.age_groups

    first, last = v["bib_first"], v["bib_last"]
    if first is not None and last is not None:
        if last < first:
            fields.error("bib_last", _("The last bib must not be below the first."))
        elif v["reserved_bibs"] is not None:
            if any(not first <= b <= last for b in v["reserved_bibs"]):
                fields.error("reserved_bibs", _("Reserved bibs must lie in the race's bib range."))
            elif v["capacity"] is not None and v["capacity"] > last - first + 1 - len(v["reserved_bibs"]):
                fields.error("capacity", _("The capacity is larger than the bibs available in the range."))
    opens, closes = v["registration_opens_at"], v["registration_closes_at"]
    if opens is not None and closes is not None and opens >= closes:
        fields.error("registration_closes_at", _("Registration must close after it opens."))
    fields.raise_if_any()
    return v


def stored(v: dict) -> dict[str, Any]:
    """The race's columns from `read_race`'s values: the start in UTC with its own offset beside it."""
    start = v["start_time"]
    return {
        "name": v["name"],
        **{key: v[key] for key in language_fields("name")},
        "distance_m": v["distance_m"],
        "start_time": start.astimezone(dt.UTC),
        "utc_offset_minutes": int(start.utcoffset().total_seconds() // 60),
        "capacity": v["capacity"],
        "bib_first": v["bib_first"],
        "bib_last": v["bib_last"],
        "reserved_bibs": json.dumps(v["reserved_bibs"]),
        "registration_opens_at": v["registration_opens_at"],
        "registration_closes_at": v["registration_closes_at"],
        "min_age": v["min_age"],
        "ranking": v["ranking"],
        "age_groups": json.dumps([list(g) for g in v["age_groups"]]),
        "results_status": v["results_status"],
        "in_series": v["in_series"],
    }
