"""The `sportsrun` command as a user runs it, against the suite's database."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sportsrun.core.db import sql as db
from tests.support import count

SPORTSRUN = str(Path(sys.executable).parent / "sportsrun")


def run(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SPORTSRUN, *args], input=stdin, capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}
    )


def test_migrate_is_idempotent_on_a_new_database(tmp_path):
    env = {"SPORTSRUN_DATABASE_URL": f"sqlite:///{tmp_path}/fresh.db"}
    first = run("migrate", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("applied ") and "already complete" not in first.stdout, first.stdout
    second = run("migrate", env=env)
    assert second.returncode == 0 and "nothing to apply" in second.stdout and "applied" not in second.stdout


def test_migrate_on_the_suites_database_changes_nothing():
    assert run("migrate").returncode == 0


async def test_users_add_reads_the_password_from_stdin():
    r = run("users", "add", "Ops@Example.test", "--role", "organiser", "--password-stdin", stdin="a long password\n")
    assert r.returncode == 0, r.stderr
    [user] = await db.fetch("SELECT email, role, password_hash FROM account_user")
    assert (user["email"], user["role"]) == ("ops@example.test", "organiser")
    assert user["password_hash"].startswith("$argon2id$") and "a long password" not in user["password_hash"]
    again = run("users", "add", "ops@example.test", "--role", "admin", "--password-stdin", stdin="another password\n")
    assert again.returncode == 1 and "already exists" in again.stderr
    short = run("users", "add", "x@example.test", "--role", "admin", "--password-stdin", stdin="short\n")
    assert short.returncode == 1 and "password" in short.stderr
    assert await count("account_user") == 1


def test_bad_configuration_is_a_clear_error():
    r = run("migrate", env={"SPORTSRUN_DATABASE_URL": "mysql://nope"})
    assert r.returncode == 2 and "SPORTSRUN_DATABASE_URL" in r.stderr


@pytest.mark.slow
async def test_demo_loads_a_realistic_campaign_once(client):
    r = run("demo")
    assert r.returncode == 0, r.stderr
    assert "organiser@sportsrun.demo" in r.stdout and "volunteer@sportsrun.demo" in r.stdout
    provinces = await db.fetch("SELECT DISTINCT province FROM event")
    assert len(provinces) >= 5
    assert await count("registration") >= 1500
    assert await count("registration", "status = 'waitlisted'") > 0
    names = [r["given_name"] for r in await db.fetch("SELECT given_name FROM registration")]
    assert any("\u0600" <= c <= "\u06ff" for n in names for c in n)  # Arabic script
    assert any(c in "ێڵڕۆە" for n in names for c in n)  # letters only Kurdish uses
    assert any(n.isascii() for n in names)
    per_race = await db.fetch("SELECT race, COUNT(*) AS n FROM registration GROUP BY race")
    assert max(r["n"] for r in per_race) >= 300
    await demo_campaign_shows_progress_standings_and_invitations(client)
    await demo_races_already_run_have_results_and_corrections(client)
    await demo_names_are_in_three_languages()
    before = await count("registration")
    again = run("demo")
    assert again.returncode == 0 and await count("registration") == before


async def demo_names_are_in_three_languages():
    names = "name, name_ar, name_ckb, name_en"
    for table, columns in (("event", f"{names}, city_ar, city_ckb, city_en"), ("race", names), ("division", names)):
        rows = await db.fetch(f"SELECT {columns} FROM {table}")
        assert rows and all(all(row.values()) for row in rows), table
        assert all(row["name_ar"] != row["name_en"] and row["name_ckb"] != row["name_ar"] for row in rows), table


async def demo_campaign_shows_progress_standings_and_invitations(client):
    [campaign] = (await client.get("/api/v1/campaigns")).json()
    assert campaign["hashtag"] and len(campaign["targets"]) == 6
    base = f"/api/v1/campaigns/{campaign['id']}"
    values = {t["metric"]: t["value"] for t in (await client.get(f"{base}/progress")).json()["targets"]}
    assert values["finishers"] >= 1000 and values["provinces"] >= 4 and values["teams"] >= 10
    assert 0 < values["women_share"] < 1 and values["km"] > 1000
    held = [p for p in (await client.get(f"{base}/provinces")).json() if p["events"]]
    assert len(held) >= 4 and held[0]["finishers"] > 0  # the events already run
    standings = (await client.get(f"{base}/standings?limit=10")).json()
    assert standings["total"] >= 1000
    # The regulars ran several races under one phone and birth date: the series knows them as one person.
    assert all(row["races"] >= 2 for row in standings["items"])
    assert any(c in "ێڵڕۆە" for row in standings["items"] for c in row["name"])  # Kurdish names among them
    births = await db.fetch("SELECT birth_date FROM registration WHERE phone LIKE '+964750%'")
    assert sum(str(b["birth_date"]).endswith("-07-01") for b in births) >= len(births) // 3
    invited = (await client.get(f"{base}/invitations")).json()
    assert {i["reason"] for i in invited} == {"series", "province"}
    assert {i["gender"] for i in invited if i["reason"] == "series"} == {"female", "male"}
    assert all("phone" not in i for i in invited)  # the public list has names only
    assert await count("race", "in_series = {}", False) == 1  # the children's run
    assert await count("race", "results_status = 'official'") >= 3
    feed = await client.get(f"/campaigns/{campaign['id']}/feed.atom")
    assert feed.status_code == 200 and feed.text.count("<entry>") >= 9


async def demo_races_already_run_have_results_and_corrections(client):
    """A newcomer's results pages are not empty: every race of an event already run has its results, and the
    first one its correction log (a re-sent line of the finish sheet, a disqualification by hand)."""
    events = (await client.get("/api/v1/events")).json()
    past = [e for e in events if e["date"] < dt.date.today().isoformat()]
    assert len(past) >= 4
    races = [r for e in past for r in (await client.get(f"/api/v1/events/{e['id']}")).json()["races"]]
    for race in races:
        page = (await client.get(f"/api/v1/races/{race['id']}/results?limit=5")).json()
        assert page["total"] > 0 and page["items"][0]["place"] == 1, race["name"]
    first = min(races, key=lambda r: r["start_time"])
    corrections = (await client.get(f"/api/v1/races/{first['id']}/corrections")).json()
    assert {c["source"] for c in corrections} == {"import", "correction"}
    assert any(c["change"].endswith("→ DQ") and c["reason"] for c in corrections)
    page = await client.get(f"/races/{first['id']}/corrections", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "backup watch" in page.text


@pytest.fixture
async def fresh_postgres():
    """An empty PostgreSQL database of its own, beside the suite's, dropped afterwards."""
    import asyncpg

    url = os.environ.get("SPORTSRUN_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but SPORTSRUN_TEST_POSTGRES_URL is not set")
        pytest.skip("needs PostgreSQL: set SPORTSRUN_TEST_POSTGRES_URL (see README, Tests on PostgreSQL)")
    name = f"sportsrun_fresh_{os.getpid()}"
    admin = await asyncpg.connect(url)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name}")
        await admin.execute(f"CREATE DATABASE {name}")
        yield url.rsplit("/", 1)[0] + "/" + name
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        await admin.close()


async def test_two_hosts_migrating_at_once_apply_each_migration_once(fresh_postgres):
    import asyncpg

    env = {**os.environ, "SPORTSRUN_DATABASE_URL": fresh_postgres}
    both = [subprocess.Popen([SPORTSRUN, "migrate"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]  # fmt: skip
    outcomes = [(*p.communicate(timeout=120), p.returncode) for p in both]
    assert [code for _out, _err, code in outcomes] == [0, 0], outcomes
    said = sorted(out.split(" ")[0] for out, _err, _code in outcomes)
    assert said == ["applied", "the"], outcomes  # one applied them, the other found nothing to apply
    connection = await asyncpg.connect(fresh_postgres)
    try:
        names = [r["name"] for r in await connection.fetch("SELECT name FROM migration")]
    finally:
        await connection.close()
    on_disk = list((Path(__file__).parent.parent / "sportsrun" / "piccolo_migrations").glob("sportsrun_*.py"))
    assert len(names) == len(set(names)) == len(on_disk)
