"""A cumulative step chart over dates (registrations and finishers as the campaign goes on): one line per
series, time running toward the line's end (leftward in Arabic and Kurdish), dates in the locale's words."""

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from sportsrun.core.charts.svg import PALETTE, Plane, chart_id, element, number, svg
from sportsrun.core.i18n import current_locale, format_date, format_number, in_locale

# About as wide as a phone's screen, as bars.py: three dates fit under the axis in every language.
WIDTH, HEIGHT = 400, 300
START, END = 64, 12  # room for the amounts at the line's start, for the last date at its end
TOP, BOTTOM = 12, 232  # the plot's top and its axis; the dates below it, then the legend
TICKS = 4


@dataclass(frozen=True, slots=True)
class Series:
    """A line's name and how many were added on each date (the chart adds them up)."""

    name: str
    counts: Sequence[tuple[dt.date, int]]


def totals(counts: Sequence[tuple[dt.date, int]]) -> list[tuple[dt.date, int]]:
    """The running total after each date, dates in order (the same date twice counts once, summed)."""
    per_day = Counter[dt.date]()
    for day, count in counts:
        per_day[day] += count
    running, out = 0, []
    for day in sorted(per_day):
        running += per_day[day]
        out.append((day, running))
    return out


def nice_ceiling(value: float) -> float:
    """The next round number at or above `value` that splits into TICKS whole steps of 1, 2, 2.5 or 5 × 10ⁿ
    (people are counted whole: never less than one a step)."""
    step = max(value / TICKS, 1)
    power = 10 ** math.floor(math.log10(step))
    factor = next(f for f in (1, 2, 2.5, 5, 10) if step <= f * power)
    if factor == 2.5 and power == 1:
        factor = 5  # 2.5 people a step
    return TICKS * factor * power


def _days(first: dt.date, last: dt.date, count: int) -> list[dt.date]:
    span = (last - first).days
    return sorted({first + dt.timedelta(days=round(span * i / (count - 1))) for i in range(count)})


class _Axes:
    """Dates across (toward the line's end), running totals up."""

    def __init__(self, first: dt.date, last: dt.date, top: float, plane: Plane) -> None:
        self.first, self.last, self.top, self.plane = first, last, top, plane

    def x(self, day: dt.date) -> float:
        share = (day - self.first).days / (self.last - self.first).days
        return self.plane.x(START + (WIDTH - START - END) * share)

    def y(self, total: float) -> float:
        return BOTTOM - (BOTTOM - TOP) * total / self.top

    def amounts(self) -> list[Markup]:
        """A grid line and its amount at each step of the scale."""
        out = []
        for i in range(TICKS + 1):
            y = number(self.y(self.top * i / TICKS))
            start, end = number(self.plane.x(START)), number(self.plane.x(WIDTH - END))
            out.append(element("line", x1=start, x2=end, y1=y, y2=y, class_="chart-grid", stroke="#d8dee3"))
            out.append(
                element(
                    "text",
                    format_number(self.top * i / TICKS),
                    x=number(self.plane.x(START - 8)),
                    y=y,
                    text_anchor="end",
                    dominant_baseline="central",
                    class_="chart-tick",
                    fill="#5b6770",
                )
            )
        return out

    def dates(self) -> list[Markup]:
        """Three dates under the axis, the first and the last at its ends, in the locale's month names; across
        years the month and year (a day, a long Arabic month and a year, three times, do not fit)."""
        pattern = "d MMM" if self.first.year == self.last.year else "MMM y"
        out = []
        for n, day in enumerate(_days(self.first, self.last, 3)):
            anchor = "start" if n == 0 else "end" if day == self.last else "middle"
            text = format_date(day, pattern)
            attributes = {"text_anchor": anchor, "class_": "chart-tick", "fill": "#5b6770"}
            out.append(element("text", text, x=number(self.x(day)), y=BOTTOM + 20, **attributes))
        return out

    def line(self, totals_: list[tuple[dt.date, int]], css: str, colour: str) -> Markup:
        """A step from 0 on the first date up to each running total, held to the end of the axis."""
        steps = [f"M{number(self.x(totals_[0][0]))} {number(self.y(0))}"]
        steps.extend(f"H{number(self.x(day))}V{number(self.y(total))}" for day, total in totals_)
        steps.append(f"H{number(self.plane.x(WIDTH - END))}")
        return element("path", d="".join(steps), fill="none", stroke=colour, stroke_width=2.5, class_=css)

    def legend(self, i: int, count: int, text: str, css: str, colour: str) -> list[Markup]:
        start = i * WIDTH / max(1, count)
        swatch = number(self.plane.span(start, 14)[0])
        return [
            element("rect", x=swatch, y=HEIGHT - 20, width=14, height=4, fill=colour, class_=css),
            element(
                "text",
                text,
                x=number(self.plane.x(start + 20)),
                y=HEIGHT - 10,
                text_anchor="start",
                class_="chart-legend",
                fill="#1d2731",
            ),
        ]


def cumulative_chart(
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    locale: str | None = None,
    ident: str | None = None,
) -> Markup:
    """The running totals of `series` as an <svg> for a template, each line a step at every date. `title`
    names the chart for assistive technology (`description` adds a sentence); `locale` defaults to the
    visitor's; the legend gives each line's final total. Without any count there are no dates to show."""
    locale = locale or current_locale.get()
    lines = [totals(s.counts) for s in series]
    days = [day for line in lines for day, _total in line]
    first, last = (min(days), max(days)) if days else (dt.date(2000, 1, 1), dt.date(2000, 1, 1))
    if first == last:
        first -= dt.timedelta(days=1)
    top = nice_ceiling(max((total for line in lines for _day, total in line), default=0))
    axes = _Axes(first, last, top, Plane(WIDTH, locale))
    with in_locale(locale):
        body = axes.amounts() + (axes.dates() if days else [])
        for i, (s, line) in enumerate(zip(series, lines, strict=True)):
            colour, css = PALETTE[i % len(PALETTE)], f"chart-series chart-series-{i % len(PALETTE)}"
            if line:
                body.append(axes.line(line, css, colour))
            final = format_number(line[-1][1] if line else 0)
            body.extend(axes.legend(i, len(series), f"{s.name}: {final}", css, colour))
    ident = ident or chart_id("lines", title, locale, tuple((s.name, tuple(s.counts)) for s in series))
    return svg(ident, title, description, (WIDTH, HEIGHT), axes.plane, "chart-lines", body)
