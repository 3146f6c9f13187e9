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
_ARABIC_SCRIPT = 0
_LATIN_SCRIPT = 1
_OTHER = 2


def _letter(char: str) -> tuple[int, int | str]:
    rank = _RANK.get(char)
    if rank is not None:
        return (_ARABIC_SCRIPT, rank)
    if "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f":
        return (_ARABIC_SCRIPT, 100 + ord(char))  # a letter the alphabet above lacks: after every other
    if char.isascii() and char.isalnum() or char.isalpha():
        return (_LATIN_SCRIPT, char)
    return (_OTHER, char)


def sort_key(name: str, arabic_first: bool = True) -> tuple:
    """The key that puts `name` in alphabetical order: Arabic and Kurdish names in one alphabet, spaces
    before any letter (so "علي" comes before "علياء"), and names in Latin letters after them (before them
    with `arabic_first` False, as an English list wants)."""
    words = fold(unicodedata.normalize("NFC", name).replace("ئ", _HAMZA_SEAT)).split(" ")
    key = []
    for word in words:
        letters = [_letter(c) for c in word]
        if not arabic_first:
            letters = [(1 - script if script < _OTHER else script, value) for script, value in letters]
        key.append(tuple(letters))
    return tuple(key)
