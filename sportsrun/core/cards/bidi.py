"""The Unicode bidirectional algorithm (UAX #9) for one line of text, enough for a share card: the
paragraph's direction is the page's, and there are no explicit embeddings or isolates (they are dropped).

Pillow shapes one run in one font at a time, so a line that mixes Arabic and Latin letters (an English
event name on an Arabic card) is cut into runs by font, and it is this module that says in which order
the runs stand from left to right and which way each runs. Pure functions."""

import unicodedata
from collections.abc import Sequence

_STRONG = {"L": "L", "R": "R", "AL": "R"}
# Explicit embeddings, overrides and isolates: a card's text has no use for them, and half-kept they
# would reorder the line wrongly.
_EXPLICIT = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
_NEUTRAL = frozenset({"ON", "WS", "B", "S", "BN"})


def bidi_class(char: str) -> str:
    return unicodedata.bidirectional(char) or "ON"


def strip_explicit(text: str) -> str:
    return "".join(c for c in text if bidi_class(c) not in _EXPLICIT)


def first_strong(text: str, default: str) -> str:
    """A paragraph's own direction (rules P2–P3): that of its first letter, as `dir="auto"` does."""
    for char in text:
        kind = bidi_class(char)
        if kind in _STRONG:
            return "ltr" if kind == "L" else "rtl"
    return default


def _weak(types: list[str], base: str) -> list[str]:
    """Rules W1–W7: marks take their letter's class, numbers the side they stand with."""
    sos = "R" if base == "rtl" else "L"
    for i, t in enumerate(types):  # W1
        if t == "NSM":
            types[i] = types[i - 1] if i else sos
    last = sos
    for i, t in enumerate(types):  # W2, W3
        if t in ("L", "R", "AL"):
            last = t
            if t == "AL":
                types[i] = "R"
        elif t == "EN" and last == "AL":
            types[i] = "AN"
    for i in range(1, len(types) - 1):  # W4
        before, here, after = types[i - 1], types[i], types[i + 1]
        if here == "ES" and before == after == "EN" or here == "CS" and before == after and before in ("EN", "AN"):
            types[i] = before
    for i, t in enumerate(types):  # W5: currency and % signs beside a European number
        if t == "ET":
            j = i
            while j < len(types) and types[j] == "ET":
                j += 1
            if (i and types[i - 1] == "EN") or (j < len(types) and types[j] == "EN"):
                types[i:j] = ["EN"] * (j - i)
    types[:] = ["ON" if t in ("ES", "ET", "CS") else t for t in types]  # W6
    last = sos
    for i, t in enumerate(types):  # W7
        if t in ("L", "R"):
            last = t
        elif t == "EN" and last == "L":
            types[i] = "L"
    return types


def _neutrals(types: list[str], base: str) -> list[str]:
    """Rules N1–N2: neutrals between two sides of one direction take it, any other the paragraph's."""
    sos = "R" if base == "rtl" else "L"

    def side(t: str) -> str:
        return "R" if t in ("R", "EN", "AN") else t

    i = 0
    while i < len(types):
        if types[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < len(types) and types[j] in _NEUTRAL:
            j += 1
        before = side(types[i - 1]) if i else sos
        after = side(types[j]) if j < len(types) else sos
        types[i:j] = [before if before == after else sos] * (j - i)
        i = j
    return types


def levels(text: str, base: str) -> list[int]:
    """The embedding level of each character of `text` (without explicit formatting characters), in a
    paragraph of direction `base` ("ltr" or "rtl"): even levels run left to right, odd ones right to left."""
    types = _neutrals(_weak([bidi_class(c) for c in text], base), base)
    out = []
    for t in types:  # I1, I2
        if base == "ltr":
            out.append(0 if t == "L" else 1 if t == "R" else 2)
        else:
            out.append(2 if t in ("L", "EN", "AN") else 1)
    # L1: spaces at the end of the line go back to the paragraph's level.
    i = len(text)
    while i and bidi_class(text[i - 1]) in ("WS", "BN", "S"):
        i -= 1
        out[i] = 0 if base == "ltr" else 1
    return out


def visual_order(run_levels: Sequence[int]) -> list[int]:
    """Rule L2 over runs: the indices of runs (each of one level) from left to right. A run of odd level
    is itself drawn right to left."""
    order = list(range(len(run_levels)))
    if not order:
        return order
    highest = max(run_levels)
    lowest_odd = min(level for level in run_levels) | 1
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if run_levels[order[i]] >= level:
                j = i
                while j < len(order) and run_levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order
