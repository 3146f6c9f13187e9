from piccolo.columns import ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from sportsrun.accounts.tables import User
from sportsrun.events.tables import Race
from sportsrun.registration.tables import Registration

ACTIONS = ("allocated", "reassigned", "released", "reserved", "unreserved")


class BibAudit(Table):
    """Every change of who holds a bib, and of the reserved list: what, who (null for the runner's own
    action) and when."""

    race = ForeignKey(Race, null=False)
    registration = ForeignKey(Registration, null=True)
    action = Varchar(length=12)
    bib = Integer()
    previous_bib = Integer(null=True, default=None)
    user = ForeignKey(User, null=True)
    note = Text(default="")
    at = Timestamptz(default=TimestamptzNow())
