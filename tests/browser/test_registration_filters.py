"""The organiser's registrations filters in a real browser, right to left and left to right, on a phone and a
desktop: laid out as the results filters are, each label boxed on its own field, and filtering the list."""

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.conftest import artifact, screenshot, sign_in
from tests.browser.test_results_filters import BOXES, LAYOUTS, assert_each_label_on_its_control

pytestmark = pytest.mark.browser

RUNNERS = [("زينب", "حامد", "female"), ("Ahmed", "Kareem", "male"), ("علي", "الموسوي", "male")]


async def registered(server, race) -> None:
    async with httpx.AsyncClient(base_url=server.base) as http:
        for i, (given, family, gender) in enumerate(RUNNERS):
            r = await http.post(f"/api/v1/races/{race['id']}/registrations", json={
                "given_name": given, "family_name": family, "gender": gender, "birth_date": f"199{i}-03-01",
                "province": "IQ-BA", "phone": f"+96477066600{i:02d}", "consent": True})  # fmt: skip
            assert r.status_code == 201, r.text


async def test_each_filter_label_is_drawn_on_its_own_control_and_the_filters_work(new_page, server, race):
    """One server and one race for every layout: each layout is a browser context of its own, signed in."""
    await registered(server, race)
    for language, context in LAYOUTS:
        await _check_layout(await new_page(**context), server, race, language, context)


async def _check_layout(page, server, race, language: str, context: dict) -> None:
    await sign_in(page, server.base, "organiser@example.test")
    url = f"{server.base}/organiser/races/{race['id']}/registrations"
    await page.goto(url)
    rows = page.locator("#registrations tbody tr")
    await rows.first.wait_for()
    assert await page.get_attribute("html", "lang") == language
    rtl = await page.get_attribute("html", "dir") == "rtl"
    form = page.locator("form.filters")
    width = context["viewport"]["width"]
    await screenshot(page, f"registration-filters-{language}-{width}.png")
    await form.screenshot(path=artifact(f"registration-filters-{language}-{width}-form.png"))

    boxes = await form.evaluate(BOXES)
    assert [b["for"] for b in boxes] == ["q", "status"]
    assert_each_label_on_its_control(boxes, rtl, width)
    search, status = boxes[0]["control"], boxes[1]["control"]
    if abs(search["y"] - status["y"]) < 2:  # side by side: the search first in the page's direction
        assert (search["x"] > status["x"]) if rtl else (search["x"] < status["x"])
    if width <= 400:
        for b in boxes:  # a phone: each field across the whole form, one under the other
            assert b["control"]["right"] - b["control"]["x"] > width * 0.6, b

    # The filters still filter, through htmx: typed, then chosen.
    assert await rows.count() == len(RUNNERS)
    async with page.expect_response(lambda r: "q=Kareem" in r.url and r.status == 200):
        await page.fill("#q", "Kareem")
    await expect(rows).to_have_count(1)
    assert "Kareem" in await rows.first.inner_text()
    await page.goto(url)
    async with page.expect_response(lambda r: "status=waitlisted" in r.url and r.status == 200):
        await page.select_option("#status", "waitlisted")
    await page.wait_for_url("**status=waitlisted")
    await expect(rows).to_have_count(0)
