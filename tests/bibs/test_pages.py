"""The volunteer's check-in page."""

from tests.support import HTMX, make_race, register, sign_in, soup, token_headers


async def test_look_up_a_bib_and_check_in_with_one_tap(client):
    race = await make_race(client, await token_headers(client, "organiser"), capacity=5)
    reg = (
        await register(client, race["id"], given_name="Sara", family_name="Aziz", email="sara@example.com", phone=None)
    ).json()
    token = await sign_in(client, "volunteer")
    listing = soup(await client.get("/volunteer"))
    assert listing.select_one(f"a[href='/volunteer/races/{race['id']}']")
    page = await client.get(f"/volunteer/races/{race['id']}")
    bib_field = soup(page).select_one("input#bib")
    assert bib_field["inputmode"] == "numeric" and bib_field.has_attr("autofocus")
    card = await client.get(f"/volunteer/races/{race['id']}?bib={reg['bib']}", headers=HTMX)
    assert "<html" not in card.text and soup(card).select_one(".name").text == "Sara Aziz"
    assert "sara@example.com" not in card.text and "1995" not in card.text  # only what the task needs
    url = f"/volunteer/races/{race['id']}/bibs/{reg['bib']}/check-in"
    r = await client.post(url, data={"_csrf_token": token}, headers={**HTMX, "Accept-Language": "en"})
    assert r.status_code == 200 and "Checked in" in soup(r).select_one(".success").text
    again = await client.get(f"/volunteer/races/{race['id']}?bib={reg['bib']}", headers={"Accept-Language": "en"})
    assert "Already checked in" in soup(again).select_one(".success").text
    r = await client.post(url, data={"_csrf_token": token})  # without JavaScript
    assert r.status_code == 303
    missing = await client.get(f"/volunteer/races/{race['id']}?bib=٤٩٩", headers={"Accept-Language": "en"})
    assert "No runner holds bib" in soup(missing).select_one("#card .error").text


async def test_check_in_needs_a_signed_in_volunteer(client):
    r = await client.get("/volunteer/races/1")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/volunteer/races/1"
