"""Results follow a registration fixed after they were imported: a runner's new spelling of their name, an
organiser's corrected gender (which moves places within gender)."""

from tests.support import make_race, register, token_headers
from tests.timing.support import csv_bytes, upload


async def test_results_follow_a_fixed_name_and_a_corrected_gender(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser)
    a = (await register(client, race["id"], given_name="Zaynab", family_name="Hamid")).json()
    b = (await register(client, race["id"], given_name="Sara", family_name="Ali")).json()
    sheet = csv_bytes([["Bib", "Time"], [a["bib"], "0:40:00"], [b["bib"], "0:41:00"]])
    assert (await upload(client, organiser, race["id"], sheet, name="times.csv")).status_code == 201
    url = f"/api/v1/races/{race['id']}/results"
    before = {i["bib"]: i for i in (await client.get(url)).json()["items"]}
    assert before[b["bib"]]["gender_place"] == 2

    fixed = await client.patch(f"/api/v1/registrations/{a['code']}", json={"given_name": "Zainab"})
    assert fixed.status_code == 200, fixed.text
    corrected = await client.patch(f"/api/v1/registrations/{b['id']}", json={"gender": "male"}, headers=organiser)
    assert corrected.status_code == 200, corrected.text

    after = {i["bib"]: i for i in (await client.get(url)).json()["items"]}
    assert after[a["bib"]]["name"] == "Zainab Hamid"
    assert (after[b["bib"]]["gender"], after[b["bib"]]["gender_place"]) == ("male", 1)
    page = await client.get(f"/races/{race['id']}/results", headers={"Accept-Language": "en"})
    assert "Zainab Hamid" in page.text and "Zaynab" not in page.text
