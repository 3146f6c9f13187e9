import datetime as dt

from tests.support import count, make_event, make_race, race_body, register, token_headers


async def test_provinces_are_the_nineteen_with_three_names(client):
    r = await client.get("/api/v1/provinces")
    assert r.status_code == 200
    provinces = {p["code"]: p for p in r.json()}
    assert len(provinces) == 19
    assert provinces["IQ-HAL"] == {"code": "IQ-HAL", "name_en": "Halabja", "name_ar": "حلبجة", "name_ckb": "هەڵەبجە"}
    assert provinces["IQ-BG"]["name_ar"] == "بغداد"
    assert all(p["name_en"] and p["name_ar"] and p["name_ckb"] for p in provinces.values())


async def test_organiser_creates_an_event_and_the_public_sees_it_once_published(client):
    organiser = await token_headers(client, "organiser")
    draft = await make_event(client, organiser, published=False, venue="Abu Nuwas", description="For peace")
    assert draft["published"] is False and draft["venue"] == "Abu Nuwas" and draft["races"] == []
    assert (await client.get("/api/v1/events")).json() == []
    assert (await client.get(f"/api/v1/events/{draft['id']}")).status_code == 404
    assert (await client.get(f"/api/v1/events/{draft['id']}", headers=organiser)).status_code == 200

    r = await client.patch(
        f"/api/v1/events/{draft['id']}", json={"published": True, "city": "Baghdad al-Jadida"}, headers=organiser
    )
    assert r.status_code == 200 and r.json()["published"] is True and r.json()["city"] == "Baghdad al-Jadida"
    listed = (await client.get("/api/v1/events")).json()
    assert [e["id"] for e in listed] == [draft["id"]]
    one = (await client.get(f"/api/v1/events/{draft['id']}")).json()
    assert one["races"] == [] and one["divisions"] == []


async def test_event_validation_names_every_bad_field(client):
    organiser = await token_headers(client, "organiser")
    r = await client.post(
        "/api/v1/events", json={"name": "", "province": "IQ-XX", "date": "31/31/2026"}, headers=organiser
    )
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"name", "province", "city", "date"} <= fields
    assert r.json()["detail"]
    assert await count("event") == 0


async def test_event_writes_need_an_organiser(client):
    volunteer = await token_headers(client, "volunteer")
    body = {"name": "X", "province": "IQ-BG", "city": "Baghdad", "date": "2026-12-01"}
    assert (await client.post("/api/v1/events", json=body)).status_code == 401
    assert (await client.post("/api/v1/events", json=body, headers=volunteer)).status_code == 403
    assert (
        await client.post("/api/v1/events", json=body, headers={"Authorization": "Bearer nonsense"})
    ).status_code == 401
    assert await count("event") == 0


async def test_race_defaults_and_counts(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, distance_m=21097.5, reserved_bibs=[5, 3, 3])
    assert race["distance_m"] == 21097.5
    assert race["reserved_bibs"] == [3, 5]
    assert race["ranking"] == "gun" and race["results_status"] == "provisional"
    assert race["age_groups"] == [[0, 17], [18, 29], [30, 39], [40, 49], [50, 59], [60, None]]
    assert race["age_group_labels"] == ["U18", "18-29", "30-39", "40-49", "50-59", "60+"]
    assert race["registration_closes_at"] == race["start_time"]  # the default: registration closes at the start
    assert race["start_time"].endswith("+03:00")  # shown in the race's own time zone
    assert race["registered"] == 0 and race["waitlisted"] == 0


async def test_race_validation(client):
    organiser = await token_headers(client, "organiser")
    event = await make_event(client, organiser)
    bad = race_body(
        bib_first=10,
        bib_last=5,
        capacity=-1,
        ranking="fastest",
        age_groups=[[18, 39], [30, 50]],
        start_time="2026-03-20T07:30:00",
        distance_m=0,
    )
    r = await client.post(f"/api/v1/events/{event['id']}/races", json=bad, headers=organiser)
    assert r.status_code == 422
    assert {"bib_last", "capacity", "ranking", "age_groups", "start_time", "distance_m"} <= {
        e["field"] for e in r.json()["errors"]
    }
    r = await client.post(
        f"/api/v1/events/{event['id']}/races",
        json=race_body(capacity=600, bib_first=1, bib_last=500),
        headers=organiser,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "capacity"
    r = await client.post(f"/api/v1/events/{event['id']}/races", json=race_body(reserved_bibs=[900]), headers=organiser)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reserved_bibs"
    r = await client.post(f"/api/v1/events/{event['id']}/races", json={"name": 5}, headers=organiser)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "name"
    assert await count("race") == 0


async def test_custom_age_groups_like_bostons(client):
    organiser = await token_headers(client, "organiser")
    groups = [[18, 39]] + [[a, a + 4] for a in range(40, 80, 5)] + [[80, None]]
    race = await make_race(client, organiser, age_groups=groups)
    assert race["age_groups"] == groups
    assert race["age_group_labels"][:3] == ["18-39", "40-44", "45-49"] and race["age_group_labels"][-1] == "80+"


async def test_ranges_of_one_event_may_not_overlap(client):
    organiser = await token_headers(client, "organiser")
    event = await make_event(client, organiser)
    await make_race(client, organiser, event["id"], name="10 km", name_ar="١٠ كم", bib_first=1, bib_last=999)
    r = await client.post(
        f"/api/v1/events/{event['id']}/races",
        json=race_body(name="5 km", bib_first=900, bib_last=1500, capacity=10),
        headers=organiser | {"Accept-Language": "en"},
    )
    assert r.status_code == 422 and "overlap the range of 10 km" in r.json()["errors"][0]["message"]
    r = await client.post(
        f"/api/v1/events/{event['id']}/races",
        json=race_body(name="5 km", bib_first=900, bib_last=1500, capacity=10),
        headers=organiser | {"Accept-Language": "ar"},
    )
    assert "١٠ كم" in r.json()["errors"][0]["message"]  # the race named in the reader's language
    other = await make_race(client, organiser, event["id"], name="5 km", bib_first=2001, bib_last=4999)
    r = await client.patch(f"/api/v1/races/{other['id']}", json={"bib_first": 999}, headers=organiser)
    assert r.status_code == 422
    # Another event may reuse the numbers.
    await make_race(client, organiser, bib_first=1, bib_last=999)


async def test_raising_capacity_promotes_the_waitlist_in_order(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=2)
    regs = [(await register(client, race["id"])).json() for _ in range(5)]
    assert [r["status"] for r in regs] == ["confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted"]
    assert [r.get("waitlist_position") for r in regs[2:]] == [1, 2, 3]
    r = await client.patch(f"/api/v1/races/{race['id']}", json={"capacity": 4}, headers=organiser)
    assert r.status_code == 200 and r.json()["registered"] == 4 and r.json()["waitlisted"] == 1
    own = [(await client.get(f"/api/v1/registrations/{x['code']}")).json() for x in regs]
    assert [o["status"] for o in own] == ["confirmed"] * 4 + ["waitlisted"]
    assert [o["bib"] for o in own[:4]] == [1, 2, 3, 4]


async def test_capacity_below_confirmed_and_stranded_bibs_are_conflicts(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=10, bib_first=1, bib_last=100)
    for _ in range(3):
        await register(client, race["id"])
    r = await client.patch(f"/api/v1/races/{race['id']}", json={"capacity": 2}, headers=organiser)
    assert r.status_code == 409
    r = await client.patch(f"/api/v1/races/{race['id']}", json={"bib_first": 3}, headers=organiser)
    assert r.status_code == 409 and "1" in r.json()["detail"]
    r = await client.patch(f"/api/v1/races/{race['id']}", json={"reserved_bibs": [2]}, headers=organiser)
    assert r.status_code == 409
    unchanged = (await client.get(f"/api/v1/races/{race['id']}")).json()
    assert (unchanged["capacity"], unchanged["bib_first"], unchanged["reserved_bibs"]) == (10, 1, [])


async def test_moving_the_range_allocates_from_the_new_bottom(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=10, bib_first=100, bib_last=200)
    r = await client.patch(
        f"/api/v1/races/{race['id']}", json={"bib_first": 50, "reserved_bibs": [50]}, headers=organiser
    )
    assert r.status_code == 200
    assert (await register(client, race["id"])).json()["bib"] == 51


async def test_unpublished_races_are_hidden_from_the_public(client):
    organiser = await token_headers(client, "organiser")
    event = await make_event(client, organiser, published=False)
    race = await make_race(client, organiser, event["id"])
    assert (await client.get(f"/api/v1/races/{race['id']}")).status_code == 404
    assert (await register(client, race["id"])).status_code == 404
    assert (await client.get(f"/api/v1/races/{race['id']}", headers=organiser)).status_code == 200


async def test_registration_closes_at_the_start_by_default(client):
    organiser = await token_headers(client, "organiser")
    past_start = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
    race = await make_race(
        client,
        organiser,
        start_time=past_start,
        registration_opens_at=(dt.datetime.now(dt.UTC) - dt.timedelta(days=3)).isoformat(),
    )
    assert race["registration_open"] is False
    r = await register(client, race["id"])
    assert r.status_code == 409 and r.json()["detail"]
    # Race-day walk-ins: the organiser moves the close later.
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=5)).isoformat()
    assert (
        await client.patch(f"/api/v1/races/{race['id']}", json={"registration_closes_at": later}, headers=organiser)
    ).status_code == 200
    assert (await register(client, race["id"])).status_code == 201
