"""The campaign API on known data: every figure, the province leaderboard, the series standings with
identity across races and ties, the invitations and the privacy of what the public sees."""

from tests.campaigns.support import PAST_A, PAST_B
from tests.support import count
from tests.timing.support import csv_bytes, upload


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


async def test_standings_follow_a_new_import_of_one_race(client, organiser, campaign):
    """Each race's finishers are kept per results version: after a new import of the 10 km, its new places
    count and the half's stay as they were."""
    url = f"/api/v1/campaigns/{campaign['id']}/standings"
    assert (await client.get(url)).json()["items"][1]["points"] == 198
    ten = campaign["ten"]["id"]
    bibs = {i["name"]: i["bib"] for i in (await client.get(f"/api/v1/races/{ten}/results")).json()["items"]}
    sheet = csv_bytes([["Bib", "Time"], [bibs["Sara Kareem"], "0:39:00"], [bibs["Zainab Hamid"], "0:40:00"],
                       [bibs["احمد علي"], "0:35:00"]])  # fmt: skip
    r = await upload(client, organiser, ten, sheet, name="times.csv", mode="replace")
    assert r.status_code == 201, r.text
    table = [(i["rank"], i["name"], i["points"], i["races"]) for i in (await client.get(url)).json()["items"]]
    assert table == [(1, "احمد علي", 200, 2), (2, "Sara Kareem", 199, 2), (3, "Zainab Hamid", 100, 1),
                     (4, "Omar Saleh", 99, 1), (4, "Zainab Hamid", 99, 1)]  # fmt: skip


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
    # `targets` is required (API.md, and the schema says so); an empty list is a campaign without targets.
    r = await client.post("/api/v1/campaigns", json={"name": "No targets"}, headers={**organiser, "Accept-Language":
                          "ar"})  # fmt: skip
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [{"field": "targets", "message": "هذا الحقل مطلوب."}]
    assert (await client.post("/api/v1/campaigns", json={"name": "x", "targets": None}, headers=organiser)).json()[
        "errors"][0]["field"] == "targets"  # fmt: skip
    r = await client.post("/api/v1/campaigns", json={"name": "No targets", "targets": []}, headers=organiser)
    assert r.status_code == 201 and r.json()["targets"] == []
    assert await count("campaign") == 1
    assert (await client.get("/api/v1/campaigns/999999/standings")).status_code == 404
