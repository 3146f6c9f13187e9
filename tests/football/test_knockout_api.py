"""From the group tables to a champion through the API: a division of 10 teams in two groups."""

from tests.football.support import with_fixtures
from tests.support import token_headers


async def _play_groups(client, volunteer, matches, strength):
    """Every group match: the stronger team (by `strength`) wins 2-0; equal strengths draw 1-1."""
    for m in matches:
        home, away = strength[m["home_team_id"]], strength[m["away_team_id"]]
        goals = (2, 0) if home > away else (0, 2) if away > home else (1, 1)
        r = await client.put(f"/api/v1/matches/{m['id']}/score", headers=volunteer,
                             json={"home_goals": goals[0], "away_goals": goals[1]})  # fmt: skip
        assert r.status_code == 200, r.text


async def _score(client, volunteer, match_id, home, away, **extra):
    return await client.put(f"/api/v1/matches/{match_id}/score", headers=volunteer,
                            json={"home_goals": home, "away_goals": away, **extra})  # fmt: skip


async def test_ten_teams_to_a_champion(client):
    admin = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    division, teams, matches = await with_fixtures(client, admin, teams=10, groups=2, pitches=2,
                                                   third_place_match=True)  # fmt: skip
    did = division["id"]
    ids = [t["id"] for t in teams]
    strength = {tid: n for n, tid in enumerate(ids)}
    assert (await client.post(f"/api/v1/divisions/{did}/knockout", headers=admin)).status_code == 409  # not played yet
    await _play_groups(client, volunteer, matches, strength)
    standings = (await client.get(f"/api/v1/divisions/{did}/standings")).json()["groups"]
    first = {g["name"]: g["rows"][0]["team_id"] for g in standings}
    second = {g["name"]: g["rows"][1]["team_id"] for g in standings}

    r = await client.post(f"/api/v1/divisions/{did}/knockout", headers=admin)
    assert r.status_code == 200, r.text
    bracket = r.json()
    assert [rd["name"] for rd in bracket["rounds"]] == ["semi_final", "final"]
    semis = bracket["rounds"][0]["matches"]
    pairs = {frozenset((m["home_from"], m["away_from"])) for m in semis}
    assert pairs == {frozenset(("A1", "B2")), frozenset(("B1", "A2"))}  # a winner meets another group's runner-up
    assert {m["home_team_id"] for m in semis} | {m["away_team_id"] for m in semis} == set(first.values()) | set(
        second.values()
    )
    final = bracket["rounds"][1]["matches"][0]
    assert {final["home_from"], final["away_from"]} == {f"winner of {m['id']}" for m in semis}
    last_group = max(m["kickoff"] for m in matches)
    assert all(m["kickoff"] > last_group for m in semis) and final["kickoff"] > semis[0]["kickoff"]
    assert bracket["third_place"] is not None
    assert (await client.post(f"/api/v1/divisions/{did}/knockout", headers=admin)).status_code == 409
    assert (await _score(client, volunteer, matches[0]["id"], 5, 5)).status_code == 409  # groups are final now

    # A drawn semi-final needs a penalty winner; the winner moves on at once.
    assert (await _score(client, volunteer, semis[0]["id"], 1, 1)).status_code == 422
    r = await _score(client, volunteer, semis[0]["id"], 1, 1, home_penalties=4, away_penalties=3)
    assert r.status_code == 200
    bracket = (await client.get(f"/api/v1/divisions/{did}/bracket")).json()
    assert bracket["rounds"][1]["matches"][0]["home_team_id"] == semis[0]["home_team_id"]
    assert bracket["third_place"]["home_team_id"] == semis[0]["away_team_id"]
    assert (await client.delete(f"/api/v1/divisions/{did}/bracket", headers=admin)).status_code == 409
    await _score(client, volunteer, semis[1]["id"], 0, 3)
    await _score(client, volunteer, bracket["third_place"]["id"], 2, 0)
    assert (await _score(client, volunteer, semis[1]["id"], 3, 0)).status_code == 409  # third place was played
    r = await _score(client, volunteer, final["id"], 2, 2, home_penalties=5, away_penalties=6)
    assert r.status_code == 200
    assert (await _score(client, volunteer, semis[1]["id"], 4, 0)).status_code == 409  # the final it fed has a score
    bracket = (await client.get(f"/api/v1/divisions/{did}/bracket")).json()
    assert bracket["champion_team_id"] == semis[1]["away_team_id"]
    assert (await client.get(f"/api/v1/divisions/{did}")).json()["stage"] == "finished"


async def test_one_group_one_qualifier_has_a_champion_and_no_rounds(client):
    admin = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    division, teams, matches = await with_fixtures(client, admin, teams=3, qualifiers_per_group=1)
    await _play_groups(client, volunteer, matches, {t["id"]: n for n, t in enumerate(teams)})
    bracket = (await client.post(f"/api/v1/divisions/{division['id']}/knockout", headers=admin)).json()
    assert bracket["rounds"] == [] and bracket["champion_team_id"] == teams[-1]["id"]


async def test_one_group_two_qualifiers_play_a_final_and_the_bracket_can_be_made_again(client):
    admin = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    division, teams, matches = await with_fixtures(client, admin, teams=4)
    await _play_groups(client, volunteer, matches, {t["id"]: n for n, t in enumerate(teams)})
    did = division["id"]
    bracket = (await client.post(f"/api/v1/divisions/{did}/knockout", headers=admin)).json()
    assert [rd["name"] for rd in bracket["rounds"]] == ["final"]
    final = bracket["rounds"][0]["matches"][0]
    assert {final["home_from"], final["away_from"]} == {"A1", "A2"} and bracket["third_place"] is None
    assert (await client.delete(f"/api/v1/divisions/{did}/bracket", headers=admin)).status_code == 204
    assert (await client.get(f"/api/v1/divisions/{did}")).json()["stage"] == "groups"
    assert (await client.post(f"/api/v1/divisions/{did}/knockout", headers=admin)).status_code == 200


async def test_byes_go_to_the_best_qualifiers(client):
    admin = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    division, teams, matches = await with_fixtures(client, admin, teams=6, groups=3, qualifiers_per_group=1,
                                                   pitches=3)  # fmt: skip
    await _play_groups(client, volunteer, matches, {t["id"]: n for n, t in enumerate(teams)})
    bracket = (await client.post(f"/api/v1/divisions/{division['id']}/knockout", headers=admin)).json()
    first = bracket["rounds"][0]["matches"]
    byes = [m for m in first if m["status"] == "bye"]
    assert len(byes) == 1 and byes[0]["away_team_id"] is None and byes[0]["home_goals"] is None
    final = bracket["rounds"][1]["matches"][0]
    assert byes[0]["home_team_id"] in (final["home_team_id"], final["away_team_id"])  # moved on at once
