"""Who a registrant is: the identity rule (docs/rules.md, "Identity and duplicates"), for duplicates within a
race and for the person a registration belongs to across races.

Across races a person is the same birth date with the same phone or email, and every person keeps the folded
given name they were first registered under (`person.given_name_key`, alone or in a group). A group's
contact is shared, so a group member is only the person of that name (or one kept before names were, which
the member then claims), never one of another name: a runner alone, then in a family group, is one person;
twins of one group are two, race after race. Someone alone is the person of that birth date and contact,
their own name first: two people alone with one phone and birth date stay one, as the rule has always made
them. `assign_people` has the details; lookups go by the (birth date, phone/email) indexes only."""

import datetime as dt
from collections.abc import Iterable

from sportsrun.core.errors import Conflict
from sportsrun.core.i18n import gettext as _
from sportsrun.core.text.names import fold
from sportsrun.registration import queries
from sportsrun.registration.validation import RegistrationInput


def duplicate_person() -> Conflict:
    return Conflict(
        _(
            "This person is already registered for this race (same date of birth and the same name, phone "
            "or email). Twins sharing a phone: use another phone or an email, or ask the organiser."
        )
    )


class NameTaken(Conflict):
    """Only the name with the birth date matched (phone and email differ): the registrant may say they are
    another person (`"another_person": true`), and the registration goes through, flagged."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone with this name and date of birth is already registered for this race. If that is "
                "not you, confirm that you are another person: the organiser will check."
            )
        )

    def body(self) -> dict:
        return {**super().body(), "another_person": "allowed"}


class ListedTwice(Conflict):
    """Two members of one group with the same folded name and birth date: one person listed twice."""

    def __init__(self) -> None:
        super().__init__(_("This person is already listed in the group (the same name and date of birth)."))


def admission(seen: "PeopleSeen", e: RegistrationInput, group: object | None = None) -> tuple[Conflict | None, bool]:
    """(refusal or None, flagged) for a registrant against the people already seen. Inside a group the
    shared contact identifies nobody (PRODUCT.md, "Groups"): a group-mate is the same person only by name."""
    matches = seen.matches(e)
    if group is not None and ("n", group) in [(kind, where) for kind, where in matches if where is group]:
        return ListedTwice(), False
    kinds = {kind for kind, where in matches if group is None or where is not group}
    if not kinds:
        return None, False
    if kinds == {"n"}:
        return (None, True) if e.another_person else (NameTaken(), False)
    return duplicate_person(), False


class PeopleSeen:
    """Who holds a registration, by the identity rule: the same birth date with the same folded name,
    phone or email."""

    def __init__(self) -> None:
        self.keys: dict[tuple, object] = {}

    @staticmethod
    def _keys(birth_date: dt.date, name_key: str, phone: str | None, email: str | None) -> Iterable[tuple]:
        yield (birth_date, "n", name_key)
        if phone:
            yield (birth_date, "p", phone)
        if email:
            yield (birth_date, "e", email)

    def find(self, e: RegistrationInput) -> object | None:
        return next(
            (self.keys[k] for k in self._keys(e.birth_date, e.name_key, e.phone, e.email) if k in self.keys), None
        )

    def matches(self, e: RegistrationInput) -> list[tuple[str, object]]:
        """(kind, where) of every key of `e` already seen: kind "n" name, "p" phone, "e" email."""
        keys = self._keys(e.birth_date, e.name_key, e.phone, e.email)
        return [(k[1], self.keys[k]) for k in keys if k in self.keys]

    def add(self, birth_date, name_key, phone, email, where: object) -> None:
        for key in self._keys(birth_date, name_key, phone, email):
            self.keys.setdefault(key, where)


def _keys(entries: Iterable[RegistrationInput], field: str) -> list[tuple]:
    return list({(e.birth_date, value) for e in entries if (value := getattr(e, field))})


def batch_keys(entries: list[RegistrationInput]) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """The identity rule's (birth date, value) keys of `entries`: folded names, phones, emails."""
    return _keys(entries, "name_key"), _keys(entries, "phone"), _keys(entries, "email")


def seen_in_race(registered: Iterable[tuple]) -> PeopleSeen:
    """The race's registrations sharing a key with a batch, (birth_date, name_key, phone, email) each."""
    seen = PeopleSeen()
    for birth_date, name_key, phone, email in registered:
        seen.add(birth_date, name_key, phone, email, "race")
    return seen


async def registered_people(race_id: int, entries: list[RegistrationInput]) -> PeopleSeen:
    """The race's registrations sharing a key of the identity rule with one of `entries`: looked up by
    exactly those keys, since birth dates cluster (thousands on 1 July) and must not load the rest."""
    rows = await queries.registered_as(race_id, *batch_keys(entries))
    return seen_in_race((r["birth_date"], r["name_key"], r["phone"], r["email"]) for r in rows)


def assign_people(entries: list[RegistrationInput], grouped: list[bool], found: Iterable[tuple],
                  fresh_ids: Iterable[int]) -> tuple[list[int], list[tuple]]:  # fmt: skip
    """Each entrant's person among `found` (id, birth_date, phone, email, given_name_key), else a new one
    numbered from `fresh_ids`; and the people to write as (id, birth_date, phone, email, given_name_key): the
    new ones, and the old ones without a key that an entrant claimed (the write keeps a key already there).

    Every person keeps the folded given name they were made under, alone or in a group (older rows made
    alone have none, until claimed). Under one group contact only that name tells people apart (PRODUCT.md,
    "Groups"), so a member of a group (`grouped`) is the person with the same birth date, phone or email
    and that key, else one with no key yet (the oldest), never one of another name: twins are two people in
    every race, and a runner who registered alone, then in a family group, is one. Anyone registering alone
    is the person with the same birth date and phone or email whatever the key (the identity rule: never
    the name alone, so two people alone with one phone and birth date stay one, as before): their own key
    first, then none, then the oldest. Entrants are taken in order, so a batch decides as one registration
    after another would."""
    known: dict[tuple, list[list]] = {}
    rows: dict[int, tuple] = {}

    def know(person_id: int, birth_date: dt.date, phone, email, key: str | None) -> None:
        rows[person_id] = (birth_date, phone, email)
        person = [person_id, key]  # one list in each contact's index, so that a claim is seen by both
        for kind, value in (("phone", phone), ("email", email)):
            if value:
                known.setdefault((birth_date, kind, value), []).append(person)

    for person_id, birth_date, phone, email, key in found:
        know(person_id, birth_date, phone, email, key)

    def candidates(e: RegistrationInput) -> Iterable[list[list]]:
        for kind, value in (("phone", e.phone), ("email", e.email)):
            if value and (people := known.get((e.birth_date, kind, value))):
                yield people

    def lookup(e: RegistrationInput, given: str, in_group: bool) -> list | None:
        if in_group:
            wanted = (lambda p: p[1] == given, lambda p: p[1] is None)
            return next((min(ps) for w in wanted for people in candidates(e) if (ps := [p for p in people if w(p)])),
                        None)  # fmt: skip
        rank = lambda p: (p[1] != given, p[1] is not None, p[0])  # noqa: E731
        return next((min(people, key=rank) for people in candidates(e)), None)

    ids, write, fresh = [], {}, iter(fresh_ids)
    for e, in_group in zip(entries, grouped, strict=True):
        given = fold(e.given_name)
        person = lookup(e, given, in_group)
        if person is None:
            person = [next(fresh), given]
            know(person[0], e.birth_date, e.phone, e.email, given)
            write[person[0]] = (person[0], e.birth_date, e.phone, e.email, given)
        elif person[1] is None:
            person[1] = given
            write[person[0]] = (person[0], *rows[person[0]], given)
        ids.append(person[0])
    return ids, list(write.values())
