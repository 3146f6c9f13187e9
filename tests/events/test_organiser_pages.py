"""Organisers create, edit and publish events and races from the pages."""

from sportsrun.core.db import sql as db
from tests.support import count, register, sign_in, soup


def event_id_of(redirect) -> int:
    """The event's id from the redirect after a save (`/organiser/events/7?saved=1`)."""
    return int(redirect.headers["location"].split("?")[0].rsplit("/", 1)[1])


async def test_create_an_event_and_a_race_then_publish(client):
    token = await sign_in(client, "organiser")
    form = soup(await client.get("/organiser/events/new")).select_one("main form")
    assert {e["name"] for e in form.select("[name]")} >= {"name", "province", "city", "venue", "date", "published"}
    bad = await client.post("/organiser/events/new", data={"_csrf_token": token, "name": "", "province": "IQ-XX"})
    assert bad.status_code == 422 and await count("event") == 0
    assert {"name", "province", "city", "date"} <= {
        d["id"].removeprefix("field-") for d in soup(bad).select(".field.invalid")
    }
    r = await client.post(
        "/organiser/events/new",
        data={"_csrf_token": token, "name": "Karbala 5K", "province": "IQ-KA", "city": "Karbala", "date": "2027-02-01"},
    )
    assert r.status_code == 303
    event_id = event_id_of(r)
    assert (await client.get(f"/events/{event_id}")).status_code == 404  # a draft until published

    race_form = soup(await client.get(f"/organiser/events/{event_id}/races/new"))
    assert race_form.select_one("#start_time")["value"] == "2027-02-01T07:30"
    r = await client.post(
        f"/organiser/events/{event_id}/races/new",
        data={
            "_csrf_token": token,
            "name": "5 km",
            "distance_km": "5",
            "start_time": "2027-02-01T07:30",
            "capacity": "150",
            "bib_first": "1",
            "bib_last": "299",
            "reserved_bibs": "1, 2",
            "age_groups": "U18, 18-39, 40+",
            "ranking": "chip",
            "results_status": "provisional",
            "registration_opens_at": "2026-01-01T00:00",
        },
    )
    assert r.status_code == 303, r.text
    [race] = await db.fetch("SELECT id, distance_m, start_time, reserved_bibs, age_groups, ranking FROM race")
    assert race["distance_m"] == 5000 and race["ranking"] == "chip"
    assert race["start_time"].isoformat() == "2027-02-01T04:30:00+00:00"  # 07:30 in Iraq
    assert "[[0, 17], [18, 39], [40, null]]" in str(race["age_groups"]).replace("None", "null")

    r = await client.post(
        f"/organiser/events/{event_id}",
        data={
            "_csrf_token": token,
            "name": "Karbala 5K",
            "province": "IQ-KA",
            "city": "Karbala",
            "date": "2027-02-01",
            "published": "on",
        },
    )
    assert r.status_code == 303
    assert (await client.get(f"/events/{event_id}")).status_code == 200
    dashboard = soup(await client.get("/organiser"))
    assert dashboard.select_one(f"#event-{event_id} a[href='/organiser/races/{race['id']}/registrations']")


async def test_race_form_errors_and_conflicts_are_shown(client):
    token = await sign_in(client, "organiser")
    r = await client.post(
        "/organiser/events/new",
        data={
            "_csrf_token": token,
            "name": "E",
            "province": "IQ-BG",
            "city": "Baghdad",
            "date": "2027-02-01",
            "published": "on",
        },
    )
    event_id = event_id_of(r)
    r = await client.post(
        f"/organiser/events/{event_id}/races/new",
        data={
            "_csrf_token": token,
            "name": "10 km",
            "distance_km": "ten",
            "start_time": "",
            "capacity": "5",
            "bib_first": "10",
            "bib_last": "1",
            "age_groups": "teenagers",
        },
    )
    assert r.status_code == 422
    invalid = {d["id"].removeprefix("field-") for d in soup(r).select(".field.invalid")}
    assert "age_groups" in invalid
    r = await client.post(
        f"/organiser/events/{event_id}/races/new",
        data={
            "_csrf_token": token,
            "name": "10 km",
            "distance_km": "ten",
            "start_time": "",
            "capacity": "5",
            "bib_first": "10",
            "bib_last": "1",
        },
    )
    invalid = {d["id"].removeprefix("field-") for d in soup(r).select(".field.invalid")}
    assert {"distance_km", "start_time", "bib_last"} <= invalid
    assert await count("race") == 0


async def test_saves_say_saved_and_errors_are_summarised_with_links(client):
    token = await sign_in(client, "organiser")
    en = {"Accept-Language": "en"}
    form = soup(await client.get("/organiser/events/new", headers=en))
    first = form.select("select#province option")[0]
    assert first["value"] == "" and first.text == "Choose the province"
    assert form.select_one("label[for=province] .required") and form.select_one(".saved") is None
    bad = await client.post("/organiser/events/new", data={"_csrf_token": token, "name": "Run"}, headers=en)
    summary = soup(bad).select_one("main form .error-summary[role=alert][tabindex='-1']")
    links = {a["href"]: a.text for a in summary.select("li a")}
    assert links["#province"] == "Province: This field is required."
    assert {"#province", "#city", "#date"} <= set(links) and "#name" not in links
    data = {"_csrf_token": token, "name": "Najaf 10K", "province": "IQ-NA", "city": "Najaf", "date": "2027-02-01"}
    r = await client.post("/organiser/events/new", data=data)
    event_id = event_id_of(r)
    assert r.headers["location"] == f"/organiser/events/{event_id}?saved=1"
    saved = soup(await client.get(r.headers["location"], headers=en)).select_one("main .saved[role=status]")
    assert saved.text == "Saved."
    assert soup(await client.get(f"/organiser/events/{event_id}")).select_one(".saved") is None  # only after a save
    r = await client.post(f"/organiser/events/{event_id}", data={**data, "city": "Kufa"})
    assert r.headers["location"] == f"/organiser/events/{event_id}?saved=1"

    race = {"_csrf_token": token, "name": "10 km", "distance_km": "10", "start_time": "2027-02-01T07:30",
            "capacity": "100", "bib_first": "1", "bib_last": "299"}  # fmt: skip
    bad = await client.post(f"/organiser/events/{event_id}/races/new", data={**race, "distance_km": "far"}, headers=en)
    [item] = soup(bad).select(".error-summary li")
    assert item.select_one("a")["href"] == "#distance_km"  # the API's distance_m, named as the form names it
    assert item.text.startswith("Distance in km (21.0975 for a half marathon): ")
    r = await client.post(f"/organiser/events/{event_id}/races/new", data=race)
    assert r.headers["location"] == f"/organiser/events/{event_id}?saved=1"
    [row] = await db.fetch("SELECT id FROM race")
    r = await client.post(f"/organiser/races/{row['id']}", data={**race, "capacity": "120"})
    assert r.headers["location"] == f"/organiser/events/{event_id}?saved=1"
    # A clash with what exists is a summary without field links.
    await client.post(f"/organiser/events/{event_id}", data={**data, "published": "on"})
    assert (await register(client, row["id"])).json()["bib"] == 1
    bad = await client.post(f"/organiser/races/{row['id']}", data={**race, "reserved_bibs": "1"}, headers=en)
    summary = soup(bad).select_one(".error-summary")
    assert bad.status_code == 409 and summary.select_one("ul") is None
    assert "Bib 1 is held by a runner" in summary.select_one(".error-summary-title").text
