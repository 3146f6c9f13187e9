"""The group form without JavaScript (plain posts) and its htmx fragment; "I am another person" on the
single form; the organiser's flagged filter and resolving a flag from the registrations page."""

from urllib.parse import parse_qs, urlsplit

import pytest

from sportsrun.core.db import sql as db
from tests.support import HTMX, count, csrf_token, make_race, register, row_counts, sign_in, soup, token_headers

EN = {"Accept-Language": "en"}


@pytest.fixture
async def race(client):
    return await make_race(client, await token_headers(client, "organiser"), capacity=2, bib_first=1, bib_last=50)


def person(i: int, given: str, born: str = "2015-02-03", **overrides) -> dict:
    p = {"given_name": given, "family_name": "Kadhim Jaber", "gender": "female", "birth_date": born,
         "province": "IQ-BG", "guardian_name": "Maryam Kadhim"} | overrides  # fmt: skip
    return {f"people[{i}].{k}": v for k, v in p.items()}


async def test_the_registration_form_links_to_the_group_form(client, race):
    page = soup(await client.get(f"/races/{race['id']}/register", headers=EN))
    assert page.select_one(".group-link a")["href"] == f"/races/{race['id']}/register/group"


async def test_add_a_person_without_javascript_keeps_what_was_typed(client, race):
    url = f"/races/{race['id']}/register/group"
    page = soup(await client.get(url, headers=EN))
    form = page.select_one("form#group-registration")
    assert form["action"] == url and len(form.select("fieldset.person")) == 1
    token, key = csrf_token_of(page), form.select_one("[name=idempotency_key]")["value"]
    data = {"_csrf_token": token, "idempotency_key": key, "phone": "07701234567", **person(0, "Sara"),
            "action": "add"}  # fmt: skip
    r = await client.post(url, data=data, headers=EN)
    assert r.status_code == 200 and await count("registration") == 0
    again = soup(r)
    assert len(again.select("fieldset.person")) == 2
    assert again.select_one("[id='people[0].given_name']")["value"] == "Sara"
    assert again.select_one("[id='people[1].given_name']")["value"] == ""
    assert again.select_one("#phone")["value"] == "07701234567"
    assert again.select_one("[name=idempotency_key]")["value"] == key  # the same form, the same key
    assert again.select_one("#add-person button")["hx-get"] == f"{url}/person?index=2"
    # Removing the first block: the second becomes the first, what was typed in it kept.
    data = {**data, **person(1, "Huda"), "action": "remove-0"}
    removed = soup(await client.post(url, data=data, headers=EN))
    assert len(removed.select("fieldset.person")) == 1 and removed.select_one("button[value^=remove]") is None
    assert removed.select_one("[id='people[0].given_name']")["value"] == "Huda"


async def test_a_group_registers_without_javascript_and_lists_each_person(client, race):
    url = f"/races/{race['id']}/register/group"
    token = csrf_token(await client.get(url))
    data = {"_csrf_token": token, "idempotency_key": "k1", "phone": "07701234567", "consent": "on",
            **person(0, "Sara"), **person(1, "Huda"), **person(2, "Zainab"),
            **{"people[3].given_name": "", "people[3].name_display": "full"}}  # fmt: skip
    r = await client.post(url, data=data)
    assert r.status_code == 303, r.text
    location = r.headers["location"]
    codes = parse_qs(urlsplit(location).query)["code"]
    assert urlsplit(location).path == f"{url}/done" and len(codes) == 3  # the empty block left out
    done = await client.get(location, headers=EN)
    assert done.status_code == 200 and done.headers["cache-control"] == "no-store"
    items = soup(done).select(".group-done li")
    assert [li.select_one("strong").text for li in items] == [
        "Sara Kadhim Jaber", "Huda Kadhim Jaber", "Zainab Kadhim Jaber"]  # fmt: skip
    assert "Bib 1" in items[0].text and "Bib 2" in items[1].text and "On the waitlist" in items[2].text
    assert [li.select_one("a")["href"] for li in items] == [f"/registrations/{c}" for c in codes]
    # The same form sent again (a lost answer): the first answer, nobody registered twice.
    assert (await client.post(url, data=data)).headers["location"] == location
    assert await count("registration") == 3
    assert (await client.get(f"{url}/done?code=not-a-code")).status_code == 404


async def test_errors_are_beside_the_right_persons_field(client, race):
    url = f"/races/{race['id']}/register/group"
    token = csrf_token(await client.get(url))
    before = await row_counts()
    data = {"_csrf_token": token, "phone": "07701234567", "consent": "on", **person(0, "Sara"),
            **person(1, "Huda"), **person(2, "Zainab", born="2090-01-01")}  # fmt: skip
    r = await client.post(url, data=data, headers=EN)
    assert r.status_code == 422 and await row_counts() == before
    page = soup(r)
    assert page.select_one("[id='field-people[2].birth_date'] .error").text
    assert page.select_one("[id='field-people[1].birth_date'] .error") is None
    summary = page.select_one("#error-summary a")
    assert summary["href"] == "#people[2].birth_date" and summary.text.startswith("Person 3: Date of birth")
    assert page.select_one("[id='people[1].given_name']")["value"] == "Huda"


async def test_a_registered_namesake_refuses_the_group_and_offers_another_person(client, race):
    await register(client, race["id"], given_name="Huda", family_name="Kadhim Jaber", birth_date="2015-02-03",
                   guardian_name="Someone")  # fmt: skip
    url = f"/races/{race['id']}/register/group"
    token = csrf_token(await client.get(url))
    data = {"_csrf_token": token, "email": "family@example.com", "consent": "on", **person(0, "Sara"),
            **person(1, "Huda")}  # fmt: skip
    r = await client.post(url, data=data, headers=EN)
    assert r.status_code == 409 and await count("registration") == 1
    page = soup(r)
    assert page.select_one("[id='field-people[1].given_name'] .error").text
    assert page.select_one("[id='people[1].another_person']") is not None
    assert page.select_one("[id='people[0].another_person']") is None
    r = await client.post(url, data=data | {"people[1].another_person": "on"})
    assert r.status_code == 303 and await count("registration", "flagged = {}", True) == 1


async def test_the_person_fragment_for_htmx(client, race):
    r = await client.get(f"/races/{race['id']}/register/group/person?index=3", headers=HTMX | EN)
    assert r.status_code == 200 and "<html" not in r.text
    page = soup(r)
    assert page.select_one("fieldset#person-3 legend").text == "Person 4"
    assert page.select_one("[id='people[3].given_name']")["name"] == "people[3].given_name"
    oob = page.select_one("#add-person")
    assert oob["hx-swap-oob"] == "true" and oob.select_one("button")["hx-get"].endswith("index=4")
    last = soup(await client.get(f"/races/{race['id']}/register/group/person?index=19", headers=HTMX))
    assert last.select_one("#add-person button") is None  # twenty: no more
    assert (await client.get(f"/races/{race['id']}/register/group/person?index=20")).status_code == 404


async def test_i_am_another_person_on_the_single_form(client, race):
    await register(client, race["id"], given_name="Ali", family_name="Hussein", birth_date="1990-07-01")
    url = f"/races/{race['id']}/register"
    token = csrf_token(await client.get(url))
    data = {"_csrf_token": token, "given_name": "ali", "family_name": "HUSSEIN",
            "gender": "male", "birth_date": "1990-07-01", "province": "IQ-NA", "phone": "07809998877",
            "consent": "on"}  # fmt: skip
    r = await client.post(url, data=data, headers=EN)
    assert r.status_code == 409
    box = soup(r).select_one("#another_person")
    assert box is not None and box["name"] == "another_person"
    r = await client.post(url, data=data | {"another_person": "on"})
    assert r.status_code == 303 and await count("registration", "flagged = {}", True) == 1
    # A phone match is refused without the offer.
    r = await client.post(url, data=data | {"given_name": "Omar", "another_person": "on"}, headers=EN)
    assert r.status_code == 409 and await count("registration") == 2


async def test_the_organiser_filters_and_resolves_flags_on_the_page(client, race):
    await register(client, race["id"], given_name="Ali", family_name="Hussein", birth_date="1990-07-01")
    flagged = (await register(client, race["id"], given_name="Ali", family_name="Hussein", birth_date="1990-07-01",
                              another_person=True)).json()  # fmt: skip
    table = f"/organiser/races/{race['id']}/registrations"
    assert (await client.get(table + "?status=flagged")).status_code in (302, 303, 401)  # signed out
    token = await sign_in(client, "organiser")
    page = soup(await client.get(table + "?status=flagged", headers=EN))
    rows = page.select("#registrations tbody tr")
    assert [r["id"] for r in rows] == [f"registration-{flagged['id']}"]
    assert rows[0].select_one(".flag").text and rows[0].select_one("option[value=flagged]") is None
    assert page.select_one("select#status option[value=flagged]")["selected"] is not None
    form = rows[0].select_one("form.flag-form")
    assert form["action"] == f"/organiser/registrations/{flagged['id']}/flag"
    # Without the CSRF token: refused, nothing changes.
    refused = await client.post(form["action"], data={"decision": "keep"})
    assert refused.status_code == 403 and await count("registration", "flagged = {}", True) == 1
    r = await client.post(form["action"], data={"_csrf_token": token, "decision": "keep"})
    assert r.status_code == 303 and r.headers["location"] == table + "?status=flagged"
    assert await count("registration", "flagged = {}", True) == 0
    [row] = await db.fetch("SELECT flag_decision FROM registration WHERE id = {}", flagged["id"])
    assert row["flag_decision"] == "kept"
    # Resolving again: the page says why, beside the row.
    again = await client.post(form["action"], data={"_csrf_token": token, "decision": "cancel"}, headers=EN)
    assert again.status_code == 409 and "not flagged" in soup(again).select_one("#registrations .error").text


async def test_the_organiser_cancels_a_duplicate_with_htmx(client, race):
    await register(client, race["id"], given_name="Ali", family_name="Hussein", birth_date="1990-07-01")
    flagged = (await register(client, race["id"], given_name="Ali", family_name="Hussein", birth_date="1990-07-01",
                              another_person=True)).json()  # fmt: skip
    token = await sign_in(client, "organiser")
    r = await client.post(f"/organiser/registrations/{flagged['id']}/flag",
                          data={"_csrf_token": token, "decision": "cancel"}, headers=HTMX | EN)  # fmt: skip
    assert r.status_code == 200 and "<html" not in r.text
    row = soup(r).select_one("tr")
    assert "status-cancelled" in row["class"] and row.select_one(".flag") is None


def csrf_token_of(page) -> str:
    return page.find("input", {"name": "_csrf_token"})["value"]
