"""Who a registrant is: the identity rule (docs/rules.md, "Identity and duplicates"), for duplicates within a
race and for the person a registration belongs to across races."""

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
    numbered from `fresh_ids`; and the new people as (id, birth_date, phone, email, given_name_key).

    A member of a group (`grouped`) is the person with the same birth date, phone or email and folded given
    name: the group's contact is shared (a mother's twins are two people), and the people a group makes keep
    that name. Anyone else is the person with the same birth date and phone or email: one made alone (no
    key) or under their own given name before others, then the oldest."""
    known: dict[tuple, list[tuple[int, str | None]]] = {}

    def know(person_id: int, birth_date: dt.date, phone, email, key: str | None) -> None:
        for kind, value in (("phone", phone), ("email", email)):
            if value:
                known.setdefault((birth_date, kind, value), []).append((person_id, key))

    for person_id, birth_date, phone, email, key in found:
        know(person_id, birth_date, phone, email, key)

    def lookup(e: RegistrationInput, given: str | None) -> int | None:
        for kind, value in (("phone", e.phone), ("email", e.email)):
            people = known.get((e.birth_date, kind, value), []) if value else []
            if given is not None:
                people = [p for p in people if p[1] == given]
            if people:
                own = given or fold(e.given_name)
                return min(people, key=lambda p: (p[1] is not None and p[1] != own, p[0]))[0]
        return None

    given_keys = [fold(e.given_name) if g else None for e, g in zip(entries, grouped, strict=True)]
    new: dict[tuple, tuple[RegistrationInput, str | None]] = {}
    for e, given in zip(entries, given_keys, strict=True):
        if lookup(e, given) is None:
            new.setdefault((e.birth_date, e.phone or "", e.email or "", given), (e, given))
    people = []
    for person_id, (e, given) in zip(fresh_ids, new.values(), strict=False):
        people.append((person_id, e.birth_date, e.phone, e.email, given))
        know(person_id, e.birth_date, e.phone, e.email, given)
    return [lookup(e, given) for e, given in zip(entries, given_keys, strict=True)], people  # type: ignore[return-value]
