"""The series counts twins registered under one group contact as two people, race after race (PRODUCT.md:
"people registered under one group contact are told apart by their folded given name too")."""

from tests.campaigns.support import PAST_A, PAST_B, finish
from tests.support import make_event, make_race

PHONE = "+9647701239876"  # the mother's, the group's contact


def twin(given: str) -> dict:
    return {"given_name": given, "family_name": "Kadhim", "gender": "female", "birth_date": "2010-05-02",
            "province": "IQ-BG", "guardian_name": "Maryam Kadhim", "guardian_allows_full_name": True,
            "consent": True}  # fmt: skip


async def group_bibs(client, race_id: int, *given: str) -> list[int]:
    body = {"phone": PHONE, "people": [twin(g) for g in given]}
    r = await client.post(f"/api/v1/races/{race_id}/registrations/groups", json=body)
    assert r.status_code == 201, r.text
    return [x["bib"] for x in r.json()["registrations"]]


async def two_series_races(client, organiser) -> tuple[int, list[tuple[dict, dict]]]:
    """A campaign and two of its events with a 5 km race each: (campaign id, [(event, race), …])."""
    r = await client.post("/api/v1/campaigns", json={"name": "Road to Baghdad", "targets": []}, headers=organiser)
    assert r.status_code == 201, r.text
    campaign = r.json()["id"]
    races = []
    for name in ("Baghdad", "Basra"):
        event = await make_event(client, organiser, campaign_id=campaign, name=name)
        races.append((event, await make_race(client, organiser, event["id"], name="5 km", distance_m=5000)))
    return campaign, races


async def standings_once_held(client, organiser, campaign: int, races) -> tuple[list[tuple], int]:
    """The events dated in the past (so that they count), then the series table: (name, points, races,
    places) per person, and the total."""
    for (event, _), day in zip(races, (PAST_A, PAST_B), strict=True):
        r = await client.patch(f"/api/v1/events/{event['id']}", json={"date": day}, headers=organiser)
        assert r.status_code == 200, r.text
    r = await client.get(f"/api/v1/campaigns/{campaign}/standings")
    assert r.status_code == 200, r.text
    table = [(i["name"], i["points"], i["races"], [x["place"] for x in i["results"]]) for i in r.json()["items"]]
    return sorted(table), r.json()["total"]


async def test_twins_of_one_group_are_two_people_in_the_series(client, organiser):
    campaign, (first, second) = await two_series_races(client, organiser)
    zainab, zaina = await group_bibs(client, first[1]["id"], "Zainab", "Zaina")
    await finish(client, organiser, first[1]["id"], {zainab: "0:25:00", zaina: "0:26:00"})
    # The next race: listed the other way round, the names typed in other cases (the newer shown).
    zaina, zainab = await group_bibs(client, second[1]["id"], "ZAINA", "zainab")
    await finish(client, organiser, second[1]["id"], {zaina: "0:24:00", zainab: "0:27:00"})
    # Each twin is one person over both races, and they are two: 100 + 99 points each, places swapped.
    assert await standings_once_held(client, organiser, campaign, (first, second)) == (
        [("ZAINA Kadhim", 199, 2, [2, 1]), ("zainab Kadhim", 199, 2, [1, 2])], 2)  # fmt: skip


async def test_a_runner_alone_then_in_a_family_group_is_one_person_in_the_series(client, organiser):
    campaign, (first, second) = await two_series_races(client, organiser)
    # Alone with her mother's phone, then in the family's group with her twin sister.
    r = await client.post(f"/api/v1/races/{first[1]['id']}/registrations", json={**twin("Zainab"), "phone": PHONE})
    assert r.status_code == 201, r.text
    await finish(client, organiser, first[1]["id"], {r.json()["bib"]: "0:25:00"})
    zaina, zainab = await group_bibs(client, second[1]["id"], "Zaina", "Zainab")
    await finish(client, organiser, second[1]["id"], {zaina: "0:24:00", zainab: "0:27:00"})
    assert await standings_once_held(client, organiser, campaign, (first, second)) == (
        [("Zaina Kadhim", 100, 1, [1]), ("Zainab Kadhim", 199, 2, [1, 2])], 2)  # fmt: skip
