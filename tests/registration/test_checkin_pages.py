"""The volunteer's check-in page counts the race's confirmed runners who are checked in, and the count
follows each check-in, in the full page and in the htmx fragments."""

from tests.support import HTMX, make_race, register, sign_in, soup, token_headers

EN = {"Accept-Language": "en"}


def count_in(response, out_of_band: bool) -> str:
    count = soup(response).select_one("#check-in-count")
    assert count.has_attr("hx-swap-oob") == out_of_band
    return count.text


async def test_the_count_of_checked_in_runners_follows_each_check_in(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=3)
    regs = [(await register(client, race["id"])).json() for _ in range(4)]
    assert [r["status"] for r in regs] == ["confirmed"] * 3 + ["waitlisted"]  # the waitlisted one is not counted
    other = await make_race(client, organiser, bib_first=600, bib_last=700)
    await register(client, other["id"])  # nor another race's runner
    token = await sign_in(client, "volunteer")
    url = f"/volunteer/races/{race['id']}"

    page = await client.get(url, headers=EN)
    assert count_in(page, out_of_band=False) == "0 of 3 checked in"
    assert page.text.count('id="check-in-count"') == 1
    checked = await client.post(f"{url}/bibs/{regs[0]['bib']}/check-in", data={"_csrf_token": token},
                                headers={**HTMX, **EN})  # fmt: skip
    assert checked.status_code == 200 and "<html" not in checked.text
    assert soup(checked).select_one("#card .success").text == "Checked in."
    assert count_in(checked, out_of_band=True) == "1 of 3 checked in"
    again = await client.post(f"{url}/bibs/{regs[0]['bib']}/check-in", data={"_csrf_token": token},
                              headers={**HTMX, **EN})  # fmt: skip
    assert count_in(again, out_of_band=True) == "1 of 3 checked in"  # checking in twice counts once

    # Without JavaScript: the form posts, the page comes back with the new count.
    r = await client.post(f"{url}/bibs/{regs[1]['bib']}/check-in", data={"_csrf_token": token})
    assert r.status_code == 303
    after = await client.get(r.headers["location"], headers=EN)
    assert count_in(after, out_of_band=False) == "2 of 3 checked in"
    # A lookup brings the count up to date too (another volunteer may have checked runners in).
    lookup = await client.get(f"{url}?bib={regs[2]['bib']}", headers={**HTMX, **EN})
    assert count_in(lookup, out_of_band=True) == "2 of 3 checked in"

    # A checked-in runner cancels: the first on the waitlist moves up, confirmed and not yet checked in.
    assert (await client.delete(f"/api/v1/registrations/{regs[0]['code']}")).status_code == 204
    assert count_in(await client.get(url, headers=EN), out_of_band=False) == "1 of 3 checked in"
    arabic = await client.get(url, headers={"Accept-Language": "ar"})
    assert count_in(arabic, out_of_band=False) == "سُجّل حضور 1 من 3"
