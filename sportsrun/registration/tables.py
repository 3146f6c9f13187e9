from piccolo.columns import Boolean, Bytea, Date, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from sportsrun.accounts.tables import User
from sportsrun.events.tables import Province, Race

STATUSES = ("confirmed", "waitlisted", "cancelled")
BIB_ACTIONS = ("allocated", "reassigned", "released", "reserved", "unreserved")


class Person(Table):
    """One runner across races: the same birth date with the same phone or email (docs/rules.md), never
    the name alone, and for a group's members the same folded given name too. Series standings follow
    this identity."""

    # Looked up by (birth_date, phone) and (birth_date, email) only, through the composite indexes of
    # migration …t20_01_51: single-column indexes would be written on every insert and read by nothing.
    birth_date = Date()
    phone = Varchar(length=20, null=True, default=None)
    email = Varchar(length=254, null=True, default=None)
    # The folded given name the person was made under (alone or in a group): under one group contact, twins
    # share the birth date and the contact and only this tells them apart (PRODUCT.md). None only on rows
    # made alone before it was kept, until an entrant claims them (registration.people.assign_people).
    given_name_key = Text(null=True, default=None)  # Text: a fold may lengthen a name (NFKC)
    created_at = Timestamptz(default=TimestamptzNow())


class Registration(Table):
    """A person's entry in one race, with what they typed for it (names exactly as typed)."""

    race = ForeignKey(Race, null=False)
    person = ForeignKey(Person, null=False)
    status = Varchar(length=12)
    bib = Integer(null=True, default=None)
    given_name = Varchar(length=100)
    family_name = Varchar(length=100)
    # Folded "given family" (Arabic variants, case, diacritics): the duplicate rule and name search.
    name_key = Varchar(length=210)
    gender = Varchar(length=6)
    birth_date = Date()
    province = ForeignKey(Province, null=True)
    country = Varchar(length=2)
    phone = Varchar(length=20, null=True, default=None)
    email = Varchar(length=254, null=True, default=None)
    emergency_contact = Varchar(length=200, null=True, default=None)
    club = Varchar(length=100, null=True, default=None)
    name_display = Varchar(length=8, default="full")
    guardian_name = Varchar(length=200, null=True, default=None)
    guardian_allows_full_name = Boolean(default=False)
    source = Varchar(length=10, default="online")  # online | import | organiser
    # SHA-256 of the registrant's secret code; the code itself is shown once and never stored.
    code_hash = Varchar(length=64, unique=True)
    checked_in_at = Timestamptz(null=True, default=None)
    # The check-in QR's token (registration/checkin_token.py): opens nothing but a volunteer's check-in, so
    # it is kept as it is, to be shown again; cleared by a cancellation. Unique, through the index of
    # migration …t01_59_57 (SQLite cannot add a UNIQUE column).
    checkin_token = Varchar(length=32, null=True, default=None)
    cancelled_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    # "Another person" than a registrant with the same name and birth date (people.admission): flagged for
    # the organiser, who keeps it (the flag is cleared) or cancels it as a real duplicate, recorded here.
    flagged = Boolean(default=False)
    flag_decision = Varchar(length=10, null=True, default=None)  # kept | cancelled
    flag_decided_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    flag_decided_at = Timestamptz(null=True, default=None)
    # The language the registration was made in (ar, ckb, en): its messages are written in it. Null for
    # registrations made before it was kept: the site's default language stands in.
    language = Varchar(length=3, null=True, default=None)


class BibAudit(Table):
    """Every change of who holds a bib, and of a race's reserved bibs: what, who (null for the runner's
    own action) and when."""

    race = ForeignKey(Race, null=False)
    registration = ForeignKey(Registration, null=True, index=True)
    action = Varchar(length=12)
    bib = Integer()
    previous_bib = Integer(null=True, default=None)
    user = ForeignKey(User, null=True)
    note = Text(default="")
    at = Timestamptz(default=TimestamptzNow())


class KeptAnswer(Table):
    """The first answer to a registration sent with an Idempotency-Key, for its retries (see
    registration/idempotency.py): found by a digest of the key, sealed with a key derived from it."""

    key_hash = Varchar(length=64, unique=True)
    body_hash = Varchar(length=64)
    answer = Bytea()
    # Indexed: every write batch deletes the answers older than a day, which must not scan the day's.
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class RegistrationChange(Table):
    """Every change of a registration's fields after it was made: by the registrant (user null, through
    their code) or an organiser; which fields, and their values before and after (JSON objects)."""

    registration = ForeignKey(Registration, null=False, index=True)
    user = ForeignKey(User, null=True)
    fields = Varchar(length=300)
    before = Text(default="{}")
    after = Text(default="{}")
    at = Timestamptz(default=TimestamptzNow())


class RecoveryRequest(Table):
    """A lost-link request waiting for the sender loop (registration/recovery.py): kept apart from the
    request that asked, so that its answer takes the same time whether or not anyone matches."""

    channel = Varchar(length=5)  # email | sms
    recipient = Varchar(length=254)
    birth_date = Date()
    language = Varchar(length=3)
    created_at = Timestamptz(default=TimestamptzNow())
