"""What people do: a runner registers on a phone in Arabic (with and without JavaScript), an organiser
reassigns a bib and exports the start list, a volunteer checks a runner in."""

import datetime as dt

import openpyxl
import pytest
from playwright.async_api import expect

from tests.browser.conftest import PHONE, artifact, screenshot, sign_in
from tests.support import make_user

pytestmark = pytest.mark.browser


async def fill_runner(page, *, birth_date: str):
    await page.fill("#given_name", "إسراء")
    await page.fill("#family_name", "الموسوي")
    await page.check("input[name=gender][value=female]")
    await page.fill("#birth_date", birth_date)
    await page.select_option("#province", "IQ-BA")
    await page.fill("#phone", "٠٧٧٠١٢٣٤٥٦٧")
    await page.check("input[name=consent]")


async def test_a_runner_registers_in_arabic_on_a_phone(new_page, server, race):
    page = await new_page(**PHONE)
    await page.goto(f"{server.base}/events/{race['event_id']}")
    assert await page.get_attribute("html", "dir") == "rtl"
    await page.click(f"#race-{race['id']} a.button")
    await page.wait_for_selector("form#registration")
    # htmx checks a field when the runner leaves it, in Arabic.
    await page.fill("#email", "ليس-بريدا")
    await page.click("#given_name")
    error = page.locator("#field-email .error")
    await error.wait_for()
    assert "name@example.com" in await error.inner_text()
    await page.fill("#email", "")
    # A child's date of birth brings the guardian fields; an adult's hides them.
    race_day = dt.date.fromisoformat(race["start_time"][:10])
    await page.fill("#birth_date", race_day.replace(year=race_day.year - 14).isoformat())
    await page.click("#given_name")
    await page.locator("#guardian").wait_for(state="visible")
    await fill_runner(page, birth_date="1998-07-09")
    await page.click("#given_name")
    await page.locator("#guardian").wait_for(state="hidden")
    await screenshot(page, "register-ar-phone-form.png")
    await page.click("form#registration button[type=submit]")
    await page.wait_for_url("**/registrations/*")
    assert await page.inner_text("dd.bib") == "2"  # bib 1 is reserved
    assert "رقم صدريتك هو 2" in await page.inner_text(".success")
    assert await page.locator(".qr svg").count() == 1
    await screenshot(page, "register-ar-phone-bib.png")


async def test_the_same_registration_works_without_javascript(new_page, server, race):
    page = await new_page(**PHONE, java_script_enabled=False)
    await page.goto(f"{server.base}/races/{race['id']}/register")
    await page.click("form#registration button[type=submit]")  # empty: errors beside the fields
    await page.wait_for_selector("#field-given_name .error")
    assert "هذا الحقل مطلوب" in await page.inner_text("#field-given_name .error")
    await fill_runner(page, birth_date="1990-02-03")
    await page.click("form#registration button[type=submit]")
    await page.wait_for_url("**/registrations/*")
    assert await page.inner_text("dd.bib") == "2"
    await screenshot(page, "register-ar-no-javascript.png")


async def test_an_organiser_reassigns_a_bib_and_exports_the_start_list(new_page, server, race):
    import httpx

    async with httpx.AsyncClient(base_url=server.base) as http:
        for i in range(3):
            await http.post(
                f"/api/v1/races/{race['id']}/registrations",
                json={
                    "given_name": f"Runner{i}",
                    "family_name": "Test",
                    "gender": "male",
                    "birth_date": f"1990-01-0{i + 1}",
                    "province": "IQ-BG",
                    "phone": f"+96477012300{i:02d}",
                    "consent": True,
                },
            )
    page = await new_page(viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=True)
    await sign_in(page, server.base, "organiser@example.test")
    assert page.url.endswith("/organiser")
    await page.click(f"a[href='/organiser/races/{race['id']}/registrations']")
    row = page.locator("tbody tr").first
    await row.locator("input[name=bib]").fill("42")
    await row.locator("button").click()
    await page.locator("tbody input[name=bib][value='42']").wait_for()
    assert page.url.endswith(f"/organiser/races/{race['id']}/registrations")  # swapped in place, no reload
    await screenshot(page, "organiser-registrations.png")
    async with page.expect_download() as download_info:
        await page.click(f"a[href='/organiser/races/{race['id']}/start-list.xlsx']")
    download = await download_info.value
    saved = artifact("start-list.xlsx")
    await download.save_as(saved)
    assert download.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(saved).active
    bibs = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert bibs == [3, 4, 42]


async def test_a_volunteer_checks_a_runner_in(new_page, server, race):
    import httpx

    async with httpx.AsyncClient(base_url=server.base) as http:
        reg = (
            await http.post(
                f"/api/v1/races/{race['id']}/registrations",
                json={
                    "given_name": "Karwan",
                    "family_name": "Salih",
                    "gender": "male",
                    "birth_date": "1991-05-05",
                    "province": "IQ-SU",
                    "phone": "+9647501112233",
                    "consent": True,
                },
            )
        ).json()
    await make_user("volunteer", "volunteer@example.test")
    page = await new_page(**{**PHONE, "locale": "ckb-IQ"})
    await sign_in(page, server.base, "volunteer@example.test")
    await page.goto(f"{server.base}/volunteer/races/{race['id']}")
    count = page.locator("#check-in-count")
    assert await count.inner_text() == "0 لە 1 ئامادەبوونیان تۆمار کراوە"  # 0 of 1 checked in
    await page.fill("#bib", str(reg["bib"]))
    await page.click("form.bib-lookup button")
    await page.locator("#card .name").wait_for()
    assert await page.inner_text("#card .name") == "Karwan Salih"
    await page.click("#card button.big")
    await page.locator("#card .success").wait_for()
    # The count under the title came with the card, out of band: still one of it, now 1 of 1.
    await expect(count).to_have_text("1 لە 1 ئامادەبوونیان تۆمار کراوە")
    assert await page.locator("#check-in-count").count() == 1
    assert page.url.endswith(f"/volunteer/races/{race['id']}")  # swapped in place, no reload
    await screenshot(page, "volunteer-check-in.png")


async def test_a_volunteer_uploads_fixes_and_commits_a_timing_sheet(new_page, server, race, tmp_path):
    import httpx

    from tests.support import xlsx

    async with httpx.AsyncClient(base_url=server.base) as http:
        bibs = []
        for i in range(3):
            reg = (
                await http.post(
                    f"/api/v1/races/{race['id']}/registrations",
                    json={
                        "given_name": f"Runner{i}",
                        "family_name": "Finish",
                        "gender": "female",
                        "birth_date": f"1992-02-0{i + 1}",
                        "province": "IQ-NA",
                        "phone": f"+96477055500{i:02d}",
                        "consent": True,
                    },
                )
            ).json()
            bibs.append(reg["bib"])
    await make_user("volunteer", "timing@example.test")
    bad, good = tmp_path / "finish-line.xlsx", tmp_path / "finish-line-fixed.xlsx"
    bad.write_bytes(
        xlsx([["نتائج"], ["رقم الصدرية", "الوقت"], [bibs[0], "0:41:10"], [bibs[1], "سريع"], [bibs[2], "لم يكمل"]])
    )
    good.write_bytes(
        xlsx([["نتائج"], ["رقم الصدرية", "الوقت"], [bibs[0], "0:41:10"], [bibs[1], "0:39:58"], [bibs[2], "لم يكمل"]])
    )
    page = await new_page(viewport={"width": 1280, "height": 900}, locale="ar-IQ")
    await sign_in(page, server.base, "timing@example.test")
    await page.goto(f"{server.base}/volunteer/races/{race['id']}/results")
    await page.set_input_files("#file", str(bad))
    await page.click("form.upload button[type=submit]")
    bad_row = page.locator("#sheet-row-4")
    await bad_row.wait_for()
    assert "invalid" in (await bad_row.get_attribute("class"))
    assert await bad_row.locator("td.bad").inner_text() == "سريع"
    assert await page.locator("form.commit").count() == 0
    await screenshot(page, "results-preview-bad-row.png")
    await page.set_input_files("#file", str(good))
    await page.click("form.upload button[type=submit]")
    await page.locator("form.commit").wait_for()
    await page.click("form.commit button[type=submit]")
    await page.locator("#imported").wait_for()
    await screenshot(page, "results-imported.png")
