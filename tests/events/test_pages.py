"""Public event pages: structure, languages, security headers."""

import pytest

from tests.support import make_event, make_race, soup, token_headers


@pytest.fixture
async def race(client):
    organiser = await token_headers(client, "organiser")
    event = await make_event(
        client, organiser, name="Basra Corniche 10K", province="IQ-BA", city="Basra", date="2027-03-20"
    )
    await make_event(client, organiser, name="Hidden draft", published=False)
    return await make_race(client, organiser, event["id"], capacity=1)


async def test_home_lists_upcoming_published_events_in_arabic_right_to_left(client, race):
    r = await client.get("/", headers={"Accept-Language": "ar-IQ,ar;q=0.9,en;q=0.5"})
    page = soup(r)
    assert page.html["lang"] == "ar" and page.html["dir"] == "rtl"
    links = [a["href"] for a in page.select("main .cards a")]
    assert links == [f"/events/{race['event_id']}"]
    assert "Hidden draft" not in r.text
    assert "20 آذار 2027" in page.select_one("main .cards").text  # ar_IQ month names, as Iraqis write them


async def test_language_from_cookie_then_accept_language_then_default(client):
    assert soup(await client.get("/events", headers={"Accept-Language": "en-GB,en"})).html["lang"] == "en"
    assert soup(await client.get("/events", headers={"Accept-Language": "ku"})).html["dir"] == "rtl"
    assert (
        soup(await client.get("/events", headers={"Accept-Language": "fr"})).html["lang"] == "en"
    )  # the suite's default
    r = await client.get("/language/ckb?next=/events")
    assert r.status_code == 303 and r.headers["location"] == "/events"
    page = soup(await client.get("/events", headers={"Accept-Language": "en"}))
    assert page.html["lang"] == "ckb" and page.html["dir"] == "rtl"
    switcher = {a["hreflang"]: a["href"] for a in page.select("nav.languages a")}
    assert set(switcher) == {"ar", "ckb", "en"} and switcher["en"] == "/language/en?next=/events"
    assert (await client.get("/language/en?next=https://evil.example/")).headers["location"] == "/"
    assert (await client.get("/language/en?next=//evil.example/")).headers["location"] == "/"


async def test_events_by_province_and_the_event_page(client, race):
    page = soup(await client.get("/events", headers={"Accept-Language": "en"}))
    assert [h.text for h in page.select("section.province h2")] == ["Basra"]
    event = soup(await client.get(f"/events/{race['event_id']}", headers={"Accept-Language": "en"}))
    card = event.select_one(f"#race-{race['id']}")
    assert card.select_one("a.button")["href"] == f"/races/{race['id']}/register"
    assert "1 place left" in card.text
    assert (await client.get("/events/999999")).status_code == 404


async def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/v1/provinces"):
        r = await client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["referrer-policy"] == "same-origin"


async def test_error_pages_are_html_in_the_visitors_language_without_internals(client):
    r = await client.get("/no/such/page", headers={"Accept-Language": "en"})
    assert r.status_code == 404 and soup(r).html["lang"] == "en" and "Traceback" not in r.text
    r = await client.get("/no/such/page", headers={"HX-Request": "true"})
    assert r.status_code == 404 and "<html" not in r.text and 'id="error"' in r.text
    r = await client.get("/api/v1/no/such/thing")
    assert r.status_code == 404 and r.json()["detail"]
