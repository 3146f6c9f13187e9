"""Forms that tell the truth, in a real browser: the places left as the event page counts them, problems
summarised at the top of the form and focused, cancelling that asks first (without JavaScript too)."""

import re

import httpx
import pytest

from tests.browser.conftest import PHONE, ConsoleErrors, artifact
from tests.support import race_body

pytestmark = pytest.mark.browser


async def register(http: httpx.AsyncClient, race_id: int, n: int) -> list[dict]:
    answers = []
    for i in range(n):
        r = await http.post(f"/api/v1/races/{race_id}/registrations", json={
            "given_name": "زينب", "family_name": f"حامد {race_id}-{i}", "gender": "female",
            "birth_date": f"1990-01-{i + 1:02d}", "province": "IQ-BA", "phone": f"+9647701{race_id:03d}{i:03d}",
            "consent": True})  # fmt: skip
        assert r.status_code == 201, r.text
        answers.append(r.json())
    return answers


async def test_the_form_shows_the_places_and_the_waitlist_the_event_page_shows(browser, server, race):
    async with httpx.AsyncClient(base_url=server.base) as http:
        small = await http.post(f"/api/v1/events/{race['event_id']}/races", headers=race["auth"],
                                json=race_body(name="5 كم", capacity=2, bib_first=100, bib_last=199))  # fmt: skip
        small = small.json()
        await register(http, race["id"], 3)
        await register(http, small["id"], 4)  # two hold bibs, two wait
    context = await browser.new_context(**PHONE)
    page = await context.new_page()
    console = ConsoleErrors(page)
    await page.goto(f"{server.base}/events/{race['event_id']}")
    open_card = await page.inner_text(f"#race-{race['id']} .places")
    full_card = await page.inner_text(f"#race-{small['id']} .places")
    assert open_card == "بقي 47 مكانًا"  # 50 places, 3 taken
    await page.click(f"#race-{race['id']} a.button")
    await page.wait_for_selector("form#registration")
    assert await page.inner_text("main .places") == open_card
    assert await page.locator("main .notice").count() == 0

    await page.goto(f"{server.base}/events/{race['event_id']}")
    await page.click(f"#race-{small['id']} a.button")
    await page.wait_for_selector("form#registration")
    notice = await page.inner_text("main .notice")
    waiting = full_card.split("·")[1].strip()  # "Full · 2 on the waitlist", in Arabic
    assert waiting == "اثنان على قائمة الانتظار" and waiting in notice and "ستنضم إلى قائمة الانتظار" in notice
    assert await page.locator("main p.muted.places").count() == 0
    await page.screenshot(path=artifact("form-full-race-waitlist.png"), full_page=True)
    assert console.errors == []
    await context.close()


async def test_problems_are_summarised_as_links_and_focused_without_javascript(browser, server, race):
    context = await browser.new_context(**PHONE, java_script_enabled=False)
    page = await context.new_page()
    await page.goto(f"{server.base}/races/{race['id']}/register")
    first = page.locator("#province option").first
    assert await first.get_attribute("value") == "" and await first.inner_text() == "اختر محافظتك"
    await page.click("form#registration button[type=submit]")
    summary = page.locator("#error-summary")
    await summary.wait_for()
    assert await summary.evaluate("element => element === document.activeElement")  # autofocus, no script
    link = summary.locator("a[href='#given_name']")
    assert await link.inner_text() == "الاسم: هذا الحقل مطلوب."
    await page.screenshot(path=artifact("form-error-summary.png"), full_page=True)
    await link.click()
    await page.wait_for_url(re.compile(r"#given_name$"))
    assert await page.locator("#given_name").is_visible()
    await context.close()


async def test_cancelling_asks_first_then_cancels_without_javascript(browser, server, race):
    async with httpx.AsyncClient(base_url=server.base) as http:
        [mine] = await register(http, race["id"], 1)
    context = await browser.new_context(**PHONE, java_script_enabled=False)
    page = await context.new_page()
    await page.goto(f"{server.base}/registrations/{mine['code']}")
    await page.click("form.cancel button")
    box = page.locator("#confirm-cancel")
    await box.wait_for()
    assert f"{mine['bib']}" in await box.inner_text() and "قائمة الانتظار" in await box.inner_text()
    assert await box.evaluate("element => element === document.activeElement")
    assert await page.inner_text("dd.status") == "مؤكَّد"  # nothing cancelled yet
    await page.screenshot(path=artifact("cancel-confirm.png"), full_page=True)
    await box.locator("button.danger").click()
    await page.wait_for_url(re.compile(r"/registrations/[^/?]+\?cancelled=1$"))
    assert await page.inner_text("dd.status") == "ملغى"
    assert await page.locator("form.cancel").count() == 0
    await context.close()
