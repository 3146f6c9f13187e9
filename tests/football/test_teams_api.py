"""Divisions and team registration through the HTTP API (PRODUCT.md "Mini-football", API.md)."""

import asyncio
import datetime as dt

from tests.football.support import division_body, make_division, register_team, squad, team_body
from tests.support import count, make_event, now, token_headers


async def test_division_created_changed_and_listed_on_the_event(client):
    admin = await token_headers(client, "organiser")
    event = await make_event(client, admin)
    r = await client.post(f"/api/v1/events/{event['id']}/divisions", json=division_body(max_age=14), headers=admin)
    assert r.status_code == 201, r.text
    division = r.json()
    assert division["stage"] == "registration" and division["max_age"] == 14 and division["qualifiers_per_group"] == 2
    r = await client.patch(f"/api/v1/divisions/{division['id']}", json={"name": "Girls U15"}, headers=admin)
    assert r.status_code == 200 and r.json()["name"] == "Girls U15"
    listed = (await client.get(f"/api/v1/events/{event['id']}")).json()["divisions"]
    assert [d["name"] for d in listed] == ["Girls U15"]
    page = await client.get(f"/events/{event['id']}")
    assert "Girls U15" in page.text and f"/divisions/{division['id']}" in page.text


async def test_division_defaults_close_when_the_event_day_begins_in_iraq(client):
    admin = await token_headers(client, "organiser")
    event = await make_event(client, admin, date="2027-03-20")
    body = division_body()
    del body["registration_closes_at"]
    r = await client.post(f"/api/v1/events/{event['id']}/divisions", json=body, headers=admin)
    assert r.json()["registration_closes_at"] == "2027-03-20T00:00:00+03:00"


async def test_division_refusals(client):
    admin = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    event = await make_event(client, admin)
    url = f"/api/v1/events/{event['id']}/divisions"
    assert (await client.post(url, json=division_body())).status_code == 401
    assert (await client.post(url, json=division_body(), headers=volunteer)).status_code == 403
    r = await client.post(url, json=division_body(gender="female", squad_min=9, squad_max=5), headers=admin)
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"gender", "squad_max"}
    assert (await client.post("/api/v1/events/999/divisions", json=division_body(), headers=admin)).status_code == 404
    assert await count("division") == 0


async def test_team_registers_and_the_public_sees_no_personal_data(client):
    admin = await token_headers(client, "organiser")
    division = await make_division(client, admin)
    child = dt.date(dt.date.today().year - 12, 1, 1).isoformat()
    young = {"given_name": "Shilan", "family_name": "Aziz", "birth_date": child, "shirt_number": 10}
    body = team_body("النسور", players=squad(6, family="الكردي") + [young], guardian_consent=True)
    r = await client.post(f"/api/v1/divisions/{division['id']}/teams", json=body)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["status"] == "registered" and len(made["code"]) >= 16
    own = (await client.get(f"/api/v1/team-registrations/{made['code']}")).json()
    assert own["captain_phone"].startswith("+96477055") and own["players"][0]["birth_date"] == "2000-03-01"
    public = await client.get(f"/api/v1/teams/{made['id']}")
    text = public.text
    assert public.json()["players"][-1] == {"name": "S. A.", "shirt_number": 10}
    assert "+964" not in text and "2000-03" not in text and "Captain" not in text


async def test_an_invalid_seventh_player_saves_nothing_and_is_named(client):
    admin = await token_headers(client, "organiser")
    division = await make_division(client, admin, max_age=30)
    players = squad(7)
    players[6]["birth_date"] = "1970-01-01"
    r = await client.post(f"/api/v1/divisions/{division['id']}/teams", json=team_body(players=players))
    assert r.status_code == 422
    error = r.json()["errors"][0]
    assert error["field"] == "players[6].birth_date" and "7" in error["message"]
    assert await count("team") == 0 and await count("player") == 0


async def test_every_squad_rule(client):
    admin = await token_headers(client, "organiser")
    division = await make_division(client, admin, max_age=17)
    url = f"/api/v1/divisions/{division['id']}/teams"
    young = dt.date(dt.date.today().year - 14, 5, 5).isoformat()

    async def fields_of(**overrides):
        r = await client.post(url, json=team_body(**overrides))
        assert r.status_code == 422, r.text
        return {e["field"] for e in r.json()["errors"]}

    assert await fields_of(players=squad(4, born=young), guardian_consent=True) == {"players"}
    assert await fields_of(players=squad(9, born=young), guardian_consent=True) >= {"players"}
    same_shirt = squad(5, born=young)
    same_shirt[3]["shirt_number"] = 1
    assert "players[3].shirt_number" in await fields_of(players=same_shirt, guardian_consent=True)
    assert await fields_of(players=squad(5, born=young)) == {"guardian_consent"}
    men = squad(5, born=young, gender="male")
    assert "players[0].gender" in await fields_of(players=men, guardian_consent=True)
    twice = squad(5, born=young)
    twice[4].update(given_name=twice[0]["given_name"], birth_date=twice[0]["birth_date"])
    assert "players[4].given_name" in await fields_of(players=twice, guardian_consent=True)
    assert await fields_of(players=squad(5, born=young), guardian_consent=True, captain_phone="12") == {"captain_phone"}
    assert await fields_of(players=squad(5, born=young), guardian_consent=True, province="XX") == {"province"}
    assert await count("team") == 0


async def test_one_squad_per_person_per_division_and_names_unique_up_to_folding(client):
    admin = await token_headers(client, "organiser")
    division = await make_division(client, admin)
    url = f"/api/v1/divisions/{division['id']}/teams"
    first = squad(5, family="أحمد")
    await register_team(client, division["id"], name="الأسود", players=first)
    r = await client.post(url, json=team_body("الاسود"))
    assert r.status_code == 409  # the same name once alif variants are folded
    namesake = squad(5) + [{**first[2], "family_name": "احمد", "shirt_number": 40}]
    r = await client.post(url, json=team_body(players=namesake))
    assert r.status_code == 409 and "Player 6" in r.json()["detail"]
    namesake[-1]["another_person"] = True
    assert (await client.post(url, json=team_body(players=namesake))).status_code == 201
    assert await count("team") == 2


async def test_closed_window_is_a_conflict(client):
    admin = await token_headers(client, "organiser")
    division = await make_division(client, admin, registration_closes_at=(now() - dt.timedelta(minutes=1)).isoformat())
    r = await client.post(f"/api/v1/divisions/{division['id']}/teams", json=team_body())
    assert r.status_code == 409 and await count("team") == 0


async def test_captain_edits_and_withdraws_and_the_waitlist_moves_up(client):
    admin = await token_headers(client, "organiser")
    division = await make_division(client, admin, max_teams=2)
    a = await register_team(client, division["id"], name="A")
    await register_team(client, division["id"], name="B")
    c = await register_team(client, division["id"], name="C")
    assert c["status"] == "waitlisted"
    body = team_body("A renamed", players=squad(6))
    r = await client.put(f"/api/v1/team-registrations/{a['code']}", json=body)
    assert r.status_code == 200 and r.json()["name"] == "A renamed" and len(r.json()["players"]) == 6
    assert r.headers["cache-control"] == "no-store"
    assert (await client.delete(f"/api/v1/team-registrations/{a['code']}")).status_code == 204
    assert (await client.get(f"/api/v1/team-registrations/{a['code']}")).status_code == 404
    teams = {t["name"]: t["status"] for t in (await client.get(f"/api/v1/divisions/{division['id']}")).json()["teams"]}
    assert teams == {"B": "registered", "C": "registered"}


async def test_the_draw_closes_the_captains_page(client):
    admin = await token_headers(client, "organiser")
    division = await make_division(client, admin)
    a = await register_team(client, division["id"])
    await register_team(client, division["id"])
    assert (
        await client.post(f"/api/v1/divisions/{division['id']}/draw", json={"groups": 1}, headers=admin)
    ).status_code == 200
    assert (await client.put(f"/api/v1/team-registrations/{a['code']}", json=team_body())).status_code == 409
    assert (await client.delete(f"/api/v1/team-registrations/{a['code']}")).status_code == 409
    assert (await client.post(f"/api/v1/divisions/{division['id']}/teams", json=team_body())).status_code == 409


async def test_twenty_teams_at_once_into_sixteen_places(client):
    admin = await token_headers(client, "organiser")
    division = await make_division(client, admin, max_teams=16)
    bodies = [team_body(f"Team {i:02d}") for i in range(20)]
    answers = await asyncio.gather(*(client.post(f"/api/v1/divisions/{division['id']}/teams", json=b) for b in bodies))
    assert all(r.status_code == 201 for r in answers)
    teams = (await client.get(f"/api/v1/divisions/{division['id']}")).json()["teams"]
    statuses = [t["status"] for t in sorted(teams, key=lambda t: t["id"])]
    assert statuses == ["registered"] * 16 + ["waitlisted"] * 4  # the limit kept, the waitlist in commit order


async def test_a_larger_team_limit_moves_waiting_teams_up_and_a_smaller_one_is_refused(client):
    admin = await token_headers(client, "organiser")
    division = await make_division(client, admin, max_teams=2)
    for name in ("A", "B", "C", "D"):
        await register_team(client, division["id"], name=name)
    url = f"/api/v1/divisions/{division['id']}"
    assert (await client.patch(url, json={"max_teams": 3}, headers=admin)).status_code == 200
    teams = {t["name"]: t["status"] for t in (await client.get(url)).json()["teams"]}
    assert teams == {"A": "registered", "B": "registered", "C": "registered", "D": "waitlisted"}
    r = await client.patch(url, json={"max_teams": 2}, headers=admin)
    assert r.status_code == 409 and (await client.get(url)).json()["max_teams"] == 3
