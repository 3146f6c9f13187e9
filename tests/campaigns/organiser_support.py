"""A small campaign with results, through the API: runners registered, sheets imported."""

from tests.support import make_event, make_race, register
from tests.timing.support import csv_bytes, upload

JULY_1 = "1990-07-01"


async def runner(client, race_id: int, **fields) -> int:
    r = await register(client, race_id, **fields)
    assert r.status_code == 201, r.text
    return r.json()["bib"]


async def finish(client, organiser, race_id: int, times: dict[int, str]) -> dict:
    sheet = csv_bytes([["Bib", "Time"], *[[bib, t] for bib, t in times.items()]])
    r = await upload(client, organiser, race_id, sheet, name="times.csv")
    assert r.status_code == 201, r.text
    return r.json()


async def make_campaign(client, organiser, **body) -> dict:
    body = {"name": "Road to Baghdad", "targets": [], **body}
    r = await client.post("/api/v1/campaigns", json=body, headers=organiser)
    assert r.status_code == 201, r.text
    return r.json()


async def campaign_with_results(client, organiser) -> dict:
    """One event in the campaign, a half marathon: Ahmed and Omar (men), Zainab and Sara (women), finished
    in that order within their gender; Ahmed and Zainab from Baghdad, Omar from Basra, Sara from Nineveh."""
    c = await make_campaign(client, organiser)
    event = await make_event(client, organiser, campaign_id=c["id"], name="Baghdad Peace Run")
    half = await make_race(client, organiser, event["id"], name="Half", distance_m=21097.5)
    people = {
        "ahmed": {"given_name": "أحمد", "family_name": "علي", "gender": "male", "birth_date": JULY_1,
                  "phone": "+9647701000001", "province": "IQ-BG"},
        "omar": {"given_name": "Omar", "family_name": "Saleh", "gender": "male", "birth_date": JULY_1,
                 "phone": "+9647701000004", "province": "IQ-BA"},
        "zainab": {"given_name": "زينب", "family_name": "حميد", "gender": "female", "birth_date": "1992-07-01",
                   "phone": "+9647701000002", "province": "IQ-BG"},
        "sara": {"given_name": "Sara", "family_name": "Kareem", "gender": "female", "birth_date": "1993-02-01",
                 "phone": "+9647701000003", "email": "sara@example.test", "province": "IQ-NI"},
    }  # fmt: skip
    bibs = {name: await runner(client, half["id"], **fields) for name, fields in people.items()}
    times = {"ahmed": "1:10:00", "omar": "1:20:00", "zainab": "1:25:00", "sara": "1:30:00"}
    await finish(client, organiser, half["id"], {bibs[n]: t for n, t in times.items()})
    return {"id": c["id"], "event": event, "half": half, "people": people, "bibs": bibs}
