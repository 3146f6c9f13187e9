"""The messages a registration gets, and the check-in's words, name the race and the event in the
registration's (or the visitor's) language, not by the required `name` alone (PRODUCT.md, "Languages")."""

from urllib.parse import parse_qs, urlparse

import pytest

from sportsrun.core.db import sql as db
from sportsrun.messages import sender
from tests.support import csrf_token, make_event, make_race, register, runner, soup, token_headers

EVENT = {"name": "Peace Run", "name_ar": "ركضة السلام", "name_ckb": "ڕاکردنی ئاشتی", "name_en": "Run for Peace"}
RACE = {"name": "10 km", "name_ar": "عشرة كيلومترات", "name_ckb": "دە کیلۆمەتر", "name_en": "Ten kilometres"}
LANGUAGES = ["ar", "ckb", "en"]


@pytest.fixture
async def race(client):
    organiser = await token_headers(client, "organiser")
    event = await make_event(client, organiser, **EVENT)
    return await make_race(client, organiser, event["id"], **RACE)


def named_in(language: str, text: str) -> None:
    """`text` names the race and the event in `language` and never by the plain name."""
    assert RACE[f"name_{language}"] in text and EVENT[f"name_{language}"] in text, text
    assert RACE["name"] not in text and EVENT["name"] not in text.replace(EVENT["name_en"], ""), text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_confirmation_names_the_race_in_the_registrations_language(client, race, language):
    r = await client.post(f"/api/v1/races/{race['id']}/registrations", json=runner(), headers={"Accept-Language":
                          language})  # fmt: skip
    assert r.status_code == 201, r.text
    [message] = await db.fetch("SELECT language, subject, body FROM outbox_message WHERE purpose = 'confirmation'")
    assert message["language"] == language
    named_in(language, message["subject"])
    named_in(language, message["body"])


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_lost_links_message_names_the_race_in_the_requests_language(client, race, language):
    r = await register(client, race["id"], phone="07701234567", birth_date="1992-04-04")
    assert r.status_code == 201, r.text
    answer = await client.post("/api/v1/registrations/recover", headers={"Accept-Language": language},
                               json={"phone": "0770 123 4567", "birth_date": "1992-04-04"})  # fmt: skip
    assert answer.status_code == 202
    await sender.run_once()
    [message] = await db.fetch("SELECT language, body FROM outbox_message WHERE purpose = 'recovery'")
    assert message["language"] == language
    named_in(language, message["body"])


@pytest.mark.parametrize("language", ["ar", "en"])
async def test_a_check_in_code_of_another_race_names_it_in_the_volunteers_language(client, race, language):
    organiser = await token_headers(client, "organiser", "o2@example.test")
    other = await make_race(client, organiser, name="5 km", bib_first=600, bib_last=700)
    r = await register(client, race["id"])
    assert r.status_code == 201, r.text
    [row] = await db.fetch("SELECT checkin_token FROM registration WHERE id = {}", r.json()["id"])
    volunteer = await token_headers(client, "volunteer")
    answer = await client.post(f"/api/v1/races/{other['id']}/check-ins", json={"token": row["checkin_token"]},
                               headers={**volunteer, "Accept-Language": language})  # fmt: skip
    assert answer.status_code == 409, answer.text
    assert RACE[f"name_{language}"] in answer.json()["detail"] and RACE["name"] not in answer.json()["detail"]


@pytest.mark.parametrize("language", ["ar", "en"])
async def test_the_group_form_and_its_answer_name_the_race_in_the_visitors_language(client, race, language):
    url = f"/races/{race['id']}/register/group"
    headers = {"Accept-Language": language}
    form = await client.get(url, headers=headers)
    named_in(language, soup(form).select_one("p.crumbs").text)
    assert RACE[f"name_{language}"] in soup(form).select_one("h1").text and RACE["name"] not in soup(form).title.text
    person = {"given_name": "Sara", "family_name": "Kadhim", "gender": "female", "birth_date": "2015-02-03",
              "province": "IQ-BG", "guardian_name": "Maryam Kadhim"}  # fmt: skip
    data = {"_csrf_token": csrf_token(form), "idempotency_key": "k1", "phone": "07701234567", "consent": "on",
            **{f"people[0].{k}": v for k, v in person.items()}}  # fmt: skip
    done = await client.post(url, data=data, headers=headers, follow_redirects=True)
    assert done.status_code == 200, done.text
    page = soup(done)
    assert page.select(".group-done li")
    named_in(language, page.select_one("p.crumbs").text + " " + page.select_one("h1").text)


@pytest.mark.parametrize("language", ["ar", "en"])
async def test_a_shared_event_is_named_in_the_pages_language(client, race, language):
    page = soup(await client.get(f"/events/{race['event_id']}", headers={"Accept-Language": language}))
    text = parse_qs(urlparse(page.select_one("a.share-telegram")["href"]).query)["text"][0]
    assert text == EVENT[f"name_{language}"]


@pytest.mark.parametrize("language", ["ar", "en"])
async def test_the_registrants_own_page_names_the_race_in_the_visitors_language(client, race, language):
    r = await register(client, race["id"])
    assert r.status_code == 201, r.text
    own = (await client.get(f"/api/v1/registrations/{r.json()['code']}")).json()
    assert own["race"]["name_ckb"] == RACE["name_ckb"] and own["event"]["name_en"] == EVENT["name_en"]
    page = soup(await client.get(f"/registrations/{r.json()['code']}", headers={"Accept-Language": language}))
    named_in(language, page.select_one("dd.race").text + " " + page.select_one("dd.event").text)
