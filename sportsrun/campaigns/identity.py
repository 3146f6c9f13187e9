"""Who is one person across a series' races (PRODUCT.md, "The road to the Baghdad Marathon"; docs/rules.md,
"Identity and duplicates"). Pure: plain values in, plain values out.

Two registrations are one person when they share the birth date and also the phone or the email; the
relation is followed transitively (a phone shared in races 1 and 2, then an email shared in races 2 and 3,
make one person of all three). The name alone never joins two registrations. A registration made in a group
carries the group's shared contact, which identifies nobody: a link to or from it also needs the same folded
given name (twins under their mother's phone are two people; the same child registered by the same coach in
two races is one).

What the series shows of a person, when their registrations differ:
- the name: initials when they chose initials in any race (the most recent such race's initials: a choice
  of privacy is never undone by an older or newer registration), otherwise the most recent public name
  (which is itself initials for an under-18 whose guardian did not allow the full name);
- the gender and the province (None for a runner from abroad): the most recent registration's.
"Most recent" is the latest race date, then the latest registration id.

`people` joins registrations made alone by contact and birth date only (gender is not part of it). The
live standings do not call it: they take each registration's person from the writer's `person` table
(registration.people), which keeps every person's folded given name, so that twins first registered in a
group stay two people when later registered alone with their mother's phone, where `people` makes them
one."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from sportsrun.core.text.names import fold


class Entry(NamedTuple):
    """One registration of a series race, with what identity and the standings need of it."""

    registration: int
    race_date: dt.date
    gender: str
    birth_date: dt.date
    phone: str | None  # E.164, as stored
    email: str | None  # lower-cased, as stored
    given_name: str  # as typed: folded here, and only when a group's contact makes it matter
    grouped: bool  # registered in a group, under the group's shared contact
    public_name: str  # as this registration is shown in public (core.text.names.public_name)
    initials_chosen: bool  # the runner chose initials for this registration
    province: str | None


class Person(NamedTuple):
    key: int  # the lowest registration id: stable while the person's registrations stay
    name: str
    gender: str
    province: str | None
    registrations: tuple[int, ...]  # ascending


class _Sets:
    """Union-find over positions with path halving: near-linear in the number of registrations."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _contacts(entries: Sequence[Entry]) -> dict[tuple, list[int]]:
    buckets: dict[tuple, list[int]] = {}
    for i, e in enumerate(entries):
        if e.phone:
            buckets.setdefault((e.birth_date, "phone", e.phone), []).append(i)
        if e.email:
            buckets.setdefault((e.birth_date, "email", e.email), []).append(i)
    return buckets


def _link(entries: Sequence[Entry], bucket: list[int], sets: _Sets, given: dict[int, str]) -> None:
    """Joins the registrations of one (birth date, phone or email) as the rule allows."""
    plain = [i for i in bucket if not entries[i].grouped]
    for i in plain[1:]:
        sets.union(plain[0], i)
    if len(plain) == len(bucket):
        return
    # A grouped registration joins only those of the same folded given name: fold only in these buckets.
    by_name: dict[str, list[int]] = {}
    for i in bucket:
        if i not in given:
            given[i] = fold(entries[i].given_name)
        by_name.setdefault(given[i], []).append(i)
    for same in by_name.values():
        if any(entries[i].grouped for i in same):
            for i in same[1:]:
                sets.union(same[0], i)


def _recency(e: Entry) -> tuple[dt.date, int]:
    return (e.race_date, e.registration)


def _person(members: list[Entry]) -> Person:
    latest = max(members, key=_recency)
    private = [e for e in members if e.initials_chosen]
    shown = max(private, key=_recency) if private else latest
    return Person(
        key=min(e.registration for e in members),
        name=shown.public_name,
        gender=latest.gender,
        province=latest.province,
        registrations=tuple(sorted(e.registration for e in members)),
    )


def people(entries: Iterable[Entry]) -> list[Person]:
    """Every person the registrations make, by key."""
    entries = list(entries)
    if len({e.registration for e in entries}) != len(entries):
        raise ValueError("a registration is given twice")
    sets = _Sets(len(entries))
    given: dict[int, str] = {}
    for bucket in _contacts(entries).values():
        if len(bucket) > 1:
            _link(entries, bucket, sets, given)
    groups: dict[int, list[Entry]] = {}
    for i, e in enumerate(entries):
        groups.setdefault(sets.find(i), []).append(e)
    return sorted((_person(members) for members in groups.values()), key=lambda p: p.key)


def person_of(persons: Iterable[Person]) -> dict[int, Person]:
    """Registration id → its person."""
    return {registration: p for p in persons for registration in p.registrations}
