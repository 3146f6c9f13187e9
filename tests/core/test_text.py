from hypothesis import given
from hypothesis import strategies as st

from sportsrun.core.text.characters import INVISIBLE, has_letter, western_digits
from sportsrun.core.text.names import fold, full_fold, initials, name_key, public_name


def test_arabic_spelling_variants_fold_to_one_form():
    assert fold("أحمد") == fold("احمد") == fold("إحمد") == fold("آحمد")
    assert fold("مصطفى") == fold("مصطفي")
    assert fold("فاطمة") == fold("فاطمه")
    assert fold("مُحَمَّد") == fold("محمد")  # diacritics
    assert fold("محـــمد") == fold("محمد")  # tatweel


def test_kurdish_keyboard_forms_match_arabic_keyboard_forms():
    assert fold("کەریم") == fold("كهريم")
    assert fold("سلێمانی") == fold("سلێماني")


def test_latin_case_accents_and_spacing_are_ignored():
    assert name_key(" José ", "García  López") == name_key("jose", "garcia lopez")


def test_fold_keeps_different_names_apart():
    assert fold("علي") != fold("عالي")
    assert fold("Sara") != fold("Sarah")


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


# Arabic, Kurdish and Latin letters with what folding must see through: variants, harakat, hamza above,
# accents, tatweel, direction marks, odd spaces, compatibility forms.
_SEEN_THROUGH = " أإآٱىیئةەھکؤ\u064b\u0654\u0301\u0640\u200f\u00a0\t\ufdfa\ufef7"
_TYPED = st.characters(max_codepoint=0x8FF) | st.sampled_from(list(_SEEN_THROUGH))


@given(st.text(alphabet=_TYPED, max_size=30))
def test_folding_plain_names_directly_gives_what_full_folding_gives(text):
    assert fold(text) == full_fold(text)


def test_each_character_folds_alone_as_full_folding_folds_it():
    for code in range(0x900):
        text = f"a{chr(code)}ب {chr(code)}"
        assert fold(text) == full_fold(text), hex(code)


@given(st.text(alphabet=_TYPED, max_size=10))
def test_has_letter_is_a_visible_letter_anywhere(text):
    assert has_letter(text) == any(c.isalpha() and not INVISIBLE.match(c) for c in text)


def test_arabic_indic_digits_become_western():
    assert western_digits("٠٧٧٠١٢٣٤٥٦٧") == "07701234567"
    assert western_digits("۱۲۳") == "123"


def test_initials_per_api_md():
    assert initials("Given", "Family") == "G. F."
    assert initials("زينب", "حامد") == "ز. ح."


def test_public_name_rules():
    assert public_name("Sara", "Aziz", "full", minor=False, guardian_allows=False) == "Sara Aziz"
    assert public_name("Sara", "Aziz", "initials", minor=False, guardian_allows=False) == "S. A."
    assert public_name("Sara", "Aziz", "full", minor=True, guardian_allows=False) == "S. A."
    assert public_name("Sara", "Aziz", "full", minor=True, guardian_allows=True) == "Sara Aziz"
    assert public_name("Sara", "Aziz", "initials", minor=True, guardian_allows=True) == "S. A."
