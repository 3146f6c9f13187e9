from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from sportsrun.accounts.tables import User


class Campaign(Table):
    """A series of events building toward the Baghdad Marathon. The table lives with events (a campaign
    groups them); its leaderboards, progress and invitations belong to the campaigns domain."""

    name = Varchar(length=200)
    description = Text(default="")
    hashtag = Varchar(length=100, default="")
    best_of = Integer(default=3)
    points_table = JSON(default="null")
    targets = JSON(default="[]")
    created_at = Timestamptz(default=TimestamptzNow())


class Province(Table):
    """Iraq's 19 governorates; rows come from a data migration (codes are data, not code)."""

    code = Varchar(length=8, primary_key=True)
    name_en = Varchar(length=60)
    name_ar = Varchar(length=60)
    name_ckb = Varchar(length=60)


class Event(Table):
    name = Varchar(length=200)
    # The name and city in each language; empty ones fall back to `name`/`city` (core/localised.py).
    name_ar = Varchar(length=200, null=True, default=None)
    name_ckb = Varchar(length=200, null=True, default=None)
    name_en = Varchar(length=200, null=True, default=None)
    province = ForeignKey(Province, null=False)
    city = Varchar(length=100)
    city_ar = Varchar(length=100, null=True, default=None)
    city_ckb = Varchar(length=100, null=True, default=None)
    city_en = Varchar(length=100, null=True, default=None)
    venue = Varchar(length=200, null=True, default=None)
    date = Date()
    description = Text(default="")
    campaign = ForeignKey(Campaign, null=True)
    published = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())


class Race(Table):
    event = ForeignKey(Event, null=False)
    name = Varchar(length=100)
    name_ar = Varchar(length=100, null=True, default=None)
    name_ckb = Varchar(length=100, null=True, default=None)
    name_en = Varchar(length=100, null=True, default=None)
    distance_m = DoublePrecision()
    start_time = Timestamptz()
    # The start's own UTC offset: ages, windows and clock times are read in the race's time zone.
    utc_offset_minutes = Integer(default=180)
    capacity = Integer()
    bib_first = Integer()
    bib_last = Integer()
    reserved_bibs = JSON(default="[]")
    # Every bib in [bib_first, bib_next_free) is held or reserved: the allocator scans upward from
    # here instead of from the bottom. A lower bound only, lowered whenever a bib is freed.
    bib_next_free = Integer()
    registration_opens_at = Timestamptz(null=True, default=None)
    registration_closes_at = Timestamptz()
    min_age = Integer(null=True, default=None)
    ranking = Varchar(length=4, default="gun")
    age_groups = JSON(default="[]")
    results_status = Varchar(length=12, default="provisional")
    in_series = Boolean(default=True)  # counts in its campaign's series standings (a children's run may not)
    # Bumped by every change to the race's results: caches and retries key on it.
    results_version = Integer(default=0)
    results_updated_at = Timestamptz(null=True, default=None)
    # Counts the public pages show ("3 of 412"), by every combination of their filters, and the filters'
    # values: computed once when results change instead of by every page view.
    results_stats = JSON(default="{}")
    # The column mapping a volunteer last confirmed for this race's timing sheets.
    results_mapping = JSON(default="{}")
    created_at = Timestamptz(default=TimestamptzNow())


class ResultsStatusChange(Table):
    """Each time a race's results became provisional or official, and when: the campaign's feed tells
    partners when results were made official."""

    race = ForeignKey(Race, null=False)
    status = Varchar(length=12)
    at = Timestamptz(default=TimestamptzNow())
    user = ForeignKey(User, null=True)
