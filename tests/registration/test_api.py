import datetime as dt

import pytest

from tests.support import count, make_race, register, row_counts, runner, token_headers


@pytest.fixture
async def organiser(client):
    return await token_headers(client, "organiser")


@pytest.fixture
async def race(client, organiser):
    return await make_race(
        client, organiser, capacity=3, bib_first=101, bib_last=200, reserved_bibs=[101, 103], min_age=16
    )


async def test_confirmed_runners_get_the_lowest_free_bibs_skipping_reserved(client, race):
    bibs = [(await register(client, race["id"])).json()["bib"] for _ in range(3)]
    assert bibs == [102, 104, 105]
    r = await register(client, race["id"])
    assert r.status_code == 201 and r.json()["status"] == "waitlisted" and r.json()["bib"] is None
    assert r.json()["waitlist_position"] == 1


async def test_response_and_own_view(client, race):
    r = await register(
        client,
        race["id"],
        given_name="زينب",
        family_name="حامد",
        phone="٠٧٧٠١٢٣٤٥٦٧",
        email="Zainab@Example.com",
        club="Basra Runners",
        emergency_contact="Ali 07701111111",
    )
    assert r.status_code == 201
    body = r.json()
    assert set(body) >= {"id", "status", "bib", "code"} and len(body["code"]) >= 16
    own = (await client.get(f"/api/v1/registrations/{body['code']}")).json()
    assert own["given_name"] == "زينب" and own["family_name"] == "حامد"  # stored exactly as typed
    assert own["phone"] == "+9647701234567"  # E.164 from Arabic-Indic digits
    assert own["email"] == "zainab@example.com"
    assert own["province"] == "IQ-BA" and own["country"] == "IQ"
    assert own["race"]["id"] == race["id"]
    assert (await client.get("/api/v1/registrations/not-a-real-code")).status_code == 404


async def test_cancelling_frees_the_bib_and_promotes_the_first_waitlisted(client, race):
    regs = [(await register(client, race["id"])).json() for _ in range(5)]
    assert [r["status"] for r in regs] == ["confirmed"] * 3 + ["waitlisted"] * 2
    r = await client.delete(f"/api/v1/registrations/{regs[1]['code']}")
    assert r.status_code == 204
    promoted = (await client.get(f"/api/v1/registrations/{regs[3]['code']}")).json()
    assert promoted["status"] == "confirmed" and promoted["bib"] == regs[1]["bib"]
    still = (await client.get(f"/api/v1/registrations/{regs[4]['code']}")).json()
    assert still["status"] == "waitlisted" and still["waitlist_position"] == 1
    cancelled = (await client.get(f"/api/v1/registrations/{regs[1]['code']}")).json()
    assert cancelled["status"] == "cancelled" and cancelled["bib"] is None
    assert (await client.delete(f"/api/v1/registrations/{regs[1]['code']}")).status_code == 409
    race_now = (await client.get(f"/api/v1/races/{race['id']}")).json()
    assert (race_now["registered"], race_now["waitlisted"]) == (3, 1)


async def test_cancelling_a_waitlisted_runner_promotes_nobody(client, race):
    regs = [(await register(client, race["id"])).json() for _ in range(5)]
    assert (await client.delete(f"/api/v1/registrations/{regs[3]['code']}")).status_code == 204
    last = (await client.get(f"/api/v1/registrations/{regs[4]['code']}")).json()
    assert last["status"] == "waitlisted" and last["waitlist_position"] == 1


async def test_a_freed_bib_is_given_again_before_higher_ones(client, organiser):
    race = await make_race(client, organiser, capacity=10, bib_first=1, bib_last=50)
    regs = [(await register(client, race["id"])).json() for _ in range(4)]
    await client.delete(f"/api/v1/registrations/{regs[1]['code']}")
    assert (await register(client, race["id"])).json()["bib"] == 2
    assert (await register(client, race["id"])).json()["bib"] == 5


@pytest.mark.parametrize(
    "twin",
    [
        {"given_name": "زينب", "family_name": "حامد"},  # same name, other contact
        {"given_name": "Other", "phone": "+9647709999999"},  # same phone
        {"given_name": "Other", "phone": None, "email": "z@example.com"},  # same email
    ],
)
async def test_the_same_person_twice_in_a_race_is_a_conflict(client, race, twin):
    first = {"given_name": "زينب", "family_name": "حامد", "phone": "+9647709999999", "email": "z@example.com"}
    assert (await register(client, race["id"], **first)).status_code == 201
    other = {**first, "phone": "+9647708888888", "email": None, "family_name": "Other", **twin}
    if "family_name" in twin:
        other["family_name"] = twin["family_name"]
    before = await row_counts()
    r = await register(client, race["id"], **other)
    assert r.status_code == 409 and "already registered" in r.json()["detail"]
    assert await row_counts() == before


async def test_arabic_spelling_variants_count_as_the_same_name(client, race):
    assert (
        await register(client, race["id"], given_name="أحمد", family_name="الزهراء", phone="+9647701111111")
    ).status_code == 201
    r = await register(client, race["id"], given_name="احمد", family_name="الزهراء", phone="+9647702222222")
    assert r.status_code == 409


async def test_a_mother_may_register_her_daughter_with_her_own_phone(client, race):
    mother = await register(client, race["id"], given_name="Huda", birth_date="1975-01-01", phone="+9647703333333")
    daughter = await register(client, race["id"], given_name="Noor", birth_date="2000-06-01", phone="+9647703333333")
    assert mother.status_code == 201 and daughter.status_code == 201


async def test_a_cancelled_runner_may_register_again(client, race):
    first = (await register(client, race["id"], phone="+9647704444444")).json()
    await client.delete(f"/api/v1/registrations/{first['code']}")
    assert (await register(client, race["id"], phone="+9647704444444")).status_code == 201


async def test_one_person_across_races_by_birth_date_and_contact(client, organiser):
    a = await make_race(client, organiser)
    b = await make_race(client, organiser)
    await register(client, a["id"], given_name="Ali", family_name="Kareem", phone="+9647705555555")
    # Typed differently in the second race, same phone and birth date: the same person.
    await register(client, b["id"], given_name="علي", family_name="كريم", phone="07705555555")
    # Same name and birth date, other contact: a different person (never matched by name alone).
    await register(
        client, b["id"], given_name="Ali", family_name="Kareem2", phone="+9647706666666", email="ali@example.com"
    )
    assert await count("person") == 2


@pytest.mark.parametrize(
    "change,field",
    [
        ({"consent": False}, "consent"),
        ({"consent": None}, "consent"),
        ({"given_name": ""}, "given_name"),
        ({"family_name": "x" * 101}, "family_name"),
        ({"gender": "other"}, "gender"),
        ({"birth_date": "2030-01-01"}, "birth_date"),
        ({"birth_date": "1880-01-01"}, "birth_date"),
        ({"birth_date": "yesterday"}, "birth_date"),
        ({"province": "IQ-XX"}, "province"),
        ({"province": None}, "province"),
        ({"province": None, "country": "IQ"}, "province"),
        ({"province": None, "country": "XY"}, "country"),
        ({"phone": "12345"}, "phone"),
        ({"phone": None}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"name_display": "nickname"}, "name_display"),
        ({"given_name": "Zain\x00ab"}, "given_name"),
        ({"guardian_allows_full_name": "perhaps"}, "guardian_allows_full_name"),
    ],
)
async def test_bad_input_is_422_on_its_field_and_writes_nothing(client, race, change, field):
    before = await row_counts()
    r = await register(client, race["id"], **change)
    assert r.status_code == 422, r.text
    assert r.json()["detail"]
    assert field in {e["field"] for e in r.json()["errors"]}
    assert await row_counts() == before


async def test_wrong_json_types_are_422_with_the_field(client, race):
    r = await client.post(f"/api/v1/races/{race['id']}/registrations", json=runner(given_name=42))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "given_name"
    r = await client.post(
        f"/api/v1/races/{race['id']}/registrations", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body"
    r = await client.post(f"/api/v1/races/{race['id']}/registrations", json=[1, 2])
    assert r.status_code == 422


async def test_all_problems_are_reported_at_once(client, race):
    r = await client.post(f"/api/v1/races/{race['id']}/registrations", json={"given_name": "X"})
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"family_name", "gender", "birth_date", "province", "phone", "consent"} <= fields


async def test_minimum_age_on_race_day(client, race):
    race_day = dt.date.fromisoformat(race["start_time"][:10])
    just_16 = race_day.replace(year=race_day.year - 16)
    almost_16 = just_16 + dt.timedelta(days=1)
    r = await register(client, race["id"], birth_date=almost_16.isoformat(), guardian_name="Parent")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "birth_date"
    assert (
        await register(client, race["id"], birth_date=just_16.isoformat(), guardian_name="Parent")
    ).status_code == 201


async def test_minors_need_a_guardian(client, race):
    race_day = dt.date.fromisoformat(race["start_time"][:10])
    seventeen = race_day.replace(year=race_day.year - 17).isoformat()
    r = await register(client, race["id"], birth_date=seventeen)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "guardian_name"
    r = await register(client, race["id"], birth_date=seventeen, guardian_name="Hamid Aziz")
    assert r.status_code == 201


async def test_runners_from_abroad_give_a_country(client, race):
    r = await register(client, race["id"], province=None, country="de", phone="+49 30 901820")
    assert r.status_code == 201
    own = (await client.get(f"/api/v1/registrations/{r.json()['code']}")).json()
    assert own["province"] is None and own["country"] == "DE" and own["phone"] == "+4930901820"


async def test_window_not_yet_open_is_a_conflict(client, organiser):
    race = await make_race(
        client, organiser, registration_opens_at=(dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    )
    before = await row_counts()
    assert (await register(client, race["id"])).status_code == 409
    assert await row_counts() == before


async def test_unknown_race_is_404(client):
    assert (await register(client, 999999)).status_code == 404


async def test_organiser_list_holds_personal_data_and_volunteers_may_not_read_it(client, organiser, race):
    await register(client, race["id"], phone="07701231234")
    volunteer = await token_headers(client, "volunteer")
    url = f"/api/v1/races/{race['id']}/registrations"
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=volunteer)).status_code == 403
    r = await client.get(url, headers=organiser)
    assert r.status_code == 200
    [row] = r.json()
    assert {
        "id",
        "bib",
        "status",
        "given_name",
        "family_name",
        "gender",
        "birth_date",
        "province",
        "country",
        "phone",
        "email",
        "checked_in",
        "created_at",
    } <= set(row)
    assert row["phone"] == "+9647701231234" and row["checked_in"] is False


async def test_public_race_and_event_views_hold_no_personal_data(client, organiser, race):
    await register(client, race["id"], phone="07701231234", email="secret@example.com", birth_date="1990-04-04")
    for url in (f"/api/v1/races/{race['id']}", f"/api/v1/events/{race['event_id']}", "/api/v1/events"):
        text = (await client.get(url)).text
        for secret in ("7701231234", "secret@example.com", "1990-04-04", "Hamid"):
            assert secret not in text


async def test_registration_rate_limit_per_address(client, race, settings_env):
    settings_env(registration_rate_limit=2)
    assert (await register(client, race["id"])).status_code == 201
    assert (await register(client, race["id"])).status_code == 201
    before = await row_counts()
    r = await register(client, race["id"])
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0 and r.json()["detail"]
    assert await row_counts() == before


async def test_wrong_self_service_codes_are_limited_per_address(client, race, settings_env):
    settings_env(registration_rate_limit=60)
    code = (await register(client, race["id"])).json()["code"]
    assert (await client.get(f"/api/v1/registrations/{code}")).status_code == 200  # a right code costs nothing
    from sportsrun.registration.services import CODE_GUESSES

    for n in range(CODE_GUESSES):
        assert (await client.get(f"/api/v1/registrations/wrong{n}")).status_code == 404
    for path in ("/api/v1/registrations/wrong-again", f"/api/v1/registrations/{code}"):
        r = await client.get(path)
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0, path
    assert (await client.delete(f"/api/v1/registrations/{code}")).status_code == 429


async def test_registrations_arriving_together_are_written_together_and_judged_one_by_one(client, organiser):
    import asyncio

    race = await make_race(client, organiser, capacity=5, bib_first=1, bib_last=100)
    bodies = [runner(given_name=f"R{i}", phone=f"+96477055{i:05d}") for i in range(8)]
    bodies.insert(3, {**bodies[0], "given_name": "R0 again"})  # the same phone: the same person
    bodies.insert(6, {**bodies[1], "family_name": bodies[1]["family_name"]})  # an exact double submit
    responses = await asyncio.gather(
        *(client.post(f"/api/v1/races/{race['id']}/registrations", json=b) for b in bodies)
    )
    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 8 and statuses.count(409) == 2
    created = [r.json() for r in responses if r.status_code == 201]
    assert sorted(c["bib"] for c in created if c["bib"]) == [1, 2, 3, 4, 5]
    assert sorted(c["waitlist_position"] for c in created if c["status"] == "waitlisted") == [1, 2, 3]
    assert await count("registration") == 8
