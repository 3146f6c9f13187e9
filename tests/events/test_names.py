"""Names of events, races, divisions and cities in Arabic, Kurdish and English, through the API and the pages;
distances and paces in the visitor's language; selects that open on a neutral option."""

import pytest

from tests.football.support import make_division
from tests.results.support import race_with_results
from tests.support import csrf_token, make_event, make_race, sign_in, soup, token_headers

EVENT_NAMES = {
    "name": "Baghdad Peace Run",
    "name_ar": "ركضة بغداد للسلام",
    "name_ckb": "ڕاکردنی بەغدا بۆ ئاشتی",
    "name_en": "Baghdad Peace Run",
    "city": "Baghdad",
    "city_ar": "بغداد",
    "city_ckb": "بەغدا",
    "city_en": "Baghdad",
}
RACE_NAMES = {"name": "10 km", "name_ar": "10 كم", "name_ckb": "10 کم", "name_en": "10 km"}
LANGUAGE_KEYS = ("name_ar", "name_ckb", "name_en")


async def test_event_race_and_division_names_round_trip_through_the_api(client):
    organiser = await token_headers(client, "organiser")
    event = await make_event(client, organiser, **EVENT_NAMES)
    assert {k: event[k] for k in EVENT_NAMES} == EVENT_NAMES
    race = await make_race(client, organiser, event["id"], **RACE_NAMES)
    assert {k: race[k] for k in RACE_NAMES} == RACE_NAMES
    division = await make_division(client, organiser, event["id"], name="Women's cup", name_ar="كأس السيدات")
    assert (division["name"], division["name_ar"], division["name_ckb"], division["name_en"]) == (
        "Women's cup", "كأس السيدات", None, None)  # fmt: skip

    one = (await client.get(f"/api/v1/events/{event['id']}")).json()
    assert {k: one[k] for k in EVENT_NAMES} == EVENT_NAMES
    assert {k: one["races"][0][k] for k in RACE_NAMES} == RACE_NAMES
    assert one["divisions"][0]["name_ar"] == "كأس السيدات" and one["divisions"][0]["name_ckb"] is None
    assert (await client.get("/api/v1/events")).json()[0]["city_ckb"] == "بەغدا"
    assert (await client.get(f"/api/v1/races/{race['id']}")).json()["name_ckb"] == "10 کم"
    got = (await client.get(f"/api/v1/divisions/{division['id']}")).json()
    assert got["name_ar"] == "كأس السيدات" and got["event_name_ar"] == "ركضة بغداد للسلام"

    # A partial update changes only what it names; an empty name is null again (the required one stands in).
    r = await client.patch(f"/api/v1/events/{event['id']}", json={"name_ckb": "", "city_en": "Baghdad city"},
                           headers=organiser)  # fmt: skip
    assert r.status_code == 200, r.text
    assert (r.json()["name_ckb"], r.json()["name_ar"], r.json()["city_en"]) == (
        None,
        EVENT_NAMES["name_ar"],
        "Baghdad city",
    )
    r = await client.patch(f"/api/v1/races/{race['id']}", json={"name_ar": "سباق 10 كم"}, headers=organiser)
    assert r.status_code == 200 and r.json()["name_ar"] == "سباق 10 كم" and r.json()["name_ckb"] == "10 کم"
    r = await client.patch(f"/api/v1/divisions/{division['id']}", json={"name_ckb": "جامی ئافرەتان"}, headers=organiser)
    assert r.status_code == 200 and r.json()["name_ckb"] == "جامی ئافرەتان" and r.json()["name_ar"] == "كأس السيدات"


async def test_name_fields_are_checked_like_the_required_ones(client):
    organiser = await token_headers(client, "organiser")
    event = await make_event(client, organiser)
    r = await client.patch(f"/api/v1/events/{event['id']}", json={"name_ar": "x" * 201, "city_ckb": "\x07"},
                           headers=organiser)  # fmt: skip
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"name_ar", "city_ckb"}
    r = await client.patch(f"/api/v1/events/{event['id']}", json={"city_ckb": 5}, headers=organiser)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "city_ckb"
    assert (await client.get(f"/api/v1/events/{event['id']}")).json()["name_ar"] is None  # a 4xx writes nothing
    r = await client.post(f"/api/v1/events/{event['id']}/races", json={"name_en": "10 km"}, headers=organiser)
    assert r.status_code == 422 and "name" in {e["field"] for e in r.json()["errors"]}  # `name` stays required


@pytest.mark.parametrize(
    ("language", "event_name", "race_name", "city"),
    [("ar", "ركضة بغداد للسلام", "10 كم", "بغداد"), ("ckb", "ڕاکردنی بەغدا بۆ ئاشتی", "10 کم", "بەغدا"),
     ("en", "Baghdad Peace Run", "10 km", "Baghdad")],
)  # fmt: skip
async def test_pages_show_the_names_of_the_visitors_language(client, language, event_name, race_name, city):
    organiser = await token_headers(client, "organiser")
    event = await make_event(client, organiser, **EVENT_NAMES)
    race = await make_race(client, organiser, event["id"], **RACE_NAMES)
    division = await make_division(client, organiser, event["id"], name="Cup", name_ar="الكأس", name_ckb="جام")
    headers = {"Accept-Language": language}

    page = soup(await client.get(f"/events/{event['id']}", headers=headers))
    assert page.h1.text.strip() == event_name and page.title.text.strip().startswith(event_name)
    assert city in page.select_one("p.lead").text
    assert page.select_one(f"#race-{race['id']} h3").text.strip() == race_name
    assert page.select_one(f"#division-{division['id']} h3").text.strip() == {"ar": "الكأس", "ckb": "جام"}.get(
        language, "Cup"
    )
    home = soup(await client.get("/", headers=headers))
    assert event_name in home.text and city in home.text

    form = soup(await client.get(f"/races/{race['id']}/register", headers=headers))
    assert form.h1.bdi.text == race_name and form.select_one("p.crumbs a").text.strip() == event_name
    results = soup(await client.get(f"/races/{race['id']}/results", headers=headers))
    assert results.h1.bdi.text == race_name and results.select_one("p.crumbs bdi").text == event_name
    football = soup(await client.get(f"/divisions/{division['id']}", headers=headers))
    assert event_name in football.select_one("p.crumbs").text
    team_form = soup(await client.get(f"/divisions/{division['id']}/register", headers=headers))
    assert team_form.h1.bdi.text == {"ar": "الكأس", "ckb": "جام"}.get(language, "Cup")


async def test_a_missing_language_falls_back_to_the_required_name(client):
    organiser = await token_headers(client, "organiser")
    event = await make_event(client, organiser, name="Basra Run", name_ar="ركضة البصرة", city="Basra")
    race = await make_race(client, organiser, event["id"], name="5 km", name_ckb="5 کم")
    ar = soup(await client.get(f"/events/{event['id']}", headers={"Accept-Language": "ar"}))
    ckb = soup(await client.get(f"/events/{event['id']}", headers={"Accept-Language": "ckb"}))
    assert ar.h1.text.strip() == "ركضة البصرة" and ckb.h1.text.strip() == "Basra Run"
    assert "Basra" in ar.select_one("p.lead bdi").text  # no Arabic city given: the required one, isolated
    assert ar.select_one(f"#race-{race['id']} h3").text.strip() == "5 km"
    assert ckb.select_one(f"#race-{race['id']} h3").text.strip() == "5 کم"


@pytest.mark.parametrize(
    ("language", "distance", "half"),
    [("ar", "10\N{NO-BREAK SPACE}كم", "21.0975\N{NO-BREAK SPACE}كم"), ("ckb", "10\N{NO-BREAK SPACE}کم", None),
     ("en", "10\N{NO-BREAK SPACE}km", "21.0975\N{NO-BREAK SPACE}km")],
)  # fmt: skip
async def test_distances_are_number_then_unit_isolated_in_the_visitors_language(client, language, distance, half):
    organiser = await token_headers(client, "organiser")
    event = await make_event(client, organiser)
    ten = await make_race(
        client, organiser, event["id"], name="10 km", distance_m=10000, bib_first=1, bib_last=99, capacity=50
    )
    long = await make_race(
        client, organiser, event["id"], name="Half", distance_m=21097.5, bib_first=100, bib_last=199, capacity=50
    )
    page = soup(await client.get(f"/events/{event['id']}", headers={"Accept-Language": language}))
    shown = page.select_one(f"#race-{ten['id']} bdi.distance").text
    assert shown == distance and "km 10" not in page.text and "كم 10" not in shown
    if half:
        assert page.select_one(f"#race-{long['id']} bdi.distance").text == half


NBSP = "\N{NO-BREAK SPACE}"


@pytest.mark.parametrize(
    ("language", "unit"), [("ar", NBSP + "د/كم"), ("ckb", NBSP + "خولەک/کم"), ("en", NBSP + "min/km")]
)
async def test_pace_reads_time_then_unit_and_is_isolated(client, language, unit):
    organiser = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    race = await race_with_results(client, organiser, volunteer)
    headers = {"Accept-Language": language}
    listing = (await client.get(f"/api/v1/races/{race['id']}/results")).json()["items"]
    first = listing[0]
    page = soup(await client.get(f"/races/{race['id']}/results", headers=headers))
    pace = page.select_one("table.results tbody tr bdi.pace")
    assert pace is not None and pace.text == first["pace"] + unit
    assert pace.find_parent("td").get("dir") is None  # not forced left to right: the unit follows the time
    runner = soup(await client.get(f"/races/{race['id']}/results/{first['bib']}", headers=headers))
    assert runner.select_one("dd bdi.pace").text == first["pace"] + unit
    assert runner.h1.bdi is not None  # the runner's name, isolated


async def test_certificate_isolates_the_names_inside_its_sentence(client):
    organiser = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    race = await race_with_results(client, organiser, volunteer)
    first = (await client.get(f"/api/v1/races/{race['id']}/results")).json()["items"][0]
    r = await client.get(f"/races/{race['id']}/results/{first['bib']}/certificate", headers={"Accept-Language": "ar"})
    sentence = soup(r).select_one("p.finished")
    assert [b.text for b in sentence.find_all("bdi")][:3] == ["10 km", "Baghdad Peace Run", "Baghdad"]
    assert "&lt;bdi" not in r.text


async def test_organiser_forms_carry_the_three_names(client):
    token = await sign_in(client, "organiser")
    form = await client.get("/organiser/events/new", headers={"Accept-Language": "en"})
    fields = {i["name"]: i for i in soup(form).select("form input")}
    assert {"name_ar", "name_ckb", "name_en", "city_ar", "city_ckb", "city_en"} <= set(fields)
    assert (
        fields["name_ar"]["dir"] == "rtl" and fields["name_en"]["dir"] == "ltr" and fields["city_ckb"]["lang"] == "ckb"
    )
    r = await client.post(
        "/organiser/events/new",
        data={"_csrf_token": token, "name": "Erbil Run", "name_ar": "ركضة أربيل", "name_ckb": "", "name_en": "",
              "province": "IQ-AR", "city": "Erbil", "city_ar": "", "city_ckb": "هەولێر", "city_en": "",
              "date": "2027-04-01", "published": "on"},
    )  # fmt: skip
    assert r.status_code == 303, r.text
    event = (await client.get("/api/v1/events")).json()[0]
    assert (event["name_ar"], event["name_ckb"], event["city_ckb"], event["city_ar"]) == (
        "ركضة أربيل",
        None,
        "هەولێر",
        None,
    )

    edit = soup(await client.get(f"/organiser/events/{event['id']}"))
    assert (
        edit.select_one("input#name_ar")["value"] == "ركضة أربيل"
        and edit.select_one("input#city_ckb")["value"] == "هەولێر"
    )
    new_race_page = await client.get(f"/organiser/events/{event['id']}/races/new")
    new_race = soup(new_race_page)
    assert {"name_ar", "name_ckb", "name_en"} <= {i["name"] for i in new_race.select("form input")}
    values = {i["name"]: i.get("value", "") for i in new_race.select("form input") if i.get("name")}
    values.update(name="5 km", name_ckb="5 کم", distance_km="5", capacity="50", bib_first="1", bib_last="99",
                  ranking="gun", results_status="provisional", in_series="on")  # fmt: skip
    values["_csrf_token"] = csrf_token(new_race_page)
    r = await client.post(f"/organiser/events/{event['id']}/races/new", data=values)
    assert r.status_code == 303, r.text
    race = (await client.get(f"/api/v1/events/{event['id']}")).json()["races"][0]
    assert (race["name"], race["name_ckb"], race["name_ar"]) == ("5 km", "5 کم", None)
    race_form = soup(await client.get(f"/organiser/races/{race['id']}"))
    assert race_form.select_one("input#name_ckb")["value"] == "5 کم"
    division_form = soup(await client.get(f"/organiser/events/{event['id']}/divisions/new"))
    assert {"name_ar", "name_ckb", "name_en"} <= {i["name"] for i in division_form.select("form input")}


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
async def test_selects_open_on_a_neutral_first_option(client, language):
    organiser = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    race = await race_with_results(client, organiser, volunteer)
    division = await make_division(client, organiser, race["event_id"])
    headers = {"Accept-Language": language}
    pages = [f"/races/{race['id']}/register", f"/races/{race['id']}/results", f"/divisions/{division['id']}/register"]
    for path in pages:
        selects = soup(await client.get(path, headers=headers)).select("main select, form select")
        assert selects, path
        for select in selects:
            first = select.find("option")
            assert first["value"] == "" and not select.select("option[selected]"), (path, select.get("name"))
    first = soup(await client.get(pages[0], headers=headers)).select_one("select#province option")
    assert first.text.strip() == {"en": "Choose your province"}.get(language, first.text.strip())
    assert not any(word in first.text for word in ("Iraq", "العراق", "عێراق"))  # not "I live outside Iraq"
