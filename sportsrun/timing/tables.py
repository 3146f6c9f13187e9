from piccolo.columns import JSON, Bytea, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from sportsrun.accounts.tables import User
from sportsrun.events.tables import Race


class ResultImport(Table):
    """Every timing-sheet import: who, when, which file (its name for people, its hash for retries),
    how, what it found, and the results it replaced (so the last import can be undone)."""

    race = ForeignKey(Race, null=False)
    user = ForeignKey(User, null=True)
    at = Timestamptz(default=TimestamptzNow())
    filename = Varchar(length=255, default="")
    sha256 = Varchar(length=64)
    mode = Varchar(length=8)  # replace | merge
    mapping = JSON(default="{}")
    reason = Text(default="")
    rows_read = Integer(default=0)
    results_written = Integer(default=0)
    finishers = Integer(default=0)
    dnf = Integer(default=0)
    dns = Integer(default=0)
    dq = Integer(default=0)
    warnings = Integer(default=0)
    outcome = Varchar(length=10)  # committed | unchanged | undone
    # The race's results version this import produced: a retry of the same file is "unchanged" only
    # while nothing else has changed the results since.
    results_version = Integer(default=0)
    previous = JSON(default="[]")


class UploadStash(Table):
    """A sheet between its preview and its commit, as it was read (its cells, compressed), so the volunteer
    does not upload it twice over a weak line and the commit does not read it again. Kept for a few hours
    at most; the token is the only way to it."""

    token = Varchar(length=64, unique=True)
    race = ForeignKey(Race, null=False)
    user = ForeignKey(User, null=True)
    filename = Varchar(length=255, default="")
    sha256 = Varchar(length=64, default="")  # the file's, for recognising a retry of the same file
    data = Bytea()
    created_at = Timestamptz(default=TimestamptzNow())
