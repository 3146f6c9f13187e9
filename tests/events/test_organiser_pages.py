"""Organisers create, edit and publish events and races from the pages."""

from sportsrun.core.db import sql as db
from tests.support import count, sign_in, soup


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
    event_id = int(r.headers["location"].rsplit("/", 1)[1])
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
    event_id = int(r.headers["location"].rsplit("/", 1)[1])
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
