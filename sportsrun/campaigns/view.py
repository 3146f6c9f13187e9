"""What the campaign page shows, in the visitor's language: each figure with its target and a progress bar,
the province leaderboard sorted by any of its figures (best first), and the charts with the tables that carry
the same figures for screen readers and pages without images. Numbers and dates are Babel's, per locale."""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from babel import numbers
from markupsafe import Markup

from sportsrun.campaigns import figures as fig
from sportsrun.core.charts import Series, bar_chart, cumulative_chart
from sportsrun.core.i18n import N_, babel_locale, format_number
from sportsrun.core.i18n import gettext as _
from sportsrun.core.localised import localised

# The leaderboard's figures, in its columns' order; "finishers" ranks it unless the visitor picks another.
SORTS = ("events", "registrations", "finishers", "women_share", "km", "teams")
DEFAULT_SORT = "finishers"
COLUMNS = {
    "events": N_("Events held"),
    "registrations": N_("Registrations"),
    "finishers": N_("Finishers"),
    "women_share": N_("Women's share"),
    "km": N_("Kilometres"),
    "teams": N_("Football teams"),
}
METRICS = {
    "registrations": N_("Runners registered"),
    "finishers": N_("Finishers"),
    "provinces": N_("Provinces that held an event"),
    "women_share": N_("Women among finishers"),
    "km": N_("Kilometres run"),
    "teams": N_("Football teams registered"),
}
NO_VALUE = "—"


def percent(share: float | None) -> str:
    """A fraction as a percentage in the visitor's language, to one decimal where it has one (62.5%)."""
    if share is None:
        return NO_VALUE
    return numbers.format_percent(round(share, 3), locale=babel_locale(), decimal_quantization=False)


def value_text(metric: str, value: float | None) -> str:
    if metric == "women_share":
        return percent(value)
    return NO_VALUE if value is None else format_number(value)


@dataclass(frozen=True, slots=True)
class Line:
    """One figure of the campaign: its label, its value and, with a target, how far along it is."""

    metric: str
    label: str
    value: str
    target: str | None = None
    filled: float = 0.0  # for <progress max="target">: the value, at most the target
    maximum: float = 0.0
    reached: bool = False


def lines(counts) -> list[Line]:
    """Every figure, in the order of METRICS; those with a target carry their progress."""
    targets = {t.metric: t.target for t in counts.targets}
    out = []
    for metric, label in METRICS.items():
        value = counts.figures.value(metric)
        text = value_text(metric, value)
        if metric == "provinces":
            text = _("{value} of {total}", value=text, total=format_number(len(counts.provinces)))
        target = targets.get(metric)
        if target is None:
            out.append(Line(metric, _(label), text))
            continue
        got = value or 0
        out.append(Line(metric, _(label), text, value_text(metric, target), min(got, target), target, got >= target))
    return out


def read_sort(raw: object) -> str:
    """The leaderboard's sort from the address; anything else is the default (a stale link still works)."""
    return raw if isinstance(raw, str) and raw in SORTS else DEFAULT_SORT


def sorted_provinces(rows: Sequence[fig.ProvinceRow], sort: str, names: dict[str, str]) -> list[fig.ProvinceRow]:
    """Best first by `sort` (no women's share, where nobody finished, last); equals by name."""

    def key(row: fig.ProvinceRow) -> tuple:
        value = getattr(row, sort)
        return (value is None, -(value or 0), names.get(row.province, row.province))

    return sorted(rows, key=key)


def ranks(rows: Sequence[fig.ProvinceRow], sort: str) -> list[int]:
    """Each row's rank by `sort`, shared by equals (1, 2, 2, 4), as places are."""
    out: list[int] = []
    for i, row in enumerate(rows):
        level = i and getattr(row, sort) == getattr(rows[i - 1], sort)
        out.append(out[-1] if level else i + 1)
    return out


def cell(sort: str, row: fig.ProvinceRow) -> str:
    return value_text(sort, getattr(row, sort))


def province_chart(rows: Sequence[fig.ProvinceRow], sort: str, names: dict[str, str]) -> Markup:
    """The 19 provinces as bars of the sorted figure, in the table's order."""
    title = _("{figure} by province", figure=_(COLUMNS[sort]))
    if sort != "women_share":
        return bar_chart([(names.get(r.province, r.province), getattr(r, sort)) for r in rows], title=title)
    # Where nobody finished there is no share: -0.0 draws no bar and reads as "—", 0.0 as 0%.
    data = [(names.get(r.province, r.province), -0.0 if r.women_share is None else r.women_share) for r in rows]
    return bar_chart(data, title=title, maximum=1,
                     value_text=lambda v: NO_VALUE if math.copysign(1, v) < 0 else percent(v))  # fmt: skip


def timeline_chart(timeline: Sequence[fig.Progress]) -> Markup:
    """Registrations and finishers added up over the campaign's event dates (the timeline is cumulative)."""
    added: dict[str, list[tuple[dt.date, int]]] = {"registrations": [], "finishers": []}
    before = {"registrations": 0, "finishers": 0}
    for row in timeline:
        for name in added:
            now = getattr(row, name)
            added[name].append((row.date, now - before[name]))
            before[name] = now
    series = [Series(_("Registrations"), added["registrations"]), Series(_("Finishers"), added["finishers"])]
    return cumulative_chart(series, title=_("Registrations and finishers over time"),
                            description=_("Running totals on each event date."))  # fmt: skip


def race_events(held) -> dict[int, str]:
    """The event's name of each series race whose name another series race also has ("Half marathon" in
    Baghdad and in Erbil), so that the standings tell them apart."""
    races = held.series_races
    names = [race.name for _event, race in races]
    return {race.id: localised(event) for event, race in races if names.count(race.name) > 1}


def race_names(held) -> dict[int, str]:
    """Each series race's name in the visitor's language (the standings list the races a runner ran)."""
    return {race.id: localised(race) for _event, race in held.series_races}
