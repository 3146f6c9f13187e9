"""One line of text in several fonts and both directions: cut into runs of one font and one bidi level,
each shaped by libraqm (Arabic letters joined, Kurdish ones too), placed left to right in the order the
bidi algorithm gives. Lines are wrapped at spaces and shrunk to fit."""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import ImageDraw, ImageFont

from sportsrun.core.cards import bidi
from sportsrun.core.cards.fonts import Face, covers, faces, font

_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def _is_arabic(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _ARABIC_RANGES)


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    font: ImageFont.FreeTypeFont
    rtl: bool
    language: str

    @property
    def raqm(self) -> bool:
        return self.font.layout_engine == ImageFont.Layout.RAQM

    def options(self) -> dict:
        if not self.raqm:
            return {}
        return {"direction": "rtl" if self.rtl else "ltr", "language": self.language}

    def shaped(self) -> str:
        # Without libraqm nothing reorders the letters; reversed, at least they stand in reading order.
        return self.text if self.raqm or not self.rtl else self.text[::-1]

    @property
    def width(self) -> float:
        return self.font.getlength(self.shaped(), **self.options())


@dataclass(frozen=True, slots=True)
class Style:
    """How a piece of text is set: its fonts' directory and weight, its size, the page's language."""

    fonts_dir: str
    weight: str
    size: int
    locale: str

    @property
    def rtl(self) -> bool:
        return self.locale in ("ar", "ckb")

    def sized(self, size: int) -> "Style":
        return Style(self.fonts_dir, self.weight, size, self.locale)


def _choose(chain: Sequence[Face], preferred: Face | None, char: str) -> Face:
    for face in (preferred, *chain) if preferred else chain:
        if covers(face, char):
            return face
    return chain[0]


def _nearest(faces_: list[Face | None], levels: list[int], order: range) -> tuple[list[int | None], list[int | None]]:
    """For each position, the nearest letter met first going in `order`: of the same level, and of any."""
    same: list[int | None] = [None] * len(faces_)
    any_: list[int | None] = [None] * len(faces_)
    last_by_level: dict[int, int] = {}
    last = None
    for i in order:
        if faces_[i] is None:
            same[i], any_[i] = last_by_level.get(levels[i]), last
        else:
            last_by_level[levels[i]] = last = i
    return same, any_


def _assign(text: str, levels: list[int], style: Style) -> list[Face]:
    """A face for each character: letters by their script; marks with their letter; spaces, digits and
    signs with the letters of their own level beside them, when that face has them (a number in an English
    name stays in the Latin face, in an Arabic sentence in the Arabic one)."""
    chain = faces(style.fonts_dir, style.weight)
    arabic = [f for f in chain if f.arabic] or list(chain)
    latin = [f for f in chain if not f.arabic] or list(chain)
    out: list[Face | None] = []
    for char in text:
        kind = bidi.bidi_class(char)
        if kind in ("R", "AL") or _is_arabic(char) and kind != "NSM":
            out.append(_choose(arabic, None, char))
        elif kind == "L":
            out.append(_choose(latin, None, char))
        else:
            out.append(None)
    before_same, before_any = _nearest(out, levels, range(len(text)))
    after_same, after_any = _nearest(out, levels, range(len(text) - 1, -1, -1))
    for i, char in enumerate(text):
        if out[i] is not None:
            continue
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):
            near = before_any[i]
        else:
            near = next(
                (j for j in (before_same[i], after_same[i], before_any[i], after_any[i]) if j is not None), None
            )
        preferred = out[near] if near is not None else (arabic if style.rtl else latin)[0]
        out[i] = _choose(chain, preferred, char)
    return [face for face in out if face is not None]


def runs(text: str, style: Style, auto: bool = False) -> list[Run]:
    """The runs of `text` in `style`, from left to right. The line runs in the direction of the card's
    language, or with `auto` in that of its own first letter (a hashtag in Latin letters on an Arabic
    card keeps its # in front)."""
    text = bidi.strip_explicit(text)
    if not text:
        return []
    base = "rtl" if style.rtl else "ltr"
    levels = bidi.levels(text, bidi.first_strong(text, base) if auto else base)
    assigned = _assign(text, levels, style)
    pieces: list[tuple[int, Face, str]] = []
    for char, level, face in zip(text, levels, assigned, strict=True):
        if pieces and pieces[-1][0] == level and pieces[-1][1] == face:
            pieces[-1] = (level, face, pieces[-1][2] + char)
        else:
            pieces.append((level, face, char))
    order = bidi.visual_order([level for level, _face, _text in pieces])
    language = style.locale if style.rtl else "ar"
    return [
        Run(
            text=pieces[i][2],
            font=font(pieces[i][1], style.size),
            rtl=bool(pieces[i][0] % 2),
            language=language if pieces[i][1].arabic else "en",
        )
        for i in order
    ]


def width(text: str, style: Style) -> float:
    return sum(run.width for run in runs(text, style))


def draw_line(
    canvas: ImageDraw.ImageDraw,
    text: str,
    style: Style,
    box: tuple[float, float],
    baseline: float,
    fill: tuple[int, int, int],
    align: str,
    auto: bool = False,
) -> None:
    """`text` on `baseline` between x = box[0] and box[1], at the line's `align` in the card's direction:
    "start" (the right in Arabic and Kurdish), "end" or "center". `auto` as in `runs`."""
    line = runs(text, style, auto)
    total = sum(run.width for run in line)
    left, right = box
    if align == "center":
        x = (left + right - total) / 2
    elif (align == "start") != style.rtl:
        x = left
    else:
        x = right - total
    for run in line:
        canvas.text((x, baseline), run.shaped(), font=run.font, fill=fill, anchor="ls", **run.options())
        x += run.width


def wrap(text: str, style: Style, max_width: float, most: int) -> list[str]:
    """Lines of `text` no wider than `max_width`, broken at spaces (a longer word stands alone); one more
    than `most` at most (a title of a thousand words is not set to be cut)."""
    lines: list[str] = []
    for word in text.split():
        if lines and width(f"{lines[-1]} {word}", style) <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        elif len(lines) > most:
            break
        else:
            lines.append(word)
    return lines


def fit(text: str, style: Style, max_width: float, max_lines: int, smallest: int) -> tuple[Style, list[str]]:
    """The largest size from `style.size` down to `smallest` at which `text` wraps into `max_lines`; at
    the smallest, the lines that fit, cut with an ellipsis where they do not (a word too long, or more
    words after the last line)."""
    text = text[: int(max_lines * max_width / (smallest * 0.2))]  # more could never fit: no letter is narrower
    size = style.size
    while True:
        sized = style.sized(size)
        lines = wrap(text, sized, max_width, max_lines)
        wide = [width(line, sized) > max_width for line in lines[:max_lines]]
        if len(lines) <= max_lines and not any(wide):
            return sized, lines
        if size <= smallest:
            kept = lines[:max_lines]
            last = len(kept) - 1
            return sized, [
                _cut(line, sized, max_width) if wide[i] or (i == last and len(lines) > max_lines) else line
                for i, line in enumerate(kept)
            ]
        size = max(smallest, int(size * 0.9))


def _cut(line: str, style: Style, max_width: float) -> str:
    """`line` shortened to fit `max_width` with an ellipsis: at a space if one is left, else in the word."""
    words = line.split(" ")
    while len(words) > 1 and width(" ".join(words) + " …", style) > max_width:
        words.pop()
    text = " ".join(words)[: int(max_width / (style.size * 0.2))]
    if width(text + " …", style) > max_width:
        low, high = 0, len(text)  # the longest prefix that fits, by halves: a word may be very long
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if width(text[:middle] + " …", style) <= max_width else (low, middle - 1)
        text = text[:low]
    return text + " …"
