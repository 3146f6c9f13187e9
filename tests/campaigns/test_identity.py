import datetime as dt
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sportsrun.campaigns.identity import Entry, people, person_of
from sportsrun.core.text.names import fold

pytestmark = pytest.mark.pure  # no database: run once, on SQLite

BORN = dt.date(1990, 7, 1)  # the civil registry's stand-in date: many runners share it
RACE_1, RACE_2, RACE_3 = dt.date(2026, 3, 6), dt.date(2026, 4, 10), dt.date(2026, 5, 15)
PHONE, OTHER_PHONE = "+9647701234567", "+9647811111111"


def entry(registration, race_date=RACE_1, **values):
    fields = {
        "gender": "male",
        "birth_date": BORN,
        "phone": PHONE,
        "email": None,
        "given_name": "أحمد",
        "grouped": False,
        "public_name": "أحمد علي",
        "initials_chosen": False,
        "province": "IQ-BG",
    }
    return Entry(registration=registration, race_date=race_date, **(fields | values))


def groups(persons):
    return sorted(p.registrations for p in persons)


def test_the_same_phone_and_birth_date_is_one_person_however_the_name_is_spelled():
    persons = people([entry(1, RACE_1, given_name="أحمد", public_name="أحمد علي"),
                      entry(2, RACE_2, given_name="احمد", public_name="احمد علي")])  # fmt: skip
    assert [(p.key, p.registrations, p.name) for p in persons] == [(1, (1, 2), "احمد علي")]


def test_the_name_alone_never_joins_two_registrations():
    born_apart = people([entry(1), entry(2, RACE_2, birth_date=dt.date(1991, 7, 1))])
    no_contact_in_common = people([entry(1), entry(2, RACE_2, phone=OTHER_PHONE)])
    no_contact_at_all = people([entry(1, phone=None), entry(2, RACE_2, phone=None)])
    assert groups(born_apart) == groups(no_contact_in_common) == groups(no_contact_at_all) == [(1,), (2,)]


def test_twins_under_one_group_contact_are_two_people_and_each_is_found_again():
    persons = people(
        [
            entry(1, RACE_1, given_name="زينب", grouped=True, gender="female"),
            entry(2, RACE_1, given_name="زينه", grouped=True, gender="female"),
            # Race 2: the mother registers them again as a group, spelling one name another way.
            entry(3, RACE_2, given_name="زينة", grouped=True, gender="female"),
            entry(4, RACE_2, given_name="زَينب", grouped=True, gender="female"),
        ]
    )
    assert groups(persons) == [(1, 4), (2, 3)]


def test_a_group_registration_joins_one_made_alone_only_with_the_same_given_name():
    persons = people(
        [
            entry(1, RACE_1, given_name="Sara", grouped=True),
            entry(2, RACE_1, given_name="Noor", grouped=True),
            entry(3, RACE_2, given_name="sara"),  # alone, with the same phone: Sara
            entry(4, RACE_3, given_name="Ali", phone=None, email="x@example.iq"),
        ]
    )
    assert groups(persons) == [(1, 3), (2,), (4,)]


def test_registrations_made_alone_with_one_phone_are_one_person_as_in_the_person_table():
    # Twins registered alone in later races with their mother's phone: nothing tells them apart.
    persons = people([entry(1, given_name="Sara"), entry(2, RACE_2, given_name="Noor")])
    assert groups(persons) == [(1, 2)]


def test_a_phone_then_an_email_join_registrations_transitively():
    persons = people(
        [
            entry(1, RACE_1, phone=PHONE, email=None),
            entry(2, RACE_2, phone=OTHER_PHONE, email="runner@example.iq"),  # new phone, but …
            entry(3, RACE_3, phone=None, email="runner@example.iq"),
            entry(4, RACE_2, phone=PHONE, email="runner@example.iq"),  # … this one links both
        ]
    )
    assert groups(persons) == [(1, 2, 3, 4)]
    assert groups(people([entry(2, RACE_2, phone=OTHER_PHONE, email="runner@example.iq"),
                          entry(5, RACE_3, phone=PHONE, email="runner@example.iq")])) == [(2, 5)]  # fmt: skip


def test_initials_chosen_in_any_race_are_shown_else_the_most_recent_name_and_province():
    chose = people(
        [
            entry(1, RACE_1, public_name="A. A.", initials_chosen=True, province="IQ-NI"),
            entry(3, RACE_3, public_name="Ahmed Ali", province="IQ-BG", gender="male"),
            entry(2, RACE_2, public_name="Ahmed A. Ali"),
        ]
    )
    assert [(p.name, p.province, p.gender) for p in chose] == [("A. A.", "IQ-BG", "male")]
    # A minor shown by initials without choosing them: the newer full name is shown once an adult.
    grew_up = people([entry(1, RACE_1, public_name="A. A."), entry(2, RACE_3, public_name="Ahmed Ali", province=None)])
    assert [(p.name, p.province) for p in grew_up] == [("Ahmed Ali", None)]
    # Two registrations of one day: the later registration is the more recent.
    same_day = people([entry(7, RACE_2, public_name="Later"), entry(5, RACE_2, public_name="Earlier")])
    assert [(p.key, p.name) for p in same_day] == [(5, "Later")]


def test_a_registration_given_twice_is_refused():
    with pytest.raises(ValueError):
        people([entry(1), entry(1, RACE_2)])


def linked(a, b):
    """The rule read literally, for one pair."""
    shares = (a.phone is not None and a.phone == b.phone) or (a.email is not None and a.email == b.email)
    names = not (a.grouped or b.grouped) or fold(a.given_name) == fold(b.given_name)
    return a.birth_date == b.birth_date and shares and names


def closure(entries):
    """Persons as the connected parts of the pairwise rule, found by repeated merging."""
    parts = [{e.registration} for e in entries]
    by_id = {e.registration: e for e in entries}
    merged = True
    while merged:
        merged = False
        for x, y in combinations(range(len(parts)), 2):
            if any(linked(by_id[a], by_id[b]) for a in parts[x] for b in parts[y]):
                parts[x] |= parts.pop(y)
                merged = True
                break
    return sorted(tuple(sorted(p)) for p in parts)


@st.composite
def entries(draw):
    n = draw(st.integers(0, 12))
    out = []
    for registration in draw(st.lists(st.integers(1, 500), min_size=n, max_size=n, unique=True)):
        out.append(
            entry(
                registration,
                draw(st.sampled_from([RACE_1, RACE_2, RACE_3])),
                birth_date=draw(st.sampled_from([BORN, dt.date(2012, 1, 1)])),
                phone=draw(st.sampled_from([None, PHONE, OTHER_PHONE])),
                email=draw(st.sampled_from([None, "a@example.iq", "b@example.iq"])),
                given_name=draw(st.sampled_from(["أحمد", "احمد", "زينب", "Sara"])),
                grouped=draw(st.booleans()),
                public_name=draw(st.sampled_from(["Ahmed Ali", "A. A.", "Sara Y."])),
                initials_chosen=draw(st.booleans()),
                province=draw(st.sampled_from([None, "IQ-BG", "IQ-BA"])),
            )
        )
    return out


@given(entries(), st.randoms())
def test_people_are_the_rule_followed_transitively_whatever_the_order(given_entries, rnd):
    persons = people(given_entries)
    assert groups(persons) == closure(given_entries)
    shuffled = list(given_entries)
    rnd.shuffle(shuffled)
    assert people(shuffled) == persons
    owner = person_of(persons)
    by_id = {e.registration: e for e in given_entries}
    for p in persons:
        members = [by_id[r] for r in p.registrations]
        latest = max(members, key=lambda e: (e.race_date, e.registration))
        assert p.key == min(p.registrations) and all(owner[r] is p for r in p.registrations)
        assert (p.gender, p.province) == (latest.gender, latest.province)
        if any(e.initials_chosen for e in members):
            assert p.name in {e.public_name for e in members if e.initials_chosen}
        else:
            assert p.name == latest.public_name
