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
    assert "3 rows read: 3 finished, 0 DNF" in view.select_one("#preview [role=status]").text
    assert await count("result") == 0  # a preview writes nothing
    commit = view.select_one("form.commit")
    fields = {i["name"]: i.get("value", "") for i in commit.select("input")}
    r = await client.post(commit["action"], data={**fields, "_csrf_token": token}, headers={"Accept-Language": "en"})
    assert r.status_code == 201 and "Imported 3 results: 3 finished" in soup(r).select_one("#imported").text
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
    page = soup(await client.get(f"/volunteer/races/{race['id']}/results", headers={"Accept-Language": "en"}))
    assert page.select("form[action*='/undo']") == []  # no undo in one tap
    [link] = page.select("a.undo")
    # The confirmation says what comes back; without JavaScript it is a page and a form.
    confirm = soup(await client.get(link["href"], headers={"Accept-Language": "en"}))
    assert "Undo the import of times.xlsx?" in confirm.select_one("h1").text
    assert confirm.select_one("dd.restored").text == "2 results: 2 finished, 0 DNF, 0 DNS, 0 DQ."
    form = confirm.select_one("form.confirm-undo")
    assert form["action"] == link["href"] and form.select_one("input[name=confirm]")["value"] == "yes"
    # A post that did not come through the confirmation asks first, and changes nothing.
    r = await client.post(form["action"], data={"_csrf_token": token}, headers={"Accept-Language": "en"})
    assert r.status_code == 200 and soup(r).select_one("form.confirm-undo")
    assert (await results(race["id"]))[1]["gun_time_ms"] == 3_000_000
    r = await client.post(form["action"], data={"_csrf_token": token, "confirm": "yes", "reason": "wrong file"})
    assert r.status_code == 303
    assert (await results(race["id"]))[1]["gun_time_ms"] == 2_400_000
    [undone] = await db.fetch("SELECT reason FROM result_correction WHERE source = 'undo'")
    assert undone["reason"] == "wrong file"
    again = await client.post(form["action"], data={"_csrf_token": token, "confirm": "yes"})
    assert (
        again.status_code == 409
        and soup(again).select_one(".error").text == "Only the race's last import can be undone."
    )
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
    r = await client.post(
        f"/organiser/races/{race['id']}/results/correct",
        data={"_csrf_token": token, "bib": "3", "status": "DNF", "reason": "stopped at 7 km"},
    )
    assert r.status_code == 303 and (await results(race["id"]))[3]["status"] == "DNF"


async def test_the_status_dropdown_speaks_the_visitors_language(client, race):
    await sign_in(client, "organiser", "org-status@example.test")
    page = soup(await client.get(f"/volunteer/races/{race['id']}/results", headers={"Accept-Language": "ar"}))
    options = {o["value"]: o.text for o in page.select("select#status option")}
    assert options == {"": "— دون تغيير —", "finished": "أنهى السباق", "DNF": "عدم إكمال السباق (DNF)",
                       "DNS": "عدم بدء السباق (DNS)", "DQ": "استبعاد (DQ)"}  # fmt: skip


async def test_a_partial_sheet_in_replace_mode_asks_first_and_offers_merge(client, race):
    token = await sign_in(client, "volunteer")
    partial = xlsx([["Bib", "Time"], [1, "0:40:00"], [2, "0:41:00"]])  # 2 of the race's 5 runners
    view = soup(await preview(client, race, token, partial))
    alert = view.select_one("#preview .absent[role=alert]")
    assert alert.select_one("strong").text.startswith("3 registered runners are not in this file")
    # The warnings for the absent runners are one folded entry, its count in the summary.
    [folded] = view.select("details.absent")
    assert folded.select_one("summary").text.startswith("3 registered runners are not in the file")
    assert not folded.has_attr("open") and folded.select_one("span").text == "3, 4, 5"
    assert len(view.select("ul.warnings > li")) == 1
    # Switching is a plain form: the same upload, merged.
    switch = alert.select_one("form.switch-mode")
    fields = {i["name"]: i["value"] for i in switch.select("input")}
    assert fields["mode"] == "merge" and fields["map_bib"] == "Bib"
    r = await client.post(switch["action"], data={**fields, "_csrf_token": token}, headers={"Accept-Language": "en"})
    assert r.status_code == 200
    merged = soup(r)
    assert merged.select_one("#preview .absent") is None and merged.select_one("details.absent") is None
    commit = merged.select_one("form.commit")
    assert commit.select_one("input[name=mode]")["value"] == "merge"
    assert merged.select_one("form.upload input[value=merge]").has_attr("checked")
    # Fewer than half absent: no question, still the one folded warning.
    most = xlsx([["Bib", "Time"], [1, "0:40:00"], [2, "0:41:00"], [3, "0:42:00"], [4, "0:43:00"]])
    view = soup(await preview(client, race, token, most))
    assert view.select_one("#preview .absent[role=alert]") is None
    assert view.select_one("details.absent summary").text.startswith("1 registered runner is not in the file")


async def test_a_long_warning_list_is_folded(client):
    big = await race_with_runners(client, await token_headers(client, "organiser"), 30)
    token = await sign_in(client, "volunteer")
    # Every time is a status beside a time: thirty warnings, folded.
    sheet = xlsx([["Bib", "Time", "Status"], *[[i, "0:40:00", "DNF"] for i in range(1, 31)]])
    view = soup(await preview(client, big, token, sheet))
    warnings = view.select_one("#preview > details.warnings")
    assert warnings.select_one("summary").text == "30 warnings" and not warnings.has_attr("open")
    short = soup(await preview(client, big, token, xlsx([["Bib", "Time"], *[[i, "0:40:00"] for i in range(1, 31)]])))
    assert short.select_one("#preview > details.warnings") is None


async def test_the_preview_shows_each_time_as_read_and_the_runners_name(client, race):
    token = await sign_in(client, "volunteer")
    sheet = xlsx([["Bib", "Time", "Chip"], [1, "42:10", "41:59.5"], [2, "DNF", ""], [3, "1:02:03", ""]])
    view = soup(await preview(client, race, token, sheet))
    assert [th.text for th in view.select("table.sheet thead th")][:3] == ["Row", "Runner", "Read as"]
    row = view.select_one("#sheet-row-2")
    assert row.select_one("td.runner").text == "Runner1 Test"
    assert row.select_one("td.read-as").get_text(" ") == "0:42:10 chip 0:41:59.5"  # minutes, not 42 hours
    assert view.select_one("#sheet-row-3 td.read-as").text == "Did not finish (DNF)"
    assert view.select_one("#sheet-row-4 td.read-as").text == "1:02:03"


async def test_volunteers_may_not_undo(client, race):
    token = await sign_in(client, "volunteer")
    assert (
        await client.post(f"/organiser/races/{race['id']}/results/imports/1/undo", data={"_csrf_token": token})
    ).status_code == 403
    assert (await client.get(f"/organiser/races/{race['id']}/results/imports/1/undo")).status_code == 403
    assert dt  # noqa: B018
