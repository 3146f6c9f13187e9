"""A mother registers her three children in one form, on a phone, in Arabic, Kurdish and English: htmx adds
each person block without reloading the page (what she typed stays), and the confirmation lists each child's
bib and link."""

import re

import httpx
import pytest

from sportsrun.core.i18n import gettext, in_locale
from tests.browser.conftest import LOCALES, PHONE, artifact, sign_in

pytestmark = pytest.mark.browser


def translated(language: str, message: str, **values) -> str:
    with in_locale(language):
        return gettext(message, **values)


CHILDREN = [("زينب", "female", "2014-04-11"), ("علي", "male", "2016-09-02"), ("مريم", "female", "2019-01-23")]


async def fill_person(page, i: int, given: str, gender: str, born: str) -> None:
    p = f"people[{i}]"
    await page.fill(f"[id='{p}.given_name']", given)
    await page.fill(f"[id='{p}.family_name']", "حسن كاظم")
    await page.check(f"input[name='{p}.gender'][value={gender}]")
    await page.fill(f"[id='{p}.birth_date']", born)
    await page.select_option(f"[id='{p}.province']", "IQ-BA")
    await page.fill(f"[id='{p}.guardian_name']", "فاطمة جاسم")


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
async def test_a_mother_registers_three_children_with_htmx_on_a_phone(new_page, server, race, language):
    page = await new_page(**{**PHONE, "locale": LOCALES[language]})
    await page.goto(f"{server.base}/races/{race['id']}/register")
    await page.click(".group-link a")
    await page.wait_for_url(re.compile(rf"/races/{race['id']}/register/group$"))
    assert await page.get_attribute("html", "lang") == language
    assert await page.get_attribute("html", "dir") == ("ltr" if language == "en" else "rtl")
    await page.fill("#phone", "0770 123 4567")
    await page.evaluate("window.sameDocument = true")  # gone if "add a person" reloaded the page
    for i, child in enumerate(CHILDREN):
        if i:
            async with page.expect_response(re.compile(rf"/register/group/person\?index={i}(&|$)")):
                await page.click("#add-person button")
            await page.locator(f"fieldset#person-{i}").wait_for()
        await fill_person(page, i, *child)
    assert await page.evaluate("window.sameDocument === true")
    assert await page.locator("fieldset.person").count() == 3
    assert await page.input_value("[id='people[0].given_name']") == "زينب"  # kept while blocks were added
    assert (
        await page.get_attribute("#add-person button", "hx-get") == f"/races/{race['id']}/register/group/person?index=3"
    )
    assert await page.inner_text("fieldset#person-2 legend") == translated(language, "Person {n}", n=3)
    await page.check("#consent")
    await page.screenshot(path=artifact(f"group-form-{language}-phone.png"), full_page=True)

    await page.click("form#group-registration button[value=register]")
    await page.wait_for_url(re.compile(r"/register/group/done\?code="))
    items = page.locator(".group-done li")
    assert await items.count() == 3
    texts = [await items.nth(i).inner_text() for i in range(3)]
    # Bib 1 is reserved: the children get 2, 3 and 4, in the order listed.
    for text, (given, _gender, _born), bib in zip(texts, CHILDREN, ("2", "3", "4"), strict=True):
        assert given in text and translated(language, "Bib {bib}", bib=bib) in text
    links = [await items.nth(i).locator("a").get_attribute("href") for i in range(3)]
    assert len(set(links)) == 3 and all(re.fullmatch(r"/registrations/[\w-]{16}", link) for link in links)
    await page.screenshot(path=artifact(f"group-done-{language}-phone.png"), full_page=True)
    await page.click(".group-done li:nth-child(2) a")
    await page.wait_for_url(re.compile(r"/registrations/[\w-]{16}$"))
    assert "علي" in await page.inner_text("main")


async def test_the_organiser_sees_a_flag_and_keeps_it_with_htmx(new_page, server, race):
    namesake = {"given_name": "علي", "family_name": "حسين عباس", "gender": "male", "birth_date": "1990-07-01",
                "province": "IQ-NA", "consent": True}  # fmt: skip
    async with httpx.AsyncClient(base_url=server.base) as http:
        url = f"/api/v1/races/{race['id']}/registrations"
        assert (await http.post(url, json=namesake | {"phone": "07701112233"})).status_code == 201
        flagged = await http.post(url, json=namesake | {"phone": "07804445566", "another_person": True})
        assert flagged.json()["flagged"] is True
    page = await new_page(viewport={"width": 1280, "height": 800}, locale="ar-IQ")
    await sign_in(page, server.base, "organiser@example.test")
    await page.goto(f"{server.base}/organiser/races/{race['id']}/registrations")
    await page.select_option("#status", "flagged")
    row = page.locator(f"#registration-{flagged.json()['id']}")
    await page.wait_for_url(re.compile(r"status=flagged"))
    assert await page.locator("#registrations tbody tr").count() == 1
    assert await row.locator(".flag").is_visible()
    await page.screenshot(path=artifact("organiser-flagged-ar.png"), full_page=True)
    async with page.expect_response(re.compile(r"/flag$")):
        await row.locator("button[value=keep]").click()
    await row.locator(".flag").wait_for(state="detached")
    assert await row.locator("button[value=keep]").count() == 0
