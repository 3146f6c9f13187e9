"""Registering a group: a parent, a teacher or a coach registers several people with one contact
(PRODUCT.md, "Groups"). Each person gets their own registration, bib and code. The group is all or
nothing: written in one transaction by the writer single registrations use (the same duplicate rule,
bib allocation and waitlist, a fixed number of queries however many people), and refused whole,
naming the refused person (`people[2].birth_date`), when anyone is refused."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict, FieldError, InvalidInput, TooManyRequests
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web import ratelimit
from sportsrun.events import services as events
from sportsrun.events.provinces import province_codes
from sportsrun.messages import services as messages
from sportsrun.registration import hooks, queries, writer
from sportsrun.registration.idempotency import KEEP, Retry, first_answer, retry_of
from sportsrun.registration.people import ListedTwice, NameTaken
from sportsrun.registration.services import REGISTRATION_WINDOW_S, new_code
from sportsrun.registration.validation import read_registration
from sportsrun.settings import get_settings

MAX_PEOPLE = 20
CONTACT_FIELDS = ("phone", "email", "emergency_contact")


class GroupConflict(Conflict):
    """A group refused for a conflict with the race's registrations: the 409 names each refused person.
    `another_person` is offered when every refusal is a name and birth date only (people.NameTaken)."""

    def __init__(self, detail: str, errors: list[FieldError], another_person: bool = False):
        super().__init__(detail)
        self.errors = errors
        self.another_person = another_person

    def body(self) -> dict:
        out = {**super().body(), "errors": [{"field": e.field, "message": e.message} for e in self.errors]}
        if self.another_person:
            out["another_person"] = "allowed"
        return out


def group_size(data: Mapping[str, Any]) -> int:
    people = data.get("people")
    return len(people) if isinstance(people, list) else 0


async def check_rate(client_address: str, size: int) -> None:
    """A group counts as its size against the per-address limit on public registrations: the limit guards
    against a flood of writes, and a group of 20 writes 20 registrations. A family or a class (the
    default limit is 60 a minute, set for a school sharing one address) stays well under it."""
    limit = get_settings().registration_rate_limit
    amount = min(max(size, 1), MAX_PEOPLE)
    if limit and await ratelimit.hit("registration", client_address, REGISTRATION_WINDOW_S, amount) > limit:
        raise TooManyRequests(
            _("Too many registrations from your address in a minute. Wait a moment and try again."),
            retry_after=ratelimit.retry_after(REGISTRATION_WINDOW_S),
        )


def person_field(index: int, field: str | None = None) -> str:
    return f"people[{index}]" + (f".{field}" if field else "")


async def read_group(race, data: Mapping[str, Any], today: dt.date) -> list:
    """Every person read by the rules of registering, with the group's contact; 422 naming each problem."""
    people = data.get("people")
    if not isinstance(people, list) or not 1 <= len(people) <= MAX_PEOPLE:
        message = _("A group has from 1 to {n} people.", n=MAX_PEOPLE)
        raise InvalidInput([FieldError("people", message)])
    contact = {k: data[k] for k in CONTACT_FIELDS if k in data}
    provinces = await province_codes()
    entries, errors, contact_errors = [], [], {}
    for index, person in enumerate(people):
        if not isinstance(person, Mapping):
            errors.append(FieldError(person_field(index), _("Give each person's details.")))
            continue
        body = {k: v for k, v in person.items() if k not in CONTACT_FIELDS} | contact
        entry, fields = read_registration(
            body, race_day=race.race_day, min_age=race.min_age, provinces=provinces, today=today
        )
        for e in fields.errors:
            if e.field in CONTACT_FIELDS:  # the group's contact: said once, beside the contact's field
                contact_errors.setdefault(e.field, e)
            else:
                errors.append(FieldError(person_field(index, e.field), e.message))
        entries.append(entry)
    if errors or contact_errors:
        raise InvalidInput([*contact_errors.values(), *errors])
    return entries


def _refusal(results: list[writer.Written]) -> GroupConflict:
    errors, names_only = [], True
    for index, result in enumerate(results):
        if result.error is None:
            continue
        names_only &= isinstance(result.error, NameTaken)
        errors.append(FieldError(person_field(index, "given_name"), result.error.detail))
    first = next(i for i, r in enumerate(results) if r.error is not None)
    if isinstance(results[first].error, ListedTwice):
        detail = _("Nobody was registered: person {n} is listed twice in the group.", n=first + 1)
    else:
        detail = _("Nobody was registered: person {n} of the group is already registered for this race.", n=first + 1)
    return GroupConflict(detail, errors, another_person=names_only)


async def register_group(race_id: int, data: Mapping[str, Any], *, now: dt.datetime | None = None,
                         idempotency_key: str | None = None) -> dict:  # fmt: skip
    """`{"registrations": [{"id", "status", "bib", "code", "flagged"}, …]}` in the group's order, confirmed
    while the race has room, then waitlisted. With an Idempotency-Key, a retry gets the first answer."""
    retry = retry_of(race_id, idempotency_key, data)
    if retry is not None and (answer := await first_answer(retry)) is not None:
        return answer
    now = now or dt.datetime.now(dt.UTC)
    race = await events.load_race(race_id, public=True)
    entries = await read_group(race, data, dt.datetime.now(race.tz).date())
    if not race.is_open(now):
        raise Conflict(_("Registration for this race is closed."))
    codes = [new_code() for _entry in entries]
    tag = object()
    items = [
        writer.NewRegistration(e, digest, code=code, group=tag)
        for e, (code, digest) in zip(entries, codes, strict=True)
    ]
    async with write_transaction():
        if retry is not None:
            # Two sends of one key at once: the second waits for the race's lock and finds the first's answer.
            await events.lock_race(race.id)
            if (answer := await first_answer(retry)) is not None:
                return answer
        results = await writer.write_registrations(race.id, items, all_or_nothing=True)
        if any(r.error is not None for r in results):
            raise _refusal(results)
        answer = {"registrations": [r.answering(code) for r, (code, _d) in zip(results, codes, strict=True)]}
        if retry is not None:
            await _keep(retry, answer, now)
    messages.wake()  # each person's confirmation is in the outbox now
    await hooks.group_registered.send(race.id, [r.id for r in results])
    return answer


async def _keep(retry: Retry, answer: dict, now: dt.datetime) -> None:
    """The group's answer, kept for its retries in the group's own transaction."""
    await queries.keep_answers([(retry.key_hash, retry.body_hash, retry.seal(answer))], now, now - KEEP)
