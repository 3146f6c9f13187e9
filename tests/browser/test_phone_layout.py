"""Every organiser, volunteer and public page fits a 360 px phone in Arabic, Kurdish and English: no sideways
scrolling of the page (tables become cards, or scroll inside their own box)."""

import datetime as dt

import httpx
import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.support import make_user, race_body, xlsx

pytestmark = pytest.mark.browser

WIDTH = 360
PHONE = {"viewport": {"width": WIDTH, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
PASSWORD = "a long enough password"
LONG_EMAIL = "volunteer.finish-line.basra-peace-run-2027@sports-against-violence.example.org"

# What makes a page too wide: the outermost elements wider than the phone or outside the page's box, that
# neither scroll inside a box of their own nor are placed off screen on purpose (the skip link). A failure
# names them, so the culprit is found without a screenshot.
TOO_WIDE = """(phone) => {
  const page = document.documentElement.getBoundingClientRect();
  const box = el => el.getBoundingClientRect();
  const wide = el => box(el).width > phone + 0.5 || box(el).right > page.right + 0.5 || box(el).left < page.left - 0.5;
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!box(el).width || !wide(el) || (el.parentElement !== document.body && wide(el.parentElement))) continue;
    let inside = el.parentElement, placed = false;
    for (let up = el; up && up !== document.body; up = up.parentElement) {
      placed ||= ["absolute", "fixed"].includes(getComputedStyle(up).position);
    }
    while (inside && inside !== document.body && getComputedStyle(inside).overflowX === "visible") {
      inside = inside.parentElement;
    }
    if (placed || inside !== document.body) continue;
    const classes = typeof el.className === "string" ? el.className.trim().split(/ +/).filter(c => c) : [];
    const name = [el.tagName.toLowerCase() + (el.id ? "#" + el.id : ""), ...classes].join(".");
    found.push(`${name} ${Math.round(box(el).width)}px`);
  }
  return found.slice(0, 6);
}"""


def entrants_with_problems() -> bytes:
    """An entrant import refused with a problem on every row, its header in Arabic, ten columns wide."""
    header = ["الاسم", "اللقب", "الجنس", "تاريخ الميلاد", "المحافظة", "رقم الهاتف", "البريد الالكتروني", "النادي",
              "اسم ولي الامر", "جهة الطوارئ"]  # fmt: skip
    rows = [
        ["مصطفى عبد الرحمن", "الخفاجي", "ذكر", "31/02/1990", "البصرة", "07701234567", "", "نادي الميناء الرياضي",
         "", "أم مصطفى 07801234567"],
        ["Shilan", "Abdulrahman-Qaradaghi", "?", "1993-05-01", "Sulaymaniyah-Governorate-Unknown", "", "",
         "Sulaymaniyah Runners Club", "", ""],
        ["", "حسين", "انثى", "2015-01-01", "بغداد", "0770123", "not-an-email-address-at-all.example", "", "", ""],
    ]  # fmt: skip
    return xlsx([header, *rows])


def wide_timing_sheet(bibs: list[int]) -> bytes:
    """A finish-line sheet of ten columns with long header names, one time unreadable."""
    header = ["رقم الصدرية", "الوقت", "الوقت الصافي", "5K", "10K", "Finish-line volunteer's remarks about the runner",
              "Club or team as written on the paper form", "Pace per kilometre (computed)",
              "المحافظة كما كتبها العداء في استمارة التسجيل", "Category announced at the start line"]  # fmt: skip
    rows = [
        [bibs[0], "0:41:10", "0:41:02", "0:20:11", "0:41:10", "Crossed the line with a flag", "Basra Road Runners",
         "4:07", "البصرة", "Women 18-29"],
        [bibs[1], "سريع", "0:39:50", "0:19:40", "", "Time written over twice, ask the timekeeper",
         "Nineveh Peace Club", "3:59", "نينوى", "Men 30-39"],
        [bibs[2], "لم يكمل", "", "0:25:00", "", "", "", "", "دهوك", ""],
    ]  # fmt: skip
    return xlsx([header, *rows])


@pytest.fixture
async def filled(server, race):
    """Data enough to fill each page: an event with two races and registrations in both, a draft event
    with a long name, users (one with a long email address), an imported timing sheet, and a campaign with
    a long name and hashtag holding the event, with its invitation list (contacts and all)."""
    await make_user("admin", "admin@example.test")
    await make_user("volunteer", LONG_EMAIL)
    async with httpx.AsyncClient(base_url=server.base) as http:
        token = await http.post("/api/v1/auth/token", json={"email": "admin@example.test", "password": PASSWORD})
        auth = {"Authorization": f"Bearer {token.json()['token']}"}
        second = await http.post(f"/api/v1/events/{race['event_id']}/races", headers=auth,
                                 json=race_body(name="نصف ماراثون البصرة للسلام والتعايش", distance_m=21097,
                                                capacity=2, bib_first=1000, bib_last=1999))  # fmt: skip
        assert second.status_code == 201, second.text
        draft = await http.post("/api/v1/events", headers=auth, json={
            "name": "مهرجان السليمانية الرياضي للتعايش السلمي ونبذ العنف", "province": "IQ-SU",
            "city": "السليمانية", "date": "2027-04-10", "published": False})  # fmt: skip
        assert draft.status_code == 201, draft.text
        race_day = dt.date.fromisoformat(race["start_time"][:10])
        runners = [
            ("عبد الرحمن محمد", "الحسيني البغدادي", "1988-11-23",
             {"email": "abdulrahman.alhusaini.baghdad@example.com"}),
            ("Rozhgar", "Qaradaghi-Hawrami", "1995-06-14", {"phone": "+9647501234567",
                                                            "email": "rozhgar.qaradaghi.hawrami.runner@example.org"}),
            ("زينب", "الموسوي", race_day.replace(year=race_day.year - 15).isoformat(),
             {"phone": "07801234567", "guardian_name": "فاطمة حسن عبد الله الموسوي"}),
            ("Ali", "Kareem", "1979-01-30", {"phone": "07701112233", "club": "Nasiriyah Marathon Runners"}),
        ]  # fmt: skip
        bibs = []
        for i, (given, family, born, contact) in enumerate(runners):
            body = {"given_name": given, "family_name": family, "gender": "female" if i % 2 else "male",
                    "birth_date": born, "province": "IQ-BA", "consent": True, **contact}  # fmt: skip
            for race_id in (race["id"], second.json()["id"]):
                r = await http.post(f"/api/v1/races/{race_id}/registrations", json=body)
                assert r.status_code == 201, r.text
                if race_id == race["id"]:
                    bibs.append(r.json()["bib"])
        finish = xlsx([["Bib", "Time"], [bibs[0], "0:41:10"], [bibs[1], "0:39:58"], [bibs[3], "0:44:00"]])
        imported = await http.post(
            f"/api/v1/races/{race['id']}/results/imports",
            headers=auth,
            files={"file": ("basra-peace-run-10km-finish-line-results-final-corrected.xlsx", finish)},
        )
        assert imported.status_code == 201, imported.text
        campaign = await http.post(
            "/api/v1/campaigns",
            headers=auth,
            json={
                "name": "الطريق إلى ماراثون بغداد الدولي: سلسلة سباقات المحافظات للسلام والتعايش",
                "hashtag": "رياضة_ضد_العنف_في_كل_محافظات_العراق",
                "points_table": list(range(60, 0, -1)),
                "targets": [{"metric": "registrations", "target": 25000}, {"metric": "women_share", "target": 0.45}],
            },
        )
        assert campaign.status_code == 201, campaign.text
        cid = campaign.json()["id"]
        joined = await http.patch(f"/api/v1/events/{race['event_id']}", headers=auth, json={"campaign_id": cid})
        assert joined.status_code == 200, joined.text
        invited = await http.post(f"/api/v1/campaigns/{cid}/invitations", headers=auth,
                                  json={"top_women": 3, "top_men": 3, "best_per_province": True})  # fmt: skip
        assert invited.status_code == 200 and invited.json(), invited.text
    return {"race": race, "second": second.json(), "bibs": bibs, "campaign_id": cid}


async def width_of(page) -> tuple[int, list[str]]:
    return await page.evaluate("document.documentElement.scrollWidth"), await page.evaluate(TOO_WIDE, WIDTH)


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
async def test_every_organiser_and_volunteer_page_fits_a_phone(new_page, server, filled, language, tmp_path):
    race, event_id = filled["race"]["id"], filled["race"]["event_id"]
    page = await new_page(**PHONE)
    await page.context.add_cookies([{"name": "lang", "value": language, "url": server.base}])
    await sign_in(page, server.base, "admin@example.test")
    assert await page.get_attribute("html", "lang") == language
    too_wide = {}

    async def check(what: str) -> None:
        width, overflowing = await width_of(page)
        if width > WIDTH:
            too_wide[what] = (width, overflowing)

    pages = [
        "/organiser",
        "/organiser/events/new",
        f"/organiser/events/{event_id}",
        f"/organiser/events/{event_id}/races/new",
        f"/organiser/races/{race}",
        f"/organiser/races/{race}/registrations",
        f"/organiser/races/{filled['second']['id']}/registrations",
        f"/organiser/races/{race}/import",
        "/organiser/users",
        "/organiser/campaigns",
        "/organiser/campaigns/new",
        f"/organiser/campaigns/{filled['campaign_id']}",
        f"/organiser/campaigns/{filled['campaign_id']}/edit",
        "/volunteer",
        f"/volunteer/races/{race}?bib={filled['bibs'][2]}",
        f"/volunteer/races/{race}/results",
    ]
    for path in pages:
        response = await page.goto(server.base + path)
        assert response.status == 200, path
        await check(path)
        if path == "/organiser":
            assert await page.locator("section.event").count() == 2
            await screenshot(page, f"dashboard-{WIDTH}-{language}.png")
        if path == f"/organiser/campaigns/{filled['campaign_id']}":
            assert await page.locator("table.invitations tbody tr").count() >= 2
            await screenshot(page, f"campaign-{WIDTH}-{language}.png")

    entrants = tmp_path / "entrants.xlsx"
    entrants.write_bytes(entrants_with_problems())
    await page.goto(f"{server.base}/organiser/races/{race}/import")
    await page.set_input_files("#file", str(entrants))
    await page.click("form.upload button[type=submit]")
    await page.locator("table.problems").wait_for()
    assert await page.locator("table.problems > tbody > tr").count() == 3
    await check("entrant import with problems")
    await screenshot(page, f"import-problems-{WIDTH}-{language}.png")

    sheet = tmp_path / "finish-line.xlsx"
    sheet.write_bytes(wide_timing_sheet(filled["bibs"]))
    await page.goto(f"{server.base}/volunteer/races/{race}/results")
    await page.set_input_files("#file", str(sheet))
    await page.click("form.upload button[type=submit]")
    await page.locator("table.sheet").wait_for()
    # The row number, the runner, the time as read and the ten columns of the sheet.
    assert await page.locator("table.sheet thead th").count() == 13
    await check("timing sheet preview")
    await screenshot(page, f"results-preview-{WIDTH}-{language}.png")

    assert too_wide == {}


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
async def test_the_public_pages_fit_a_phone(new_page, server, filled, language):
    """The pages a runner and a family open: the event, the registration form (also with its errors), the
    results and a runner's result."""
    race, event_id = filled["race"]["id"], filled["race"]["event_id"]
    page = await new_page(**PHONE)
    await page.context.add_cookies([{"name": "lang", "value": language, "url": server.base}])
    too_wide = {}
    for path, shot in [
        (f"/events/{event_id}", None),
        (f"/races/{race}/register", "form"),
        (f"/races/{race}/results", "results"),
        (f"/races/{race}/results/{filled['bibs'][0]}", None),
        (f"/races/{race}/corrections", None),
    ]:
        response = await page.goto(server.base + path)
        assert response.status == 200, path
        assert await page.get_attribute("html", "lang") == language
        width, overflowing = await width_of(page)
        if width > WIDTH:
            too_wide[path] = (width, overflowing)
        if shot:
            await screenshot(page, f"{shot}-{WIDTH}-{language}.png")
    await page.goto(f"{server.base}/races/{race}/register")
    await page.click("form#registration button[type=submit]")
    await page.locator(".error-summary").wait_for()
    width, overflowing = await width_of(page)
    if width > WIDTH:
        too_wide["form with errors"] = (width, overflowing)
    await screenshot(page, f"form-errors-{WIDTH}-{language}.png")
    assert too_wide == {}
