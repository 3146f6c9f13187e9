"""`sportsrun copy-to URL` as an operator moving to PostgreSQL runs it: the suite's database (SQLite, or
PostgreSQL in the PostgreSQL pass) filled through the app, copied into a new PostgreSQL database, and a
real `sportsrun serve` on the copy answers as the original did: the same registrations, counts and
results, the same sign-in, the answer kept for a retried registration, ids that go on after the copied
ones, and a results import that replaces a copied race's results."""

import httpx
import pytest

from tests.server import running_server
from tests.support import make_race, register, runner, sign_in, token_headers
from tests.test_backup import new_database, run  # noqa: F401 - new_database is a fixture
from tests.timing.support import csv_bytes, upload

pytestmark = pytest.mark.server
ORGANISER = {"email": "organiser@example.test", "password": "a long enough password"}


async def snapshot(http, race_id: int, auth: dict) -> dict:
    """What the API says of the race, as the organiser and as the public."""
    paths = {
        "race": f"/api/v1/races/{race_id}",
        "registrations": f"/api/v1/races/{race_id}/registrations",
        "results": f"/api/v1/races/{race_id}/results",
        "corrections": f"/api/v1/races/{race_id}/corrections",
    }
    seen = {}
    for name, path in paths.items():
        r = await http.get(path, headers=auth) if isinstance(http, httpx.AsyncClient) else http.get(path, headers=auth)
        assert r.status_code == 200, (path, r.text)
        seen[name] = r.json()
    return seen


async def test_a_copy_into_postgresql_serves_as_the_original(client, new_database):  # noqa: F811
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=3)
    registrations = f"/api/v1/races/{race['id']}/registrations"
    for name in ("Zainab", "زينب", "ئاراس"):
        assert (await register(client, race["id"], given_name=name)).status_code == 201
    keyed = runner(given_name="Omar")
    first = await client.post(registrations, json=keyed, headers={"Idempotency-Key": "k1"})
    assert first.status_code == 201 and first.json()["status"] == "waitlisted", first.text
    await sign_in(client, "volunteer")  # a page session
    sheet = csv_bytes([["Bib", "Time"], [1, "0:41:07.3"], [2, "0:44:00"], [3, "DNF"]])
    imported = await upload(client, await token_headers(client, "volunteer"), race["id"], sheet, name="times.csv")
    assert imported.status_code == 201, imported.text
    before = await snapshot(client, race["id"], organiser)

    target = await new_database("postgresql")
    copied = run("copy-to", target)
    assert copied.returncode == 0, copied.stderr
    assert copied.stdout.startswith("copied ") and "SPORTSRUN_SECRET_KEY" in copied.stdout

    with running_server(workers=1, SPORTSRUN_DATABASE_URL=target) as server, httpx.Client(base_url=server.base) as http:
        signed_in = http.post("/api/v1/auth/token", json=ORGANISER)
        assert signed_in.status_code == 200, signed_in.text
        auth = {"Authorization": f"Bearer {signed_in.json()['token']}"}
        after = await snapshot(http, race["id"], auth)
        assert after == before
        assert after["race"]["registered"] == 3 and after["race"]["waitlisted"] == 1  # counted once
        # The answer kept for the retry is sealed with the secret key: the same answer comes back.
        again = http.post(registrations, json=keyed, headers={"Idempotency-Key": "k1"})
        assert (again.status_code, again.json()) == (201, first.json())
        assert http.get(f"/api/v1/registrations/{first.json()['code']}").json()["id"] == first.json()["id"]
        new = http.post(registrations, json=runner(given_name="Layla"))
        assert new.status_code == 201 and new.json()["id"] == max(r["id"] for r in before["registrations"]) + 1
        replaced = http.post(f"/api/v1/races/{race['id']}/results/imports", headers=auth,
                             files={"file": ("times.csv", csv_bytes([["Bib", "Time"], [2, "0:40:00"]]))})  # fmt: skip
        assert replaced.status_code == 201, replaced.text
        assert [(i["bib"], i["time"]) for i in http.get(f"/api/v1/races/{race['id']}/results").json()["items"]] == [
            (2, "0:40:00")
        ]

    refused = run("copy-to", target)
    assert refused.returncode == 1 and "new, empty database" in refused.stderr


def test_copy_to_wants_a_postgresql_address():
    refused = run("copy-to", "sqlite:///elsewhere.db")
    assert refused.returncode == 2 and "postgresql://" in refused.stderr
