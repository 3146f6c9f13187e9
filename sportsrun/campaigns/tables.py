from piccolo.columns import ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from sportsrun.accounts.tables import User
from sportsrun.events.tables import Campaign
from sportsrun.registration.tables import Registration


class Invitation(Table):
    """One person on a campaign's invitation list to the Baghdad Marathon: a snapshot taken when the
    organiser makes the list (PRODUCT.md), replaced whole when it is made again."""

    campaign = ForeignKey(Campaign, null=False)
    position = Integer()
    # The person's most recent series registration: where the organiser's export finds their contacts.
    registration = ForeignKey(Registration, null=False, index=True)
    name = Varchar(length=210)  # as the runner chose to be shown
    gender = Varchar(length=6)
    province = Varchar(length=8, null=True, default=None)
    points = Integer()
    reason = Varchar(length=8)  # series | province
    made_by = ForeignKey(User, null=True)
    made_at = Timestamptz(default=TimestamptzNow())
