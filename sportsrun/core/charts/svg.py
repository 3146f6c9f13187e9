"""What the charts share: the <svg> element around them, escaping, and coordinates that run from the
right in Arabic and Kurdish.

The charts are drawn on the server as SVG text for the templates: every word escaped, no `style`
attribute (the Content-Security-Policy allows styles from our stylesheet only), colours as presentation
attributes that `static/css/site.css` may override through the classes. Each is `role="img"` named by
its <title>; the page shows the same figures in a table beside it for screen readers and for print."""

import hashlib
from collections.abc import Iterable

from markupsafe import Markup

from sportsrun.core.i18n import RTL

PALETTE = ("#0b6e4f", "#c77700", "#3b5ba9", "#a4262c")  # the site's accent first


def number(value: float) -> str:
    """A coordinate: one decimal at most, never an exponent."""
    return f"{value:.1f}".removesuffix(".0")


def chart_id(kind: str, *parts: object) -> str:
    """An id for the chart's title, the same for the same chart (pages are cached) and distinct for two
    charts of one page that differ."""
    digest = hashlib.sha256(repr((kind, parts)).encode()).hexdigest()[:10]
    return f"chart-{kind}-{digest}"


class Plane:
    """x as a distance from the line's start: from the left edge in English, from the right in Arabic and
    Kurdish, so one drawing serves both and text anchors stay logical (with `direction="rtl"` on the <svg>,
    text-anchor "start" is the text's right end)."""

    def __init__(self, width: float, locale: str) -> None:
        self.width = width
        self.rtl = locale in RTL

    def x(self, distance: float) -> float:
        return self.width - distance if self.rtl else distance

    def span(self, start: float, length: float) -> tuple[float, float]:
        """A rectangle's left edge and width for a bar from `start` over `length` toward the line's end."""
        return (self.width - start - length if self.rtl else start), length


def _attributes(attributes: dict[str, object]) -> Markup:
    """Escaped attributes: `class_` for class, `_` for `-` in other names, None left out."""
    return Markup("").join(
        Markup(' {}="{}"').format(key.rstrip("_").replace("_", "-"), value)
        for key, value in attributes.items()
        if value is not None
    )


def element(name: str, text: object = None, /, **attributes: object) -> Markup:
    """An element with escaped attributes and escaped text (none: an empty element)."""
    if text is None:
        return Markup("<{}{}/>").format(name, _attributes(attributes))
    return Markup("<{0}{1}>{2}</{0}>").format(name, _attributes(attributes), text)


def svg(
    ident: str,
    title: str,
    description: str,
    size: tuple[float, float],
    plane: Plane,
    kind: str,
    body: Iterable[Markup],
) -> Markup:
    labelled = f"{ident}-title {ident}-desc" if description else f"{ident}-title"
    opening = _attributes(
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {number(size[0])} {number(size[1])}",
            "role": "img",
            "aria_labelledby": labelled,
            "class_": f"chart {kind}",
            "direction": "rtl" if plane.rtl else "ltr",
            "font_size": "14",
        }
    )
    parts = [Markup("<svg{}>").format(opening), element("title", title, id=f"{ident}-title")]
    if description:
        parts.append(element("desc", description, id=f"{ident}-desc"))
    parts.extend(body)
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
