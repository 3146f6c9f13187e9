"""Forms that tell the truth, in a real browser: the places left as the event page counts them, problems
summarised at the top of the form and focused, cancelling that asks first (without JavaScript too)."""

import asyncio
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


# Every htmx request the page has finished, by its path: the test waits on what it needs, never on time.
FINISHED = """() => { window.finished = []; document.addEventListener("htmx:afterRequest",
  e => window.finished.push(e.detail.pathInfo.requestPath)); }"""


async def test_a_late_check_does_not_undo_what_was_typed_since(new_page, server, race):
    """On a slow line a field's check can answer after the runner has typed into the field: swapped in, it
    emptied the name typed meanwhile (and the form then refused an empty name). The name stays, and is
    checked again when the runner leaves the field."""
    page = await new_page(**PHONE)
    sent, release = asyncio.Event(), asyncio.Event()

    async def slow_line(route) -> None:
        if "field=given_name" in route.request.url and not release.is_set():
            sent.set()
            await release.wait()
        await route.continue_()

    await page.route("**/register/check**", slow_line)
    await page.goto(f"{server.base}/races/{race['id']}/register")
    await page.evaluate(FINISHED)
    await page.click("#given_name")
    await page.click("#family_name")  # leaves the name empty: its check is on the slow line
    await sent.wait()
    await page.fill("#given_name", "زينب")
    release.set()
    await page.wait_for_function("() => window.finished.some(p => p.includes('field=given_name'))")
    assert await page.input_value("#given_name") == "زينب"
    assert await page.locator("#field-given_name .error").count() == 0

    await page.click("#family_name")  # leaving it again checks what it holds now
    await page.wait_for_function("() => window.finished.filter(p => p.includes('field=given_name')).length == 2")
    assert await page.input_value("#given_name") == "زينب"
    assert await page.locator("#field-given_name .error").count() == 0
    await page.fill("#given_name", "")
    await page.click("#family_name")  # and an answer that is not late is shown as before
    await page.locator("#field-given_name .error").wait_for()
