"""The confirmation every new registration gets (bib or waitlist place, race, date and start, the
self-service link), in the language it was made in, queued in the outbox in the registration's own
transaction: the registration never waits on a mail server, and a message goes only if it commits."""

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from sportsrun.core.db.connections import is_sqlite
from sportsrun.core.i18n import format_date, format_datetime, in_locale
from sportsrun.core.i18n import gettext as _
from sportsrun.core.localised import localised
from sportsrun.core.web.forms import absolute
from sportsrun.events.race_row import RaceRow
from sportsrun.messages import services as messages
from sportsrun.registration.checkin_qr_page import checkin_qr_url
from sportsrun.settings import get_settings


class Made(Protocol):
    """What the confirmation needs of a registration just written (writer.NewRegistration with its
    writer.Written, or what a group's writer gives)."""

    id: int | None
    status: str | None
    bib: int | None
    checkin_token: str | None
    waitlist_position: int | None


def confirmation_text(race: RaceRow, made: Made, name: str, code: str, checkin: str | None) -> tuple[str, str]:
    """(subject, body) in the current language."""
    # The race's and the event's names in the registration's language, as the rest of the message.
    race_name, event_name = localised(race), localised(race, "event_name")
    subject = _("Your registration: {race}, {event}", race=race_name, event=event_name)
    lines = [_("Hello {name},", name=name), ""]
    if made.status == "confirmed":
        lines.append(_("You are registered for {race} ({event}). Your bib number is {bib}.", race=race_name,
                       event=event_name, bib=made.bib))  # fmt: skip
    else:
        lines.append(_("The race {race} ({event}) is full: you are number {n} on the waitlist. You will get a "
                       "bib as soon as a place frees up.", race=race_name, event=event_name,
                       n=made.waitlist_position))  # fmt: skip
    lines.append(_("Date: {date}", date=format_date(race.race_day)))
    lines.append(_("Start: {time}", time=format_datetime(race.start_time.astimezone(race.tz), "HH:mm")))
    lines += ["", _("Your private link, to see, fix or cancel your registration (do not share it):"),
              absolute(f"/registrations/{code}")]  # fmt: skip
    if checkin:
        lines += ["", _("Show this check-in code when you collect your bib:"), checkin]
    return subject, "\n".join(lines)


async def queue_confirmations(race: RaceRow, made: Sequence[tuple[object, Made]], now: dt.datetime) -> tuple[str, list]:
    """Queues the confirmations in the caller's write transaction: on SQLite at once; on PostgreSQL as a
    CTE's body (and its arguments) for the batch's write to run, since each round trip under the race's
    lock waits for a turn of a busy event loop. Call `messages.wake()` once it commits."""
    mail = confirmations(race, made)
    if is_sqlite():
        await messages.enqueue(mail, now)
        mail = []
    return messages.queued_with(mail, now)


def confirmations(race: RaceRow, made: Sequence[tuple[object, Made]]) -> list[messages.Message]:
    """One confirmation per new registration. `made` pairs each registration's input (with `entry`, `code`
    and `language`) with what was written; those without a code (imported entrants, who never saw one)
    get none."""
    out = []
    default = get_settings().default_locale
    for item, written in made:
        code, entry = getattr(item, "code", None), item.entry  # type: ignore[attr-defined]
        if code is None or written.id is None or written.status is None:
            continue
        target = messages.channel_for(entry.phone, entry.email)
        if target is None:
            continue
        language = getattr(item, "language", None) or default
        with in_locale(language):
            subject, body = confirmation_text(
                race, written, entry.given_name, code, checkin_qr_url(written.checkin_token)
            )
        out.append(messages.Message(target[0], target[1], language, subject, body, "confirmation"))
    return out
