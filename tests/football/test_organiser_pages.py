"""The organiser runs a championship from the pages: the division's form, the draw, the fixtures, moving
matches, lots and the knockout, each a plain form (303 back) or an htmx swap of the section it changes."""

import datetime as dt

from sportsrun.core.db import sql as db
from tests.football.support import drawn_division, make_division, register_team, squad, with_fixtures
from tests.support import HTMX, count, make_event, sign_in, soup, token_headers

EN = {"Accept-Language": "en"}
# The division form's typed fields, as the browser sends them back.
TYPED = "main form input[type=text], main form input[type=number], main form input[type=datetime-local]"


def invalid_fields(response) -> set[str]:
    return {i["id"] for i in soup(response).select("[aria-invalid=true]")}


async def division_row(division_id: int) -> dict:
    return (await db.fetch("SELECT * FROM division WHERE id = {}", division_id))[0]


async def test_an_organiser_creates_and_edits_a_division_through_the_form(client):
    organiser = await token_headers(client, "organiser")
    event = await make_event(client, organiser, date="2027-02-01")
    token = await sign_in(client, "organiser")
    url = f"/organiser/events/{event['id']}/divisions/new"
    form = soup(await client.get(url)).select_one("main form")
    assert {e["name"] for e in form.select("[name]")} >= {
        "name", "gender", "max_age", "squad_min", "squad_max", "max_teams", "registration_closes_at",
        "qualifiers_per_group", "third_place_match", "_csrf_token"}  # fmt: skip

    bad = await client.post(url, data={"_csrf_token": token, "name": "", "gender": "", "squad_min": "9",
                                       "squad_max": "3", "max_teams": "1", "max_age": "old"}, headers=EN)  # fmt: skip
    assert bad.status_code == 422 and await count("division") == 0
    invalid = {d["id"].removeprefix("field-") for d in soup(bad).select(".field.invalid")}
    assert {"name", "gender", "squad_max", "max_teams", "max_age"} <= invalid
    assert "at least 2" in soup(bad).select_one("#field-max_teams .error").text
    assert soup(bad).select_one("#squad_min")["value"] == "9"  # what was typed comes back

    r = await client.post(url, data={"_csrf_token": token, "name": "Girls U15", "gender": "women", "max_age": "15",
                                     "squad_min": "5", "squad_max": "10", "max_teams": "8",
                                     "registration_closes_at": "2027-01-30T20:00", "qualifiers_per_group": "1",
                                     "third_place_match": "on"})  # fmt: skip
    assert r.status_code == 303
    division_id = int(r.headers["location"].split("?")[0].rsplit("/", 1)[1])
    row = await division_row(division_id)
    assert (row["name"], row["max_age"], row["qualifiers_per_group"], bool(row["third_place_match"])) == (
        "Girls U15", 15, 1, True)  # fmt: skip
    closes = row["registration_closes_at"]
    closes = closes if isinstance(closes, dt.datetime) else dt.datetime.fromisoformat(str(closes))
    assert closes.astimezone(dt.UTC).isoformat() == "2027-01-30T17:00:00+00:00"  # 20:00 in Iraq
    page = soup(await client.get(r.headers["location"], headers=EN))
    assert page.select_one(".saved").text == "Saved."
    assert page.select_one(f"a[href='/divisions/{division_id}/schedule']")
    assert page.select_one(f"a[href='/divisions/{division_id}']")
    dashboard = soup(await client.get("/organiser"))
    assert dashboard.select_one(f"#event-{event['id']} a[href='/organiser/divisions/{division_id}']")
    assert dashboard.select_one(f"#event-{event['id']} a[href='/organiser/events/{event['id']}/divisions/new']")

    edit = soup(await client.get(f"/organiser/divisions/{division_id}/edit"))
    assert edit.select_one("#registration_closes_at")["value"] == "2027-01-30T20:00"
    assert edit.select_one("#third_place_match").has_attr("checked")
    values = {i["name"]: i.get("value", "") for i in edit.select(TYPED)}
    r = await client.post(f"/organiser/divisions/{division_id}/edit",
                          data={**values, "_csrf_token": token, "name": "Girls under 15", "gender": "women",
                                "qualifiers_per_group": "1"})  # fmt: skip
    assert r.status_code == 303
    row = await division_row(division_id)
    assert row["name"] == "Girls under 15" and not row["third_place_match"]  # the unticked box is off


async def test_the_draw_the_fixtures_and_moving_a_match(client):
    organiser = await token_headers(client, "organiser")
    division = await make_division(client, organiser)
    teams = [await register_team(client, division["id"], name=f"Team {c}") for c in "ABC"]
    flagged = squad(5)
    flagged[2]["another_person"] = True
    teams.append(await register_team(client, division["id"], name="Team D", players=flagged,
                                     captain_name="Huda Kareem", captain_phone="0770 123 4567"))  # fmt: skip
    token = await sign_in(client, "organiser")
    url = f"/organiser/divisions/{division['id']}"

    page = soup(await client.get(url, headers=EN))
    row = page.select_one(f"#team-{teams[3]['id']}")
    assert "Huda Kareem" in row.text and "+9647701234567" in row.text  # organisers see the captain's contact
    assert "Player2" in row.select_one(".flag").text
    assert len(page.select("#teams .flag")) == 1

    bad = await client.post(f"{url}/draw", data={"_csrf_token": token, "groups": "3"}, headers=EN)
    assert bad.status_code == 422 and invalid_fields(bad) == {"groups"}
    assert "at most 2 groups" in soup(bad).select_one("#groups-error").text
    bad = await client.post(f"{url}/draw", data={"_csrf_token": token, "groups": "1", "pots": "A, B"}, headers=EN)
    assert bad.status_code == 422 and invalid_fields(bad) == {"pots"}
    bad = await client.post(f"{url}/draw", data={"_csrf_token": token, "groups": "2", "pots": "999"}, headers=EN)
    assert bad.status_code == 422 and invalid_fields(bad) == {"pots"}
    assert (await division_row(division["id"]))["draw_seed"] is None  # nothing written

    pots = f"{teams[0]['id']}, {teams[1]['id']}"
    r = await client.post(f"{url}/draw", data={"_csrf_token": token, "groups": "2", "seed": "7", "pots": pots})
    assert r.status_code == 303 and r.headers["location"] == f"{url}?done=draw#draw"
    groups = {t["group_name"] for t in await db.fetch("SELECT group_name FROM team WHERE id IN ({}, {})",
                                                      teams[0]["id"], teams[1]["id"])}  # fmt: skip
    assert groups == {"A", "B"}  # one pot: one team per group
    page = soup(await client.get(r.headers["location"], headers=EN))
    assert page.select_one("#draw .saved").text == "The draw is made."
    assert "seed 7" in page.select_one("#draw .recorded").text and "organiser-pages@example.test" in page.text
    assert len(page.select("#draw .groups > li")) == 2

    # With htmx the draw swaps the division's work area only.
    again = await client.post(f"{url}/draw", data={"_csrf_token": token, "groups": "1", "seed": "7"},
                              headers={**HTMX, **EN})  # fmt: skip
    assert again.status_code == 200 and "<html" not in again.text
    assert soup(again).select_one("div#work") and "The draw is made." in again.text

    layout = {"pitches": "2", "first_kickoff": "2027-02-01T16:00", "slot_minutes": "30"}
    r = await client.post(f"{url}/fixtures", data={"_csrf_token": token, **layout})
    assert r.status_code == 303
    matches = await db.fetch("SELECT id, pitch, kickoff, home_team, away_team FROM match ORDER BY kickoff, pitch")
    assert len(matches) == 6
    first = matches[0]["kickoff"]
    first = first if isinstance(first, dt.datetime) else dt.datetime.fromisoformat(str(first))
    assert first.astimezone(dt.UTC).isoformat() == "2027-02-01T13:00:00+00:00"
    page = soup(await client.get(url, headers=EN))
    assert len(page.select("#matches .match-item")) == 6
    assert page.select_one(f"#match-{matches[0]['id']} input[name=kickoff]")["value"] == "2027-02-01T16:00"

    # Into a clash: the message beside the match, nothing moved.
    a, b = matches[0], matches[1]
    assert (a["pitch"], b["pitch"]) == (1, 2)
    taken = {"_csrf_token": token, "pitch": "1", "kickoff": "2027-02-01T16:00"}
    clash = await client.post(f"/organiser/matches/{b['id']}/move", data=taken, headers=EN)
    assert clash.status_code == 409
    assert soup(clash).select_one(f"#match-{b['id']} .error").text == "Pitch 1 is taken at that time."
    assert (await db.fetch("SELECT pitch FROM match WHERE id = {}", b["id"]))[0]["pitch"] == 2
    clash = await client.post(f"/organiser/matches/{b['id']}/move", data={"_csrf_token": token, "pitch": "9"},
                              headers={**HTMX, **EN})  # fmt: skip
    assert clash.status_code == 422 and "<html" not in clash.text
    assert invalid_fields(clash) == {f"pitch-{b['id']}"}

    free = await client.post(f"/organiser/matches/{b['id']}/move",
                             data={"_csrf_token": token, "pitch": "1", "kickoff": "2027-02-01T20:00"})  # fmt: skip
    assert free.status_code == 303 and free.headers["location"].endswith(f"#match-{b['id']}")
    moved = (await db.fetch("SELECT pitch, kickoff FROM match WHERE id = {}", b["id"]))[0]
    kickoff = (
        moved["kickoff"]
        if isinstance(moved["kickoff"], dt.datetime)
        else dt.datetime.fromisoformat(str(moved["kickoff"]))
    )
    assert moved["pitch"] == 1 and kickoff.astimezone(dt.UTC).hour == 17
    swapped = await client.post(f"/organiser/matches/{b['id']}/move",
                                data={"_csrf_token": token, "pitch": "2", "kickoff": "2027-02-01T20:00"},
                                headers={**HTMX, **EN})  # fmt: skip
    assert swapped.status_code == 200 and "<html" not in swapped.text
    fragment = soup(swapped)
    assert fragment.select_one("section#matches") and not fragment.select_one("#draw")
    assert fragment.select_one(f"#match-{b['id']} .success").text == "The match is moved."


async def test_lots_then_the_knockout_made_and_deleted(client):
    organiser = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    division, _teams, matches = await with_fixtures(client, organiser, teams=4, groups=1)
    for m in matches:  # every match 0–0 without cards: four teams level on every rule
        r = await client.put(f"/api/v1/matches/{m['id']}/score", json={"home_goals": 0, "away_goals": 0},
                             headers=volunteer)  # fmt: skip
        assert r.status_code == 200, r.text
    token = await sign_in(client, "organiser")
    url = f"/organiser/divisions/{division['id']}"
    page = soup(await client.get(url, headers=EN))
    assert page.select("#standings tr.level") and page.select_one("#standings form input[name=group]")["value"] == "A"

    refused = await client.post(f"{url}/knockout", data={"_csrf_token": token}, headers=EN)
    assert refused.status_code == 409 and "Draw lots first" in soup(refused).select_one("#knockout .error-summary").text
    assert not (await division_row(division["id"]))["has_bracket"]

    lots = await client.post(f"{url}/lots", data={"_csrf_token": token, "group": "A"}, headers={**HTMX, **EN})
    assert lots.status_code == 200 and "<html" not in lots.text
    fragment = soup(lots)
    assert fragment.select_one("section#standings") and not fragment.select_one("#matches")
    assert not fragment.select("tr.level") and "ahead by drawing of lots" in fragment.text
    assert "Lots drawn" in fragment.select_one(".recorded").text
    assert '"A"' in str((await division_row(division["id"]))["lots"])

    # After the draw the name may change (the closing time shown to the minute is not a change); who plays may not.
    edit = soup(await client.get(f"{url}/edit"))
    form = {i["name"]: i.get("value", "") for i in edit.select(TYPED)}
    form |= {"_csrf_token": token, "gender": "women", "qualifiers_per_group": "2"}
    assert (await client.post(f"{url}/edit", data={**form, "name": "Women's cup"})).status_code == 303
    refused = await client.post(f"{url}/edit", data={**form, "squad_min": "6"}, headers=EN)
    assert refused.status_code == 409 and "The draw is made" in soup(refused).select_one(".error-summary").text
    assert (await division_row(division["id"]))["squad_min"] == 5

    r = await client.post(f"{url}/knockout", data={"_csrf_token": token})
    assert r.status_code == 303 and (await division_row(division["id"]))["has_bracket"]
    page = soup(await client.get(r.headers["location"], headers=EN))
    assert page.select_one("#knockout .saved").text == "The knockout bracket is made."
    assert page.select_one(f"#knockout form[action='{url}/bracket/delete']")
    assert await count("match", "stage = 'knockout'") == 1  # one group, two through: the final

    r = await client.post(f"{url}/bracket/delete", data={"_csrf_token": token})
    assert r.status_code == 303
    assert not (await division_row(division["id"]))["has_bracket"] and await count("match", "stage = 'knockout'") == 0


async def test_only_organisers_open_the_division_pages(client):
    organiser = await token_headers(client, "organiser")
    division, _teams = await drawn_division(client, organiser)
    url = f"/organiser/divisions/{division['id']}"
    anonymous = await client.get(url)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    token = await sign_in(client, "volunteer")
    assert (await client.get(url)).status_code == 403
    assert (await client.get(f"{url}/edit")).status_code == 403
    assert (await client.post(f"{url}/draw", data={"_csrf_token": token, "groups": "1"})).status_code == 403
    assert (await client.get("/organiser/divisions/99999")).status_code == 403
