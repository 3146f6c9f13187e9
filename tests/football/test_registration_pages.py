"""A captain's pages without JavaScript (plain form posts) and with htmx (the form swapped alone)."""

import datetime as dt

from tests.football.support import make_division
from tests.support import HTMX, count, csrf_token, soup, token_headers


def _form(token: str, rows: list[dict], **fields) -> dict:
    data = {"_csrf_token": token, "name": "نجوم دهوك", "province": "IQ-DA", "captain_name": "ژیلا",
            "captain_phone": "0750 123 4567", **fields}  # fmt: skip
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"players[{i}].{key}"] = value
    return data


def _players(n: int) -> list[dict]:
    return [{"given_name": f"هێڤی{i}", "family_name": "عەزیز", "birth_date": f"1999-05-{i + 1:02d}",
             "shirt_number": str(i + 1)} for i in range(n)]  # fmt: skip


async def test_a_captain_adds_and_removes_rows_and_fixes_a_refused_player(client):
    admin = await token_headers(client, "organiser")
    division = await make_division(client, admin, squad_min=5, squad_max=7, max_age=30)
    url = f"/divisions/{division['id']}/register"
    page = await client.get(url)
    assert page.status_code == 200 and len(soup(page).select("li.player-row")) == 5  # the smallest squad
    token = csrf_token(page)
    rows = _players(6)
    r = await client.post(url, data={**_form(token, rows), "action": "add"})
    assert len(soup(r).select("li.player-row")) == 7 and await count("team") == 0
    r = await client.post(url, data={**_form(token, rows), "action": "remove-2"})
    kept = [i["value"] for i in soup(r).select("input[name$='.given_name']")]
    assert kept == ["هێڤی0", "هێڤی1", "هێڤی3", "هێڤی4", "هێڤی5"]

    rows = _players(7)
    rows[6]["birth_date"] = "1960-01-01"  # too old for an age limit of 30
    r = await client.post(url, data={**_form(token, rows), "action": "save"}, headers={"Accept-Language": "ckb"})
    assert r.status_code == 422 and await count("team") == 0 and await count("player") == 0
    refused = soup(r).select_one("li#player-6")
    assert "invalid" in refused["class"] and refused.select_one(".error").text.strip()
    assert soup(r).select_one("li#player-6 input[name='players[6].given_name']")["value"] == "هێڤی6"  # kept as typed
    rows[6]["birth_date"] = "2001-01-01"
    r = await client.post(url, data={**_form(token, rows), "action": "save"})
    assert r.status_code == 303 and r.headers["location"].startswith("/team-registrations/")
    own = await client.get(r.headers["location"])
    assert own.headers["cache-control"] == "no-store" and "+9647501234567" in own.text
    assert len(soup(own).select("table.data tbody tr")) == 7


async def test_htmx_swaps_only_the_form(client):
    admin = await token_headers(client, "organiser")
    division = await make_division(client, admin)
    url = f"/divisions/{division['id']}/register"
    token = csrf_token(await client.get(url))
    empty = [{"given_name": "", "family_name": "", "birth_date": "", "shirt_number": ""}] * 5  # as a fresh form sends
    r = await client.post(url, data={**_form(token, empty), "action": "add"}, headers=HTMX)
    assert r.status_code == 200 and "<html" not in r.text and soup(r).select_one("form#team-form")
    assert len(soup(r).select("li.player-row")) == 6 and await count("team") == 0


async def test_the_captain_edits_and_withdraws_on_the_page(client):
    admin = await token_headers(client, "organiser")
    division = await make_division(client, admin)
    url = f"/divisions/{division['id']}/register"
    token = csrf_token(await client.get(url))
    r = await client.post(url, data={**_form(token, _players(5)), "action": "save"})
    own_url = r.headers["location"].split("?")[0]
    edit = await client.get(f"{own_url}/edit")
    assert [i["value"] for i in soup(edit).select("input[name$='.shirt_number']")] == ["1", "2", "3", "4", "5"]
    r = await client.post(own_url, data={**_form(token, _players(6), name="نجوم دهوك الجديدة"), "action": "save"})
    assert r.status_code == 303 and r.headers["location"].endswith("?saved=1")
    assert "نجوم دهوك الجديدة" in (await client.get(own_url)).text
    asked = await client.post(f"{own_url}/withdraw", data={"_csrf_token": token})
    assert asked.status_code == 200 and await count("team", "status = 'withdrawn'") == 0
    done = await client.post(f"{own_url}/withdraw", data={"_csrf_token": token, "confirm": "yes"})
    assert done.status_code == 303 and await count("team", "status = 'withdrawn'") == 1
    assert (await client.get(own_url)).status_code == 404


async def test_a_closed_division_says_so(client):
    admin = await token_headers(client, "organiser")
    closed = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
    division = await make_division(client, admin, registration_closes_at=closed)
    page = await client.get(f"/divisions/{division['id']}/register", headers={"Accept-Language": "en"})
    assert "closed" in soup(page).select_one("main").text and not soup(page).select_one("form#team-form")
