"""Results follow a registration fixed after they were imported: a runner's new spelling of their name, an
organiser's corrected gender (which moves places within gender)."""

from sportsrun.core.db import sql
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


async def test_a_fixed_name_changes_only_that_row_and_the_search_finds_it(client):
    """A name changes no place: that row and the name index change under a new version, the other rows are
    not stored again (their `updated_at` stays), and the stored index serves the search."""
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser)
    runners = [(await register(client, race["id"], given_name=g, family_name="Kadhim")).json()
               for g in ("Zaynab", "Sara", "Huda")]  # fmt: skip
    sheet = csv_bytes([["Bib", "Time"], *[[r["bib"], f"0:4{i}:00"] for i, r in enumerate(runners)]])
    assert (await upload(client, organiser, race["id"], sheet, name="times.csv")).status_code == 201
    stamps = await sql.fetch(
        "SELECT registration, updated_at, place FROM result WHERE race = {} ORDER BY registration", race["id"]
    )

    fixed = await client.patch(f"/api/v1/registrations/{runners[0]['code']}", json={"given_name": "Zainab"})
    assert fixed.status_code == 200, fixed.text

    assert (
        await sql.fetch(
            "SELECT registration, updated_at, place FROM result WHERE race = {} ORDER BY registration", race["id"]
        )
        == stamps
    )
    [stored] = await sql.fetch("SELECT results_version FROM result_name_index WHERE race = {}", race["id"])
    race_now = await sql.fetch_one("SELECT results_version FROM race WHERE id = {}", race["id"])
    assert stored["results_version"] == race_now["results_version"]  # patched, not left for a rebuild
    url = f"/api/v1/races/{race['id']}/results"
    found = (await client.get(url, params={"q": "zainab"})).json()["items"]
    assert [(i["bib"], i["name"], i["place"]) for i in found] == [(runners[0]["bib"], "Zainab Kadhim", 1)]
    assert (await client.get(url, params={"q": "zaynab"})).json()["items"] == []
    assert (await client.get(url, params={"q": "huda"})).json()["items"][0]["place"] == 3
