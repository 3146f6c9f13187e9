"""The campaign API on known data: every figure, the province leaderboard, the series standings with
identity across races and ties, the invitations and the privacy of what the public sees."""

import datetime as dt

import pytest

from tests.support import make_event, make_race, register, token_headers
from tests.timing.support import csv_bytes, upload

PAST_A = (dt.date.today() - dt.timedelta(days=60)).isoformat()
PAST_B = (dt.date.today() - dt.timedelta(days=30)).isoformat()
JULY_1 = "1990-07-01"


@pytest.fixture
async def organiser(client):
    return await token_headers(client, "organiser")


async def runner(client, race_id: int, **fields) -> int:
    r = await register(client, race_id, **fields)
    assert r.status_code == 201, r.text
    return r.json()["bib"]


async def finish(client, organiser, race_id: int, times: dict[int, str]) -> None:
    sheet = csv_bytes([["Bib", "Time"], *[[bib, t] for bib, t in times.items()]])
    r = await upload(client, organiser, race_id, sheet, name="times.csv")
    assert r.status_code == 201, r.text


@pytest.fixture
async def campaign(client, organiser):
    """Two events held (Baghdad, then Nineveh): a half marathon, a 10 km and a children's run out of the
    series. Ahmed runs both under two spellings with one phone; Sara both with one email and a new phone;
    two Zainabs share a name but not a birth date."""
    body = {"name": "Road to Baghdad", "hashtag": "#SportsAgainstViolence", "targets": [
        {"metric": "registrations", "target": 10}, {"metric": "finishers", "target": 5},
        {"metric": "provinces", "target": 2}, {"metric": "women_share", "target": 0.5},
        {"metric": "km", "target": 100}, {"metric": "teams", "target": 1}]}  # fmt: skip
    r = await client.post("/api/v1/campaigns", json=body, headers=organiser)
    assert r.status_code == 201, r.text
    c = r.json()
    a = await make_event(client, organiser, campaign_id=c["id"], name="Baghdad")
    b = await make_event(client, organiser, campaign_id=c["id"], name="Mosul", province="IQ-NI", city="Mosul")
    half = await make_race(client, organiser, a["id"], name="Half", distance_m=21097.5)
    ten = await make_race(client, organiser, b["id"], name="10 km", distance_m=10000)
    kids = await make_race(client, organiser, b["id"], name="Kids", distance_m=2000, in_series=False, bib_first=600,
                           bib_last=700)  # fmt: skip
    assert kids["in_series"] is False and ten["in_series"] is True
    ahmed = {"given_name": "أحمد", "family_name": "علي", "gender": "male", "birth_date": JULY_1,
             "phone": "+9647701000001", "province": "IQ-BG"}  # fmt: skip
    sara = {"given_name": "Sara", "family_name": "Kareem", "gender": "female", "birth_date": "1992-01-01",
            "phone": "+9647701000003", "email": "sara@example.test", "province": "IQ-BG"}  # fmt: skip
    h = {
        "ahmed": await runner(client, half["id"], **ahmed),
        "omar": await runner(
            client,
            half["id"],
            given_name="Omar",
            family_name="Saleh",
            gender="male",
            birth_date=JULY_1,
            phone="+9647701000004",
            province="IQ-BA",
        ),  # fmt: skip
        "zainab": await runner(
            client,
            half["id"],
            given_name="Zainab",
            family_name="Hamid",
            birth_date=JULY_1,
            phone="+9647701000002",
            province="IQ-BG",
        ),  # fmt: skip
        "sara": await runner(client, half["id"], **sara),
    }
    t = {
        "ahmed": await runner(client, ten["id"], **{**ahmed, "given_name": "احمد"}),
        "zainab": await runner(
            client,
            ten["id"],
            given_name="Zainab",
            family_name="Hamid",
            birth_date="1991-02-02",
            phone="+9647701000005",
            province="IQ-NI",
        ),  # fmt: skip
        "sara": await runner(client, ten["id"], **{**sara, "phone": "+9647701000006", "province": "IQ-NI"}),
    }
    k = await runner(client, kids["id"], given_name="Lina", birth_date="2014-05-05", phone="+9647701000007",
                     guardian_name="Mona", province="IQ-NI")  # fmt: skip
    await finish(client, organiser, half["id"], {h["ahmed"]: "1:10:00", h["omar"]: "1:20:00", h["zainab"]: "1:25:00",
                                                 h["sara"]: "1:30:00"})  # fmt: skip
    await finish(client, organiser, ten["id"], {t["ahmed"]: "0:35:00", t["zainab"]: "0:40:00", t["sara"]: "0:45:00"})
    await finish(client, organiser, kids["id"], {k: "0:10:00"})
    for event, day in ((a, PAST_A), (b, PAST_B)):
        r = await client.patch(f"/api/v1/events/{event['id']}", json={"date": day}, headers=organiser)
        assert r.status_code == 200, r.text
    return {"id": c["id"], "half": half, "ten": ten}


async def test_progress_counts_every_figure_from_the_data(client, campaign):
    r = await client.get(f"/api/v1/campaigns/{campaign['id']}/progress")
    assert r.status_code == 200, r.text
    values = {t["metric"]: (t["target"], t["value"]) for t in r.json()["targets"]}
    # 8 registered and finished; 5 women; 4 × 21.0975 + 3 × 10 + 1 × 2 = 116.39 km.
    assert values == {"registrations": (10, 8), "finishers": (5, 8), "provinces": (2, 2),
                      "women_share": (0.5, 0.625), "km": (100, 116.4), "teams": (1, 0)}  # fmt: skip
    assert r.json()["timeline"] == [
        {"date": PAST_A, "registrations": 4, "finishers": 4},
        {"date": PAST_B, "registrations": 8, "finishers": 8},
    ]
    again = await client.get(
        f"/api/v1/campaigns/{campaign['id']}/progress", headers={"If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304


async def test_the_province_leaderboard_lists_all_19(client, campaign):
    rows = (await client.get(f"/api/v1/campaigns/{campaign['id']}/provinces")).json()
    assert len(rows) == 19
    by = {row["province"]: row for row in rows}
    assert by["IQ-BG"] == {"province": "IQ-BG", "events": 1, "registrations": 4, "finishers": 4, "women_share": 0.5,
                           "km": 84.4, "teams": 0}  # fmt: skip
    assert by["IQ-NI"] == {"province": "IQ-NI", "events": 1, "registrations": 4, "finishers": 4, "women_share": 0.75,
                           "km": 32.0, "teams": 0}  # fmt: skip
    assert by["IQ-BA"]["finishers"] == 0 and by["IQ-BA"]["women_share"] is None
    assert [row["finishers"] for row in rows] == sorted((row["finishers"] for row in rows), reverse=True)


async def test_series_standings_match_people_across_races_and_share_ranks(client, campaign):
    r = await client.get(f"/api/v1/campaigns/{campaign['id']}/standings")
    assert r.status_code == 200, r.text
    table = [(i["rank"], i["name"], i["points"], i["races"]) for i in r.json()["items"]]
    # Ahmed's two spellings and Sara's two phones are one person each; the two Zainabs are two.
    assert table == [(1, "احمد علي", 200, 2), (2, "Sara Kareem", 198, 2), (3, "Zainab Hamid", 100, 1),
                     (3, "Zainab Hamid", 100, 1), (5, "Omar Saleh", 99, 1)]  # fmt: skip
    assert r.json()["total"] == 5
    sara = r.json()["items"][1]["results"]
    assert sara == [
        {"race_id": campaign["half"]["id"], "race": "Half", "place": 2, "points": 99, "counted": True},
        {"race_id": campaign["ten"]["id"], "race": "10 km", "place": 2, "points": 99, "counted": True},
    ]
    women = (await client.get(f"/api/v1/campaigns/{campaign['id']}/standings?gender=female")).json()
    assert [(i["rank"], i["points"]) for i in women["items"]] == [(1, 198), (2, 100), (2, 100)]
    found = (await client.get(f"/api/v1/campaigns/{campaign['id']}/standings", params={"q": "أحمد"})).json()
    assert [i["name"] for i in found["items"]] == ["احمد علي"]  # Arabic folding: أ = ا
    paged = (await client.get(f"/api/v1/campaigns/{campaign['id']}/standings?limit=2&offset=2")).json()
    assert paged["total"] == 5 and [i["rank"] for i in paged["items"]] == [3, 3]


async def test_invitations_say_why_and_contacts_stay_with_organisers(client, organiser, campaign):
    url = f"/api/v1/campaigns/{campaign['id']}/invitations"
    rule = {"top_women": 1, "top_men": 1, "best_per_province": True}
    assert (await client.post(url, json=rule)).status_code == 401
    made = await client.post(url, json=rule, headers=organiser)
    assert made.status_code == 200, made.text
    listed = [(i["name"], i["reason"], i["province"]) for i in made.json()]
    assert listed == [("Sara Kareem", "series", "IQ-NI"), ("احمد علي", "series", "IQ-BG"),
                      ("Omar Saleh", "province", "IQ-BA"), ("Zainab Hamid", "province", "IQ-BG"),
                      ("Zainab Hamid", "province", "IQ-NI")]  # fmt: skip
    assert made.json()[0]["phone"] == "+9647701000006" and made.json()[0]["email"] == "sara@example.test"
    public = (await client.get(url)).json()
    assert [i["name"] for i in public] == [i[0] for i in listed]
    assert all(set(i) == {"name", "gender", "province", "points", "reason"} for i in public)
    sheet = await client.get(url + ".xlsx", headers=organiser)
    assert sheet.status_code == 200 and sheet.headers["cache-control"] == "no-store"
    assert (await client.get(url + ".xlsx")).status_code == 401


async def test_no_public_campaign_answer_carries_personal_data(client, campaign):
    base = f"/api/v1/campaigns/{campaign['id']}"
    for path in ("", "/progress", "/provinces", "/standings", "/standings?gender=male", "/invitations"):
        text = (await client.get(base + path)).text
        assert "+96477" not in text and "@example.test" not in text and "1990-07-01" not in text, path


async def test_campaign_fields_are_checked(client, organiser):
    bad = {"name": "", "hashtag": "two words", "best_of": 0, "targets": [{"metric": "speed", "target": 1}]}
    r = await client.post("/api/v1/campaigns", json=bad, headers=organiser)
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"name", "hashtag", "best_of", "targets[0].metric"} <= fields
    assert (await client.post("/api/v1/campaigns", json={"name": "x", "targets": []})).status_code == 401
    assert (await client.get("/api/v1/campaigns/999999/standings")).status_code == 404
