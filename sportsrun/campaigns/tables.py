from piccolo.columns import JSON, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Campaign(Table):
    """A series of events building toward the Baghdad Marathon (leaderboards come later)."""

    name = Varchar(length=200)
    description = Text(default="")
    best_of = Integer(default=3)
    points_table = JSON(default="null")
    targets = JSON(default="[]")
    created_at = Timestamptz(default=TimestamptzNow())
