"""Campaign data made through the HTTP API, as organisers and runners make it: shared by the API and
page tests."""

import datetime as dt

from tests.support import make_event, make_race, register
from tests.timing.support import csv_bytes, upload

PAST_A = (dt.date.today() - dt.timedelta(days=60)).isoformat()
PAST_B = (dt.date.today() - dt.timedelta(days=30)).isoformat()
JULY_1 = "1990-07-01"


async def runner(client, race_id: int, **fields) -> int:
    r = await register(client, race_id, **fields)
    assert r.status_code == 201, r.text
    return r.json()["bib"]


async def finish(client, organiser, race_id: int, times: dict[int, str]) -> None:
    sheet = csv_bytes([["Bib", "Time"], *[[bib, t] for bib, t in times.items()]])
    r = await upload(client, organiser, race_id, sheet, name="times.csv")
    assert r.status_code == 201, r.text


async def make_campaign(client, organiser) -> dict:
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
