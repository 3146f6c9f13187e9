"""Alphabetical order of names for printed lists: Arabic and Kurdish in one alphabet."""

import pytest

from sportsrun.core.text.collation import sort_key

pytestmark = pytest.mark.pure


def ordered(names, arabic_first=True):
    return sorted(names, key=lambda n: sort_key(n, arabic_first))


def test_hamza_forms_taa_marbuta_and_diacritics_fold():
    assert sort_key("أحمد") == sort_key("احمد") == sort_key("إحمد") == sort_key("أَحْمَد")
    assert sort_key("فاطمة") == sort_key("فاطمه") and sort_key("مصطفى") == sort_key("مصطفي")


def test_the_arabic_alphabet_not_code_points():
    # Code points put پ (U+067E), گ and ڕ after ي; the Kurdish alphabet puts each after its model letter.
    assert ordered(["يوسف", "پەروین", "بكر", "تارا"]) == ["بكر", "پەروین", "تارا", "يوسف"]
    assert ordered(["زاگرۆس", "ڕێباز", "رامي"]) == ["رامي", "ڕێباز", "زاگرۆس"]
    assert ordered(["لؤي", "ڵ", "مها", "گوڵان", "كريم"]) == ["كريم", "گوڵان", "لؤي", "ڵ", "مها"]


def test_a_shorter_name_first_and_words_compared_in_turn():
    assert ordered(["علياء", "علي حسن", "علي"]) == ["علي", "علي حسن", "علياء"]


def test_sorani_names_opening_with_hamza_seat_come_first():
    assert ordered(["بەختیار", "ئارام", "ازاد"]) == ["ئارام", "ازاد", "بەختیار"]


def test_latin_names_after_arabic_ones_or_before_them_in_english():
    names = ["Zoe", "Adam", "سارا", "آمنة"]
    assert ordered(names) == ["آمنة", "سارا", "Adam", "Zoe"]
    assert ordered(names, arabic_first=False) == ["Adam", "Zoe", "آمنة", "سارا"]
    assert ordered(["adam", "Ádám", "Zed"])[2] == "Zed"
