"""Lost links: a registrant gives their phone or email and date of birth, and the self-service links of
their registrations go to that phone or email.

The answer must not tell whether anyone is registered, by its words or its time: the request only checks
its own input and queues itself (one INSERT, the same for everyone); the sender loop of some worker looks
it up later (`send_links`, on `messages.before_sending`). Codes are stored only as digests, so a lost link
cannot be sent again: each matching registration gets a new code, and the old link stops working. At most
RECOVERIES_PER_HOUR messages go to one phone or email in an hour, counted in the outbox itself (every
worker sees it)."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import TooManyRequests
from sportsrun.core.i18n import current_locale, in_locale
from sportsrun.core.i18n import gettext as _
from sportsrun.core.localised import localised
from sportsrun.core.text.phones import normalize_phone
from sportsrun.core.validation import Fields
from sportsrun.core.web import ratelimit
from sportsrun.core.web.forms import absolute
from sportsrun.messages import services as messages
from sportsrun.registration import selfservice_queries, services
from sportsrun.settings import get_settings

RECOVERIES_PER_HOUR = 3
RATE_WINDOW_S = 60
BATCH = 20


def read_request(data: Mapping[str, Any]) -> list[tuple[str, str, dt.date]]:
    """(channel, recipient, birth date) for each contact given; 422 when the input is unusable."""
    f = Fields(data)
    birth_date = f.date("birth_date", required=True)
    phone, email = f.text("phone", max_length=40), f.text("email", max_length=254)
    contacts = []
    if phone is not None:
        if (normalized := normalize_phone(phone)) is None:
            f.error("phone", _("Enter a phone number such as 0770 123 4567 or +964 770 123 4567."))
        else:
            contacts.append(("sms", normalized))
    if email is not None:
        local, _at, domain = email.partition("@")
        if not local or "." not in domain.strip(".") or " " in email:
            f.error("email", _("Enter an email address like name@example.com."))
        else:
            contacts.append(("email", email.lower()))
    if phone is None and email is None:
        f.error("phone", _("Give the phone number or the email address you registered with."))
    f.raise_if_any()
    return [(channel, recipient, birth_date) for channel, recipient in contacts]  # type: ignore[misc]


async def request_links(data: Mapping[str, Any], client_address: str) -> dict:
    """Queues the request and answers at once, the same for everyone."""
    limit = get_settings().registration_rate_limit
    if limit and await ratelimit.hit("recover", client_address, RATE_WINDOW_S) > limit:
        raise TooManyRequests(_("Too many requests from your address in a minute. Wait a moment and try again."),
                              retry_after=ratelimit.retry_after(RATE_WINDOW_S))  # fmt: skip
    contacts = read_request(data)
    now = dt.datetime.now(dt.UTC)
    async with write_transaction():
        for channel, recipient, birth_date in contacts:
            await selfservice_queries.queue_recovery(channel, recipient, birth_date, current_locale.get(), now)
    messages.wake()
    return {"detail": _("If a registration matches, its link is on its way to that phone or email. "
                        "It can take a few minutes.")}  # fmt: skip


def _text(links: list[tuple[dict, str]]) -> tuple[str, str]:
    lines = [_("You asked for the links to your registrations. Each link opens one registration, to see, fix "
               "or cancel it; the links you had before no longer work."), ""]  # fmt: skip
    for row, code in links:
        race, event = localised(row, "race_name"), localised(row, "event_name")
        name = f"{row['given_name']} {row['family_name']}"
        lines.append(_("{race} ({event}), {name}:", race=race, event=event, name=name))
        lines.append(absolute(f"/registrations/{code}"))
    lines += ["", _("If you did not ask for this, you can ignore this message.")]
    return _("Your registration links"), "\n".join(lines)


@messages.before_sending.connect
async def send_links(now: dt.datetime) -> None:
    """The queued requests, each answered with a message when registrations match (and the contact has
    had fewer than RECOVERIES_PER_HOUR this hour), or with nothing."""
    # A read first: every worker comes by every few seconds, and the write lock is not needed for nothing.
    while await selfservice_queries.any_recovery():
        async with write_transaction():
            taken = await selfservice_queries.take_recoveries(BATCH)
            out = []
            for request in taken:
                channel, recipient = request["channel"], request["recipient"]
                found = await selfservice_queries.live_for_contact(channel, recipient, request["birth_date"])
                if not found:
                    continue
                since = now - dt.timedelta(hours=1)
                if await messages.sent_recently(recipient, "recovery", since) >= RECOVERIES_PER_HOUR:
                    continue
                links = []
                for row in found:
                    code, digest = services.new_code()
                    await selfservice_queries.set_code_hash(row["id"], digest)
                    await selfservice_queries.record_change(row["id"], None, "code", "{}", "{}", now)
                    links.append((row, code))
                with in_locale(request["language"]):
                    subject, body = _text(links)
                out.append(messages.Message(channel, recipient, request["language"], subject, body, "recovery"))
            await messages.enqueue(out, now)
