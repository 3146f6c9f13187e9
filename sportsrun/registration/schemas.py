"""What the registration API answers, as the OpenAPI schema shows it (the handlers build plain dicts of these
shapes), and the request fields whose exact form the schema states."""

import datetime as dt
from typing import Literal, NotRequired, TypedDict

from sportsrun.core.web.openapi import text

# Request fields read as text (their checks give localised messages), shown in the schema in their exact form.
Gender = text(enum=["female", "male"])
Day = text(format="date")
NameDisplay = text(enum=["full", "initials"])
Status = Literal["confirmed", "waitlisted", "cancelled"]


class Registered(TypedDict):
    id: int
    status: Literal["confirmed", "waitlisted"]
    bib: int | None
    code: str
    flagged: NotRequired[bool]


class RaceBrief(TypedDict):
    id: int
    name: str
    name_ar: str | None  # the names in each language: null where `name` stands in
    name_ckb: str | None
    name_en: str | None
    event_id: int
    start_time: dt.datetime


class EventBrief(TypedDict):
    id: int
    name: str
    name_ar: str | None
    name_ckb: str | None
    name_en: str | None
    province: str
    city: str
    city_ar: str | None
    city_ckb: str | None
    city_en: str | None
    venue: str | None
    date: dt.date


class RegistrationFields(TypedDict):
    id: int
    bib: int | None
    status: Status
    given_name: str
    family_name: str
    gender: Literal["female", "male"]
    birth_date: dt.date
    province: str | None
    country: str | None
    phone: str | None
    email: str | None
    emergency_contact: str | None
    club: str | None
    name_display: Literal["full", "initials"]
    guardian_name: str | None
    guardian_allows_full_name: bool
    checked_in: bool
    created_at: dt.datetime
    flagged: NotRequired[bool]
    language: NotRequired[Literal["ar", "ckb", "en"]]  # messages are written in it


class OwnRegistration(RegistrationFields):
    """The registrant's own registration, personal data included: the code is its secret."""

    race_id: int
    cancelled_at: dt.datetime | None
    checkin_token: NotRequired[str | None]  # what the check-in QR holds; None once cancelled
    race: RaceBrief
    event: EventBrief


class OrganiserRegistration(RegistrationFields):
    source: str


ChangedRegistration = OwnRegistration | OrganiserRegistration  # by code, or by id (an organiser)


class Accepted(TypedDict):
    detail: str


class BibChanged(TypedDict):
    id: int
    bib: int | None
    status: Status


class BibChange(TypedDict):
    row: int
    requested: int
    given: int | None


class EntrantImport(TypedDict):
    created: int
    waitlisted: int
    bibs_changed: list[BibChange]


class BibHolder(TypedDict):
    """What a volunteer sees of a bib's holder: the public name and the check-in state only."""

    bib: int
    name: str
    status: Status
    checked_in: bool
    checked_in_at: dt.datetime | None
