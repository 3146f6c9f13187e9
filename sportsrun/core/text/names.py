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
_VARIANTS = [(chr(variant), letter) for variant, letter in _FOLD.items()]
_SPACES = re.compile(r"\s+")


def _plain(code: int) -> bool:
    """A character each step of full folding leaves alone but for `_FOLD` and case: no compatibility form,
    nothing invisible, no decomposition once folded, no mark (so nothing composes or reorders with its
    neighbours)."""
    c = chr(code)
    folded = c.translate(_FOLD)
    return (
        unicodedata.category(c)[0] in "LNPS"
        and unicodedata.normalize("NFKC", c) == c
        and not INVISIBLE.match(c)
        and unicodedata.normalize("NFD", folded) == folded
        and unicodedata.category(folded)[0] in "LNPS"
    )


# Names typed in Arabic, Kurdish or Latin letters (Latin, Greek, Cyrillic, Arabic blocks): computed from the
# Unicode data Python ships, so it follows its version.
_PLAIN = re.compile("[ " + "".join(re.escape(chr(code)) for code in range(0x21, 0x800) if _plain(code)) + "]*")


@functools.lru_cache(maxsize=1 << 16)
def fold(value: str) -> str:
    """The matching form of a name: Arabic spelling variants, case, diacritics and spacing ignored.

    Kept for the most recent values: an import folds every row's gender, province and given name, and
    those repeat from row to row. Names of plain letters (nearly all) skip the normalisations, which
    would leave them as they are: a tenth of a 50,000-row import went on them."""
    if value.isascii():
        return _SPACES.sub(" ", value).strip().casefold()
    if _PLAIN.fullmatch(value):
        # str.translate looks each character up in a dict; a replace per variant present is a C scan.
        for variant, letter in _VARIANTS:
            if variant in value:
                value = value.replace(variant, letter)
        return " ".join(value.split()).casefold()  # its only space is " ": split() collapses and strips
    return full_fold(value)


def full_fold(value: str) -> str:
    """fold() step by step, for any text."""
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
