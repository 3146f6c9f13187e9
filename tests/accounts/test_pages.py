"""Signing in on the pages, sessions, role guards, user management."""

import pytest

from tests.support import HTMX, count, csrf_token, make_race, make_user, sign_in, soup, token_headers


async def test_sign_in_starts_a_fresh_session(client):
    await make_user("organiser", "org@example.test")
    page = await client.get("/login")
    assert page.headers["cache-control"] == "no-store"
    form = soup(page).select_one("main form")
    assert {i["name"] for i in form.select("input")} >= {"email", "password", "_csrf_token", "next"}
    token = csrf_token(page)
    client.cookies.set("session", "planted-by-an-attacker", domain="testserver.local", path="/")
    bad = await client.post(
        "/login",
        data={"_csrf_token": token, "email": "org@example.test", "password": "nope"},
        headers={"Accept-Language": "en"},
    )
    assert bad.status_code == 401 and "wrong" in soup(bad).select_one(".error").text
    good = await client.post(
        "/login",
        data={
            "_csrf_token": token,
            "email": "org@example.test",
            "password": "a long enough password",
            "next": "/events",
        },
    )
    assert good.status_code == 303 and good.headers["location"] == "/events"
    cookie = good.headers["set-cookie"]
    assert "session=" in cookie and "planted-by-an-attacker" not in cookie
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    dashboard = await client.get("/organiser")
    assert dashboard.status_code == 200 and dashboard.headers["cache-control"] == "no-store"


async def test_sign_out_ends_the_session(client):
    token = await sign_in(client, "organiser")
    assert (await client.post("/logout", data={"_csrf_token": token})).status_code == 303
    r = await client.get("/organiser")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/organiser"


async def replayed(client, cookie: str, path: str = "/organiser/races/1/registrations"):
    """The page opened with a copy of a session cookie taken earlier, as someone who kept it would."""
    client.cookies.delete("session")
    client.cookies.set("session", cookie, domain="testserver.local", path="/")
    return await client.get(path)


async def test_a_copied_session_cookie_opens_nothing_after_sign_out(client):
    organiser = await token_headers(client, "admin")
    race = await make_race(client, organiser)
    token = await sign_in(client, "organiser", "kept@example.test")
    path = f"/organiser/races/{race['id']}/registrations"
    kept = client.cookies["session"]
    assert (await replayed(client, kept, path)).status_code == 200
    assert (await client.post("/logout", data={"_csrf_token": token})).status_code == 303
    again = await replayed(client, kept, path)
    assert again.status_code == 303 and again.headers["location"].startswith("/login")


@pytest.mark.parametrize("change", [{"password": "a brand new password"}, {"active": False}])
async def test_a_new_password_or_a_deactivation_ends_every_earlier_session(client, change):
    admin = await token_headers(client, "admin")
    race = await make_race(client, admin)
    await sign_in(client, "organiser", "changed@example.test")
    path = f"/organiser/races/{race['id']}/registrations"
    kept = client.cookies["session"]
    assert (await replayed(client, kept, path)).status_code == 200
    user_id = next(u["id"] for u in (await client.get("/api/v1/users", headers=admin)).json()
                   if u["email"] == "changed@example.test")  # fmt: skip
    assert (await client.patch(f"/api/v1/users/{user_id}", headers=admin, json=change)).status_code == 200
    again = await replayed(client, kept, path)
    assert again.status_code == 303 and again.headers["location"].startswith("/login")


async def test_pages_need_a_signed_in_user_with_the_right_role(client):
    r = await client.get("/organiser/races/1/registrations?q=x")
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/organiser/races/1/registrations")
    r = await client.get("/organiser", headers=HTMX)
    assert r.headers["hx-redirect"] == "/login?next=/organiser"
    await sign_in(client, "volunteer")
    assert (await client.get("/volunteer")).status_code == 200
    for path in ("/organiser", "/organiser/users", "/organiser/races/1/registrations.xlsx"):
        assert (await client.get(path)).status_code == 403, path


async def test_a_deactivated_user_is_signed_out_at_once(client):
    await sign_in(client, "organiser", "gone@example.test")
    from sportsrun.core.db import sql as db

    await db.fetch("UPDATE account_user SET active = {} WHERE email = {}", False, "gone@example.test")
    assert (await client.get("/organiser")).status_code == 303


async def test_admin_manages_users_on_the_page(client):
    token = await sign_in(client, "admin", "boss@example.test")
    page = soup(await client.get("/organiser/users", headers={"Accept-Language": "en"}))
    assert [td.text for td in page.select("table.data tbody td[dir=ltr]")] == ["boss@example.test"]
    r = await client.post(
        "/organiser/users",
        data={"_csrf_token": token, "email": "new@example.test", "role": "volunteer", "password": "short"},
    )
    assert r.status_code == 422 and soup(r).select_one("#field-password .error")
    r = await client.post(
        "/organiser/users",
        data={"_csrf_token": token, "email": "new@example.test", "role": "volunteer", "password": "long enough pw"},
    )
    assert r.status_code == 303
    from sportsrun.core.db import sql as db

    [new] = await db.fetch("SELECT id, role, active FROM account_user WHERE email = 'new@example.test'")
    r = await client.post(
        f"/organiser/users/{new['id']}", data={"_csrf_token": token, "role": "organiser", "active_present": "1"}
    )
    assert r.status_code == 303
    [changed] = await db.fetch("SELECT role, active FROM account_user WHERE id = {}", new["id"])
    assert changed["role"] == "organiser" and not changed["active"]
    # An administrator cannot demote or deactivate themselves from the page.
    [me] = await db.fetch("SELECT id FROM account_user WHERE email = 'boss@example.test'")
    await client.post(
        f"/organiser/users/{me['id']}", data={"_csrf_token": token, "role": "volunteer", "active_present": "1"}
    )
    assert (await db.fetch("SELECT role, active FROM account_user WHERE id = {}", me["id"]))[0]["role"] == "admin"
    assert await count("account_user") == 2


@pytest.mark.parametrize("role", ["organiser", "volunteer"])
async def test_only_admins_open_user_management(client, role):
    await sign_in(client, role)
    assert (await client.get("/organiser/users")).status_code == 403


async def test_sessions_end_after_idle_and_absolute_timeouts(client, monkeypatch):
    import time as real_time

    from sportsrun.accounts import sessions

    await sign_in(client, "organiser")
    assert (await client.get("/organiser")).status_code == 200
    now = real_time.time()
    monkeypatch.setattr(sessions.time, "time", lambda: now + sessions.IDLE_TIMEOUT_S + 60)
    r = await client.get("/organiser")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


async def test_cookies_are_secure_in_production(settings_env):
    import httpx

    from sportsrun.app import create_app

    settings_env(secure_cookies="true")
    app = create_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local") as c:
        page = await c.get("/login")
        assert "secure" in page.headers["set-cookie"].lower()  # the CSRF cookie
        await make_user("organiser", "prod@example.test")
        r = await c.post(
            "/login",
            data={"_csrf_token": csrf_token(page), "email": "prod@example.test", "password": "a long enough password"},
        )
        assert r.status_code == 303 and "secure" in r.headers["set-cookie"].lower()


async def test_user_forms_say_saved_and_show_problems_where_they_belong(client):
    token = await sign_in(client, "admin", "boss@example.test")
    en = {"Accept-Language": "en"}
    page = soup(await client.get("/organiser/users", headers=en))
    role = page.select("select#role option")
    assert role[0]["value"] == "" and role[0].text == "Choose a role" and not page.select("select#role [selected]")
    assert page.select_one("label[for=role] .required") and page.select_one(".saved") is None
    r = await client.post("/organiser/users", data={"_csrf_token": token, "email": "x@example.test"}, headers=en)
    links = {a["href"]: a.text for a in soup(r).select("form.narrow .error-summary li a")}
    assert links == {"#role": "Role: This field is required.", "#password": "Password (at least 8 characters): "
                     "Use a password of at least 8 characters."}  # fmt: skip
    r = await client.post(
        "/organiser/users",
        data={"_csrf_token": token, "email": "new@example.test", "role": "volunteer", "password": "long enough pw"},
    )
    assert r.status_code == 303 and r.headers["location"] == "/organiser/users?saved=1"
    saved = soup(await client.get(r.headers["location"], headers=en)).select_one("main .saved[role=status]")
    assert saved.text == "Saved."
    from sportsrun.core.db import sql as db

    [new] = await db.fetch("SELECT id FROM account_user WHERE email = 'new@example.test'")
    # A refused change to one user points at that user's row, not at the form that adds users.
    r = await client.post(f"/organiser/users/{new['id']}", data={"_csrf_token": token, "password": "short"}, headers=en)
    page = soup(r)
    [link] = page.select(".error-summary li a")
    assert r.status_code == 422 and link["href"] == f"#password-{new['id']}" and link.text.startswith("New password: ")
    assert page.select_one(f"#password-{new['id']}")["aria-invalid"] == "true"
    assert page.select_one("form.narrow .error-summary") is None and page.select_one("form.narrow .error") is None
    r = await client.post(f"/organiser/users/{new['id']}", data={"_csrf_token": token, "password": "a new long one"})
    assert r.headers["location"] == "/organiser/users?saved=1"
