import pytest
from hypothesis import given
from hypothesis import strategies as st

from sportsrun.core.text.phones import by_library, cleaned, normalize_phone

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    "typed",
    [
        "07701234567",
        "0770 123 4567",
        "0770-123-4567",
        "00964 770 123 4567",
        "+964 770 123 4567",
        "9647701234567",
        "٠٧٧٠١٢٣٤٥٦٧",
        "+٩٦٤٧٧٠١٢٣٤٥٦٧",
        "(0770) 123 4567",
        "\u200e07701234567",
    ],
)
def test_iraqi_mobile_numbers_as_people_type_them(typed):
    assert normalize_phone(typed) == "+9647701234567"


def test_foreign_numbers_keep_their_country():
    assert normalize_phone("+49 30 901820") == "+4930901820"
    assert normalize_phone("0044 20 7946 0958") == "+442079460958"


@pytest.mark.parametrize("typed", ["12345", "0770", "+96477012345", "hello", "", "0" * 30])
def test_invalid_numbers_are_refused(typed):
    assert normalize_phone(typed) is None


@given(
    st.integers(min_value=0, max_value=9_999_999),
    st.sampled_from(["750", "770", "780", "790"]),
    st.sampled_from(["0{p}{n}", "+964{p}{n}", "00964 {p} {n}", "964{p}{n}"]),
    st.booleans(),
)
def test_every_form_of_a_mobile_number_gives_one_e164(number, prefix, form, arabic_digits):
    typed = form.format(p=prefix, n=f"{number:07d}")
    if arabic_digits:
        typed = typed.translate(ARABIC_INDIC)
    assert normalize_phone(typed) == f"+964{prefix}{number:07d}"


@given(st.from_regex(r"(\+964|00964|964|0)7[0-9][0-9]{8}", fullmatch=True))
def test_the_iraqi_mobile_shortcut_agrees_with_phonenumbers(typed):
    import phonenumbers

    national = typed[-10:]
    number = phonenumbers.parse("+964" + national)
    expected = "+964" + national if phonenumbers.is_valid_number(number) else None
    assert normalize_phone(typed) == expected


@given(
    st.from_regex(r"(\+964|00964|964|0)7[0-9]{9}", fullmatch=True),
    st.lists(st.sampled_from([" ", "-", "\u200f", ""]), min_size=13, max_size=13),
    st.booleans(),
)
def test_the_shortcuts_agree_with_phonenumbers_however_the_number_is_typed(digits, separators, arabic_digits):
    typed = "".join(c + s for c, s in zip(digits, separators, strict=False))
    if arabic_digits:
        typed = typed.translate(ARABIC_INDIC)
    assert normalize_phone(typed) == by_library(cleaned(typed))


def test_the_shortcuts_agree_with_phonenumbers_over_every_mobile_prefix():
    for prefix in range(700, 800):
        for typed in (f"0{prefix}1234567", f"+964{prefix}7654321", f"00964{prefix}0000000", f"964{prefix}9999999"):
            assert normalize_phone(typed) == by_library(cleaned(typed)), typed
