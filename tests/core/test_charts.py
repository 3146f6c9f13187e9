"""Charts as SVG for the templates: well-formed, named for assistive technology, every word escaped,
mirrored in Arabic and Kurdish, dates and numbers in the page's language."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from sportsrun.core.charts import Series, bar_chart, bars, cumulative_chart, lines
from sportsrun.core.charts.lines import nice_ceiling, totals
from sportsrun.core.i18n import in_locale

pytestmark = pytest.mark.pure  # no database: run once, on SQLite

SVG = "{http://www.w3.org/2000/svg}"
PROVINCES = [("بغداد", 4210), ("البصرة", 2300), ("نينوى", 1800), ("Duhok", 0)]
HOSTILE = '<script>alert("x")</script> & "quotes"'


def parse(markup: Markup) -> ET.Element:
    assert isinstance(markup, Markup)  # a template shows it as it is
    root = ET.fromstring(str(markup))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    return root


def texts(root: ET.Element, css: str) -> list[str]:
    """The words of the chart's <text> elements of class `css` (Babel joins a month's words by a no-break
    space: read as a space)."""
    found = [t.text or "" for t in root.iter(f"{SVG}text") if css in (t.get("class") or "").split()]
    return [text.replace("\xa0", " ") for text in found]


def test_a_bar_chart_names_itself_and_shows_every_value():
    root = parse(bar_chart(PROVINCES, title="Finishers by province", description="Ranked.", locale="en"))
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Finishers by province" and desc.text == "Ranked."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert texts(root, "chart-label") == ["بغداد", "البصرة", "نينوى", "Duhok"]
    assert texts(root, "chart-value") == ["4,210", "2,300", "1,800", "0"]
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths[0] > widths[1] > widths[2] > widths[3] == 0
    assert widths[1] / widths[0] == pytest.approx(2300 / 4210, rel=0.01)
    assert "style" not in str(bar_chart(PROVINCES, title="x", locale="ar"))  # the CSP allows no style attribute


def test_words_are_escaped_not_run():
    markup = bar_chart([(HOSTILE, 1)], title=HOSTILE, description=HOSTILE, locale="en", ident='x" onload="y')
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    root = parse(markup)
    assert texts(root, "chart-label") == [HOSTILE]  # shown as written
    assert root.find(f"{SVG}title").text == HOSTILE and root.find(f"{SVG}title").get("id") == 'x" onload="y-title'
    assert not list(root.iter(f"{SVG}script")) and root.get("onload") is None
    series = [Series(HOSTILE, [(dt.date(2025, 11, 1), 3)])]
    lines = parse(cumulative_chart(series, title=HOSTILE, locale="ar"))
    assert texts(lines, "chart-legend") == [f"{HOSTILE}: 3"]


def test_bars_grow_from_the_right_in_arabic_and_kurdish():
    def largest(locale: str) -> tuple[float, float]:
        root = parse(bar_chart(PROVINCES, title="t", locale=locale))
        assert root.get("direction") == ("ltr" if locale == "en" else "rtl")
        rect = max(root.iter(f"{SVG}rect"), key=lambda r: float(r.get("width")))
        return float(rect.get("x")), float(rect.get("width"))

    (x_en, width), (x_ar, width_ar), (x_ckb, _) = largest("en"), largest("ar"), largest("ckb")
    assert width == width_ar and x_ar == x_ckb
    labels = 116  # bar_chart's label_width
    assert x_en == labels  # after the labels, at the left
    assert x_ar + width_ar == bars.WIDTH - labels  # up to the labels, at the right
    label_en = float(parse(bar_chart(PROVINCES, title="t", locale="en")).find(f".//{SVG}text").get("x"))
    label_ar = float(parse(bar_chart(PROVINCES, title="t", locale="ar")).find(f".//{SVG}text").get("x"))
    assert label_ar == bars.WIDTH - label_en


def test_a_full_bar_can_be_set_for_several_charts():
    root = parse(bar_chart([("a", 50)], title="t", locale="en", maximum=100))
    assert float(next(root.iter(f"{SVG}rect")).get("width")) == pytest.approx((bars.WIDTH - 116 - bars.VALUE_ROOM) / 2)


REGISTRATIONS = Series(
    "Registrations",
    [(dt.date(2025, 10, 20), 10), (dt.date(2025, 11, 3), 25), (dt.date(2025, 10, 20), 5), (dt.date(2025, 11, 30), 60)],
)
FINISHERS = Series("Finishers", [(dt.date(2025, 11, 14), 40)])


def test_running_totals_and_round_scales():
    assert totals(REGISTRATIONS.counts) == [
        (dt.date(2025, 10, 20), 15),
        (dt.date(2025, 11, 3), 40),
        (dt.date(2025, 11, 30), 100),
    ]
    assert [nice_ceiling(v) for v in (0, 3, 100, 101, 1550, 12345)] == [4, 4, 100, 200, 2000, 20000]


def test_dates_are_in_iraqs_month_names():
    ar = parse(cumulative_chart([REGISTRATIONS, FINISHERS], title="t", locale="ar"))
    ticks = texts(ar, "chart-tick")
    assert "30 تشرين الثاني" in ticks and "20 تشرين الأول" in ticks  # not نوفمبر
    assert "0" in ticks and "100" in ticks  # the amounts: 100 registrations in the end
    assert texts(ar, "chart-legend") == ["Registrations: 100", "Finishers: 40"]
    ckb = texts(parse(cumulative_chart([REGISTRATIONS], title="t", locale="ckb")), "chart-tick")
    assert "30 تشرینی دووەم" in ckb
    en = texts(parse(cumulative_chart([REGISTRATIONS], title="t", locale="en")), "chart-tick")
    assert "30 Nov" in en and "20 Oct" in en
    across = Series("x", [(dt.date(2025, 12, 20), 1), (dt.date(2026, 1, 10), 1)])
    assert "Jan 2026" in texts(parse(cumulative_chart([across], title="t", locale="en")), "chart-tick")


def test_time_runs_leftward_in_arabic():
    def first_and_last(locale: str) -> tuple[float, float]:
        root = parse(cumulative_chart([REGISTRATIONS], title="t", locale=locale))
        dates = str(lines.BOTTOM + 20)  # the dates' line, under the axis
        ticks = [t for t in root.iter(f"{SVG}text") if t.get("class") == "chart-tick" and t.get("y") == dates]
        return float(ticks[0].get("x")), float(ticks[-1].get("x"))

    (first_en, last_en), (first_ar, last_ar) = first_and_last("en"), first_and_last("ar")
    assert first_en < last_en and first_ar > last_ar
    assert first_ar == lines.WIDTH - first_en and last_ar == lines.WIDTH - last_en
    path = parse(cumulative_chart([REGISTRATIONS], title="t", locale="en")).find(f"{SVG}path").get("d")
    # from 0 on the first date, a step a date
    assert path.startswith(f"M{lines.START} {lines.BOTTOM}") and path.count("V") == 3


def test_charts_follow_the_visitors_language_by_default():
    with in_locale("ar"):
        root = parse(cumulative_chart([FINISHERS], title="t"))
    assert root.get("direction") == "rtl" and "14 تشرين الثاني" in texts(root, "chart-tick")
    empty = parse(cumulative_chart([Series("x", [])], title="t", locale="en"))
    assert texts(empty, "chart-legend") == ["x: 0"] and empty.find(f"{SVG}path") is None
    assert parse(bar_chart([], title="t", locale="en")).get("viewBox") == f"0 0 {bars.WIDTH} 26"
