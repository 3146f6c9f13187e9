"""The campaign page in a real browser on a 390 px phone, in Arabic and Kurdish: laid out right to left with
nothing wider than the phone, the province leaderboard sorted and the standings searched through htmx (only
the table swapped, the address kept), screenshots in test-artifacts/."""

import datetime as dt

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_phone_layout import TOO_WIDE
from tests.support import make_user, race_body, xlsx

pytestmark = pytest.mark.browser

WIDTH = 390
PHONE = {"viewport": {"width": WIDTH, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
PASSWORD = "a long enough password"
# Each chart's words as drawn: any under 11 CSS px (a chart scaled down to the phone), and any two that overlap.
CHART_WORDS = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const scale = svg.getScreenCTM().a;
  const texts = [...svg.querySelectorAll('text')];
  const found = texts.filter(t => parseFloat(getComputedStyle(t).fontSize) * scale < 11)
    .map(t => `small: ${t.textContent}`);
  const boxes = texts.map(t => [t.textContent, t.getBoundingClientRect()]);
  boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
    if (p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1 && q.top < p.bottom - 1)
      found.push(`overlap: ${a} / ${b}`);
  }));
  return found;
})"""
# (given, family, gender, province, email): Arabic, Kurdish and Latin names, long ones among them.
RUNNERS = [
    ("أحمد", "عبد الرحمن الموسوي", "male", "IQ-BG", "ahmed@example.test"),
    ("زينب", "حامد الخفاجي", "female", "IQ-BG", "zainab@example.test"),
    ("ڕۆژگار", "قەرەداغی هەورامی", "female", "IQ-SU", "rozhgar@example.test"),
    ("Shilan", "Abdulrahman-Qaradaghi", "female", "IQ-SU", "shilan@example.test"),
    ("علي", "كريم", "male", "IQ-BA", "ali@example.test"),
    ("هێمن", "عەزیز", "male", "IQ-HAL", "hemin@example.test"),
]


@pytest.fixture
async def campaign(server):
    """A campaign with two events held (Baghdad, Sulaymaniyah), everyone running both, an invitation list."""
    await make_user("organiser", "campaign@example.test")
    async with httpx.AsyncClient(base_url=server.base) as http:
        login = {"email": "campaign@example.test", "password": PASSWORD}
        auth = {"Authorization": f"Bearer {(await http.post('/api/v1/auth/token', json=login)).json()['token']}"}
        made = await http.post("/api/v1/campaigns", headers=auth, json={
            "name": "الطريق إلى ماراثون بغداد الدولي", "hashtag": "رياضة_ضد_العنف", "targets": [
                {"metric": "registrations", "target": 50}, {"metric": "provinces", "target": 19},
                {"metric": "women_share", "target": 0.5}, {"metric": "km", "target": 1000}]})  # fmt: skip
        assert made.status_code == 201, made.text
        campaign = made.json()
        events = []
        for name, province, city in (("سباق بغداد للسلام", "IQ-BG", "بغداد"),
                                     ("ڕاکردنی ئاشتی سلێمانی", "IQ-SU", "سلێمانی")):  # fmt: skip
            body = {"name": name, "province": province, "city": city, "published": True, "campaign_id": campaign["id"],
                    "date": (dt.date.today() + dt.timedelta(days=20)).isoformat()}  # fmt: skip
            event = (await http.post("/api/v1/events", headers=auth, json=body)).json()
            race = await http.post(f"/api/v1/events/{event['id']}/races", headers=auth,
                                   json=race_body(name="نصف ماراثون", distance_m=21097.5))  # fmt: skip
            assert race.status_code == 201, race.text
            events.append((event, race.json()))
        for event, race in events:
            bibs = []
            for i, (given, family, gender, province, email) in enumerate(RUNNERS):
                r = await http.post(f"/api/v1/races/{race['id']}/registrations", json={
                    "given_name": given, "family_name": family, "gender": gender, "birth_date": f"1990-04-0{i + 1}",
                    "province": province, "email": email, "consent": True})  # fmt: skip
                assert r.status_code == 201, r.text
                bibs.append(r.json()["bib"])
            sheet = xlsx([["Bib", "Time"], *[[bib, f"1:{20 + (i * 7 + event['id']) % 30}:00"]
                                             for i, bib in enumerate(bibs)]])  # fmt: skip
            r = await http.post(f"/api/v1/races/{race['id']}/results/imports", headers=auth,
                                files={"file": ("finish.xlsx", sheet)})  # fmt: skip
            assert r.status_code == 201, r.text
        for days, (event, _race) in zip((40, 10), events, strict=True):
            day = (dt.date.today() - dt.timedelta(days=days)).isoformat()
            r = await http.patch(f"/api/v1/events/{event['id']}", headers=auth, json={"date": day})
            assert r.status_code == 200, r.text
        rule = {"top_women": 2, "top_men": 1, "best_per_province": True}
        r = await http.post(f"/api/v1/campaigns/{campaign['id']}/invitations", headers=auth, json=rule)
        assert r.status_code == 200, r.text
    return campaign


@pytest.mark.parametrize("language", ["ar", "ckb"])
async def test_the_campaign_page_reads_right_to_left_on_a_phone(new_page, server, campaign, language):
    page = await new_page(**PHONE)
    await page.context.add_cookies([{"name": "lang", "value": language, "url": server.base}])
    url = f"{server.base}/campaigns/{campaign['id']}"
    response = await page.goto(url)
    assert response.status == 200
    assert await page.get_attribute("html", "dir") == "rtl" and await page.get_attribute("html", "lang") == language
    assert await page.locator("table.provinces tbody tr").count() == 19
    assert await page.locator("table.series tbody tr").count() == len(RUNNERS)
    assert await page.locator("table.invitations tbody tr").count() >= 3

    # Right to left: the hashtag starts at the right edge; a province's name stands right of its bar in the
    # chart; the sort links run from the right.
    hashtag = await page.locator(".campaign-head .hashtag bdi").bounding_box()
    assert WIDTH - (hashtag["x"] + hashtag["width"]) < 24 and hashtag["x"] > WIDTH / 3
    label = await page.locator("svg.chart-bars .chart-label").first.bounding_box()
    bar = await page.locator("svg.chart-bars .chart-bar").first.bounding_box()
    assert label["x"] >= bar["x"] + bar["width"] - 1
    links = page.locator("nav.sort-links a")
    assert (await links.first.bounding_box())["x"] > (await links.nth(1).bounding_box())["x"]
    assert await page.evaluate("getComputedStyle(document.querySelector('table.series')).direction") == "rtl"
    assert await page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert await page.evaluate(TOO_WIDE, WIDTH) == []
    assert await page.evaluate(CHART_WORDS) == []
    await screenshot(page, f"campaign-{WIDTH}-{language}.png")

    # Sorted by kilometres through htmx: only the leaderboard is swapped, and the address follows.
    first = page.locator("table.provinces tbody tr:first-child td.sorted")
    async with page.expect_response(lambda r: "sort=km" in r.url and r.request.headers.get("hx-target") == "provinces"):
        await page.locator("nav.sort-links a[href*='sort=km']").tap()
    current = page.locator("nav.sort-links a[aria-current]")
    await expect(current).to_have_attribute("href", f"/campaigns/{campaign['id']}?sort=km#provinces")
    await page.wait_for_url("**sort=km")
    assert await first.inner_text() == "126.6"  # six half marathons in Baghdad (or in Sulaymaniyah): 126.585 km
    assert await page.locator("h1").count() == 1 and await page.locator("#standings").count() == 1

    # The standings searched in another spelling (أحمد typed as احمد): only the standings are swapped.
    async with page.expect_response(lambda r: r.request.headers.get("hx-target") == "standings"):
        await page.fill("#q", "احمد")
    rows = page.locator("table.series tbody tr")
    await expect(rows).to_have_count(1)
    found = await rows.inner_text()
    assert "أحمد عبد الرحمن الموسوي" in found
    assert "سباق بغداد للسلام" in found and "ڕاکردنی ئاشتی سلێمانی" in found  # two races of one name, told apart
    assert await page.locator("table.provinces tbody tr").count() == 19
    assert await page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    await screenshot(page, f"campaign-{WIDTH}-{language}-search.png")
