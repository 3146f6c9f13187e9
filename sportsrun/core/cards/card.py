"""A share card: a 1200×630 PNG (the Open Graph image size) with a title, a subtitle, up to four big figures,
up to two progress bars and a hashtag, laid out from the right in Arabic and Kurdish. It knows no domain:
the caller gives the words (translated) and the numbers (formatted here, in the card's language)."""

import io
from dataclasses import dataclass

from babel import numbers
from PIL import Image, ImageDraw

from sportsrun.core.cards.text import Style, draw_line, fit, width
from sportsrun.core.i18n import babel_locale, format_number, gettext, in_locale
from sportsrun.settings import get_settings

SIZE = (1200, 630)
MARGIN = 64
BAND = 92  # the strip along the bottom with the hashtag
BACKGROUND = (11, 110, 79)  # the site's accent green
BAND_COLOUR = (8, 84, 60)
INK = (255, 255, 255)
SOFT = (207, 233, 221)
HIGHLIGHT = (255, 200, 69)
TRACK = (61, 139, 114)


@dataclass(frozen=True, slots=True)
class Figure:
    """A big number under its label: `value` alone, "value of total" with a `total`, or a percentage when
    `percent` (then `value` is a fraction, 0.35 for 35%). A `value` given as text (a finish time, formatted
    by its domain) is shown as it is."""

    value: int | float | str
    label: str
    total: int | float | None = None
    percent: bool = False


@dataclass(frozen=True, slots=True)
class Progress:
    """A bar filled to value / target, with its label and "value of target"."""

    label: str
    value: int | float
    target: int | float


@dataclass(frozen=True, slots=True)
class CardSpec:
    title: str
    subtitle: str = ""
    figures: tuple[Figure, ...] = ()
    bars: tuple[Progress, ...] = ()
    hashtag: str = ""
    footer: str = ""  # small, at the end of the bottom strip: the site's address, a date

    def __post_init__(self) -> None:
        if len(self.figures) > 4 or len(self.bars) > 2:
            raise ValueError("a share card holds at most four figures and two bars")


def figure_text(figure: Figure) -> str:
    if isinstance(figure.value, str):
        return figure.value
    if figure.percent:
        return numbers.format_percent(figure.value, locale=babel_locale())
    if figure.total is None:
        return format_number(figure.value)
    return gettext("{value} of {total}", value=format_number(figure.value), total=format_number(figure.total))


class _Card:
    """Laid out top-down: the heading, then the figures and the bars, centred in the room left above the
    bottom strip. When they do not fit, the figures and bars are set smaller until they do."""

    def __init__(self, spec: CardSpec, locale: str, fonts_dir: str) -> None:
        self.spec = spec
        self.image = Image.new("RGB", SIZE, BACKGROUND)
        self.canvas = ImageDraw.Draw(self.image)
        self.bold = Style(fonts_dir, "bold", 60, locale)
        self.regular = Style(fonts_dir, "regular", 30, locale)
        self.rtl = self.bold.rtl
        self.box = (MARGIN, SIZE[0] - MARGIN)
        self.draw = False
        self.scale = 1.0

    def line(
        self,
        text: str,
        style: Style,
        box: tuple[float, float],
        y: float,
        fill: tuple[int, int, int],
        align: str = "start",
        auto: bool = False,
    ) -> None:
        """Draws, once the layout is settled (before, the same calls only measure)."""
        if self.draw:
            draw_line(self.canvas, text, style, box, y, fill, align, auto)

    def columns(self, count: int, gap: float) -> list[tuple[float, float]]:
        """`count` boxes across the card, the first at the start side."""
        left, right = self.box
        each = (right - left - gap * (count - 1)) / count
        boxes = [(left + i * (each + gap), left + i * (each + gap) + each) for i in range(count)]
        return boxes[::-1] if self.rtl else boxes

    def heading(self) -> float:
        """The title (up to two lines, shrunk to fit) and the subtitle; the y below them."""
        width_ = self.box[1] - self.box[0]
        title, lines = fit(self.spec.title, self.bold.sized(58), width_, 2, 40)
        y = MARGIN - 16
        for line in lines:
            y += title.size * 1.3
            self.line(line, title, self.box, y, INK)
        if self.spec.subtitle:
            style, lines = fit(self.spec.subtitle, self.regular.sized(30), width_, 1, 22)
            y += title.size * 0.45 + style.size * 1.15
            self.line(" ".join(lines), style, self.box, y, SOFT)
        return y + 20

    def figures(self, top: float) -> float:
        """The figures side by side, each after a bright rule on its start side; the y below them."""
        figures = self.spec.figures
        if not figures:
            return top
        boxes = self.columns(len(figures), 28)
        texts = [figure_text(f) for f in figures]
        inner = boxes[0][1] - boxes[0][0] - 22
        size = round((88 if len(figures) <= 2 else 72) * self.scale)
        while size > 28 and any(width(t, self.bold.sized(size)) > inner for t in texts):
            size -= 2
        number = self.bold.sized(size)
        labels = [fit(f.label, self.regular.sized(round(25 * self.scale)), inner, 2, 18) for f in figures]
        label_height = max(style.size * 1.3 * len(lines) for style, lines in labels)
        bottom = top + size * 1.2 + label_height
        for box, text, (style, lines) in zip(boxes, texts, labels, strict=True):
            rule = box[1] if self.rtl else box[0]
            if self.draw:
                self.canvas.rectangle((rule - 3, top + 4, rule + 3, bottom), fill=HIGHLIGHT)
            inner_box = (box[0], box[1] - 22) if self.rtl else (box[0] + 22, box[1])
            y = top + size * 0.95
            self.line(text, number, inner_box, y, INK)
            y += size * 0.25
            for line in lines:
                y += style.size * 1.3
                self.line(line, style, inner_box, y, SOFT)
        return bottom

    def bars(self, top: float) -> float:
        """The progress bars, each filled from the start side; the y below them."""
        size = round(25 * self.scale)
        label, value = self.regular.sized(size), self.bold.sized(size)
        height = round(14 * self.scale)
        left, right = self.box
        y = top
        for i, bar in enumerate(self.spec.bars):
            baseline = y + size * (1.2 if i else 1.0)
            self.line(bar.label, label, self.box, baseline, INK)
            text = gettext("{value} of {total}", value=format_number(bar.value), total=format_number(bar.target))
            self.line(text, value, self.box, baseline, INK, align="end")
            track = baseline + size * 0.5
            share = max(0.0, min(1.0, bar.value / bar.target)) if bar.target > 0 else 0.0
            if self.draw:
                self.canvas.rounded_rectangle((left, track, right, track + height), height / 2, fill=TRACK)
            if self.draw and share > 0:
                filled = max(height, (right - left) * share)
                span = (right - filled, right) if self.rtl else (left, left + filled)
                self.canvas.rounded_rectangle((span[0], track, span[1], track + height), height / 2, fill=HIGHLIGHT)
            y = track + height
        return y

    def middle(self, top: float) -> float:
        """The figures, then the bars; the y below them."""
        below = self.figures(top)
        if self.spec.figures and self.spec.bars:
            below += 30 * self.scale
        return self.bars(below)

    def band(self) -> None:
        top = SIZE[1] - BAND
        self.canvas.rectangle((0, top, SIZE[0], SIZE[1]), fill=BAND_COLOUR)
        baseline = top + BAND / 2 + 12
        left, right = self.box
        room = right - left
        if self.spec.footer:
            style, lines = fit(self.spec.footer, self.regular.sized(24), room * 0.4, 1, 18)
            self.line(" ".join(lines), style, self.box, baseline, SOFT, align="end", auto=True)
            room = room * 0.6 - 24
        if self.spec.hashtag:
            style, lines = fit(self.spec.hashtag, self.bold.sized(34), room, 1, 24)
            box = (right - room, right) if self.rtl else (left, left + room)
            self.line(" ".join(lines), style, box, baseline, HIGHLIGHT, auto=True)

    def png(self) -> bytes:
        top = self.heading()
        room = SIZE[1] - BAND - 24 - top
        for scale in (1.0, 0.92, 0.85, 0.78, 0.7):
            self.scale = scale
            needed = self.middle(0)
            if needed <= room:
                break
        self.draw = True
        self.heading()
        self.middle(top + max(0.0, room - needed) / 2)
        self.band()
        out = io.BytesIO()
        self.image.save(out, format="PNG")
        return out.getvalue()


def draw_card(spec: CardSpec, locale: str, fonts_dir: str | None = None) -> bytes:
    """The card as PNG bytes, in `locale` ("ar", "ckb" or "en"). Pure: the same spec, language and fonts
    give the same bytes, so callers cache them under their data's version. `fonts_dir` defaults to the
    SPORTSRUN_FONTS_DIR setting."""
    if fonts_dir is None:
        fonts_dir = get_settings().fonts_dir
    with in_locale(locale):
        return _Card(spec, locale, fonts_dir).png()
