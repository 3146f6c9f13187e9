"""Limits and the shapes of errors every client sees."""

import pytest

from tests.server import running_server
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


async def test_crafted_bodies_are_invalid_input_not_server_errors(client):
    race = await make_race(client, await token_headers(client, "organiser"))
    url = f"/api/v1/races/{race['id']}/registrations"
    for depth in (500, 1000, 5000):
        nested = '{"given_name": ' + "[" * depth + "]" * depth + "}"
        r = await client.post(url, content=nested.encode(), headers={"content-type": "application/json"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] in ("body", "given_name"), (depth, r.text)
    volunteer = await token_headers(client, "volunteer")
    imports = f"/api/v1/races/{race['id']}/results/imports"
    for sent in ({"files": {"sheet": ("t.xlsx", b"x")}, "data": {"mode": "merge"}}, {"data": {"mode": "merge"}}):
        r = await client.post(imports, headers={**volunteer, "Accept-Language": "en"}, **sent)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file", r.text
        assert "JSON" not in r.json()["errors"][0]["message"]


@pytest.mark.server
def test_an_address_too_long_to_read_is_refused_in_the_api_shape():
    import json
    import socket

    with running_server(workers=1) as server, socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        s.sendall(f"GET /api/v1/races/1/results?q={'x' * 240_000} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _sep, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b"content-type: application/json" in head.lower()
    assert json.loads(body)["detail"]
