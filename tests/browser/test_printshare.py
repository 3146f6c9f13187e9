"""Printed lists and sharing in a real browser, in Arabic: the organiser opens the start list from the
registrations page and prints it (print media, an A4-wide page: no site chrome, the table's header set to
repeat, the Print button working); a runner's page on a phone shows the share links right to left and its
preview card, which the browser draws from its PNG address."""

import re

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.conftest import artifact, screenshot, sign_in
from tests.support import make_user, xlsx

pytestmark = pytest.mark.browser

A4 = {"viewport": {"width": 794, "height": 1123}, "locale": "ar-IQ"}  # 210 × 297 mm at 96 px an inch
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "ar-IQ"}  # fmt: skip
RUNNERS = [("زينب", "حامد", "female", "نادي البصرة"), ("أحمد", "الموسوي", "male", ""),
           ("ئارام", "کەریم", "male", "یانەی هەولێر"), ("علي", "كريم", "male", ""),
           ("آمنة", "جاسم", "female", "Basra Runners"), ("بكر", "عبد الله", "male", "")]  # fmt: skip


async def runners_with_results(server, race) -> list[int]:
    async with httpx.AsyncClient(base_url=server.base) as http:
        bibs = []
        for i, (given, family, gender, club) in enumerate(RUNNERS):
            r = await http.post(f"/api/v1/races/{race['id']}/registrations", json={
                "given_name": given, "family_name": family, "gender": gender, "birth_date": f"199{i}-03-01",
                "province": "IQ-BA", "phone": f"+96477055500{i:02d}", "club": club, "consent": True})  # fmt: skip
            assert r.status_code == 201, r.text
            bibs.append(r.json()["bib"])
        await make_user("volunteer", "timing@example.test")
        login = {"email": "timing@example.test", "password": "a long enough password"}
        auth = {"Authorization": f"Bearer {(await http.post('/api/v1/auth/token', json=login)).json()['token']}"}
        rows = [["Bib", "Time"], *[[bib, f"0:{40 + i}:1{i}"] for i, bib in enumerate(bibs)]]
        r = await http.post(f"/api/v1/races/{race['id']}/results/imports", headers=auth,
                            files={"file": ("finish.xlsx", xlsx(rows))})  # fmt: skip
        assert r.status_code == 201, r.text
    return bibs


async def test_the_organiser_prints_the_start_list_in_arabic(server, race, new_page):
    await make_user("organiser", "printer@example.test")
    await runners_with_results(server, race)
    page = await new_page(**A4)
    # The Print button calls the browser's print dialog; here it only records that it was asked.
    await page.add_init_script("window.print = function () { document.documentElement.dataset.printed = 'yes'; };")
    await sign_in(page, server.base, "printer@example.test")
    await page.goto(f"{server.base}/organiser/races/{race['id']}/registrations")
    await page.click("p.print-links a[href$='/print/start-list']")
    await page.wait_for_url(f"**/organiser/races/{race['id']}/print/start-list")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.locator("h1")).to_have_text("قائمة الانطلاق")
    rows = page.locator("table.print-table tbody tr")
    await expect(rows).to_have_count(len(RUNNERS))
    await expect(rows.first.locator("td").nth(1)).to_have_text("زينب حامد")
    button = page.locator("button[data-print]")
    await expect(button).to_be_visible()
    await button.click()
    await expect(page.locator("html")).to_have_attribute("data-printed", "yes")

    await page.emulate_media(media="print")
    await expect(page.locator("header.site")).to_be_hidden()
    await expect(page.locator("footer.site")).to_be_hidden()
    await expect(page.locator("nav.print-actions")).to_be_hidden()
    await expect(page.locator("table.print-table")).to_be_visible()
    layout = await page.evaluate("""() => {
        const head = document.querySelector('table.print-table thead');
        const row = document.querySelector('table.print-table tbody tr');
        const table = document.querySelector('table.print-table').getBoundingClientRect();
        const bib = row.querySelector('td').getBoundingClientRect();
        return {head: getComputedStyle(head).display, row: getComputedStyle(row).breakInside,
                page: getComputedStyle(document.querySelector('.print-list')).page,
                bibOnTheRight: bib.right > table.right - 2, width: table.width};
    }""")
    assert layout["head"] == "table-header-group" and layout["row"] == "avoid"
    assert layout["page"] == "printed-list" and layout["bibOnTheRight"] and layout["width"] > 700
    await screenshot(page, "printshare-start-list-ar-print.png")
    pdf = await page.pdf(prefer_css_page_size=True)  # what the print dialog would send: A4, one page here
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert box and (round(float(box[1])), round(float(box[2]))) == (595, 842)  # A4 in points
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>>") + pdf.count(b"/Type /Page ") >= 1


async def test_a_runner_shares_their_result_from_a_phone(server, race, new_page):
    bibs = await runners_with_results(server, race)
    page = await new_page(**PHONE)
    await page.goto(f"{server.base}/races/{race['id']}/results/{bibs[0]}")
    await expect(page.locator("h1")).to_have_text("زينب حامد")
    links = page.locator("ul.share-links a")
    await expect(links).to_have_count(4)
    await expect(links.first).to_have_attribute("aria-label", "شارك على WhatsApp")
    # Right to left, two to a row on a phone: WhatsApp at the top right, Telegram to its left.
    first, second = await links.nth(0).bounding_box(), await links.nth(1).bounding_box()
    assert first["x"] > second["x"] and abs(first["y"] - second["y"]) < 1
    assert first["x"] + first["width"] <= 390 and second["x"] >= 0
    card = await page.locator("meta[property='og:image']").get_attribute("content")
    assert card.endswith(f"/races/{race['id']}/results/{bibs[0]}/card-ar.png")
    await page.locator("section.share").scroll_into_view_if_needed()
    await screenshot(page, "printshare-runner-phone-ar.png")

    # The card as a preview shows it: an image from its address in a page of its own (a PNG opened on its own
    # is shown in Chromium's image viewer, whose inline styles our CSP, sent with every answer, refuses).
    address = card.replace(card.split("/races/")[0], server.base)
    answer = await page.request.get(address)
    assert answer.status == 200 and answer.headers["content-type"] == "image/png"
    image = await new_page(viewport={"width": 1200, "height": 630})
    await image.set_content(f'<body style="margin:0"><img src="{address}" alt=""></body>')
    await expect(image.locator("img")).to_have_js_property("complete", True)
    size = await image.evaluate("() => [document.images[0].naturalWidth, document.images[0].naturalHeight]")
    assert size == [1200, 630]
    await image.screenshot(path=artifact("printshare-card-ar.png"), clip={"x": 0, "y": 0, "width": 1200, "height": 630})
