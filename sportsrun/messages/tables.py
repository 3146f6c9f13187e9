from piccolo.columns import Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

CHANNELS = ("email", "sms")
STATES = ("pending", "sent", "failed")


class OutboxMessage(Table):
    """A message to one person, written in the transaction of what caused it and sent later by whichever
    worker claims it (messages/sender.py). With no transport for its channel it waits here, for admins."""

    channel = Varchar(length=5)  # email | sms
    recipient = Varchar(length=254, index=True)  # per-contact limits count its recent messages
    language = Varchar(length=3)
    purpose = Varchar(length=20, default="")  # confirmation | recovery: what the admin's list says
    subject = Varchar(length=200, default="")
    body = Text()
    state = Varchar(length=8, default="pending", index=True)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    # A sender's claim: its random token and until when it holds the message. A claim that runs out (the
    # worker died mid-send) lets another worker take the message again.
    claimed_by = Varchar(length=32, null=True, default=None)
    claimed_until = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
