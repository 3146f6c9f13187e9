import pytest

from sportsrun.core.db import sql as db
from tests.support import count, make_user, token_headers


async def test_token_for_the_right_password_only(client):
    await make_user("organiser", "org@example.test")
    r = await client.post(
        "/api/v1/auth/token", json={"email": "ORG@example.test", "password": "a long enough password"}
    )
    assert r.status_code == 200 and r.json()["role"] == "organiser" and len(r.json()["token"]) > 30
    stored = await db.fetch("SELECT token_hash FROM api_token")
    assert stored and r.json()["token"] not in stored[0]["token_hash"]  # only a digest is kept
    for wrong in (
        {"email": "org@example.test", "password": "wrong password"},
        {"email": "nobody@example.test", "password": "a long enough password"},
    ):
        bad = await client.post("/api/v1/auth/token", json=wrong)
        assert bad.status_code == 401 and bad.json()["detail"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [({}, {"email", "password"}), ({"email": "org@example.test"}, {"password"}), ({"password": "x" * 9}, {"email"}),
     ({"email": "org@example.test", "password": ""}, {"password"})],
)  # fmt: skip
async def test_a_token_request_without_its_fields_is_invalid_input(client, body, fields):
    bad = await client.post("/api/v1/auth/token", json=body)
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == fields


async def test_passwords_are_hashed_with_argon2id(client):
    await make_user("admin")
    [row] = await db.fetch("SELECT password_hash FROM account_user")
    assert row["password_hash"].startswith("$argon2id$")


async def test_failed_logins_are_rate_limited_per_address(client, settings_env):
    settings_env(login_rate_limit=3)
    await make_user("admin", "admin@example.test")
    for _ in range(3):
        r = await client.post("/api/v1/auth/token", json={"email": "admin@example.test", "password": "nope nope"})
        assert r.status_code == 401
    r = await client.post(
        "/api/v1/auth/token", json={"email": "admin@example.test", "password": "a long enough password"}
    )
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0


async def test_admin_manages_users(client):
    admin = await token_headers(client, "admin")
    r = await client.post(
        "/api/v1/users",
        json={"email": "v@example.test", "role": "volunteer", "password": "volunteer pass"},
        headers=admin,
    )
    assert r.status_code == 201 and r.json()["role"] == "volunteer" and "password" not in r.text
    user_id = r.json()["id"]
    assert (
        await client.post(
            "/api/v1/users",
            json={"email": "v@example.test", "role": "volunteer", "password": "volunteer pass"},
            headers=admin,
        )
    ).status_code == 409
    r = await client.post(
        "/api/v1/users", json={"email": "x@example.test", "role": "boss", "password": "short"}, headers=admin
    )
    assert r.status_code == 422 and {"role", "password"} <= {e["field"] for e in r.json()["errors"]}
    listed = (await client.get("/api/v1/users", headers=admin)).json()
    assert {u["email"] for u in listed} == {"admin@example.test", "v@example.test"}
    assert all("password_hash" not in u for u in listed)

    login = await client.post("/api/v1/auth/token", json={"email": "v@example.test", "password": "volunteer pass"})
    volunteer = {"Authorization": f"Bearer {login.json()['token']}"}
    assert (await client.get("/api/v1/users", headers=volunteer)).status_code == 403

    r = await client.patch(f"/api/v1/users/{user_id}", json={"role": "organiser"}, headers=admin)
    assert r.status_code == 200 and r.json()["role"] == "organiser"
    assert (await client.get("/api/v1/races/1/registrations", headers=volunteer)).status_code == 404  # now an organiser

    r = await client.patch(f"/api/v1/users/{user_id}", json={"active": False}, headers=admin)
    assert r.status_code == 200 and r.json()["active"] is False
    assert (await client.get("/api/v1/races/1/registrations", headers=volunteer)).status_code == 401
    assert (
        await client.post("/api/v1/auth/token", json={"email": "v@example.test", "password": "volunteer pass"})
    ).status_code == 401
    assert (await client.patch("/api/v1/users/9999", json={"active": True}, headers=admin)).status_code == 404


async def test_a_new_password_ends_old_tokens(client):
    admin = await token_headers(client, "admin")
    user = await make_user("volunteer", "v2@example.test")
    login = await client.post(
        "/api/v1/auth/token", json={"email": "v2@example.test", "password": "a long enough password"}
    )
    old = {"Authorization": f"Bearer {login.json()['token']}"}
    await client.patch(f"/api/v1/users/{user['id']}", json={"password": "a brand new password"}, headers=admin)
    assert (await client.get("/api/v1/races/1/bibs/1", headers=old)).status_code == 401
    r = await client.patch(f"/api/v1/users/{user['id']}", json={"password": "short"}, headers=admin)
    assert r.status_code == 422


@pytest.mark.parametrize("role", ["volunteer", "organiser"])
async def test_only_admins_manage_users(client, role):
    headers = await token_headers(client, role)
    r = await client.post(
        "/api/v1/users", json={"email": "z@example.test", "role": "admin", "password": "zzzzzzzzzz"}, headers=headers
    )
    assert r.status_code == 403
    assert await count("account_user") == 1


async def test_revoking_a_token(client):
    for sent in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}):
        assert (await client.post("/api/v1/auth/token/revoke", headers=sent)).status_code == 401, sent
    headers = await token_headers(client, "volunteer")
    assert (await client.post("/api/v1/auth/token/revoke", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/races/1/bibs/1", headers=headers)).status_code == 401
