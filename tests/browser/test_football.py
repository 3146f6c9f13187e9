"""Mini-football in a real browser: a captain registers a squad on a phone in Kurdish and fixes a refused
player; a volunteer enters a score at a pitch; the public tables follow without a reload; the bracket reads
on a 390 px phone in Arabic."""

import datetime as dt
from contextlib import asynccontextmanager

import httpx
import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.support import make_user

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
IRAQ = dt.timezone(dt.timedelta(hours=3))


@asynccontextmanager
async def _api(server):
    """An API client with an organiser's and a volunteer's headers."""
    await make_user("organiser", "coach@example.test")
    await make_user("volunteer", "pitch@example.test")
    async with httpx.AsyncClient(base_url=server.base) as http:
        tokens = {}
        for email in ("coach@example.test", "pitch@example.test"):
            r = await http.post("/api/v1/auth/token", json={"email": email, "password": "a long enough password"})
            tokens[email] = {"Authorization": f"Bearer {r.json()['token']}"}
        yield http, tokens["coach@example.test"], tokens["pitch@example.test"]


async def _division(http, auth, **overrides) -> dict:
    day = dt.date.today() + dt.timedelta(days=10)
    body = {"name": "بطولة السلام", "province": "IQ-AR", "city": "أربيل", "date": day.isoformat(), "published": True}
    event = (await http.post("/api/v1/events", headers=auth, json=body)).json()
    body = {"name": "ئافرەتان", "gender": "women", "squad_min": 5, "squad_max": 8, "max_teams": 8, "max_age": 30,
            **overrides}  # fmt: skip
    return (await http.post(f"/api/v1/events/{event['id']}/divisions", headers=auth, json=body)).json()


async def _fixtures(http, auth, division_id: int, pitches: int) -> dict:
    kickoff = dt.datetime.combine(dt.date.today() + dt.timedelta(days=10), dt.time(16), IRAQ).isoformat()
    body = {"pitches": pitches, "first_kickoff": kickoff, "slot_minutes": 30}
    return (await http.post(f"/api/v1/divisions/{division_id}/fixtures", headers=auth, json=body)).json()


async def _teams(http, division_id: int, names: list[str]) -> list[dict]:
    made = []
    for n, name in enumerate(names):
        players = [{"given_name": f"یاریزان{i}", "family_name": name, "birth_date": f"2000-02-{i + 1:02d}",
                    "shirt_number": i + 1} for i in range(5)]  # fmt: skip
        r = await http.post(f"/api/v1/divisions/{division_id}/teams", json={
            "name": name, "province": "IQ-SU", "captain_name": "کاپتن", "captain_phone": f"0750 111 {n:04d}",
            "players": players})  # fmt: skip
        made.append(r.json())
    return made


async def test_a_captain_registers_a_squad_in_kurdish_and_fixes_a_refused_player(new_page, server):
    async with _api(server) as (http, auth, _volunteer):
        division = await _division(http, auth)
    page = await new_page(**PHONE, locale="ckb")
    await page.goto(f"{server.base}/language/ckb?next=/divisions/{division['id']}/register")
    assert await page.get_attribute("html", "dir") == "rtl"
    await page.fill("#name", "شێرەکانی هەڵەبجە")
    await page.select_option("#province", "IQ-SU")
    await page.fill("#captain_name", "ژیلا عەزیز")
    await page.fill("#captain_phone", "٠٧٥٠١٢٣٤٥٦٧")
    await page.click("button[value=add]")  # htmx swaps the form with a sixth row
    await page.locator("li#player-5").wait_for()
    for i in range(6):
        await page.fill(f"[id='players[{i}].given_name']", f"هێڤی{i}")
        await page.fill(f"[id='players[{i}].family_name']", "کەریم")
        await page.fill(f"[id='players[{i}].birth_date']", "1960-01-01" if i == 5 else f"1998-04-{i + 1:02d}")
        await page.fill(f"[id='players[{i}].shirt_number']", str(i + 1))
    await page.click("button[value=save]")
    refused = page.locator("li#player-5.invalid .error")
    await refused.wait_for()
    assert "6" in await refused.inner_text() or "٦" in await refused.inner_text()
    assert await page.input_value("[id='players[0].given_name']") == "هێڤی0"  # nothing typed was lost
    await screenshot(page, "football-register-ckb-refused.png")
    await page.fill("[id='players[5].birth_date']", "1999-09-09")
    await page.click("button[value=save]")
    await page.wait_for_url("**/team-registrations/*")
    assert await page.locator("table.data tbody tr").count() == 6
    scroll = await page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll <= 390


async def test_a_volunteer_scores_and_the_public_tables_follow_without_a_reload(new_page, server):
    async with _api(server) as (http, auth, volunteer):
        division = await _division(http, auth)
        await _teams(http, division["id"], ["A", "B", "C"])
        await http.post(f"/api/v1/divisions/{division['id']}/draw", headers=auth, json={"groups": 1, "seed": 1})
        fixtures = await _fixtures(http, auth, division["id"], pitches=1)
    first = fixtures["matches"][0]
    public = await new_page(**PHONE, locale="ar-IQ")
    await public.goto(f"{server.base}/divisions/{division['id']}")
    points = public.locator("table.standings tbody tr:first-child td:last-child")
    assert await points.inner_text() == "0"

    page = await new_page(**PHONE, locale="ar-IQ")
    await sign_in(page, server.base, "pitch@example.test")
    await page.goto(f"{server.base}/volunteer/divisions/{division['id']}/pitches/1")
    card = page.locator(f"#match-{first['id']}")
    await card.locator(f"#m{first['id']}-home_goals ~ button[data-step='1']").click()
    await card.locator(f"#m{first['id']}-home_goals ~ button[data-step='1']").click()
    assert await page.input_value(f"#m{first['id']}-home_goals") == "2"
    await card.locator("button[type=submit]").click()
    await page.locator(f"#match-{first['id']} .success").wait_for()
    await screenshot(page, "football-volunteer-pitch.png")

    await points.filter(has_text="3").wait_for(timeout=30_000)  # the page polls; nobody reloads it
    assert public.url.endswith(f"/divisions/{division['id']}")


async def test_the_bracket_reads_on_a_phone_in_arabic(new_page, server):
    async with _api(server) as (http, auth, volunteer):
        division = await _division(http, auth, third_place_match=True)
        await _teams(
            http, division["id"], ["نسور", "لبوات", "نجمات", "فراشات", "زهرات", "ستێرکان", "شێرەکان", "هەڵۆکان"]
        )
        await http.post(f"/api/v1/divisions/{division['id']}/draw", headers=auth, json={"groups": 4, "seed": 3})
        fixtures = await _fixtures(http, auth, division["id"], pitches=2)
        for m in fixtures["matches"]:
            await http.put(
                f"/api/v1/matches/{m['id']}/score", headers=volunteer, json={"home_goals": 2, "away_goals": 1}
            )
        bracket = (await http.post(f"/api/v1/divisions/{division['id']}/knockout", headers=auth)).json()
        final_four = bracket["rounds"][0]["matches"]
        await http.put(f"/api/v1/matches/{final_four[0]['id']}/score", headers=volunteer,
                       json={"home_goals": 1, "away_goals": 1, "home_penalties": 5, "away_penalties": 4})  # fmt: skip
    page = await new_page(**PHONE, locale="ar-IQ")
    await page.goto(f"{server.base}/divisions/{division['id']}")
    assert await page.get_attribute("html", "dir") == "rtl"
    rounds = page.locator(".bracket-round")
    assert await rounds.count() == 4  # quarter-finals, semi-finals, final, third place
    assert await page.evaluate("document.scrollingElement.scrollWidth") <= 390
    boxes = [await rounds.nth(i).bounding_box() for i in range(2)]
    assert boxes[1]["y"] > boxes[0]["y"]  # stacked, not squeezed side by side
    assert (
        "ركلات" in await page.locator(f"#bracket-{final_four[0]['id']}").inner_text()
        or await page.locator(f"#bracket-{final_four[0]['id']} .pens").count() == 1
    )
    await screenshot(page, "football-bracket-ar-phone.png")
