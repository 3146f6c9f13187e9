"""The results filters in a real browser, right to left and left to right, on a phone and a desktop: each label
sits on its own field (its `for` names the control it is drawn on), never beside another one's."""

import pytest

from tests.browser.conftest import artifact, screenshot
from tests.browser.test_results import finishers

pytestmark = pytest.mark.browser

LAYOUTS = [
    ("ar", {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
            "has_touch": True, "locale": "ar-IQ"}),
    ("ar", {"viewport": {"width": 1280, "height": 900}, "locale": "ar-IQ"}),
    ("en", {"viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}),
    ("en", {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
            "has_touch": True, "locale": "en-GB"}),
]  # fmt: skip

# Each label with its control's box, from the page itself.
BOXES = """form => [...form.querySelectorAll("label[for]")].map(label => {
  const control = document.getElementById(label.htmlFor);
  const box = e => {
    const r = e.getBoundingClientRect();
    return {x: r.left, y: r.top, right: r.right, bottom: r.bottom};
  };
  return {for: label.htmlFor, label: box(label), control: control && box(control),
          inForm: control !== null && form.contains(control)};
})"""


def _gap(a: dict, b: dict) -> float:
    """The distance between two boxes (0 when they touch or overlap)."""
    dx = max(a["x"] - b["right"], b["x"] - a["right"], 0)
    dy = max(a["y"] - b["bottom"], b["y"] - a["bottom"], 0)
    return (dx * dx + dy * dy) ** 0.5


def assert_each_label_on_its_control(boxes: list[dict], rtl: bool, width: int) -> None:
    """Each label (BOXES) directly above its control, within a few pixels, starting where the control starts
    (the right edge right to left, the left edge left to right), never wider than it, nearer it than any
    other control of the form, nothing pushed off the screen."""
    for b in boxes:
        label, control = b["label"], b["control"]
        assert b["inForm"], b
        assert 0 <= control["y"] - label["bottom"] <= 8, b
        start = (lambda box: box["right"]) if rtl else (lambda box: box["x"])
        assert abs(start(label) - start(control)) <= 2, b
        assert label["x"] >= control["x"] - 1 and label["right"] <= control["right"] + 1, b
        own = _gap(label, control)
        for other in boxes:
            if other is not b:
                assert own < _gap(label, other["control"]), (b["for"], other["for"])
        assert label["x"] >= 0 and control["right"] <= width, b


async def test_each_filter_label_is_drawn_on_its_own_control(new_page, server, race):
    """One server and one set of results for every layout: each layout is a browser context of its own."""
    await finishers(server, race)
    for language, context in LAYOUTS:
        await _check_layout(await new_page(**context), server, race, language, context)


async def _check_layout(page, server, race, language: str, context: dict) -> None:
    await page.goto(f"{server.base}/races/{race['id']}/results")
    await page.wait_for_selector("#results tbody tr")
    assert await page.get_attribute("html", "lang") == language
    rtl = await page.get_attribute("html", "dir") == "rtl"
    form = page.locator("form.filters")
    width = context["viewport"]["width"]
    await screenshot(page, f"results-filters-{language}-{width}.png")
    await form.screenshot(path=artifact(f"results-filters-{language}-{width}-form.png"))

    boxes = await form.evaluate(BOXES)
    assert [b["for"] for b in boxes] == ["q", "gender", "age_group", "province"]
    assert_each_label_on_its_control(boxes, rtl, width)
    # Read in the page's direction, the fields come in the form's order: the first one at the start.
    first, second = boxes[0]["control"], boxes[1]["control"]
    if abs(first["y"] - second["y"]) < 2:  # side by side on a wide screen
        assert (first["x"] > second["x"]) if rtl else (first["x"] < second["x"])
    if width <= 400:
        for b in boxes:  # a phone: each field across the whole form, one under the other
            assert b["control"]["right"] - b["control"]["x"] > width * 0.6, b


# Where the number and the unit of a distance are drawn: the text node's first characters, then its last.
DISTANCE = """bdi => {
  const text = bdi.firstChild, range = document.createRange(), box = (start, end) => {
    range.setStart(text, start); range.setEnd(text, end); const r = range.getBoundingClientRect();
    return {x: r.left, right: r.right};
  };
  const space = text.data.indexOf("\\u00a0");
  return {text: text.data, number: box(0, space), unit: box(space + 1, text.data.length)};
}"""


async def test_a_distance_reads_number_then_unit_in_arabic(new_page, server, race):
    """Right to left, "10 كم" is drawn with the number on the right of the unit (read first), not "km 10"."""
    page = await new_page(**LAYOUTS[0][1])
    await page.goto(f"{server.base}/events/{race['event_id']}")
    distance = page.locator(f"#race-{race['id']} bdi.distance")
    drawn = await distance.evaluate(DISTANCE)
    await screenshot(page, "event-ar-390.png")
    assert drawn["text"] == "10\N{NO-BREAK SPACE}كم"
    assert drawn["number"]["x"] >= drawn["unit"]["right"] - 1, drawn
