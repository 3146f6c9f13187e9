"""Limits and the shapes of errors every client sees."""

from tests.support import make_race, row_counts, runner, token_headers


async def test_a_json_body_over_the_limit_is_413_and_writes_nothing(client):
    race = await make_race(client, await token_headers(client, "organiser"))
    before = await row_counts()
    r = await client.post(f"/api/v1/races/{race['id']}/registrations", json=runner(club="x" * 70_000))
    assert r.status_code == 413 and r.json()["detail"]
    assert await row_counts() == before


async def test_paths_that_name_nothing_are_404(client):
    for path in (
        "/api/v1/events/99999999999999999999",
        "/api/v1/races/abc",
        "/api/v1/races/0",
        "/api/v1/registrations/" + "x" * 100,
        "/events/99999999999999999999",
    ):
        r = await client.get(path)
        assert r.status_code == 404, path


async def test_an_event_with_a_huge_campaign_id_is_refused_cleanly(client):
    organiser = await token_headers(client, "organiser")
    r = await client.post(
        "/api/v1/events",
        headers=organiser,
        json={"name": "X", "province": "IQ-BG", "city": "Baghdad", "date": "2027-01-01", "campaign_id": 10**30},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "campaign_id"


async def test_wrong_method_is_405_in_the_api_shape(client):
    r = await client.put("/api/v1/events")
    assert r.status_code == 405 and r.json()["detail"]


async def test_openapi_documents_the_contract(client):
    schema = (await client.get("/schema/openapi.json")).json()
    for path in (
        "/api/v1/races/{race_id}/registrations",
        "/api/v1/auth/token",
        "/api/v1/users",
        "/api/v1/provinces",
        "/api/v1/races/{race_id}/bibs/{bib}/check-in",
    ):
        assert path in schema["paths"], path
