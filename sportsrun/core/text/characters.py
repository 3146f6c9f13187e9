"""Characters as people type them on Arabic, Kurdish and Latin keyboards. Pure functions."""

import re

# Arabic-Indic (U+0660…) and Extended Arabic-Indic (U+06F0…, Kurdish and Persian keyboards) digits.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Harakat, superscript alef, Quranic marks, tatweel; zero-width joiners and direction marks.
INVISIBLE = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def western_digits(value: str) -> str:
    # translate() looks up every character in a dict; text all ASCII has no Arabic-Indic digit to change.
    return value if value.isascii() else value.translate(DIGITS)


def has_control_characters(value: str) -> bool:
    # isprintable() is False for every control character: checked in C first, searched only then.
    return not value.isprintable() and bool(_CONTROL.search(value))


def has_letter(value: str) -> bool:
    """A name needs a letter a person can see: zero-width spaces and marks alone are not one."""
    if value[:1].isalpha() and not INVISIBLE.match(value):  # nearly every name: its first letter is one
        return True
    return any(c.isalpha() for c in INVISIBLE.sub("", value))
