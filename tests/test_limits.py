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


async def test_uploads_are_limited_as_configured_when_the_app_starts(client, settings_env):
    """Not as configured when the modules were first imported: the limit is read when the app is made."""
    import httpx

    from sportsrun.app import create_app

    race = await make_race(client, await token_headers(client, "organiser"))
    volunteer = await token_headers(client, "volunteer")
    settings_env(max_upload_mb=12)
    app = create_app()
    url = f"/api/v1/races/{race['id']}/results/imports"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local") as c:
        eleven = await c.post(url, headers=volunteer, files={"file": ("t.csv", b"\x00" * (11 << 20))})
        thirteen = await c.post(url, headers=volunteer, files={"file": ("t.csv", b"\x00" * (13 << 20))})
    assert eleven.status_code == 422 and "not a spreadsheet" in eleven.json()["detail"]
    assert thirteen.status_code == 413


async def test_head_is_get_without_the_body(client):
    for path in ("/", "/events", "/api/v1/provinces"):
        get, head = await client.get(path), await client.head(path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]
    assert (await client.head("/organiser")).status_code == 303  # a guard answers as it does to GET
