"""Names as people type them: their matching form, initials, and how they are shown in public. Pure functions."""

import functools
import re
import unicodedata

from sportsrun.core.text.characters import INVISIBLE

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
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=1 << 16)
def fold(value: str) -> str:
    """The matching form of a name: Arabic spelling variants, case, diacritics and spacing ignored.

    Kept for the most recent values: an import folds every row's gender, province and given name, and
    those repeat from row to row."""
    if value.isascii():
        return _SPACES.sub(" ", value).strip().casefold()
    value = unicodedata.normalize("NFKC", value)
    value = INVISIBLE.sub("", value).translate(_FOLD)
    # Latin accents too: "José" and "Jose" are one runner typed on two phones.
    value = "".join(c for c in unicodedata.normalize("NFD", value) if unicodedata.category(c) != "Mn")
    return _SPACES.sub(" ", value).strip().casefold()


def name_key(given_name: str, family_name: str) -> str:
    return fold(f"{given_name} {family_name}")


def _initial(name: str) -> str:
    name = INVISIBLE.sub("", name).strip()
    return f"{name[0].upper()}." if name else ""


def initials(given_name: str, family_name: str) -> str:
    """As the API writes them: "G. F." — the first letter of each name, a period after each."""
    return " ".join(filter(None, (_initial(given_name), _initial(family_name))))


def shows_full_name(name_display: str, minor: bool, guardian_allows: bool) -> bool:
    """Runners are shown as they chose, and by initials under 18 unless a guardian allowed the full name."""
    return name_display != "initials" and (not minor or bool(guardian_allows))


def public_name(given_name: str, family_name: str, name_display: str, minor: bool, guardian_allows: bool) -> str:
    """The name a runner is shown by in public (see `shows_full_name`)."""
    if shows_full_name(name_display, minor, guardian_allows):
        return f"{given_name} {family_name}"
    return initials(given_name, family_name)
