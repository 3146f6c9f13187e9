"""Lost links: the same answer for a stranger and a registrant, the links sent to that contact only, at
most three messages per contact per hour, and a rate limit per client address."""

import pytest

from sportsrun.core.db import sql as db
from sportsrun.messages import sender
from tests.support import count, csrf_token, make_race, register, soup, token_headers

VARYING = {"date", "x-request-id"}


@pytest.fixture
async def race(client):
    return await make_race(client, await token_headers(client, "organiser"))


async def recovery_messages() -> list[dict]:
    return await db.fetch("SELECT channel, recipient, language, body FROM outbox_message WHERE purpose = 'recovery' "
                          "ORDER BY id")  # fmt: skip


def comparable(response) -> tuple:
    headers = sorted((k, v) for k, v in response.headers.items() if k not in VARYING)
    return response.status_code, headers, response.content


async def test_a_stranger_gets_the_same_answer_as_a_registrant(client, race):
    r = await register(client, race["id"], phone="07701234567", birth_date="1992-04-04")
    match = await client.post("/api/v1/registrations/recover", json={"phone": "0770 123 4567",
                                                                     "birth_date": "1992-04-04"})  # fmt: skip
    stranger = await client.post("/api/v1/registrations/recover", json={"phone": "0770 765 4321",
                                                                        "birth_date": "1992-04-04"})  # fmt: skip
    wrong_birth = await client.post("/api/v1/registrations/recover", json={"phone": "0770 123 4567",
                                                                           "birth_date": "1992-04-05"})  # fmt: skip
    assert match.status_code == 202
    assert comparable(match) == comparable(stranger) == comparable(wrong_birth)
    assert await count("recovery_request") == 3  # the lookup waits for the sender: the same work for all three

    await sender.run_once()
    assert await count("recovery_request") == 0
    [message] = await recovery_messages()
    assert (message["channel"], message["recipient"]) == ("sms", "+9647701234567")
    new_code = message["body"].split("/registrations/")[1].split()[0]
    assert new_code != r.json()["code"]
    assert (await client.get(f"/api/v1/registrations/{new_code}")).status_code == 200
    assert (await client.get(f"/api/v1/registrations/{r.json()['code']}")).status_code == 404  # the old link died
    assert await count("registration_change", "fields = 'code'") == 1


async def test_every_registration_of_the_contact_is_sent_in_the_requests_language(client, race, settings_env):
    other = await make_race(client, await token_headers(client, "organiser", "o2@example.test"), name="5 km",
                            bib_first=600, bib_last=700, event_id=race["event_id"])  # fmt: skip
    cancelled = await register(client, race["id"], email="family@example.org", phone=None, birth_date="2001-01-01",
                               given_name="Ahmed")  # fmt: skip
    assert (await client.delete(f"/api/v1/registrations/{cancelled.json()['code']}")).status_code == 204
    for race_id in (race["id"], other["id"]):
        r = await register(client, race_id, email="family@example.org", phone=None, birth_date="2001-01-01")
        assert r.status_code == 201
    answer = await client.post("/api/v1/registrations/recover", headers={"Accept-Language": "ar"},
                               json={"email": "Family@example.org", "birth_date": "2001-01-01"})  # fmt: skip
    assert answer.status_code == 202
    await sender.run_once()
    [message] = await recovery_messages()
    assert (message["channel"], message["recipient"], message["language"]) == ("email", "family@example.org", "ar")
    assert message["body"].count("/registrations/") == 2  # the cancelled registration is not sent
    assert "روابط" in message["body"]


async def test_at_most_three_messages_per_contact_per_hour(client, race):
    await register(client, race["id"], phone="07701230001", birth_date="1980-08-08")
    for _ in range(5):
        r = await client.post(
            "/api/v1/registrations/recover", json={"phone": "07701230001", "birth_date": "1980-08-08"}
        )
        assert r.status_code == 202
        await sender.run_once()
    assert len(await recovery_messages()) == 3


async def test_requests_are_rate_limited_per_client_address(client, race, settings_env):
    settings_env(registration_rate_limit=2)
    body = {"email": "someone@example.org", "birth_date": "1980-08-08"}
    assert [(await client.post("/api/v1/registrations/recover", json=body)).status_code for _ in range(3)] == [
        202, 202, 429]  # fmt: skip


async def test_unusable_input_is_422(client):
    r = await client.post("/api/v1/registrations/recover", json={"birth_date": "1980-08-08"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "phone"
    r = await client.post("/api/v1/registrations/recover", json={"email": "x@example.org", "birth_date": "soon"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "birth_date"
    assert await count("recovery_request") == 0


async def test_the_lost_link_page(client, race):
    await register(client, race["id"], phone="07701230002", birth_date="1985-01-01")
    assert 'href="/registrations/recover"' in (await client.get("/")).text
    assert 'href="/registrations/recover"' in (await client.get(f"/races/{race['id']}/register")).text
    page = await client.get("/registrations/recover")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    token = csrf_token(page)
    answers = []
    for phone in ("07701230002", "07709999999"):
        r = await client.post("/registrations/recover", data={"_csrf_token": token, "phone": phone,
                                                              "birth_date": "1985-01-01"})  # fmt: skip
        assert r.status_code == 200
        answers.append(soup(r).find(id="recover-sent").text)
    assert answers[0] == answers[1]
    refused = await client.post("/registrations/recover", data={"_csrf_token": token, "birth_date": "1985-01-01"})
    assert refused.status_code == 422 and soup(refused).find(id="field-phone").find("p", class_="error")
    await sender.run_once()
    assert len(await recovery_messages()) == 1
