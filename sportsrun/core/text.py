"""Text rules for names and numbers typed on Arabic, Kurdish and Latin keyboards. Pure functions."""

import re
import unicodedata

# Arabic-Indic (U+0660…) and Extended Arabic-Indic (U+06F0…, Kurdish and Persian keyboards) digits.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

# One spelling per letter for matching, never for storage: hamza forms of alef, alef maqsura,
# taa marbuta, and the Kurdish/Persian keyboard forms of yeh, kaf and heh.
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ئ": "ي",
        "ة": "ه",
        "ە": "ه",
        "ھ": "ه",
        "ک": "ك",
        "ؤ": "و",
    }
)
# Harakat, superscript alef, Quranic marks, tatweel; zero-width joiners and direction marks.
_IGNORED = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def western_digits(value: str) -> str:
    return value.translate(DIGITS)


def fold(value: str) -> str:
    """The matching form of a name: Arabic spelling variants, case, diacritics and spacing ignored."""
    value = unicodedata.normalize("NFKC", value)
    value = _IGNORED.sub("", value).translate(_FOLD)
    # Latin accents too: "José" and "Jose" are one runner typed on two phones.
    value = "".join(c for c in unicodedata.normalize("NFD", value) if unicodedata.category(c) != "Mn")
    return _SPACES.sub(" ", value).strip().casefold()


def name_key(given_name: str, family_name: str) -> str:
    return fold(f"{given_name} {family_name}")


def has_control_characters(value: str) -> bool:
    return bool(_CONTROL.search(value))


def _initial(name: str) -> str:
    name = _IGNORED.sub("", name).strip()
    return f"{name[0].upper()}." if name else ""


def initials(given_name: str, family_name: str) -> str:
    """API.md: "G. F." — the first letter of each name, a period after each."""
    return " ".join(filter(None, (_initial(given_name), _initial(family_name))))


def shows_full_name(name_display: str, minor: bool, guardian_allows: bool) -> bool:
    """Runners are shown as they chose, and by initials under 18 unless a guardian allowed the full name."""
    return name_display != "initials" and (not minor or bool(guardian_allows))


def public_name(given_name: str, family_name: str, name_display: str, minor: bool, guardian_allows: bool) -> str:
    """The name a runner is shown by in public (see `shows_full_name`)."""
    if shows_full_name(name_display, minor, guardian_allows):
        return f"{given_name} {family_name}"
    return initials(given_name, family_name)
