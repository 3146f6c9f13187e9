"""The registrant fixes their registration by its code (API and page); the organiser corrects any field
by id. Every change is checked by the rules of registering and recorded."""

import json

import pytest

from sportsrun.core.db import sql as db
from sportsrun.registration import services
from tests.support import HTMX, count, csrf_token, make_race, register, soup, token_headers


@pytest.fixture
async def race(client):
    return await make_race(client, await token_headers(client, "organiser"))


async def changes_of(registration_id: int) -> list[dict]:
    return await db.fetch('SELECT "user", fields, before, after FROM registration_change WHERE registration = {} '
                          "ORDER BY id", registration_id)  # fmt: skip


async def test_a_code_is_never_digits_only(monkeypatch):
    made = iter(["1234567890123456", "0000000000000000", "abcDEF0123456789"])
    monkeypatch.setattr(services.secrets, "token_urlsafe", lambda n: next(made))
    code, digest = services.new_code()
    assert code == "abcDEF0123456789" and digest == services.code_digest(code)


async def test_the_registrant_fixes_names_and_contacts(client, race):
    r = await register(client, race["id"], given_name="Zaynab", phone="07701112233", club=None)
    code, rid = r.json()["code"], r.json()["id"]
    answer = await client.patch(f"/api/v1/registrations/{code}", json={
        "given_name": "Zainab", "phone": "0770 999 8877", "email": "Zainab@Example.org", "club": "Basra Runners",
        "name_display": "initials"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert (body["given_name"], body["phone"], body["email"], body["club"], body["name_display"]) == (
        "Zainab", "+9647709998877", "zainab@example.org", "Basra Runners", "initials")  # fmt: skip
    assert body["bib"] == r.json()["bib"] and body["race"]["id"] == race["id"] and body["language"] == "en"
    [change] = await changes_of(rid)
    assert change["user"] is None
    assert set(change["fields"].split(",")) == {"given_name", "phone", "email", "club", "name_display"}
    assert json.loads(change["before"])["given_name"] == "Zaynab"
    assert json.loads(change["after"])["phone"] == "+9647709998877"
    # The search of the organiser's list and the duplicate rule follow the new name.
    rows = await db.fetch("SELECT name_key FROM registration WHERE id = {}", rid)
    assert rows[0]["name_key"].startswith("zainab ")


async def test_the_same_values_again_record_nothing(client, race):
    r = await register(client, race["id"], given_name="Ali")
    answer = await client.patch(f"/api/v1/registrations/{r.json()['code']}", json={"given_name": "Ali"})
    assert answer.status_code == 200
    assert await count("registration_change") == 0


@pytest.mark.parametrize("field, value", [("birth_date", "1996-03-01"), ("gender", "male")])
async def test_birth_date_and_gender_are_for_the_organiser(client, race, field, value):
    r = await register(client, race["id"])
    answer = await client.patch(f"/api/v1/registrations/{r.json()['code']}", json={field: value, "club": "X"})
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert await count("registration_change") == 0


async def test_fields_outside_the_registrants_own_are_refused(client, race):
    r = await register(client, race["id"])
    answer = await client.patch(f"/api/v1/registrations/{r.json()['code']}", json={"bib": 7, "province": "IQ-BG"})
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {"bib", "province"}


async def test_a_change_that_makes_a_duplicate_is_refused(client, race):
    await register(client, race["id"], phone="07701110000", birth_date="1990-05-05")
    r = await register(client, race["id"], phone="07702220000", birth_date="1990-05-05", given_name="Huda")
    answer = await client.patch(f"/api/v1/registrations/{r.json()['code']}", json={"phone": "07701110000"})
    assert answer.status_code == 409
    assert "already registered" in answer.json()["detail"]
    assert (await client.get(f"/api/v1/registrations/{r.json()['code']}")).json()["phone"] == "+9647702220000"


async def test_a_duplicate_by_name_and_birth_date_is_refused_too(client, race):
    await register(client, race["id"], given_name="Omar", family_name="Kareem Jasim", birth_date="1988-07-01")
    r = await register(client, race["id"], given_name="Omar", family_name="Karim", birth_date="1988-07-01")
    answer = await client.patch(f"/api/v1/registrations/{r.json()['code']}", json={"family_name": "كريم"})
    assert answer.status_code == 200  # another name: no duplicate
    answer = await client.patch(f"/api/v1/registrations/{r.json()['code']}", json={"family_name": "Kareem  jasim"})
    assert answer.status_code == 409


async def test_invalid_contacts_are_refused_beside_the_field(client, race):
    r = await register(client, race["id"], email=None)
    code = r.json()["code"]
    answer = await client.patch(f"/api/v1/registrations/{code}", json={"phone": "12", "email": "nobody"})
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {"phone", "email"}
    answer = await client.patch(f"/api/v1/registrations/{code}", json={"phone": None})
    assert answer.status_code == 422  # a phone or an email stays required
    assert answer.json()["errors"][0]["field"] == "phone"


async def test_a_minors_full_name_needs_the_guardians_permission(client, race):
    r = await register(client, race["id"], birth_date="2014-02-02", guardian_name="Hamid Ali", name_display="initials")
    answer = await client.patch(f"/api/v1/registrations/{r.json()['code']}", json={"name_display": "full"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "name_display"
    allowed = await register(client, race["id"], birth_date="2013-02-02", guardian_name="Hamid Ali",
                             name_display="initials", guardian_allows_full_name=True)  # fmt: skip
    answer = await client.patch(f"/api/v1/registrations/{allowed.json()['code']}", json={"name_display": "full"})
    assert answer.status_code == 200


async def test_unknown_and_cancelled_registrations(client, race):
    assert (await client.patch("/api/v1/registrations/no-such-code", json={"club": "X"})).status_code == 404
    r = await register(client, race["id"])
    code = r.json()["code"]
    assert (await client.delete(f"/api/v1/registrations/{code}")).status_code == 204
    answer = await client.patch(f"/api/v1/registrations/{code}", json={"club": "X"})
    assert answer.status_code == 409


async def test_the_organiser_corrects_any_field_by_id(client, race):
    headers = await token_headers(client, "organiser", "corrector@example.test")
    r = await register(client, race["id"], gender="female", birth_date="1990-01-01")
    rid = r.json()["id"]
    answer = await client.patch(f"/api/v1/registrations/{rid}", headers=headers, json={
        "birth_date": "1991-01-01", "gender": "male", "province": "IQ-NI", "bib": 250})  # fmt: skip
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["id"], body["bib"], body["status"], body["gender"], body["birth_date"], body["province"]) == (
        rid, 250, "confirmed", "male", "1991-01-01", "IQ-NI")  # fmt: skip
    [change] = await changes_of(rid)
    assert change["user"] is not None and set(change["fields"].split(",")) == {"birth_date", "gender", "province"}
    assert await count("bib_audit", "action = 'reassigned' AND bib = 250") == 1
    # The bib alone, as before.
    answer = await client.patch(f"/api/v1/registrations/{rid}", headers=headers, json={"bib": 251})
    assert (answer.status_code, answer.json()["bib"]) == (200, 251)


async def test_the_organisers_change_is_all_or_nothing(client, race):
    headers = await token_headers(client, "organiser", "corrector@example.test")
    rid = (await register(client, race["id"], given_name="Sara")).json()["id"]
    answer = await client.patch(f"/api/v1/registrations/{rid}", headers=headers,
                                json={"given_name": "Sarah", "bib": 99999})  # fmt: skip
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "bib"
    rows = await db.fetch("SELECT given_name FROM registration WHERE id = {}", rid)
    assert rows[0]["given_name"] == "Sara" and await count("registration_change") == 0
    other = (await register(client, race["id"], phone="07703330000", birth_date="1970-01-01")).json()["id"]
    [sara] = await db.fetch("SELECT phone FROM registration WHERE id = {}", rid)
    body = {"birth_date": "1995-03-01", "phone": sara["phone"]}  # now the same person as Sara
    answer = await client.patch(f"/api/v1/registrations/{other}", headers=headers, json=body)
    assert answer.status_code == 409


async def test_a_registration_id_needs_an_organisers_token(client, race):
    rid = (await register(client, race["id"])).json()["id"]
    assert (await client.patch(f"/api/v1/registrations/{rid}", json={"bib": 5})).status_code == 401
    volunteer = await token_headers(client, "volunteer")
    assert (await client.patch(f"/api/v1/registrations/{rid}", headers=volunteer, json={"bib": 5})).status_code == 403
    organiser = await token_headers(client, "organiser", "o2@example.test")
    assert (await client.patch("/api/v1/registrations/999999", headers=organiser, json={"bib": 5})).status_code == 404


# -- the page ------------------------------------------------------------------------------------------


async def test_the_own_page_fixes_details_without_javascript(client, race):
    r = await register(client, race["id"], given_name="Zaynab")
    code = r.json()["code"]
    page = await client.get(f"/registrations/{code}")
    assert page.headers["cache-control"] == "no-store"
    form = soup(page).find("form", {"action": f"/registrations/{code}/edit"})
    assert form is not None and form.find("input", {"name": "given_name"})["value"] == "Zaynab"
    assert form.find("input", {"name": "birth_date"}) is None
    values = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("type") != "radio"}
    values.update(given_name="Zainab", name_display="full")
    saved = await client.post(f"/registrations/{code}/edit", data=values)
    assert saved.status_code == 303 and saved.headers["location"] == f"/registrations/{code}?saved=1"
    after = await client.get(saved.headers["location"])
    assert "Your changes are saved." in after.text and after.headers["cache-control"] == "no-store"
    assert soup(after).find("input", {"name": "given_name"})["value"] == "Zainab"


async def test_the_own_page_shows_errors_beside_the_field(client, race):
    code = (await register(client, race["id"])).json()["code"]
    token = csrf_token(await client.get(f"/registrations/{code}"))
    answer = await client.post(f"/registrations/{code}/edit", data={"_csrf_token": token, "given_name": "Zainab",
                               "family_name": "Hamid", "phone": "12", "email": ""})  # fmt: skip
    assert answer.status_code == 422
    field = soup(answer).find(id="field-phone")
    assert "invalid" in field["class"] and field.find("p", class_="error")
    assert answer.headers["cache-control"] == "no-store"


async def test_htmx_gets_the_form_alone(client, race):
    code = (await register(client, race["id"])).json()["code"]
    token = csrf_token(await client.get(f"/registrations/{code}"))
    answer = await client.post(f"/registrations/{code}/edit", headers=HTMX, data={
        "_csrf_token": token, "given_name": "Noor", "family_name": "Hamid", "phone": "07701231231"})  # fmt: skip
    assert answer.status_code == 200
    assert answer.text.lstrip().startswith('<section class="edit-own"') and "<html" not in answer.text
    assert "Your changes are saved." in answer.text
    oob = soup(answer).find(id="own-name")
    assert oob["hx-swap-oob"] == "true" and oob.text == "Noor Hamid"
    refused = await client.post(f"/registrations/{code}/edit", headers=HTMX, data={
        "_csrf_token": token, "given_name": "", "family_name": "Hamid", "phone": "07701231231"})  # fmt: skip
    assert refused.status_code == 422 and soup(refused).find(id="field-given_name").find("p", class_="error")


async def test_the_edit_form_needs_its_csrf_token(client, race):
    code = (await register(client, race["id"])).json()["code"]
    assert (await client.post(f"/registrations/{code}/edit", data={"given_name": "X"})).status_code == 403
