"""Reading one registration (online form, API body or an import row) by the rules of registering
(docs/rules.md)."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from babel import Locale

from sportsrun.core.i18n import gettext as _
from sportsrun.core.text.characters import has_letter
from sportsrun.core.text.names import name_key
from sportsrun.core.text.phones import normalize_phone
from sportsrun.core.validation import Fields
from sportsrun.events.age_groups import ADULT_AGE, age_on

GENDERS = ("female", "male")
NAME_DISPLAYS = ("full", "initials")
OLDEST_BIRTH_YEAR = 1900


@cache
def countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, from the CLDR data Babel ships."""
    return frozenset(
        code
        for code in Locale("en").territories
        if len(code) == 2 and code.isalpha() and code not in {"EU", "EZ", "UN", "QO", "ZZ"}
    )


# Not frozen: a frozen dataclass sets each field through object.__setattr__, and building 50,000 of them
# took four times as long (an import builds one a row).
@dataclass(slots=True)
class RegistrationInput:
    given_name: str
    family_name: str
    name_key: str
    gender: str
    birth_date: dt.date
    province: str | None
    country: str
    phone: str | None
    email: str | None
    emergency_contact: str | None
    club: str | None
    name_display: str
    guardian_name: str | None
    guardian_allows_full_name: bool
    # "I am another person" than a registrant with the same name and birth date (people.admission).
    another_person: bool = False


def read_registration(
    data: Mapping[str, Any],
    *,
    race_day: dt.date,
    min_age: int | None,
    provinces: frozenset[str],
    today: dt.date,
    consent_required: bool = True,
) -> tuple[RegistrationInput | None, Fields]:
    """The registration as stored, or None with every problem in `fields.errors`."""
    f = Fields(data)
    given_name = f.text("given_name", required=True, max_length=100)
    family_name = f.text("family_name", required=True, max_length=100)
    for field, name in (("given_name", given_name), ("family_name", family_name)):
        if name is not None and not has_letter(name):
            f.error(field, _("Write the name with letters."))
    gender = f.choice("gender", GENDERS, required=True)
    birth_date = f.date("birth_date", required=True)
    if birth_date is not None and not (dt.date(OLDEST_BIRTH_YEAR, 1, 1) <= birth_date <= today):
        f.error("birth_date", _("Enter your real date of birth."))
        birth_date = None

    province = f.text("province", max_length=8)
    country = f.text("country", max_length=2)
    if province is not None:
        province = province.upper()
        if province not in provinces:
            f.error("province", _("Choose one of Iraq's provinces."))
        elif country is not None and country.upper() != "IQ":
            f.error("country", _("A province is in Iraq: leave the country empty, or the province if you live abroad."))
        country = "IQ"
    elif country is not None:
        country = country.upper()
        if country == "IQ":
            f.error("province", _("Choose your province."))
        elif country not in countries():
            f.error("country", _("Choose a country (a two-letter ISO code such as DE)."))
    elif not f.has_error("province"):
        f.error("province", _("Choose your province, or your country if you live abroad."))

    phone = None
    raw_phone = f.text("phone", max_length=40)
    if raw_phone is not None:
        phone = normalize_phone(raw_phone)
        if phone is None:
            f.error("phone", _("Enter a phone number such as 0770 123 4567 or +964 770 123 4567."))
    email = f.text("email", max_length=254)
    if email is not None:
        local, _at, domain = email.partition("@")
        if not local or "." not in domain.strip(".") or " " in email:
            f.error("email", _("Enter an email address like name@example.com."))
        email = email.lower()
    if raw_phone is None and email is None:
        f.error("phone", _("Give a phone number or an email address."))

    emergency_contact = f.text("emergency_contact", max_length=200)
    club = f.text("club", max_length=100)
    name_display = f.choice("name_display", NAME_DISPLAYS, default="full")
    guardian_name = f.text("guardian_name", max_length=200)
    guardian_allows_full_name = f.boolean("guardian_allows_full_name")
    another_person = f.boolean("another_person")

    if birth_date is not None:
        age = age_on(birth_date, race_day)
        if min_age is not None and age < min_age:
            f.error("birth_date", _("Runners must be at least {n} years old on race day.", n=min_age))
        elif age < ADULT_AGE and guardian_name is None and not f.has_error("guardian_name"):
            f.error("guardian_name", _("Under-18s register with a parent's or guardian's name."))
    if consent_required and f.boolean("consent") is not True and not f.has_error("consent"):
        f.error("consent", _("Registration needs your consent to the terms and the use of your data."))

    if f.errors:
        return None, f
    assert given_name and family_name and gender and birth_date and country and name_display
    return RegistrationInput(
        given_name=given_name,
        family_name=family_name,
        name_key=name_key(given_name, family_name),
        gender=gender,
        birth_date=birth_date,
        province=province,
        country=country,
        phone=phone,
        email=email,
        emergency_contact=emergency_contact,
        club=club,
        name_display=name_display,
        guardian_name=guardian_name,
        guardian_allows_full_name=guardian_allows_full_name,
        another_person=another_person,
    ), f
