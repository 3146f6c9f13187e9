"""Organisers run a campaign from the pages: the campaign's form, events joining it, races taken out of the
series, and the invitation list made from a rule, shown with contacts and exported as .xlsx."""

import io

import openpyxl
import pytest

from sportsrun.core.db import sql as db
from sportsrun.core.spreadsheets.workbooks import XLSX
from tests.campaigns.organiser_support import campaign_with_results, make_campaign
from tests.support import count, make_event, make_race, sign_in, soup, token_headers

AR = {"Accept-Language": "ar"}
EN = {"Accept-Language": "en"}


@pytest.fixture
async def organiser(client):
    return await token_headers(client, "organiser")


def invalid_fields(response) -> set[str]:
    return {d["id"].removeprefix("field-") for d in soup(response).select(".field.invalid")}


def error_beside(response, field: str) -> str:
    return soup(response).select_one(f"#field-{field} .error").text.strip()


async def api_campaign(client, organiser, campaign_id: int) -> dict:
    r = await client.get(f"/api/v1/campaigns/{campaign_id}", headers=organiser)
    assert r.status_code == 200, r.text
    return r.json()


async def test_create_and_edit_a_campaign_with_errors_beside_their_fields(client, organiser):
    token = await sign_in(client, "organiser")
    dashboard = soup(await client.get("/organiser"))
    assert dashboard.select_one("a[href='/organiser/campaigns']")
    listing = soup(await client.get("/organiser/campaigns"))
    assert listing.select_one("a[href='/organiser/campaigns/new']")
    form = soup(await client.get("/organiser/campaigns/new")).select_one("main form")
    names = {e["name"] for e in form.select("[name]")}
    assert {"name", "description", "hashtag", "best_of", "points_table", "target_registrations",
            "target_women_share", "target_teams", "_csrf_token"} <= names  # fmt: skip

    bad = {"_csrf_token": token, "name": "", "hashtag": "two words", "best_of": "0", "points_table": "25, x",
           "target_provinces": "-3", "target_women_share": "150", "target_km": "far"}  # fmt: skip
    r = await client.post("/organiser/campaigns/new", data=bad, headers=AR)
    assert r.status_code == 422 and await count("campaign") == 0
    assert invalid_fields(r) == {"name", "hashtag", "best_of", "points_table", "target_provinces",
                                 "target_women_share", "target_km"}  # fmt: skip
    assert error_beside(r, "name") == "هذا الحقل مطلوب."  # in the visitor's language
    assert soup(r).select_one("#target_km")["value"] == "far"  # what was typed stays
    summary = [a["href"] for a in soup(r).select(".error-summary a")]
    assert "#target_provinces" in summary and "#name" in summary
    r = await client.post("/organiser/campaigns/new", data=bad, headers=EN)
    assert error_beside(r, "target_women_share") == "Enter a percentage above 0 and at most 100."

    good = {"_csrf_token": token, "name": "Road to Baghdad 2027", "description": "Every province.",
            "hashtag": "#SportsAgainstViolence", "best_of": "2", "points_table": "25، 18, 15",
            "target_registrations": "١٠٬٠٠٠", "target_provinces": "19", "target_women_share": "40",
            "target_km": "12,500.5", "target_finishers": "", "target_teams": ""}  # fmt: skip
    r = await client.post("/organiser/campaigns/new", data=good)
    assert r.status_code == 303, r.text
    campaign_id = int(r.headers["location"].split("?")[0].rsplit("/", 1)[1])
    assert r.headers["location"] == f"/organiser/campaigns/{campaign_id}?done=saved"
    c = await api_campaign(client, organiser, campaign_id)
    assert (c["name"], c["hashtag"], c["best_of"], c["points_table"]) == (
        "Road to Baghdad 2027", "SportsAgainstViolence", 2, [25, 18, 15])  # fmt: skip
    assert c["targets"] == [{"metric": "registrations", "target": 10000}, {"metric": "provinces", "target": 19},
                            {"metric": "women_share", "target": 0.4}, {"metric": "km", "target": 12500.5}]  # fmt: skip
    page = soup(await client.get(f"/organiser/campaigns/{campaign_id}", headers=EN))
    saved = soup(await client.get(f"/organiser/campaigns/{campaign_id}?done=saved", headers=EN))
    assert saved.select_one(".success").text.strip() == "Saved."
    assert page.select_one("#target-women_share").text.split()[-1] == "40"
    assert page.select_one(f"a[href='/campaigns/{campaign_id}/feed.atom']")
    assert page.select_one(f"a[href='/campaigns/{campaign_id}']")

    edit = soup(await client.get(f"/organiser/campaigns/{campaign_id}/edit"))
    shown = {e["name"]: e.get("value") for e in edit.select("main form input[name]")}
    assert (shown["points_table"], shown["target_women_share"], shown["target_registrations"],
            shown["target_teams"]) == ("25, 18, 15", "40", "10000", "")  # fmt: skip
    r = await client.post(f"/organiser/campaigns/{campaign_id}/edit",
                          data={**good, "best_of": "many", "target_provinces": ""})  # fmt: skip
    assert r.status_code == 422 and invalid_fields(r) == {"best_of"}
    assert (await api_campaign(client, organiser, campaign_id))["best_of"] == 2  # nothing written
    r = await client.post(f"/organiser/campaigns/{campaign_id}/edit",
                          data={**good, "points_table": "", "target_provinces": "", "target_teams": "3"})  # fmt: skip
    assert r.status_code == 303
    c = await api_campaign(client, organiser, campaign_id)
    assert c["points_table"] is None
    assert [t["metric"] for t in c["targets"]] == ["registrations", "women_share", "km", "teams"]
    listing = soup(await client.get("/organiser/campaigns"))
    assert listing.select_one(f"#campaign-{campaign_id} a")["href"] == f"/organiser/campaigns/{campaign_id}"


async def test_forms_without_a_csrf_token_are_refused(client, organiser):
    await sign_in(client, "organiser")
    r = await client.post("/organiser/campaigns/new", data={"name": "Forged"})
    assert r.status_code == 403 and await count("campaign") == 0
    c = await make_campaign(client, organiser)
    r = await client.post(f"/organiser/campaigns/{c['id']}/edit", data={"name": "Forged"})
    assert r.status_code == 403
    assert (await api_campaign(client, organiser, c["id"]))["name"] == "Road to Baghdad"
    r = await client.post(f"/organiser/campaigns/{c['id']}/invitations", data={"top_women": "3"})
    assert r.status_code == 403 and await count("invitation") == 0


async def test_anonymous_visitors_and_volunteers_are_refused(client, organiser):
    c = await make_campaign(client, organiser)
    urls = ["/organiser/campaigns", "/organiser/campaigns/new", f"/organiser/campaigns/{c['id']}",
            f"/organiser/campaigns/{c['id']}/edit", f"/organiser/campaigns/{c['id']}/invitations.xlsx"]  # fmt: skip
    for url in urls:
        r = await client.get(url)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), url
    token = await sign_in(client, "volunteer")
    for url in urls:
        assert (await client.get(url)).status_code == 403, url
    r = await client.post(f"/organiser/campaigns/{c['id']}/invitations",
                          data={"_csrf_token": token, "top_women": "1", "top_men": "1"})  # fmt: skip
    assert r.status_code == 403 and await count("invitation") == 0
    r = await client.post("/organiser/campaigns/new", data={"_csrf_token": token, "name": "Mine"})
    assert r.status_code == 403 and await count("campaign") == 1
    assert (await client.get("/organiser/campaigns/999999")).status_code == 403  # the role first, then the id


async def test_events_join_from_their_form_and_races_leave_the_series_by_a_checkbox(client, organiser):
    token = await sign_in(client, "organiser")
    c = await make_campaign(client, organiser, name="Road to Baghdad")
    new_event = soup(await client.get(f"/organiser/events/new?campaign_id={c['id']}"))
    options = {o["value"]: o.text for o in new_event.select("#campaign_id option")}
    assert options[str(c["id"])] == "Road to Baghdad" and "" in options
    assert new_event.select_one("#campaign_id option[selected]")["value"] == str(c["id"])
    r = await client.post("/organiser/events/new", data={
        "_csrf_token": token, "name": "Karbala 5K", "province": "IQ-KA", "city": "Karbala", "date": "2027-02-01",
        "campaign_id": str(c["id"]), "published": "on"})  # fmt: skip
    assert r.status_code == 303, r.text
    [event] = await db.fetch("SELECT id, campaign FROM event")
    assert event["campaign"] == c["id"]
    assert soup(await client.get(f"/organiser/events/{event['id']}")).select_one(
        "#campaign_id option[selected]")["value"] == str(c["id"])  # fmt: skip

    new_race = soup(await client.get(f"/organiser/events/{event['id']}/races/new"))
    assert new_race.select_one("#in_series").has_attr("checked")  # a new race counts unless taken out
    race = {
        "_csrf_token": token,
        "name": "Children's 2 km",
        "distance_km": "2",
        "start_time": "2027-02-01T07:30",
        "capacity": "100",
        "bib_first": "1",
        "bib_last": "199",
        "ranking": "gun",
        "results_status": "provisional",
    }
    r = await client.post(f"/organiser/events/{event['id']}/races/new", data=race)  # unticked: sends nothing
    assert r.status_code == 303, r.text
    [row] = await db.fetch("SELECT id, in_series FROM race")
    assert not row["in_series"]
    page = soup(await client.get(f"/organiser/campaigns/{c['id']}", headers=EN))
    assert "out of the series" in page.select_one(f"#race-{row['id']}").text
    assert not soup(await client.get(f"/organiser/races/{row['id']}")).select_one("#in_series").has_attr("checked")

    r = await client.post(f"/organiser/races/{row['id']}", data={**race, "in_series": "on"})
    assert r.status_code == 303
    assert (await db.fetch("SELECT in_series FROM race"))[0]["in_series"]
    assert soup(await client.get(f"/organiser/races/{row['id']}")).select_one("#in_series").has_attr("checked")
    # The JSON API keeps its meaning: a field left out is left as it is.
    r = await client.patch(f"/api/v1/races/{row['id']}", json={"capacity": 90}, headers=organiser)
    assert r.status_code == 200 and r.json()["in_series"] is True
    r = await client.post(f"/organiser/races/{row['id']}", data=race)  # unticked again
    assert r.status_code == 303 and not (await db.fetch("SELECT in_series FROM race"))[0]["in_series"]

    r = await client.post(f"/organiser/events/{event['id']}", data={
        "_csrf_token": token, "name": "Karbala 5K", "province": "IQ-KA", "city": "Karbala", "date": "2027-02-01",
        "campaign_id": "", "published": "on"})  # fmt: skip
    assert r.status_code == 303
    assert (await db.fetch("SELECT campaign FROM event"))[0]["campaign"] is None
    r = await client.post(f"/organiser/events/{event['id']}", data={
        "_csrf_token": token, "name": "Karbala 5K", "province": "IQ-KA", "city": "Karbala", "date": "2027-02-01",
        "campaign_id": "999999"})  # fmt: skip
    assert r.status_code == 422 and invalid_fields(r) == {"campaign_id"}


async def test_invitations_are_made_from_the_page_listed_with_contacts_and_exported(client, organiser):
    c = await campaign_with_results(client, organiser)
    token = await sign_in(client, "organiser")
    page = soup(await client.get(f"/organiser/campaigns/{c['id']}", headers=EN))
    assert "No invitation list yet." in page.select_one("#invitations").text
    assert not page.select_one(f"a[href='/organiser/campaigns/{c['id']}/invitations.xlsx']")

    r = await client.post(f"/organiser/campaigns/{c['id']}/invitations",
                          data={"_csrf_token": token, "top_women": "-1", "top_men": "x"}, headers=AR)  # fmt: skip
    assert r.status_code == 422 and invalid_fields(r) == {"top_women", "top_men"}
    assert error_beside(r, "top_men") == "أدخل عددًا صحيحًا."
    assert await count("invitation") == 0

    r = await client.post(
        f"/organiser/campaigns/{c['id']}/invitations",
        data={"_csrf_token": token, "top_women": "1", "top_men": "1", "best_per_province": "on"},
    )
    assert r.status_code == 303
    assert r.headers["location"] == f"/organiser/campaigns/{c['id']}?done=invitations#invitations"
    page = await client.get(r.headers["location"].split("#")[0], headers=EN)
    assert page.headers["cache-control"] == "no-store"
    section = soup(page).select_one("#invitations")
    assert section.select_one(".success").text.strip() == "The invitation list is made."
    rows = [[td.text.strip() for td in tr.select("td")] for tr in section.select("table.invitations tbody tr")]
    listed = {(r[1], r[5], r[6], r[7]) for r in rows}
    assert listed == {
        ("أحمد علي", "Top of the series", "+9647701000001", ""),
        ("زينب حميد", "Top of the series", "+9647701000002", ""),
        ("Omar Saleh", "Best of their province", "+9647701000004", ""),
        ("Sara Kareem", "Best of their province", "+9647701000003", "sara@example.test"),
    }
    export = section.select_one(f"a[href='/organiser/campaigns/{c['id']}/invitations.xlsx']")
    assert export is not None

    r = await client.get(export["href"])
    assert r.status_code == 200 and r.headers["content-type"].startswith(XLSX)
    assert r.headers["cache-control"] == "no-store" and "attachment" in r.headers["content-disposition"]
    sheet = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    header = sheet[0]
    got = {row[header.index("name")]: (row[header.index("phone")], row[header.index("email")],
                                       row[header.index("reason")]) for row in sheet[1:]}  # fmt: skip
    assert got == {"أحمد علي": ("+9647701000001", None, "series"), "زينب حميد": ("+9647701000002", None, "series"),
                   "Omar Saleh": ("+9647701000004", None, "province"),
                   "Sara Kareem": ("+9647701000003", "sara@example.test", "province")}  # fmt: skip
    # The API's export wants a bearer token: the page's session alone does not open it.
    assert (await client.get(f"/api/v1/campaigns/{c['id']}/invitations.xlsx")).status_code == 401

    # Made again with another rule, the list is replaced (a snapshot of that moment).
    r = await client.post(f"/organiser/campaigns/{c['id']}/invitations",
                          data={"_csrf_token": token, "top_women": "2", "top_men": "0"})  # fmt: skip
    assert r.status_code == 303
    section = soup(await client.get(f"/organiser/campaigns/{c['id']}", headers=EN)).select_one("#invitations")
    names = [tr.select("td")[1].text.strip() for tr in section.select("table.invitations tbody tr")]
    assert names == ["زينب حميد", "Sara Kareem"]
    assert (await client.get("/organiser/campaigns/999999/invitations.xlsx")).status_code == 404


async def test_the_campaign_page_lists_its_events_with_drafts_and_its_progress(client, organiser):
    await sign_in(client, "organiser")
    c = await make_campaign(client, organiser, targets=[{"metric": "registrations", "target": 100}])
    shown = await make_event(client, organiser, campaign_id=c["id"], name="Basra 10K", province="IQ-BA")
    draft = await make_event(client, organiser, campaign_id=c["id"], name="Hidden draft", published=False)
    await make_race(client, organiser, shown["id"])
    page = soup(await client.get(f"/organiser/campaigns/{c['id']}", headers=EN))
    events = page.select_one("#events")
    assert events.select_one(f"a[href='/organiser/events/{shown['id']}']")
    assert "Draft" in events.select_one(f"a[href='/organiser/events/{draft['id']}']").parent.text
    assert page.select_one("#target-registrations").select("td")[1].text.strip() == "0"
    assert page.select_one(f"a[href='/organiser/events/new?campaign_id={c['id']}']")
