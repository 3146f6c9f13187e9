"""Reading one registration (the form, a JSON body or an import row) by the rules of registering."""

import datetime as dt

import pytest

from sportsrun.registration.validation import read_registration

RACE_DAY = dt.date(2027, 3, 20)
PROVINCES = frozenset({"IQ-BG", "IQ-BA", "IQ-HAL"})


def read(consent_required=True, min_age=None, **fields):
    data = {"given_name": "زينب", "family_name": "علي حسين", "gender": "female", "birth_date": "1990-07-01",
            "province": "IQ-BG", "phone": "0770 123 4567", "consent": True, **fields}  # fmt: skip
    data = {k: v for k, v in data.items() if v is not ...}
    entry, found = read_registration(data, race_day=RACE_DAY, min_age=min_age, provinces=PROVINCES,
                                     today=dt.date(2027, 1, 1), consent_required=consent_required)  # fmt: skip
    return entry, {e.field: e.message for e in found.errors}


def test_a_registration_as_stored():
    entry, errors = read(given_name=" أحمد ", family_name="عبد الله", gender="male", email="A@Example.COM")
    assert errors == {}
    assert (entry.given_name, entry.family_name) == ("أحمد", "عبد الله")  # as typed, trimmed
    assert entry.name_key == "احمد عبد الله"  # folded for the duplicate rule and search
    assert (entry.phone, entry.email, entry.country, entry.province) == (
        "+9647701234567",
        "a@example.com",
        "IQ",
        "IQ-BG",
    )
    assert entry.name_display == "full" and entry.guardian_allows_full_name is False


def test_every_problem_is_named_with_its_field():
    entry, errors = read(given_name="", gender="other", birth_date="31/02/1990", phone="12", consent=False)
    assert entry is None
    assert set(errors) == {"given_name", "gender", "birth_date", "phone", "consent"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"province": "IQ-XX"}, "province"),
        ({"province": None, "country": None}, "province"),
        ({"province": None, "country": "IQ"}, "province"),
        ({"province": None, "country": "ZZ"}, "country"),
        ({"province": "IQ-BA", "country": "DE"}, "country"),
        ({"phone": None}, "phone"),
        ({"email": "not an email"}, "email"),
        ({"birth_date": "2030-01-01"}, "birth_date"),
        ({"birth_date": "1899-12-31"}, "birth_date"),
        ({"name_display": "nickname"}, "name_display"),
        ({"given_name": "x" * 101}, "given_name"),
        ({"club": "bad\x00club"}, "club"),
        ({"given_name": "\u200b\u200b"}, "given_name"),
        ({"family_name": "\u200f."}, "family_name"),
    ],
)
def test_one_rule_each(fields, field):
    entry, errors = read(**fields)
    assert entry is None and set(errors) == {field}, errors


def test_runners_from_abroad_give_a_country_instead_of_a_province():
    entry, errors = read(province=None, country="de", phone=None, email="runner@example.de")
    assert errors == {} and (entry.province, entry.country) == (None, "DE")


def test_a_date_of_birth_as_typed_on_paper_forms():
    assert read(birth_date="01/07/1990")[0].birth_date == dt.date(1990, 7, 1)
    assert read(birth_date="١٩٩٠-٠٧-٠١")[0].birth_date == dt.date(1990, 7, 1)


def test_age_is_counted_on_race_day():
    assert read(min_age=16, birth_date="2011-03-20", guardian_name="Ali")[1] == {}  # 16 on race day
    assert set(read(min_age=16, birth_date="2011-03-21", guardian_name="Ali")[1]) == {"birth_date"}


def test_under_18s_need_a_guardian():
    assert set(read(birth_date="2010-01-01")[1]) == {"guardian_name"}
    entry, errors = read(birth_date="2010-01-01", guardian_name="Fatima", guardian_allows_full_name="on")
    assert errors == {} and entry.guardian_allows_full_name is True
    assert read(birth_date="2009-03-20")[1] == {}  # 18 on race day


def test_an_import_row_needs_no_consent():
    assert read(consent=..., consent_required=False)[1] == {}
    assert set(read(consent=...)[1]) == {"consent"}
