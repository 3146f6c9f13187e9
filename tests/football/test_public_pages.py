"""The public football pages: what they show, what they never show, and the cache that answers polls."""

import datetime as dt

from tests.football.support import make_division, squad, team_body, with_fixtures
from tests.support import HTMX, soup, token_headers

EN = {"Accept-Language": "en"}


async def test_division_page_shows_tables_with_the_rule_that_broke_a_tie(client):
    admin = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    division, teams, matches = await with_fixtures(client, admin, teams=4)
    ids = [t["id"] for t in teams]
    # A beats everyone; B, C, D each win once against each other (a three-way tie) with equal goals,
    # and D collects cards: fair play puts D last among them.
    wins = {frozenset((ids[0], x)): ids[0] for x in ids[1:]}
    wins |= {
        frozenset((ids[1], ids[2])): ids[1],
        frozenset((ids[2], ids[3])): ids[2],
        frozenset((ids[3], ids[1])): ids[3],
    }
    for m in matches:
        winner = wins[frozenset((m["home_team_id"], m["away_team_id"]))]
        home_won = winner == m["home_team_id"]
        cards = {
            "home_cards": 2 if m["home_team_id"] == ids[3] else 0,
            "away_cards": 2 if m["away_team_id"] == ids[3] else 0,
        }
        goals = {"home_goals": 1 if home_won else 0, "away_goals": 0 if home_won else 1}
        r = await client.put(f"/api/v1/matches/{m['id']}/score", headers=volunteer, json={**goals, **cards})
        assert r.status_code == 200
    page = soup(await client.get(f"/divisions/{division['id']}", headers=EN))
    rows = page.select("table.standings tbody tr")
    assert [r.select("td")[1].a.text for r in rows][0] == "Team A"
    assert rows[-1].select("td")[1].a.text == "Team D"
    assert "ahead on fair play" in rows[-2].text
    assert page.select_one("#live")["aria-live"] == "polite" and page.select_one("#live")["hx-get"]
    assert len(page.select("table.matches tbody tr")) == 6
    assert page.select("table.fair-play tbody tr")[-1].a.text == "Team D"


async def test_no_personal_data_on_public_pages_fragments_or_api(client):
    admin = await token_headers(client, "organiser")
    young = dt.date(dt.date.today().year - 12, 6, 1).isoformat()
    division = await make_division(client, admin, max_age=40)
    child = {"given_name": "Shilan", "family_name": "Aziz", "birth_date": young, "shirt_number": 9}
    body = team_body("Kids", players=squad(5, born="1999-09-09") + [child], guardian_consent=True,
                     captain_phone="07701112233", captain_name="Hidden Captain")  # fmt: skip
    made = (await client.post(f"/api/v1/divisions/{division['id']}/teams", json=body)).json()
    did, event, team = division["id"], division["event_id"], made["id"]
    addresses = [f"/divisions/{did}", f"/teams/{team}", f"/divisions/{did}/schedule", f"/api/v1/teams/{team}",
                 f"/api/v1/divisions/{did}", f"/events/{event}", f"/api/v1/events/{event}"]  # fmt: skip
    for url in addresses:
        for headers in (EN, {**EN, **HTMX}):
            text = (await client.get(url, headers=headers)).text
            assert "+9647701112233" not in text and "Hidden Captain" not in text, url
            assert "1999-09-09" not in text and young not in text and "Shilan" not in text, url
    team_page = soup(await client.get(f"/teams/{made['id']}", headers=EN))
    assert "S. A." in team_page.select_one("main").text


async def test_polls_are_answered_304_until_a_score_changes_the_page(client):
    admin = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    division, teams, matches = await with_fixtures(client, admin)
    url = f"/divisions/{division['id']}"
    first = await client.get(url, headers={**EN, **HTMX})
    assert first.status_code == 200 and "<html" not in first.text and first.headers["etag"]
    again = await client.get(url, headers={**EN, **HTMX, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    await client.put(
        f"/api/v1/matches/{matches[0]['id']}/score", json={"home_goals": 4, "away_goals": 2}, headers=volunteer
    )
    changed = await client.get(url, headers={**EN, **HTMX, "If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200 and changed.headers["etag"] != first.headers["etag"]
    assert "4" in soup(changed).select_one(f"#match-{matches[0]['id']} .score").text


async def test_schedule_and_correction_log_pages(client):
    admin = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    division, teams, matches = await with_fixtures(client, admin, teams=5, pitches=2)
    schedule = soup(await client.get(f"/divisions/{division['id']}/schedule", headers=EN))
    pitches = schedule.select("section.pitch-page")
    assert [p.h2.text for p in pitches[:2]] == ["Pitch 1", "Pitch 2"]
    assert sum(len(p.select("tbody tr")) for p in pitches[:2]) == 10
    assert len(schedule.select("section.pitch-page h3")) == 5  # each team's own list
    url = f"/api/v1/matches/{matches[0]['id']}/score"
    await client.put(url, json={"home_goals": 1, "away_goals": 0}, headers=volunteer)
    await client.put(url, json={"home_goals": 2, "away_goals": 0, "reason": "a goal was missed"}, headers=volunteer)
    log = soup(await client.get(f"/divisions/{division['id']}/corrections", headers=EN))
    assert "a goal was missed" in log.select("tbody tr")[0].text and len(log.select("tbody tr")) == 2
