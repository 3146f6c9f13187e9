"""The pages part 1 needs (part 2 builds them out): real HTML, a working registration form with CSRF."""

import re

import pytest

from tests.support import make_event, make_race, make_user, token_headers


@pytest.fixture
async def race(client):
    organiser = await token_headers(client, "organiser")
    event = await make_event(client, organiser, name="Basra Corniche 10K", province="IQ-BA", city="Basra")
    return await make_race(client, organiser, event["id"], capacity=1)


def csrf_from(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)


async def test_home_and_events_list_published_events_in_the_visitors_language(client, race):
    r = await client.get("/", headers={"Accept-Language": "ar-IQ,ar;q=0.9,en;q=0.5"})
    assert r.status_code == 200
    assert '<html lang="ar" dir="rtl">' in r.text
    assert "Basra Corniche 10K" in r.text and f'href="/events/{race["event_id"]}"' in r.text
    r = await client.get("/events", headers={"Accept-Language": "en"})
    assert '<html lang="en" dir="ltr">' in r.text and "Basra" in r.text
    r = await client.get("/events", headers={"Accept-Language": "ku"})
    assert '<html lang="ckb" dir="rtl">' in r.text


async def test_the_language_choice_is_remembered(client):
    r = await client.get("/language/ckb?next=/events")
    assert r.status_code == 303 and r.headers["location"] == "/events"
    r = await client.get("/events", headers={"Accept-Language": "en"})
    assert '<html lang="ckb" dir="rtl">' in r.text
    r = await client.get("/language/en?next=https://evil.example/")
    assert r.headers["location"] == "/"


async def test_event_page_lists_races_with_places_left(client, race):
    r = await client.get(f"/events/{race['event_id']}")
    assert r.status_code == 200
    assert f'href="/races/{race["id"]}/register"' in r.text and "10 km" in r.text
    assert (await client.get("/events/999999")).status_code == 404


async def test_registering_through_the_form_without_javascript(client, race):
    form = await client.get(f"/races/{race['id']}/register")
    assert form.status_code == 200
    for field in (
        "given_name",
        "family_name",
        "gender",
        "birth_date",
        "province",
        "phone",
        "email",
        "consent",
        "guardian_name",
    ):
        assert f'name="{field}"' in form.text
    token = csrf_from(form.text)
    data = {
        "_csrf_token": token,
        "given_name": "زينب",
        "family_name": "حامد",
        "gender": "female",
        "birth_date": "1995-03-01",
        "province": "IQ-BA",
        "phone": "٠٧٧٠١٢٣٤٥٦٧",
        "consent": "on",
    }
    r = await client.post(f"/races/{race['id']}/register", data=data)
    assert r.status_code == 303
    own = await client.get(r.headers["location"])
    assert own.status_code == 200 and own.headers["cache-control"] == "no-store"
    assert 'class="bib">1<' in own.text and "زينب" in own.text


async def test_form_errors_are_shown_beside_their_fields(client, race):
    token = csrf_from((await client.get(f"/races/{race['id']}/register")).text)
    r = await client.post(f"/races/{race['id']}/register", data={"_csrf_token": token, "given_name": "Ali"})
    assert r.status_code == 422
    assert 'id="family_name-error"' in r.text and 'id="consent-error"' in r.text
    assert 'value="Ali"' in r.text  # what was typed is kept


async def test_posting_without_the_csrf_token_is_refused(client, race):
    await client.get(f"/races/{race['id']}/register")
    r = await client.post(f"/races/{race['id']}/register", data={"given_name": "Ali"})
    assert r.status_code == 403


async def test_cancel_from_the_registrants_page(client, race):
    token = csrf_from((await client.get(f"/races/{race['id']}/register")).text)
    data = {
        "_csrf_token": token,
        "given_name": "Ali",
        "family_name": "Kareem",
        "gender": "male",
        "birth_date": "1990-01-01",
        "province": "IQ-BG",
        "email": "ali@example.com",
        "consent": "on",
    }
    location = (await client.post(f"/races/{race['id']}/register", data=data)).headers["location"]
    code = location.split("/")[2].split("?")[0]
    r = await client.post(f"/registrations/{code}/cancel", data={"_csrf_token": token})
    assert r.status_code == 303
    assert "Cancelled" in (await client.get(f"/registrations/{code}", headers={"Accept-Language": "en"})).text


async def test_login_page_signs_in_with_a_session(client):
    await make_user("organiser", "org@example.test")
    page = await client.get("/login")
    assert page.status_code == 200 and 'name="password"' in page.text
    token = csrf_from(page.text)
    bad = await client.post("/login", data={"_csrf_token": token, "email": "org@example.test", "password": "nope"})
    assert bad.status_code == 401 and "wrong" in bad.text
    good = await client.post(
        "/login",
        data={
            "_csrf_token": token,
            "email": "org@example.test",
            "password": "a long enough password",
            "next": "/events",
        },
    )
    assert good.status_code == 303 and good.headers["location"] == "/events"
    set_cookie = good.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=lax" in set_cookie
    assert "org@example.test" in (await client.get("/login")).text


async def test_error_pages_are_html_without_internals(client):
    r = await client.get("/no/such/page")
    assert r.status_code == 404 and "<html" in r.text and "Traceback" not in r.text
    r = await client.get("/api/v1/no/such/thing")
    assert r.status_code == 404 and r.json()["detail"]
