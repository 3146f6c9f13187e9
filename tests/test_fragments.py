"""Crafted requests never reach a server error: every page of the app answers htmx (`HX-Request: true`)
on GET and on POST, and numbers in query strings are bounded.

The list of pages is read from the app's own routes (every handler left out of the API schema), so a
page added later is checked too, and a new kind of path parameter fails here until it is filled in."""

import re
from urllib.parse import quote

import pytest

from tests.football.support import with_fixtures
from tests.support import HTMX, csrf_token, make_race, register, sign_in, soup, token_headers, xlsx
from tests.timing.support import upload

HUGE = "99999999999999999999"  # past SQLite's and PostgreSQL's integers
PARAMETER = re.compile(r"\{(\w+):\w+\}")
# Query strings that lead a page to its fuller answer (a field to check, a bib to show).
QUERIES = {
    "/races/{race_id:int}/register/check": "field=birth_date",
    "/volunteer/races/{race_id:int}": "bib=1",
    "/organiser/races/{race_id:int}/registrations": "q=Hamid&status=confirmed&page=1",
    "/races/{race_id:int}/results": "gender=female&page=1",
}


# Posts that change what the others reach go last, in this order: a commit uses up the preview's token,
# an event saved without its "published" box is a draft (its public pages answer 404), sign-out ends the
# session.
LAST = ("/volunteer/races/{race_id:int}/results/commit/{token:str}", "/organiser/events/{event_id:int}", "/logout")


def page_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every page: the handlers outside the API schema, less static files and the
    schema's own pages; every GET first, then the posts."""
    found = set()
    for route in app.routes:
        if route.path.startswith(("/static", "/schema")):
            continue
        for handler in getattr(route, "route_handlers", []):
            if not handler.resolve_include_in_schema():
                found.update((method, route.path) for method in handler.http_methods & {"GET", "POST"})
    return sorted(found, key=lambda r: (r[0] == "POST", LAST.index(r[1]) if r[1] in LAST else -1, r[1]))


def address(path: str, ids: dict[str, object]) -> str:
    missing = set(PARAMETER.findall(path)) - set(ids)
    assert not missing, f"{path}: give this test a real value for {sorted(missing)}"
    url = PARAMETER.sub(lambda m: str(ids[m.group(1)]), path)
    return f"{url}?{QUERIES[path]}" if path in QUERIES else url


@pytest.fixture
async def real_ids(client):
    """A published race with a confirmed and a waitlisted runner, a result import and a results preview; a
    football division of the same event, drawn, with fixtures; a campaign holding the event."""
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=1)
    first = (await register(client, race["id"])).json()
    second = (await register(client, race["id"])).json()
    assert first["status"] == "confirmed" and second["status"] == "waitlisted"
    imported = await upload(client, organiser, race["id"], xlsx([["Bib", "Time"], [first["bib"], "0:40:00"]]))
    assert imported.status_code == 201, imported.text
    token = await sign_in(client, "admin")
    preview = await client.post(
        f"/volunteer/races/{race['id']}/results/preview",
        data={"_csrf_token": token, "mode": "merge"},
        files={"file": ("times.xlsx", xlsx([["Bib", "Time"], [first["bib"], "0:41:00"]]))},
    )
    commit = soup(preview).select_one("form.commit")["action"]
    from sportsrun.core.db import sql as db

    [admin] = await db.fetch("SELECT id FROM account_user WHERE role = 'admin'")
    division, teams, matches = await with_fixtures(client, organiser, event_id=race["event_id"])
    campaign = (
        await client.post("/api/v1/campaigns", json={"name": "Road to Baghdad", "targets": []}, headers=organiser)
    ).json()
    joined = await client.patch(f"/api/v1/events/{race['event_id']}", json={"campaign_id": campaign["id"]},
                                headers=organiser)  # fmt: skip
    assert joined.status_code == 200, joined.text
    return {
        "campaign_id": campaign["id"],
        "division_id": division["id"],
        "team_id": teams[0]["id"],
        "team_code": teams[0]["code"],
        "match_id": matches[0]["id"],
        "pitch": matches[0]["pitch"],
        "csrf": token,
        "event_id": race["event_id"],
        "race_id": race["id"],
        "registration_id": first["id"],
        "code": first["code"],
        "bib": first["bib"],
        "user_id": admin["id"],
        "import_id": imported.json()["import_id"],
        "token": commit.rstrip("/").rsplit("/", 1)[1],
        "checkin_token": (await client.get(f"/api/v1/registrations/{first['code']}")).json()["checkin_token"],
    }


async def test_every_page_answers_htmx_without_a_server_error(client, app, real_ids):
    routes = page_routes(app)
    assert ("GET", "/races/{race_id:int}/register") in routes and ("POST", "/organiser/users") in routes
    token = real_ids["csrf"]
    failures = []
    for method, path in routes:
        url = address(path, real_ids)
        if method == "GET":
            r = await client.get(url, headers=HTMX)
        else:
            r = await client.post(url, data={"_csrf_token": token}, headers={**HTMX, "x-csrftoken": token})
        # 404 too: every address names something real, so each page is reached, not refused at the door.
        if r.status_code >= 500 or r.status_code == 404:
            failures.append(f"{method} {url}: {r.status_code}")
    assert failures == []


async def test_the_registration_form_renders_as_a_fragment(client, real_ids):
    url = f"/races/{real_ids['race_id']}/register"
    r = await client.get(url, headers=HTMX)
    assert r.status_code == 200 and "<html" not in r.text
    assert soup(r).select_one("form#registration #field-given_name")
    token = csrf_token(r)
    r = await client.post(url, data={"_csrf_token": token}, headers={**HTMX, "Accept-Language": "en"})
    assert r.status_code == 422 and "<html" not in r.text
    assert soup(r).select_one("#field-given_name .error").text


async def test_numbers_in_query_strings_are_bounded(client, real_ids):
    race_id = real_ids["race_id"]
    for url in (f"/organiser/races/{race_id}/registrations?page={HUGE}", f"/races/{race_id}/results?page={HUGE}"):
        for headers in ({}, HTMX):
            r = await client.get(url, headers={**headers, "Accept-Language": "en"})
            assert r.status_code == 422, (url, r.status_code)
            assert "Enter a number from" in r.text
    r = await client.get(f"/volunteer/races/{race_id}?bib={HUGE}", headers={"Accept-Language": "en"})
    assert r.status_code == 200 and HUGE in soup(r).select_one("main").text  # "no bib 9999…": the next one


async def test_the_language_switcher_keeps_the_filters_of_a_results_page(client, real_ids):
    # The results page has a `query` of its own (its filters): the switcher must still link to the address.
    url = f"/races/{real_ids['race_id']}/results?gender=female&q=Hamid&page=1"
    page = soup(await client.get(url, headers={"Accept-Language": "en"}))
    links = {a["hreflang"]: a["href"] for a in page.select("nav.languages a")}
    assert links["ar"] == "/language/ar?next=" + quote(url, safe="/")
    r = await client.get(links["ckb"])
    assert r.status_code == 303 and r.headers["location"] == url
    assert soup(await client.get(r.headers["location"])).html["lang"] == "ckb"
