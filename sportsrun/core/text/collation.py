"""Names in alphabetical order as Arabic and Kurdish readers expect, for printed lists. Pure functions.

Code point order is almost the Arabic alphabet's, but not quite: the letters Kurdish and Persian add
(پ چ ژ ڤ گ ڕ ڵ ۆ ێ) sit far above ي, and the hamza forms would scatter أحمد and احمد. A name is first
folded as searches fold it (`names.fold`: أ/إ/آ → ا, ة → ه, ى/ی → ي, ک → ك, diacritics and tatweel
gone), then each letter takes its place in one alphabet where every Kurdish letter follows the Arabic
letter it is drawn from (پ after ب, چ after ج, ڕ after ر …), as Sorani dictionaries order them. One
letter is kept from folding: ئ, which opens the Sorani alphabet (ئارام, ئاسۆ) and which matching reads as
ي, is ordered with ء, first."""

import unicodedata

from sportsrun.core.text.names import fold

# The Arabic alphabet in its usual (alifbāʾī) order, each Kurdish or Persian letter after its model.
_HAMZA_SEAT = "\ue000"  # ئ kept through folding (a private-use character: no font, no fold touches it)
_ALPHABET = _HAMZA_SEAT + "ءابپتثجچحخدذرڕزژسشصضطظعغفڤقكگلڵمنهوۆيێ"
_RANK = {letter: i + 1 for i, letter in enumerate(_ALPHABET)}
_RANK[_HAMZA_SEAT] = _RANK["ء"]
_RANK.update({"ڪ": _RANK["ك"], "ۇ": _RANK["و"], "ۋ": _RANK["و"]})


class _Keys(dict):
    """A `str.translate` table from a character to its piece of the sort key, worked out the first time the
    character is met: its folded form (as `names.fold` folds it), each letter moved into the band of its
    script, Arabic letters at their place in the alphabet. Spaces go lowest, before every letter."""

    def __init__(self, arabic: int, other: int):
        super().__init__()
        self.arabic, self.other = arabic, other

    def _band(self, char: str) -> str:
        rank = _RANK.get(char)
        if rank is not None:
            return chr(self.arabic + rank)
        code = ord(char)
        if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F:
            return chr(self.arabic + 0x100 + code - 0x0600)  # a letter the alphabet above lacks: after them
        return chr(self.other + min(code, 0xEFFFF))

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char == " ":
            key = "\x01"
        elif char == "ئ":
            key = self._band(_HAMZA_SEAT)
        else:
            key = "".join(self._band(c) for c in fold(char))  # "" for a diacritic or an invisible mark
        self[code] = key
        return key


# Arabic letters in a band below everything else, or above it (Latin first, as an English list wants).
_ARABIC_FIRST = _Keys(arabic=0x1000, other=0x10000)
_LATIN_FIRST = _Keys(arabic=0x100000, other=0x1000)


def sort_key(name: str, arabic_first: bool = True) -> str:
    """The key that puts `name` in alphabetical order: Arabic and Kurdish names in one alphabet, spaces
    before any letter (so "علي" comes before "علياء"), and names in Latin letters after them (before them
    with `arabic_first` False). One translation per name: 50,000 names are keyed in some tens of ms."""
    words = unicodedata.normalize("NFKC", name).split()
    return " ".join(words).translate(_ARABIC_FIRST if arabic_first else _LATIN_FIRST)
