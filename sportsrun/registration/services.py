"""Registering runners: validation, duplicates, capacity and the waitlist, bibs, self-service by code;
what events and results read of a race's registrations."""

import base64
import datetime as dt
import hashlib
import secrets
import time
from collections.abc import Mapping
from typing import Any

from sportsrun.bibs import services as bibs
from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict, InvalidInput, NotFound, TooManyRequests
from sportsrun.core.i18n import gettext as _
from sportsrun.core.localised import language_fields
from sportsrun.core.web import ratelimit
from sportsrun.events import hooks as events_hooks
from sportsrun.events import services as events
from sportsrun.events.provinces import province_codes
from sportsrun.events.race_row import RaceRow
from sportsrun.messages import services as messages
from sportsrun.registration import checkin_queries, hooks, identity_queries, online_queue, queries, writer
from sportsrun.registration.checkin_token import checkin_payload, checkin_qr_png, checkin_qr_svg  # noqa: F401
from sportsrun.registration.idempotency import first_answer, retry_of
from sportsrun.registration.race_changes import promote_waitlist
from sportsrun.registration.registrant import Registrant
from sportsrun.registration.validation import RegistrationInput, read_registration
from sportsrun.settings import get_settings

REGISTRATION_WINDOW_S = 60
# Wrong self-service codes per address: 96-bit codes make guessing hopeless anyway, and a limit costs a
# family that mistyped its link nothing.
CODE_GUESSES, CODE_WINDOW_S = 30, 600


def new_code() -> tuple[str, str]:
    """The registrant's secret code (shown once: it opens their personal data) and its stored digest."""
    code = secrets.token_urlsafe(12)
    while code.isdigit():  # a key of digits names a registration id (API.md): a code never is one
        code = secrets.token_urlsafe(12)
    return code, code_digest(code)


def new_codes(n: int) -> list[tuple[str, str]]:
    """n codes as new_code() makes them, from one read of the system's randomness: 12 random bytes are 16
    URL-safe characters, so each slice of one long encoding is one code (a syscall per code was a
    twentieth of a 50,000-row import)."""
    text = base64.urlsafe_b64encode(secrets.token_bytes(12 * n)).decode()
    codes = [text[i : i + 16] for i in range(0, 16 * n, 16)]
    return [new_code() if code.isdigit() else (code, code_digest(code)) for code in codes]


def code_digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


async def check_rate(client_address: str) -> None:
    limit = get_settings().registration_rate_limit
    if limit and await ratelimit.hit("registration", client_address, REGISTRATION_WINDOW_S) > limit:
        raise TooManyRequests(
            _("Too many registrations from your address in a minute. Wait a moment and try again."),
            retry_after=ratelimit.retry_after(REGISTRATION_WINDOW_S),
        )


async def validate(
    race: RaceRow, data: Mapping[str, Any], *, consent_required: bool = True, today: dt.date | None = None
) -> RegistrationInput:
    entry, fields = read_registration(
        data,
        race_day=race.race_day,
        min_age=race.min_age,
        provinces=await province_codes(),
        today=today or dt.datetime.now(race.tz).date(),
        consent_required=consent_required,
    )
    if entry is None:
        raise InvalidInput(fields.errors)
    return entry


async def register(race_id: int, data: Mapping[str, Any], *, now: dt.datetime | None = None,
                   idempotency_key: str | None = None) -> dict:  # fmt: skip
    """A public registration: a bib at once while the race has room, else a place on the waitlist. With
    an Idempotency-Key, a retry of the same body gets the first answer again (`idempotency`)."""
    retry = retry_of(race_id, idempotency_key, data)
    if retry is not None and (answer := await first_answer(retry)) is not None:
        return answer  # before any other check: the window may have closed since, the race filled up
    now = now or dt.datetime.now(dt.UTC)
    race = await _race_to_register(race_id)
    entry = await validate(race, data)
    if not race.is_open(now):
        raise Conflict(_("Registration for this race is closed."))
    code, digest = new_code()
    written = await online_queue.queue().submit(race.id, writer.NewRegistration(entry, digest, retry=retry, code=code))
    if written.error is not None:
        raise written.error
    messages.wake()  # its confirmation is in the outbox now
    return written.answering(code)


# A registration burst read the same race row for every request, a round trip each on PostgreSQL. Read
# at most once a second per process; what must be exact (published, open) the writer checks again under
# the race's lock. Another process's change to the rules (minimum age, start) is seen within a second.
RACE_FRESH_S = 1.0
_races: dict[int, tuple[float, RaceRow]] = {}


async def _race_to_register(race_id: int) -> RaceRow:
    seen = _races.get(race_id)
    if seen is not None and time.monotonic() - seen[0] < RACE_FRESH_S:
        return seen[1]
    race = await events.load_race(race_id, public=True)
    if len(_races) > 1000:
        _races.clear()
    _races[race_id] = (time.monotonic(), race)
    return race


@events_hooks.race_changed.connect
async def _forget_race(before: RaceRow | None, after: RaceRow, user_id: int | None) -> None:
    _races.pop(after.id, None)


@events_hooks.shown_changed.connect
async def _forget_shown(race_id: int | None) -> None:
    if race_id is None:
        _races.clear()
    else:
        _races.pop(race_id, None)


@events_hooks.race_counts.connect
async def status_counts(race_ids: list[int]) -> dict[int, dict[str, int]]:
    """Registrations by status, per race (the race's `registered`, `waitlisted` and places left)."""
    return await queries.status_counts(race_ids)


# -- the registrant's own view, by secret code --------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def personal_json(row: Mapping[str, Any]) -> dict:
    return {
        "id": row["id"],
        "race_id": row["race"],
        "status": row["status"],
        "bib": row["bib"],
        "given_name": row["given_name"],
        "family_name": row["family_name"],
        "gender": row["gender"],
        "birth_date": row["birth_date"].isoformat(),
        "province": row["province"],
        "country": row["country"],
        "phone": row["phone"],
        "email": row["email"],
        "emergency_contact": row["emergency_contact"],
        "club": row["club"],
        "name_display": row["name_display"],
        "guardian_name": row["guardian_name"],
        "guardian_allows_full_name": bool(row["guardian_allows_full_name"]),
        "checked_in": row["checked_in_at"] is not None,
        "created_at": _iso(row["created_at"]),
        "cancelled_at": _iso(row["cancelled_at"]),
        "language": row["language"] or get_settings().default_locale,
    }


async def _by_code(code: str, client_address: str | None) -> dict:
    """The registration the code opens. Wrong codes are counted per address and, past the limit, every
    code from there is refused for the rest of the window (off with SPORTSRUN_REGISTRATION_RATE_LIMIT=0)."""
    counted = client_address is not None and get_settings().registration_rate_limit > 0
    if counted and await ratelimit.count("code", client_address, CODE_WINDOW_S) >= CODE_GUESSES:
        raise TooManyRequests(_("Too many wrong codes from your address. Try again in a few minutes."),
                              retry_after=ratelimit.retry_after(CODE_WINDOW_S))  # fmt: skip
    row = await queries.by_code(code_digest(code))
    if row is None:
        if counted:
            await ratelimit.hit("code", client_address, CODE_WINDOW_S)
        raise NotFound(_("No registration has this code."))
    return row


async def get_own(code: str, client_address: str | None = None) -> dict:
    row = await _by_code(code, client_address)
    race = await events.load_race(row["race"])
    out = personal_json(row)
    out["race"] = {
        "id": race.id,
        "name": race.name,
        **{key: getattr(race, key) for key in language_fields("name")},  # the page shows the registrant's
        "event_id": race.event_id,
        "start_time": race.local(race.start_time),
    }
    # The confirmation names where and when, not only the race: "10 km" alone says little.
    event = await events.get_event(race.event_id, include_unpublished=True)
    out["event"] = {k: event[k] for k in ("id", "name", *language_fields("name"), "province", "city",
                                          *language_fields("city"), "venue", "date")}  # fmt: skip
    if row["status"] == "waitlisted":
        out["waitlist_position"] = await queries.waitlist_position(race.id, row["id"])
    out["checkin_token"] = await checkin_token(row["id"])
    return out


async def checkin_token(registration_id: int) -> str | None:
    """The token of the registration's check-in QR (None once cancelled). With `checkin_payload`,
    `checkin_qr_svg` and `checkin_qr_png` (registration/checkin_token.py), what a confirmation shows."""
    return await checkin_queries.token_of(registration_id)


async def cancel_own(code: str, client_address: str | None = None) -> None:
    """The registrant withdraws: the bib is freed and the first waitlisted runner takes the place.
    Refused while a result uses the bib (`hooks.cancelling`)."""
    row = await _by_code(code, client_address)
    async with write_transaction():
        race = await events.lock_race(row["race"])
        current = await queries.by_id(row["id"])
        if current["status"] == "cancelled":
            raise Conflict(_("This registration is already cancelled."))
        await hooks.cancelling.send(race.id, current["id"])
        now = dt.datetime.now(dt.UTC)
        await queries.cancel(current["id"], now)
        bib_range = bibs.bib_range(race)
        if current["bib"] is not None:
            await queries.record_bibs([(race.id, current["id"], "released", current["bib"], None, None,
                                        "cancelled by the registrant", now)])  # fmt: skip
            bib_range.freed(current["bib"])
        if current["status"] == "confirmed":
            await promote_waitlist(race, bib_range)
        await bibs.save_next_free(bib_range)


# -- what results and timing read ---------------------------------------------------------------------


async def registrants(race_id: int) -> dict[int, Registrant]:
    """This race's bibs: confirmed runners, and cancelled ones whose bib a result still uses."""
    return {r.bib: r for r in await queries.registrants(race_id)}  # type: ignore[misc]


async def registrants_by_id(registration_ids: list[int]) -> list[Registrant]:
    """Runners by registration, whatever bib they hold now."""
    return await queries.registrants_by_id(registration_ids) if registration_ids else []


async def registrants_fingerprint(race_id: int) -> tuple:
    """Changes whenever a bib is given, taken away or moved between runners of the race: lets a caller
    reuse the registrants it read a moment ago instead of reading them all again."""
    return await queries.registrants_fingerprint(race_id)


async def bibs_elsewhere(race: RaceRow) -> dict[int, str]:
    """Bibs of the event's other races, by the race holding them: where a wrong bib belongs."""
    return await queries.bibs_of_other_races(race.event_id, race.id)


async def persons_in_race(race_id: int) -> dict[int, tuple[int, bool]]:
    """Registration → (person, chose initials) for every registration of a race. The person is who the
    registration was matched to when it was made, by the identity rule (the same birth date with the same phone
    or email): what a campaign's series counts as one runner across races."""
    return {reg: (person, bool(initials)) for reg, person, initials in await identity_queries.persons_in_race(race_id)}


async def contacts(registration_ids: list[int]) -> dict[int, dict]:
    """Names and contacts by registration: for an organiser's export only."""
    return {row["id"]: row for row in await identity_queries.contacts(registration_ids)}
