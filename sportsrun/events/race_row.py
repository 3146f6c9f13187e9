"""A race as read from the database, with its rules and its JSON form. Pure: reading it is in `queries`."""

import datetime as dt
import json
from dataclasses import dataclass

from sportsrun.core.localised import language_fields
from sportsrun.events.age_groups import AgeGroup, label

EVENT_LANGUAGE_KEYS = (*language_fields("event_name"), *language_fields("event_city"))
LANGUAGE_KEYS = (*language_fields("name"), *EVENT_LANGUAGE_KEYS)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


@dataclass(slots=True)
class RaceRow:
    id: int
    event_id: int
    name: str
    distance_m: float
    start_time: dt.datetime
    utc_offset_minutes: int
    capacity: int
    bib_first: int
    bib_last: int
    reserved_bibs: list[int]
    bib_next_free: int
    registration_opens_at: dt.datetime | None
    registration_closes_at: dt.datetime
    min_age: int | None
    ranking: str
    age_groups: list[AgeGroup]
    results_status: str
    published: bool
    in_series: bool = True
    results_version: int = 0
    results_mapping: dict | None = None
    results_updated_at: dt.datetime | None = None
    results_stats: dict | None = None
    event_name: str = ""
    event_city: str = ""
    event_date: dt.date | None = None
    # The race's, its event's and its city's names in each language (null: `name` stands in).
    name_ar: str | None = None
    name_ckb: str | None = None
    name_en: str | None = None
    event_name_ar: str | None = None
    event_name_ckb: str | None = None
    event_name_en: str | None = None
    event_city_ar: str | None = None
    event_city_ckb: str | None = None
    event_city_en: str | None = None

    @classmethod
    def from_row(cls, row: dict) -> "RaceRow":
        return cls(
            id=row["id"],
            event_id=row["event"],
            name=row["name"],
            distance_m=row["distance_m"],
            start_time=row["start_time"],
            utc_offset_minutes=row["utc_offset_minutes"],
            capacity=row["capacity"],
            bib_first=row["bib_first"],
            bib_last=row["bib_last"],
            reserved_bibs=_json(row["reserved_bibs"]),
            bib_next_free=row["bib_next_free"],
            registration_opens_at=row["registration_opens_at"],
            registration_closes_at=row["registration_closes_at"],
            min_age=row["min_age"],
            ranking=row["ranking"],
            age_groups=[tuple(g) for g in _json(row["age_groups"])],
            results_status=row["results_status"],
            published=bool(row["published"]),
            in_series=bool(row["in_series"]),
            results_version=row["results_version"],
            results_mapping=_json(row["results_mapping"]) or {},
            results_updated_at=row["results_updated_at"],
            results_stats=_json(row["results_stats"]) or {},
            event_name=row["event_name"],
            event_city=row["event_city"],
            event_date=row["event_date"],
            **{key: row[key] for key in LANGUAGE_KEYS},
        )

    def event_brief(self) -> dict:
        """What a results page shows of the race's event, without reading the event again."""
        brief = {"id": self.event_id, "name": self.event_name, "city": self.event_city,
                 "date": self.event_date.isoformat() if self.event_date else None}  # fmt: skip
        return brief | {key.removeprefix("event_"): getattr(self, key) for key in EVENT_LANGUAGE_KEYS}

    @property
    def tz(self) -> dt.timezone:
        return dt.timezone(dt.timedelta(minutes=self.utc_offset_minutes))

    @property
    def race_day(self) -> dt.date:
        """Ages are counted on the race's own calendar day, in its time zone."""
        return self.start_time.astimezone(self.tz).date()

    def local(self, moment: dt.datetime | None) -> str | None:
        return moment.astimezone(self.tz).isoformat() if moment else None

    def is_open(self, now: dt.datetime) -> bool:
        opens = self.registration_opens_at
        return (opens is None or opens <= now) and now < self.registration_closes_at

    def to_json(self, counts: dict[str, int] | None = None, now: dt.datetime | None = None) -> dict:
        counts = counts or {}
        registered = counts.get("confirmed", 0)
        out = {
            "id": self.id,
            "event_id": self.event_id,
            "name": self.name,
            "name_ar": self.name_ar,
            "name_ckb": self.name_ckb,
            "name_en": self.name_en,
            "distance_m": self.distance_m,
            "start_time": self.local(self.start_time),
            "capacity": self.capacity,
            "bib_first": self.bib_first,
            "bib_last": self.bib_last,
            "reserved_bibs": sorted(self.reserved_bibs),
            "registration_opens_at": self.local(self.registration_opens_at),
            "registration_closes_at": self.local(self.registration_closes_at),
            "min_age": self.min_age,
            "ranking": self.ranking,
            "age_groups": [[low, high] for low, high in self.age_groups],
            "age_group_labels": [label(g) for g in self.age_groups],
            "results_status": self.results_status,
            "in_series": self.in_series,
            "registered": registered,
            "waitlisted": counts.get("waitlisted", 0),
            "places_left": max(self.capacity - registered, 0),
            "registration_open": self.is_open(now or dt.datetime.now(dt.UTC)),
        }
        return out
