"""The registrant's page shows a check-in QR holding the token only (never the page's own address); the
volunteer's page takes a scanned QR, a bib or a name, with and without JavaScript, and is the only page
allowed the camera."""

import segno
from bs4 import BeautifulSoup

from sportsrun.core.db import sql as db
from sportsrun.registration.checkin_token import checkin_payload, checkin_qr_svg
from tests.support import HTMX, make_race, register, sign_in, soup, token_headers

EN = {"Accept-Language": "en"}


async def token_of(registration_id: int) -> str | None:
    rows = await db.fetch("SELECT checkin_token FROM registration WHERE id = {}", registration_id)
    return rows[0]["checkin_token"]


def qr_path(svg: str) -> str:
    """The drawing of a QR's modules in segno's SVG: the same text and options draw the same path."""
    return BeautifulSoup(svg, "html.parser").select_one("svg path")["d"]


async def test_the_own_page_shows_the_check_in_qr_and_not_its_own_address(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=5)
    reg = (await register(client, race["id"])).json()
    token = await token_of(reg["id"])
    page = await client.get(f"/registrations/{reg['code']}", headers=EN)
    [qr] = soup(page).select(".qr svg")  # one QR on the page, in the check-in section
    assert qr.find_parent("section")["class"] == ["checkin-qr"]
    shown = qr.select_one("path")["d"]
    # segno draws the same symbol for the same text and options: the QR shown is the token's payload...
    assert shown == qr_path(checkin_qr_svg(token))
    assert checkin_payload(token) == f"sportsrun-checkin:{token}"
    # ...and no QR of the page's address, nor anything holding the self-service code, is on the page.
    own_url = f"http://testserver.local/registrations/{reg['code']}"
    for other in (own_url, reg["code"], f"sportsrun-checkin:{reg['code']}"):
        for error in "lmqh":
            for scale, border in ((6, 4), (4, 2)):
                assert qr_path(segno.make(other, error=error).svg_inline(scale=scale, border=border)) != shown
    assert "Your check-in code" in page.text

    # Waitlisted: the QR is there, with a word that it works once a bib is given.
    full = await make_race(client, organiser, capacity=0, bib_first=600, bib_last=700)
    waiting = (await register(client, full["id"])).json()
    page = soup(await client.get(f"/registrations/{waiting['code']}", headers=EN))
    assert page.select_one(".checkin-qr .qr svg") is not None and page.select_one(".checkin-qr .notice")
    # Cancelled: no QR at all.
    assert (await client.delete(f"/api/v1/registrations/{reg['code']}")).status_code == 204
    page = soup(await client.get(f"/registrations/{reg['code']}", headers=EN))
    assert page.select(".qr svg") == [] and page.select_one(".checkin-qr") is None


async def test_only_the_scanner_page_may_use_the_camera(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser)
    reg = (await register(client, race["id"])).json()
    await sign_in(client, "volunteer")
    scanner = await client.get(f"/volunteer/races/{race['id']}")
    assert scanner.status_code == 200
    assert scanner.headers.get_list("permissions-policy") == ["camera=(self), microphone=(), geolocation=()"]
    assert "content-security-policy" in scanner.headers  # the other headers stay
    fragment = await client.get(f"/volunteer/races/{race['id']}?bib={reg['bib']}", headers=HTMX)
    assert fragment.headers.get_list("permissions-policy") == ["camera=(self), microphone=(), geolocation=()"]
    others = ("/", "/volunteer", f"/volunteer/races/{race['id']}/results", f"/registrations/{reg['code']}",
              f"/races/{race['id']}/register", f"/events/{race['event_id']}", "/login",
              "/api/v1/provinces")  # fmt: skip
    for path in others:
        r = await client.get(path)
        assert r.headers.get_list("permissions-policy") == ["camera=(), microphone=(), geolocation=()"], path


async def test_a_scan_checks_the_runner_in_and_a_second_scan_says_so(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=1)
    other = await make_race(client, organiser, name="5 km", bib_first=600, bib_last=700)
    reg = (await register(client, race["id"], given_name="Sara", family_name="Aziz", name_display="initials",
                          email="sara@example.com")).json()  # fmt: skip
    waiting = (await register(client, race["id"])).json()
    elsewhere = (await register(client, other["id"])).json()
    csrf = await sign_in(client, "volunteer")
    payload = checkin_payload(await token_of(reg["id"]))

    async def scan(text: str, headers=None):
        headers = {**HTMX, **EN} if headers is None else headers
        return await client.post(f"/volunteer/races/{race['id']}/check-ins", data={"_csrf_token": csrf, "token": text},
                                 headers=headers)  # fmt: skip

    first = await scan(payload)
    assert first.status_code == 200 and "<html" not in first.text
    card = soup(first).select_one("#card")
    assert card.select_one(".bib").text == str(reg["bib"]) and card.select_one(".name").text == "S. A."
    assert card.select_one(".status").text.strip() == "Confirmed"
    assert card.select_one(".success").text == "Checked in."
    assert "sara@example.com" not in first.text and "Sara" not in first.text
    assert soup(first).select_one("#check-in-count").text == "1 of 1 checked in"
    second = await scan(payload)
    assert soup(second).select_one("#card .success").text == "Already checked in."

    # Without JavaScript (a handheld scanner typing into the field): the whole page, the same card.
    plain = await scan(payload, headers=EN)
    assert plain.status_code == 200 and "<html" in plain.text
    assert soup(plain).select_one("#card .success").text == "Already checked in."
    assert plain.headers.get_list("permissions-policy") == ["camera=(self), microphone=(), geolocation=()"]

    refused = await scan(checkin_payload(await token_of(waiting["id"])))
    assert refused.status_code == 409
    assert soup(refused).select_one("#card .status").text.strip() == "On the waitlist"
    assert "waitlist" in soup(refused).select_one("#card .error").text
    foreign = await scan(await token_of(elsewhere["id"]))
    assert foreign.status_code == 409
    assert soup(foreign).select_one("#card .error").text == "This check-in code is for another race: 5 km."
    unknown = await scan("https://example.org/x")
    assert unknown.status_code == 200
    assert soup(unknown).select_one("#card .error").text.startswith("No registration has this check-in code")
    assert await db.fetch("SELECT COUNT(checked_in_at) AS n FROM registration") == [{"n": 1}]
    arabic = await scan(payload, headers={**HTMX, "Accept-Language": "ar"})
    assert soup(arabic).select_one("#card .success").text == "تم تسجيل الحضور مسبقًا."
    # Without a volunteer's session nothing happens: the token opens nothing for whoever holds it.
    client.cookies.clear()
    anonymous = await client.post(f"/volunteer/races/{race['id']}/check-ins", data={"token": payload})
    assert anonymous.status_code in (303, 403)


async def test_name_search_shows_public_names_only(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=2)
    other = await make_race(client, organiser, bib_first=600, bib_last=700)
    shown = (await register(client, race["id"], given_name="فاطمة", family_name="الزهراء")).json()
    initials = (await register(client, race["id"], given_name="Fatima", family_name="Ali", name_display="initials",
                               phone="+9647701112233")).json()  # fmt: skip
    waiting = (await register(client, race["id"], given_name="Fatima", family_name="Karim")).json()
    await register(client, other["id"], given_name="Fatima", family_name="Other")  # another race's
    await sign_in(client, "volunteer")
    url = f"/volunteer/races/{race['id']}"

    # Arabic spelling variants are folded: "فاطمه الزهراء" (ه for ة) finds فاطمة الزهراء.
    r = await client.get(url, params={"name": "فاطمه الزهراء"}, headers={**HTMX, **EN})
    assert r.status_code == 200 and "<html" not in r.text
    assert [li.select_one("bdi").text for li in soup(r).select("#card .name-matches li")] == ["فاطمة الزهراء"]
    link = soup(r).select_one("#card .name-matches a")
    assert link["href"] == f"{url}?bib={shown['bib']}"

    # A runner shown by initials is found by the name said at the desk, and shown by initials.
    r = await client.get(url, params={"name": "fatima"}, headers=EN)  # without JavaScript: the whole page
    assert "<html" in r.text
    items = soup(r).select("#card .name-matches li")
    assert [li.select_one("bdi").text for li in items] == ["F. A.", "Fatima Karim"]
    assert items[0].select_one(".bib").text == str(initials["bib"])
    assert items[1].select_one("a") is None and "On the waitlist" in items[1].text  # no bib to open
    assert "Ali" not in r.text and "7701112233" not in r.text and "Other" not in r.text
    assert waiting["status"] == "waitlisted"

    r = await client.get(url, params={"name": "nobody"}, headers={**HTMX, **EN})
    assert soup(r).select_one("#card .error").text == "No runner of this race has this name."
    # The search is the volunteer's: nobody else's.
    client.cookies.clear()
    r = await client.get(url, params={"name": "fatima"})
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
