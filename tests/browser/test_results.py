"""The public results in a real browser: a family finds a runner on a phone and prints the certificate; a tap
on a result opens it whatever htmx is doing; the pages that show one moment show one clock time."""

import asyncio
import datetime as dt
import json
import re
from urllib.parse import unquote

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.conftest import PHONE, ConsoleErrors, artifact
from tests.support import make_user, xlsx

pytestmark = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "ar-IQ"}  # a mouse: a press lasts a while
RUNNERS = [("أحمد", "الموسوي", "male"), ("زينب", "حامد", "female"), ("علي", "كريم", "male")]


async def finishers(server, race) -> tuple[list[int], dict]:
    """Three runners with results, imported through the API as a timing volunteer would: their bibs, and
    the volunteer's API headers."""
    async with httpx.AsyncClient(base_url=server.base) as http:
        bibs = []
        for i, (given, family, gender) in enumerate(RUNNERS):
            r = await http.post(f"/api/v1/races/{race['id']}/registrations", json={
                "given_name": given, "family_name": family, "gender": gender, "birth_date": f"1990-03-0{i + 1}",
                "province": "IQ-BA", "phone": f"+96477066600{i:02d}", "consent": True})  # fmt: skip
            bibs.append(r.json()["bib"])
        await make_user("volunteer", "results@example.test")
        login = {"email": "results@example.test", "password": "a long enough password"}
        auth = {"Authorization": f"Bearer {(await http.post('/api/v1/auth/token', json=login)).json()['token']}"}
        sheet = xlsx([["Bib", "Time"], [bibs[0], "0:41:10"], [bibs[1], "0:39:58"], [bibs[2], "0:44:00"]])
        r = await http.post(f"/api/v1/races/{race['id']}/results/imports", headers=auth,
                            files={"file": ("finish.xlsx", sheet)})  # fmt: skip
        assert r.status_code == 201, r.text
    return bibs, auth


def search_answer(text: str):
    """The htmx request a search sends (the form's own, not the page)."""
    return lambda r: r.request.headers.get("hx-request") == "true" and f"q={text}" in unquote(r.url)


async def press(page, locator) -> None:
    box = await locator.bounding_box()
    await page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    await page.mouse.down()


# Sends the filter form's request (as a race-day poll or a late search would) and waits until htmx has
# handled its answer.
REFRESH = """(gender) => new Promise(resolve => {
  document.body.addEventListener("htmx:afterRequest", () => resolve(), { once: true });
  document.querySelector("#gender").value = gender;
  htmx.trigger("#gender", "change");
})"""


async def test_a_family_finds_a_runner_in_arabic_and_prints_the_certificate(browser, server, race):
    bibs, _auth = await finishers(server, race)
    context = await browser.new_context(**PHONE)
    page = await context.new_page()
    console = ConsoleErrors(page)
    await page.goto(f"{server.base}/races/{race['id']}/results")
    assert await page.locator("#results tbody tr").count() == 3
    # The leader has no gap: on a phone its cell (and the label drawn before it) is not shown; the next has one.
    gaps = page.locator("#results tbody tr td[data-label]:last-child")
    assert not await gaps.nth(0).is_visible() and await gaps.nth(1).is_visible()
    # The search's own request, then the list it swapped in: only then is the result there to tap.
    async with page.expect_response(search_answer("احمد")) as answer:
        await page.fill("#q", "احمد")  # typed without the hamza: finds أحمد
    assert (await answer.value).ok
    rows = page.locator("#results tbody tr")
    await expect(rows).to_have_count(1)
    assert "أحمد الموسوي" in await rows.inner_text()
    await page.screenshot(path=artifact("results-search-ar-phone.png"), full_page=True)
    await page.tap("#results tbody tr td.name a")
    await page.wait_for_url(f"**/results/{bibs[0]}")
    assert await page.inner_text("h1") == "أحمد الموسوي"
    await page.tap("section.share a.button")
    await page.wait_for_url("**/certificate")
    assert "أنهى سباق" in await page.inner_text(".certificate .finished")  # he finished
    await page.emulate_media(media="print")
    assert await page.locator("header.site").is_hidden()
    assert await page.get_attribute("html", "dir") == "rtl"
    await page.screenshot(path=artifact("certificate-print-preview.png"), full_page=True)
    pdf_context = await browser.new_context(locale="ar-IQ", extra_http_headers={"Accept-Language": "ar"})
    pdf_page = await pdf_context.new_page()
    await pdf_page.goto(page.url)
    pdf = await pdf_page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1  # one A4 page
    assert console.errors == []
    await pdf_context.close()
    await context.close()


async def test_a_press_on_a_result_outlasts_a_refresh_of_the_list(browser, server, race):
    bibs, _auth = await finishers(server, race)
    context = await browser.new_context(**DESKTOP)
    page = await context.new_page()
    console = ConsoleErrors(page)
    results = f"{server.base}/races/{race['id']}/results"
    await page.goto(results)
    async with page.expect_response(search_answer("احمد")):
        await page.fill("#q", "احمد")
    link = page.locator("#results tbody tr td.name a")
    await expect(link).to_have_count(1)
    await page.evaluate("() => { window.requests = 0; "
                        "document.body.addEventListener('htmx:beforeRequest', () => window.requests++); }")  # fmt: skip
    await press(page, link)
    # Leaving the search box asked for nothing: it used to send the form again, whose answer then
    # replaced the link between the press and the release, and the click never came.
    assert await page.evaluate("window.requests") == 0
    # An answer that arrives during the press waits for the release.
    await page.evaluate(REFRESH, "")
    await page.mouse.up()
    await page.wait_for_url(f"**/results/{bibs[0]}")
    assert await page.inner_text("h1") == "أحمد الموسوي"

    # A press that ends elsewhere (no click): the answer that waited is asked for again and shown.
    await page.goto(results)
    await press(page, page.locator("#results tbody tr td.name a").first)
    await page.evaluate(REFRESH, "female")
    assert await page.locator("#results tbody tr").count() == 3  # not swapped under the press
    await page.mouse.move(5, 5)
    await page.mouse.up()
    await expect(page.locator("#results tbody tr")).to_have_count(1)
    assert "زينب حامد" in await page.inner_text("#results tbody tr")
    assert "gender=female" in page.url
    assert console.errors == []
    await context.close()


async def test_a_page_being_left_is_not_changed_by_htmx(browser, server, race):
    """A click has started to open a runner's page: an answer arriving now is not swapped in and adds no
    history entry (which could cancel the navigation), and nothing new is asked for."""
    bibs, _auth = await finishers(server, race)
    context = await browser.new_context(**DESKTOP)
    page = await context.new_page()
    console = ConsoleErrors(page)
    await page.goto(f"{server.base}/races/{race['id']}/results")
    answer_released, leaving, navigation_released = asyncio.Event(), asyncio.Event(), asyncio.Event()
    reports: asyncio.Queue[str] = asyncio.Queue()
    # While the page is being left Playwright evaluates nothing in it: the page reports on the console.
    page.on("console", lambda m: reports.put_nowait(m.text[len("report ") :]) if m.text.startswith("report ") else None)

    async def hold_answer(route):
        await answer_released.wait()
        await route.continue_()

    async def hold_navigation(route):
        leaving.set()
        await navigation_released.wait()
        await route.continue_()

    await page.route(lambda url: "gender=female" in url, hold_answer)
    await page.route(f"**/races/{race['id']}/results/{bibs[0]}", hold_navigation)
    await page.evaluate(LEAVING)
    assert await page.evaluate("window.sent") == 1  # the answer is on its way, held
    link = page.locator(f"#results a[href$='/results/{bibs[0]}']")
    box = await link.bounding_box()
    await page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    await leaving.wait()  # the runner's page is being loaded, held
    answer_released.set()
    report = json.loads(await asyncio.wait_for(reports.get(), 30))
    # Nothing new was asked for, the answer was not swapped in, and no history entry was made.
    assert report == {"sent": 1, "swapped": False, "search": ""}
    navigation_released.set()
    await page.wait_for_url(f"**/results/{bibs[0]}")
    assert await page.inner_text("h1") == "أحمد الموسوي"
    assert console.errors == []
    await context.close()


# Sends the filter form's request (to be held), asks for more the moment a click has started to leave the
# page, and reports what the held answer did once htmx has handled it.
LEAVING = """() => {
  window.sent = 0;
  const shown = document.querySelector("#results");
  document.body.addEventListener("htmx:beforeSend", () => window.sent++);
  window.addEventListener("click", () => {
    htmx.ajax("GET", location.pathname, { target: "#results", swap: "outerHTML" });
  });
  document.body.addEventListener("htmx:afterRequest", () => {
    const swapped = document.querySelector("#results") !== shown;
    console.log("report " + JSON.stringify({ sent: window.sent, swapped, search: location.search }));
  }, { once: true });
  document.querySelector("#gender").value = "female";
  htmx.trigger("#gender", "change");
}"""


async def test_three_pages_show_one_moment_at_one_clock_time(browser, server, race):
    """An import at 13:05 UTC is 16:05 in Iraq: the results page, the import history and the correction log
    all say 16:05, and say in which zone."""
    from sportsrun.core.db import sql as db

    bibs, auth = await finishers(server, race)
    async with httpx.AsyncClient(base_url=server.base) as http:
        sheet = xlsx([["Bib", "Time"], [bibs[0], "0:41:12"]])
        r = await http.post(f"/api/v1/races/{race['id']}/results/imports", headers=auth,
                            files={"file": ("fix.xlsx", sheet)}, data={"mode": "merge"})  # fmt: skip
        assert r.status_code == 201, r.text
    moment = dt.datetime(2027, 3, 20, 13, 5, 42, tzinfo=dt.UTC)
    await db.fetch("UPDATE result_import SET at = {} WHERE race = {}", moment, race["id"])
    await db.fetch("UPDATE result_correction SET at = {} WHERE race = {}", moment, race["id"])
    await db.fetch("UPDATE race SET results_updated_at = {} WHERE id = {}", moment, race["id"])
    context = await browser.new_context(**DESKTOP)
    page = await context.new_page()
    console = ConsoleErrors(page)
    await page.goto(f"{server.base}/races/{race['id']}/results")
    updated = await page.inner_text("#results .updated")
    await page.goto(f"{server.base}/races/{race['id']}/corrections")
    logged = await page.inner_text("tbody td.when")
    log_zone = await page.inner_text("thead th")
    await page.goto(f"{server.base}/login")
    await page.fill("#email", "organiser@example.test")
    await page.fill("#password", "a long enough password")
    async with page.expect_navigation():
        await page.click("main form button[type=submit]")
    await page.goto(f"{server.base}/volunteer/races/{race['id']}/results")
    imported = await page.locator("table.imports td.when").all_inner_texts()
    history_zone = await page.inner_text("table.imports thead th")
    await page.screenshot(path=artifact("results-import-history-time.png"), full_page=True)
    clock = re.compile(r"\d\d:\d\d")
    assert [clock.findall(text) for text in (updated, logged, *imported)] == [["16:05"]] * 4
    assert "بتوقيت UTC+3" in updated and "بتوقيت UTC+3" in log_zone and "بتوقيت UTC+3" in history_zone
    assert console.errors == []
    await context.close()
