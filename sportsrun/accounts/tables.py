from piccolo.columns import Boolean, ForeignKey, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

ROLES = ("volunteer", "organiser", "admin")


class User(Table, tablename="account_user"):
    email = Varchar(length=254, unique=True)
    password_hash = Varchar(length=200, secret=True)
    role = Varchar(length=12, choices=None)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class ApiToken(Table):
    """Bearer tokens, stored as SHA-256 digests: a copy of the table grants nothing."""

    user = ForeignKey(User, null=False)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()


class PageSession(Table):
    """A signed-in page session, named by the SHA-256 of the random id its cookie carries. The cookie alone
    is not enough: signing out, a new password or a deactivation deletes these rows, and a copied cookie
    then opens nothing, on any worker or host."""

    user = ForeignKey(User, null=False)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
