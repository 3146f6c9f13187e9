from piccolo.columns import JSON, Bytea, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from sportsrun.accounts.tables import User
from sportsrun.events.tables import Race
from sportsrun.registration.tables import Registration


class Result(Table):
    """A registration's result in its race, with its places stored when results change (pages only
    read them). Times are integer milliseconds, as precise as the timing sheet gave them."""

    race = ForeignKey(Race, null=False)
    registration = ForeignKey(Registration, null=False)
    bib = Integer()
    status = Varchar(length=8)  # finished | DNF | DNS | DQ
    gun_time_ms = Integer(null=True, default=None)
    chip_time_ms = Integer(null=True, default=None)
    time_ms = Integer(null=True, default=None)  # the ranking time (gun, or chip in a chip-ranked race)
    splits = JSON(default="[]")
    place = Integer(null=True, default=None)
    gender_place = Integer(null=True, default=None)
    age_group = Varchar(length=12, null=True, default=None)
    age_group_place = Integer(null=True, default=None)
    import_id = Integer(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())
    # Copied from the registration when results are stored, so that public pages read one table:
    # the name as the runner chose to be shown, its folded form for search (empty when shown by
    # initials: such runners are found by bib), and the categories the filters use.
    name = Varchar(length=210, default="")
    name_key = Varchar(length=210, default="")
    gender = Varchar(length=6, default="")
    province = Varchar(length=8, null=True, default=None)
    country = Varchar(length=2, default="")
    # Finishers by place, then DNF, DQ, DNS: the order of every listing.
    position = Integer(default=0)


class ResultCorrection(Table):
    """Every change to an existing result (by a re-import, an undo or a hand correction), for the public
    correction log: what changed, its source and stated reason; never personal data."""

    race = ForeignKey(Race, null=False)
    bib = Integer()
    change = Text()
    source = Varchar(length=12)  # import | undo | correction
    reason = Text(default="")
    user = ForeignKey(User, null=True)
    at = Timestamptz(default=TimestamptzNow())


class ResultNameIndex(Table):
    """The race's name-search index (`results.search`), built when its results are stored, for the
    results version it was built from: a worker loads it instead of reading every name."""

    race = ForeignKey(Race, null=False, unique=True)
    results_version = Integer()
    data = Bytea()
