"""Volunteers enter scores from a phone page per pitch: the next match first, the whole score in every
form, a resent form changing nothing, errors beside the form."""

import re

from sportsrun.core.db import sql as db
from sportsrun.core.web.static import static_url
from tests.football.support import with_fixtures
from tests.support import HTMX, count, csrf_token, sign_in, soup, token_headers

EN = {"Accept-Language": "en"}


def score_form(card) -> dict:
    """The form's fields as the browser would send them."""
    return {i["name"]: i.get("value", "") for i in card.select("form input[name]")}


async def match(match_id: int) -> dict:
    return (await db.fetch("SELECT * FROM match WHERE id = {}", match_id))[0]


async def test_the_pitch_page_saves_whole_scores_next_match_first(client):
    organiser = await token_headers(client, "organiser")
    division, _teams, matches = await with_fixtures(client, organiser, teams=4, groups=1, pitches=2)
    await sign_in(client, "volunteer")
    listing = soup(await client.get("/volunteer", headers=EN))
    assert listing.select_one("a[href='/volunteer/divisions']")
    divisions = soup(await client.get("/volunteer/divisions", headers=EN))
    pitch_url = f"/volunteer/divisions/{division['id']}/pitches/1"
    assert divisions.select_one(f"a[href='{pitch_url}']")
    assert divisions.select_one(f"a[href='/volunteer/divisions/{division['id']}/pitches/2']")

    on_pitch = [m for m in matches if m["pitch"] == 1]  # in kick-off order
    page = await client.get(pitch_url, headers=EN)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    html = soup(page)
    assert re.fullmatch(r"/static/js/score\.[0-9a-f]{12}\.js", static_url("js/score.js"))
    assert html.select_one(f'script[src="{static_url("js/score.js")}"]')
    cards = html.select("article.score-card")
    assert [c["id"] for c in cards] == [f"match-{m['id']}" for m in on_pitch]
    assert "next" in cards[0]["class"] and html.select_one(".next-match article")["id"] == f"match-{on_pitch[0]['id']}"
    first = cards[0]
    fields = score_form(first)
    assert {"home_goals", "away_goals", "home_cards", "away_cards", "_csrf_token"} <= set(fields)
    assert "home_penalties" not in fields and "reason" not in fields  # a group match, not yet scored
    goals = first.select_one("input[name=home_goals]")
    assert (goals["type"], goals["inputmode"], goals["min"], goals["max"]) == ("number", "numeric", "0", "99")
    assert len(first.select("button[data-step]")) == 8 and not first.select("[onclick]")

    url = f"/volunteer/matches/{on_pitch[0]['id']}/score"
    sent = {**fields, "home_goals": "2", "away_goals": "1", "home_cards": "1", "away_cards": "0"}
    r = await client.post(url, data=sent)
    assert (
        r.status_code == 303
        and r.headers["location"] == f"{pitch_url}?saved={on_pitch[0]['id']}#match-{on_pitch[0]['id']}"
    )
    saved = await match(on_pitch[0]["id"])
    assert (saved["home_goals"], saved["away_goals"], saved["home_cards"], saved["away_cards"]) == (2, 1, 1, 0)
    assert await count("score_change") == 1
    again = await client.post(url, data=sent)  # the same form sent twice
    assert again.status_code == 303 and await count("score_change") == 1
    assert (await match(on_pitch[0]["id"]))["scored_at"] == saved["scored_at"]

    after = soup(await client.get(r.headers["location"], headers=EN))
    assert after.select_one(".next-match article")["id"] == f"match-{on_pitch[1]['id']}"  # the next one moves up
    done = after.select_one(f"#match-{on_pitch[0]['id']}")
    assert "Score saved" in done.select_one(".success").text and "2 – 1" in done.text
    assert done.select_one("input[name=home_goals]")["value"] == "2" and done.select_one("input[name=reason]")

    # A correction through htmx: the match's card alone comes back.
    corrected = await client.post(
        url, data={**sent, "home_goals": "3", "reason": "Goal missed"}, headers={**HTMX, **EN}
    )
    assert corrected.status_code == 200 and "<html" not in corrected.text
    card = soup(corrected).select_one(f"article#match-{on_pitch[0]['id']}")
    assert "3 – 1" in card.select_one(".success").text
    assert (await match(on_pitch[0]["id"]))["home_goals"] == 3 and await count("score_change") == 2
    [change] = await db.fetch("SELECT reason FROM score_change ORDER BY id DESC LIMIT 1")
    assert change["reason"] == "Goal missed"

    # Out of range: the error beside the field, nothing written.
    bad = await client.post(url, data={**sent, "home_goals": "-1"}, headers=EN)
    assert bad.status_code == 422
    card = soup(bad).select_one(f"#match-{on_pitch[0]['id']}")
    assert card.select_one(f"#m{on_pitch[0]['id']}-home_goals-error").text == "Enter a number of at least 0."
    assert card.select_one("input[name=home_goals]")["value"] == "-1"
    assert (await match(on_pitch[0]["id"]))["home_goals"] == 3 and await count("score_change") == 2


async def test_a_drawn_knockout_match_needs_penalties(client):
    organiser = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    division, _teams, matches = await with_fixtures(client, organiser, teams=4, groups=2, qualifiers_per_group=1)
    for m in matches:
        r = await client.put(f"/api/v1/matches/{m['id']}/score", json={"home_goals": 1, "away_goals": 0},
                             headers=volunteer)  # fmt: skip
        assert r.status_code == 200, r.text
    r = await client.post(f"/api/v1/divisions/{division['id']}/knockout", headers=organiser)
    assert r.status_code == 200, r.text
    final = r.json()["rounds"][0]["matches"][0]

    await sign_in(client, "volunteer")
    page = await client.get(f"/volunteer/divisions/{division['id']}/pitches/{final['pitch']}", headers=EN)
    card = soup(page).select_one(".next-match article")
    assert card["id"] == f"match-{final['id']}" and "Final" in card.text
    fields = score_form(card)
    assert {"home_penalties", "away_penalties"} <= set(fields)

    url = f"/volunteer/matches/{final['id']}/score"
    level = {**fields, "home_goals": "1", "away_goals": "1", "home_penalties": "", "away_penalties": ""}
    refused = await client.post(url, data=level, headers=EN)
    assert refused.status_code == 422
    card = soup(refused).select_one(f"#match-{final['id']}")
    assert (
        card.select_one(f"#m{final['id']}-home_penalties-error").text
        == "A drawn knockout match needs a penalty winner."
    )
    assert (await match(final["id"]))["scored_at"] is None
    fragment = await client.post(url, data=level, headers={**HTMX, **EN})
    assert fragment.status_code == 422 and "<html" not in fragment.text
    assert soup(fragment).select_one(f"article#match-{final['id']}.invalid")

    r = await client.post(url, data={**level, "home_penalties": "4", "away_penalties": "3"})
    assert r.status_code == 303
    champion = (await db.fetch("SELECT champion_team FROM division WHERE id = {}", division["id"]))[0]
    assert champion["champion_team"] == final["home_team_id"]


async def test_only_volunteers_and_above_enter_scores(client):
    organiser = await token_headers(client, "organiser")
    division, _teams, matches = await with_fixtures(client, organiser)
    url = f"/volunteer/divisions/{division['id']}/pitches/1"
    anonymous = await client.get(url)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    page = await client.get("/login")
    r = await client.post(f"/volunteer/matches/{matches[0]['id']}/score",
                          data={"_csrf_token": csrf_token(page), "home_goals": "1", "away_goals": "0"})  # fmt: skip
    assert r.status_code == 303 and await count("score_change") == 0
    await sign_in(client, "volunteer")
    assert (await client.get(f"/volunteer/divisions/{division['id']}/pitches/7")).status_code == 404
