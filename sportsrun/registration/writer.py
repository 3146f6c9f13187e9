"""Writing registrations: many in one transaction, with a fixed number of queries however many.

Registrations of a race are written one transaction at a time while the race is locked (the bib
allocator and the waitlist need that). Online registrations arriving together are queued per race
(online_queue) and written as one batch, so the lock and the round trips are paid per batch: the same path the
entrant import uses for a whole file."""

import asyncio
import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import partial

from sportsrun.bibs import services as bibs
from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict, DomainError, InvalidInput, NotFound
from sportsrun.core.i18n import current_locale
from sportsrun.core.i18n import gettext as _
from sportsrun.core.turns import Turns, bulk
from sportsrun.events import services as events
from sportsrun.registration import batch_queries, planner_statistics, queries
from sportsrun.registration.checkin_token import new_tokens as new_checkin_tokens
from sportsrun.registration.confirmation import queue_confirmations
from sportsrun.registration.idempotency import KEEP, Retry, another_body, answers_from
from sportsrun.registration.people import PeopleSeen, admission, assign_people, batch_keys, seen_in_race
from sportsrun.registration.validation import RegistrationInput


@dataclass(slots=True)
class NewRegistration:
    entry: RegistrationInput
    code_hash: str
    source: str = "online"
    requested_bib: int | None = None
    retry: Retry | None = None  # sent with an Idempotency-Key: its answer is kept for retries
    code: str | None = None  # the registrant's code, for the kept answer
    # Members of one group share this tag: their shared contact identifies nobody among them (groups.py).
    group: object | None = None
    # The language it is made in (the request's): its messages are written in it.
    language: str = field(default_factory=lambda: current_locale.get())


@dataclass(slots=True)
class Written:
    id: int | None = None
    status: str | None = None
    bib: int | None = None
    waitlist_position: int | None = None
    error: DomainError | None = None
    answer: dict | None = None  # the first answer to a retried registration, given again
    checkin_token: str | None = None  # for the confirmation's check-in QR (registration/checkin_token.py)
    flagged: bool = False  # "another person" with a registered name and birth date: for the organiser

    def answering(self, code: str | None) -> dict:
        """The API's answer to this registration."""
        if self.answer is not None:
            return self.answer
        out = {"id": self.id, "status": self.status, "bib": self.bib, "code": code, "flagged": self.flagged}
        if self.status == "waitlisted":
            out["waitlist_position"] = self.waitlist_position
        return out


def _first_keys(items: list[NewRegistration]) -> tuple[dict[str, int], dict[int, int]]:
    """Key hash → the first item sent with it, and the items of this batch that repeat an earlier one's
    key (index → that one's index)."""
    first_of, twins = {}, {}
    for index, item in enumerate(items):
        if item.retry is None:
            continue
        if item.retry.key_hash in first_of:
            twins[index] = first_of[item.retry.key_hash]
        else:
            first_of[item.retry.key_hash] = index
    return first_of, twins


def _retries(items: list[NewRegistration], results: list[Written], first_of: dict[str, int],
             twins: dict[int, int], kept: dict[str, tuple]) -> set[int]:  # fmt: skip
    """The items already answered under their Idempotency-Key (answered again, or refused for another
    body), and the repeats of a key in this batch."""
    answered = set(twins)
    firsts = list(first_of.values())
    for index, answer in zip(firsts, answers_from([items[i].retry for i in firsts], kept), strict=True):
        if isinstance(answer, InvalidInput):
            results[index].error = answer
        elif answer is not None:
            results[index].answer = answer
        else:
            continue
        answered.add(index)
    return answered


def _refuse_when_closed(race, items: list[NewRegistration], results: list[Written], answered: set[int],
                        now: dt.datetime) -> None:  # fmt: skip
    """Online registrations were checked against a race read up to a second earlier (services): the race
    as locked has the last word on whether it takes them. Imports and organisers are not bound by it."""
    if race.published and race.is_open(now):
        return
    refusal = (
        NotFound(_("No such race.")) if not race.published else Conflict(_("Registration for this race is closed."))
    )
    for index, item in enumerate(items):
        if item.source == "online" and index not in answered:
            results[index].error = refusal
            answered.add(index)


def _answer_twins(items: list[NewRegistration], results: list[Written], twins: dict[int, int]) -> None:
    for twin, first in twins.items():
        if items[twin].retry.body_hash != items[first].retry.body_hash:
            results[twin].error = another_body()
        elif results[first].error is not None:
            results[twin].error = results[first].error
        else:
            results[twin].answer = results[first].answering(items[first].code)


async def write_registrations(
    race_id: int, items: list[NewRegistration], *, user_id: int | None = None, all_or_nothing: bool = False,
    left_free: Collection[int] = (), checked: bool = False, statistics: bool = True,
) -> list[Written]:  # fmt: skip
    """Writes what it can: duplicates come back with their error, the rest confirmed (lowest free bib or
    the requested one, while the race has room) or waitlisted, in the order given. `all_or_nothing` (a
    group): one refused item and nothing is written, every item's error (if any) given back. Under the
    race's lock: one read, the rules in Python, one write (registration.batch_queries).

    An import written a chunk at a time in one transaction (imports.py) passes `left_free`, the bibs its
    later rows ask for (nobody else is given them), and `checked`, since it checked the items against the
    race's registrations under the race's lock and against each other (they are not looked up or compared
    again). It refreshes the planner's statistics itself, once: `statistics=False`."""
    now = dt.datetime.now(dt.UTC)
    results = [Written() for _ in items]
    first_of, twins = _first_keys(items)
    entries = [i.entry for i in items]
    async with write_transaction():
        race = await events.lock_race(race_id)
        bib_range = bibs.bib_range(race)
        start = max(bib_range.next_free, race.bib_first)
        state = await batch_queries.read(race.id, start, race.bib_last, batch_queries.Keys(*batch_keys(entries)),
                                         list(first_of), now - KEEP, len(items), not checked)  # fmt: skip
        answered = _retries(items, results, first_of, twins, state.kept)
        _refuse_when_closed(race, items, results, answered, now)
        turns = Turns()  # an import's 50,000 rows: other requests get their turns (core.turns)
        if checked:  # the import refused anyone registered or twice in its file: nobody to refuse or flag here
            accepted = [index for index in range(len(items)) if index not in answered]
        else:
            accepted = await _admitted(items, results, answered, seen_in_race(state.registered), turns)
        if all_or_nothing and any(r.error is not None for r in results):
            return results
        if not accepted:
            _answer_twins(items, results, twins)
            return results

        room = race.capacity - state.counts.get("confirmed", 0)
        waitlisted = state.counts.get("waitlisted", 0)
        free = bibs.free_bibs(bib_range, _read_ahead(start, state.held, partial(queries.held_from, race.id,
                                                                              race.bib_last)))  # fmt: skip

        # Requested bibs first, so that a later row's request is not taken by an earlier row's allocation.
        confirmed = accepted[: max(room, 0)]
        confirming = set(confirmed)  # a list's `in` made a 50,000-row import quadratic
        requested = {
            items[i].requested_bib
            for i in confirmed
            if items[i].requested_bib is not None and race.bib_first <= items[i].requested_bib <= race.bib_last
        }
        held = await queries.held_among(race.id, sorted(requested))
        for bib in left_free:
            free.claim(bib)
        for index in confirmed:
            bib = items[index].requested_bib
            if bib in requested and bib not in held:
                results[index].bib = bib
                held.add(bib)
                free.claim(bib)
        for index, registration_id in zip(accepted, state.registration_ids, strict=False):
            if turns.due():
                await asyncio.sleep(0)
            result = results[index]
            result.id = registration_id
            if index in confirming and result.bib is None:
                result.bib = await free.next()
            if result.bib is not None:
                result.status = "confirmed"
            else:
                waitlisted += 1
                result.status, result.waitlist_position = "waitlisted", waitlisted

        grouped = [items[i].group is not None for i in accepted]
        chosen, known, fresh = [entries[i] for i in accepted], state.people, state.person_ids
        if bulk(len(accepted)):  # matched in a thread: the loop keeps its turns
            people, new_people = await asyncio.to_thread(assign_people, chosen, grouped, known, fresh)
        else:
            people, new_people = assign_people(chosen, grouped, known, fresh)
        # Every way in (a form, the API, an import, a group) gets its check-in token here, with its row.
        for index, token in zip(accepted, new_checkin_tokens(len(accepted)), strict=True):
            results[index].checkin_token = token
        if turns.due():
            await asyncio.sleep(0)
        rows = [
            (results[i].id, race.id, person, results[i].status, results[i].bib, *_entry_values(items[i]), now,
             results[i].checkin_token, results[i].flagged)
            for i, person in zip(accepted, people, strict=True)
        ]  # fmt: skip
        audit = [(results[i].id, results[i].bib, items[i].source) for i in accepted if results[i].bib is not None]
        kept = [(retry.key_hash, retry.body_hash, retry.seal(results[i].answering(items[i].code)))
                for i in accepted if (retry := items[i].retry) is not None]  # fmt: skip
        next_free = bibs.next_free_to_save(bib_range)
        if turns.due():
            await asyncio.sleep(0)
        queued = await queue_confirmations(race, [(items[i], results[i]) for i in accepted], now)
        await batch_queries.write(race.id, new_people, rows, audit, kept, next_free, user_id, now, now - KEEP, queued)
    if statistics:
        planner_statistics.after_write(state.registration_ids[len(accepted) - 1], len(accepted))
    _answer_twins(items, results, twins)
    return results


async def _admitted(items: list[NewRegistration], results: list[Written], answered: set[int], seen: PeopleSeen,
                    turns: Turns) -> list[int]:  # fmt: skip
    """The items not yet answered that the identity rule admits, in order, against the race's registrations
    sharing a key (`seen`) and the batch's earlier items; the others get their refusal, the flagged their
    flag."""
    accepted = []
    for index, item in enumerate(items):
        if turns.due():
            await asyncio.sleep(0)
        if index in answered:
            continue
        e = item.entry
        refusal, results[index].flagged = admission(seen, e, item.group)
        if refusal is not None:
            results[index].error = refusal
            continue
        seen.add(e.birth_date, e.name_key, e.phone, e.email, item.group if item.group is not None else index)
        accepted.append(index)
    return accepted


def _read_ahead(start: int, held: list[int], held_from):
    """`held_from` for the allocator, answering its first question (`start`, HELD_CHUNK) from the read."""
    first = [(start, held)]

    async def read(candidate: int, limit: int) -> list[int]:
        if first and first[0][0] == candidate and limit == batch_queries.HELD_CHUNK:
            return first.pop()[1]
        first.clear()
        return await held_from(candidate, limit)

    return read


def _entry_values(item: NewRegistration) -> tuple:
    e = item.entry
    return (
        e.given_name, e.family_name, e.name_key, e.gender, e.birth_date, e.province, e.country, e.phone, e.email,
        e.emergency_contact, e.club, e.name_display, e.guardian_name, e.guardian_allows_full_name, item.source,
        item.code_hash, item.language,
    )  # fmt: skip
