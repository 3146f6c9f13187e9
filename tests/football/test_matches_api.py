"""Draw, fixtures, moving matches, scores and the correction log, standings and lots, through the API."""

import asyncio
import datetime as dt

from tests.football.support import drawn_division, make_division, register_team, with_fixtures
from tests.support import count, soup, token_headers


async def test_draw_is_reproducible_and_keeps_waiting_teams_out(client):
    admin = await token_headers(client, "organiser")
    division = await make_division(client, admin, max_teams=6)
    teams = [
        await register_team(client, division["id"], name=f"T{i}", province=("IQ-BG", "IQ-NI")[i % 2]) for i in range(7)
    ]
    url = f"/api/v1/divisions/{division['id']}/draw"
    first = (await client.post(url, json={"groups": 2, "seed": 42}, headers=admin)).json()
    again = (await client.post(url, json={"groups": 2, "seed": 42}, headers=admin)).json()
    assert first == again and first["seed"] == 42
    drawn = [t for g in first["groups"] for t in g["team_ids"]]
    assert sorted(drawn) == sorted(t["id"] for t in teams[:6])  # the 7th waited and stays out
    assert sorted(len(g["team_ids"]) for g in first["groups"]) == [3, 3]
    d = (await client.get(f"/api/v1/divisions/{division['id']}")).json()
    assert d["stage"] == "drawn"


async def test_draw_refusals(client):
    admin = await token_headers(client, "organiser")
    division = await make_division(client, admin)
    url = f"/api/v1/divisions/{division['id']}/draw"
    await register_team(client, division["id"])
    assert (await client.post(url, json={"groups": 1}, headers=admin)).status_code == 422  # one team
    await register_team(client, division["id"])
    await register_team(client, division["id"])
    r = await client.post(url, json={"groups": 2}, headers=admin)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "groups"
    assert (await client.post(url, json={"groups": 1, "pots": [[99999]]}, headers=admin)).status_code == 422
    assert (await client.post(url, json={"groups": 1})).status_code == 401


async def test_fixtures_round_robin_over_two_pitches(client):
    admin = await token_headers(client, "organiser")
    division, teams, matches = await with_fixtures(client, admin, teams=5, pitches=2)
    assert len(matches) == 10  # every pair once, byes left out
    pairs = {frozenset((m["home_team_id"], m["away_team_id"])) for m in matches}
    assert len(pairs) == 10
    by_slot: dict[str, list] = {}
    for m in matches:
        by_slot.setdefault(m["kickoff"], []).append(m)
        assert m["stage"] == "group" and m["group"] == "A" and m["status"] == "scheduled" and 1 <= m["pitch"] <= 2
    for slot in by_slot.values():
        playing = [t for m in slot for t in (m["home_team_id"], m["away_team_id"])]
        assert len(playing) == len(set(playing)) and len({m["pitch"] for m in slot}) == len(slot)
    listed = (await client.get(f"/api/v1/divisions/{division['id']}/matches")).json()["matches"]
    assert [m["id"] for m in listed] == [m["id"] for m in matches]
    assert (await client.get(f"/api/v1/divisions/{division['id']}")).json()["stage"] == "groups"


async def test_moving_a_match_never_into_a_clash(client):
    admin = await token_headers(client, "organiser")
    division, teams, matches = await with_fixtures(client, admin, teams=4, pitches=2)
    first, other = matches[0], matches[1]
    assert first["kickoff"] == other["kickoff"]
    r = await client.patch(f"/api/v1/matches/{other['id']}", json={"pitch": first["pitch"]}, headers=admin)
    assert r.status_code == 409  # the pitch is taken then
    later = [m for m in matches if m["kickoff"] != first["kickoff"]]
    shares = next(
        m for m in later if {m["home_team_id"], m["away_team_id"]} & {first["home_team_id"], first["away_team_id"]}
    )
    free_pitch = 3 - shares["pitch"]
    r = await client.patch(
        f"/api/v1/matches/{first['id']}", json={"kickoff": shares["kickoff"], "pitch": free_pitch}, headers=admin
    )
    assert r.status_code == 409  # a team would play twice at once
    late = (dt.datetime.fromisoformat(matches[-1]["kickoff"]) + dt.timedelta(hours=3)).isoformat()
    r = await client.patch(f"/api/v1/matches/{first['id']}", json={"kickoff": late, "pitch": 1}, headers=admin)
    assert r.status_code == 200 and r.json()["kickoff"] == late
    assert (await client.patch(f"/api/v1/matches/{first['id']}", json={"pitch": 3}, headers=admin)).status_code == 422


async def test_scores_are_absolute_and_every_change_is_logged(client):
    admin = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    division, teams, matches = await with_fixtures(client, admin)
    url = f"/api/v1/matches/{matches[0]['id']}/score"
    assert (await client.put(url, json={"home_goals": 1, "away_goals": 0})).status_code == 401
    r = await client.put(url, json={"home_goals": 2, "away_goals": 1, "home_cards": 1}, headers=volunteer)
    assert r.status_code == 200 and r.json()["status"] == "played" and r.json()["away_cards"] == 0
    again = await client.put(url, json={"home_goals": 2, "away_goals": 1, "home_cards": 1}, headers=volunteer)
    assert again.json() == r.json()  # a resent form changes nothing
    await client.put(url, json={"home_goals": 3, "away_goals": 1, "home_cards": 1, "reason": "typo"}, headers=volunteer)
    log = (await client.get(f"/api/v1/divisions/{division['id']}/corrections")).json()
    assert [e["change"] for e in log] == ["2–1 [1–0] → 3–1 [1–0]", "– → 2–1 [1–0]"]
    assert log[0]["reason"] == "typo" and log[0]["match_id"] == matches[0]["id"]
    for body in ({"home_goals": -1, "away_goals": 0}, {"home_goals": 100, "away_goals": 0},
                 {"home_goals": 1, "away_goals": 1, "home_penalties": 4, "away_penalties": 3},
                 {"home_goals": 1}):  # fmt: skip
        assert (await client.put(url, json=body, headers=volunteer)).status_code == 422
    assert await count("score_change") == 2


async def test_two_volunteers_at_once_the_last_write_stands_and_both_are_logged(client):
    admin = await token_headers(client, "organiser")
    one = await token_headers(client, "volunteer", "one@example.test")
    two = await token_headers(client, "volunteer", "two@example.test")
    division, teams, matches = await with_fixtures(client, admin)
    url = f"/api/v1/matches/{matches[0]['id']}/score"
    answers = await asyncio.gather(client.put(url, json={"home_goals": 1, "away_goals": 0}, headers=one),
                                   client.put(url, json={"home_goals": 0, "away_goals": 2}, headers=two))  # fmt: skip
    assert all(r.status_code == 200 for r in answers)
    stored = next(m for m in (await client.get(f"/api/v1/divisions/{division['id']}/matches")).json()["matches"]
                  if m["id"] == matches[0]["id"])  # fmt: skip
    log = (await client.get(f"/api/v1/divisions/{division['id']}/corrections")).json()
    assert len(log) == 2 and log[0]["after"]["home_goals"] == stored["home_goals"]


async def test_standings_after_every_score_and_lots(client):
    admin = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    division, teams, matches = await with_fixtures(client, admin, teams=4)
    for m in matches:  # every match a 1-1 draw, no cards: all four level on every rule
        r = await client.put(
            f"/api/v1/matches/{m['id']}/score", json={"home_goals": 1, "away_goals": 1}, headers=volunteer
        )
        assert r.status_code == 200
    rows = (await client.get(f"/api/v1/divisions/{division['id']}/standings")).json()["groups"][0]["rows"]
    assert [r["points"] for r in rows] == [3, 3, 3, 3] and {r["rank"] for r in rows} == {1}
    assert (await client.post(f"/api/v1/divisions/{division['id']}/knockout", headers=admin)).status_code == 409
    r = await client.post(f"/api/v1/divisions/{division['id']}/lots", json={"group": "A", "seed": 7}, headers=admin)
    rows = r.json()["groups"][0]["rows"]
    assert [x["rank"] for x in rows] == [1, 2, 3, 4] and [x["tiebreak"] for x in rows] == ["lots"] * 3 + [None]
    again = await client.post(f"/api/v1/divisions/{division['id']}/lots", json={"group": "A", "seed": 7}, headers=admin)
    assert again.json() == r.json()
    assert (
        await client.post(f"/api/v1/divisions/{division['id']}/lots", json={"group": "Z"}, headers=admin)
    ).status_code == 422


async def test_fair_play_tables(client):
    admin = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    division, teams, matches = await with_fixtures(client, admin, teams=4)
    for n, m in enumerate(matches):
        await client.put(f"/api/v1/matches/{m['id']}/score", headers=volunteer,
                         json={"home_goals": 1, "away_goals": 0, "home_cards": n, "away_cards": 0})  # fmt: skip
    table = (await client.get(f"/api/v1/divisions/{division['id']}/fair-play")).json()
    per_match = [row["cards_per_match"] for row in table]
    assert per_match == sorted(per_match) and len(table) == 4
    assert sum(row["cards"] for row in table) == sum(range(len(matches)))
    event_id = (await client.get(f"/api/v1/divisions/{division['id']}")).json()["event_id"]
    event_table = (await client.get(f"/api/v1/events/{event_id}/fair-play")).json()
    assert [{k: v for k, v in row.items() if k not in ("division", "division_id")} for row in event_table] == table
    assert {row["division_id"] for row in event_table} == {division["id"]}
    page = soup(await client.get(f"/events/{event_id}/fair-play", headers={"Accept-Language": "en"}))
    assert [tr.a.text for tr in page.select("table.fair-play tbody tr")] == [row["team"] for row in table]


async def test_redraw_until_the_first_score(client):
    admin = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    division, teams, matches = await with_fixtures(client, admin)
    url = f"/api/v1/divisions/{division['id']}/draw"
    assert (await client.post(url, json={"groups": 1, "seed": 2}, headers=admin)).status_code == 200
    assert await count("match") == 0  # the old fixtures went with the old draw
    division2, teams2, matches2 = await with_fixtures(client, admin)
    await client.put(
        f"/api/v1/matches/{matches2[0]['id']}/score", json={"home_goals": 0, "away_goals": 0}, headers=volunteer
    )
    r = await client.post(f"/api/v1/divisions/{division2['id']}/draw", json={"groups": 1}, headers=admin)
    assert r.status_code == 409


async def test_unknown_ids_are_404(client):
    admin = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    paths = ["/api/v1/divisions/999", "/api/v1/divisions/999/standings", "/api/v1/divisions/999/bracket",
             "/api/v1/teams/999", "/api/v1/team-registrations/nope", "/api/v1/divisions/999/corrections"]  # fmt: skip
    for path in paths:
        assert (await client.get(path)).status_code == 404, path
    assert (
        await client.put("/api/v1/matches/999/score", json={"home_goals": 1, "away_goals": 0}, headers=volunteer)
    ).status_code == 404
    assert (await client.patch("/api/v1/matches/999", json={"pitch": 1}, headers=admin)).status_code == 404


async def test_unpublished_events_divisions_are_hidden_from_the_public(client):
    admin = await token_headers(client, "organiser")
    division, _teams = await drawn_division(client, admin)
    event_id = division["event_id"]
    await client.patch(f"/api/v1/events/{event_id}", json={"published": False}, headers=admin)
    assert (await client.get(f"/api/v1/divisions/{division['id']}")).status_code == 404
    assert (await client.get(f"/api/v1/divisions/{division['id']}", headers=admin)).status_code == 200


async def test_a_tie_broken_on_head_to_head_is_named(client):
    admin = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    division, teams, matches = await with_fixtures(client, admin, teams=4)
    a, b, c, d = (t["id"] for t in teams)
    # A and B: 6 points, 3:1 goals each; A beat B.
    goals = {(a, b): (1, 0), (c, a): (1, 0), (a, d): (2, 0), (b, c): (1, 0), (b, d): (2, 0), (c, d): (0, 0)}
    for m in matches:
        home, away = m["home_team_id"], m["away_team_id"]
        score = goals.get((home, away)) or goals[(away, home)][::-1]
        r = await client.put(f"/api/v1/matches/{m['id']}/score", headers=volunteer,
                             json={"home_goals": score[0], "away_goals": score[1]})  # fmt: skip
        assert r.status_code == 200
    rows = (await client.get(f"/api/v1/divisions/{division['id']}/standings")).json()["groups"][0]["rows"]
    assert [r["team_id"] for r in rows] == [a, b, c, d]
    assert [r["tiebreak"] for r in rows] == ["head_to_head", None, None, None]
    assert (rows[0]["points"], rows[0]["goal_difference"]) == (rows[1]["points"], rows[1]["goal_difference"])
    page = soup(await client.get(f"/divisions/{division['id']}", headers={"Accept-Language": "en"}))
    assert "ahead on head-to-head" in page.select("table.standings tbody tr")[0].text
