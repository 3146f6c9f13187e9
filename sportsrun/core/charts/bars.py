"""A horizontal bar chart (the 19 provinces by finishers): one row per label, the bar growing from the
labels toward the line's end, so from the right in Arabic and Kurdish, its value after it."""

from collections.abc import Callable, Sequence

from markupsafe import Markup

from sportsrun.core.charts.svg import PALETTE, Plane, chart_id, element, number, svg
from sportsrun.core.i18n import current_locale, format_number, in_locale

# Drawn about as wide as a phone's screen so its words keep their size there (a 640-wide drawing showed 8 px
# text at 390 px); the stylesheet caps how far it grows on a wide screen.
WIDTH = 400
ROW = 26
BAR = 16
VALUE_ROOM = 64  # the value's text after the longest bar


def bar_chart(
    rows: Sequence[tuple[str, float]],
    *,
    title: str,
    description: str = "",
    locale: str | None = None,
    label_width: int = 116,
    maximum: float | None = None,
    value_text: Callable[[float], str] | None = None,
    ident: str | None = None,
) -> Markup:
    """`rows` of (label, value) in the order shown, as an <svg> for a template. `title` names the chart
    for assistive technology (`description` adds a sentence); `locale` defaults to the visitor's.
    `maximum` is the value of a full bar (several charts on one scale); `value_text` writes a value
    (Babel's number in the locale by default); `ident` makes the ids of its title (by default derived
    from its content)."""
    locale = locale or current_locale.get()
    with in_locale(locale):
        texts = [(value_text or format_number)(value) for _label, value in rows]
    plane = Plane(WIDTH, locale)
    top = max([maximum or 0, *(value for _label, value in rows)]) or 1
    length = WIDTH - label_width - VALUE_ROOM
    body = []
    for i, ((label, value), text) in enumerate(zip(rows, texts, strict=True)):
        middle = i * ROW + ROW / 2
        bar = max(0.0, min(value, top)) / top * length
        left, span = plane.span(label_width, bar)
        body.append(
            Markup("").join(
                (
                    Markup('<g class="chart-row">'),
                    element(
                        "text",
                        label,
                        x=number(plane.x(label_width - 8)),
                        y=number(middle),
                        text_anchor="end",
                        dominant_baseline="central",
                        class_="chart-label",
                        fill="#1d2731",
                    ),
                    element(
                        "rect",
                        x=number(left),
                        y=number(middle - BAR / 2),
                        width=number(span),
                        height=BAR,
                        rx=2,
                        class_="chart-bar",
                        fill=PALETTE[0],
                    ),
                    element(
                        "text",
                        text,
                        x=number(plane.x(label_width + bar + 6)),
                        y=number(middle),
                        text_anchor="start",
                        dominant_baseline="central",
                        class_="chart-value",
                        fill="#1d2731",
                    ),
                    Markup("</g>"),
                )
            )
        )
    ident = ident or chart_id("bars", title, locale, tuple(rows), maximum)
    return svg(ident, title, description, (WIDTH, max(ROW, ROW * len(rows))), plane, "chart-bars", body)
