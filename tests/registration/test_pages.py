"""The runner's pages: the form with and without JavaScript, htmx checks, confirmation, own page."""

import datetime as dt
import re

import pytest

from sportsrun.core.db import sql as db
from tests.support import (
    HTMX,
    count,
    csrf_token,
    make_event,
    make_race,
    register,
    row_counts,
    soup,
    token_headers,
)

FIELDS = [
    "given_name",
    "family_name",
    "gender",
    "birth_date",
    "province",
    "country",
    "phone",
    "email",
    "emergency_contact",
    "club",
    "name_display",
    "guardian_name",
    "guardian_allows_full_name",
    "consent",
]


@pytest.fixture
async def race(client):
    return await make_race(client, await token_headers(client, "organiser"), capacity=1, min_age=10)


def good(token: str, **overrides) -> dict:
    data = {
        "_csrf_token": token,
        "given_name": "زينب",
        "family_name": "حامد",
        "gender": "female",
        "birth_date": "1995-03-01",
        "province": "IQ-BA",
        "phone": "٠٧٧٠١٢٣٤٥٦٧",
        "consent": "on",
    }
    data.update(overrides)
    return data


async def test_the_form_has_every_field_and_posts_to_the_contract_address(client, race):
    r = await client.get(f"/races/{race['id']}/register", headers={"Accept-Language": "ar"})
    form = soup(r).select_one("form#registration")
    assert form["method"] == "post" and form["action"] == f"/races/{race['id']}/register"
    names = {e["name"] for e in form.select("[name]")}
    assert set(FIELDS) | {"_csrf_token"} <= names
    assert form.select_one("#field-birth_date input")["type"] == "date"
    assert form.select_one("#field-phone input")["type"] == "tel"
    province = form.select_one("select#province")
    assert len(province.select("option")) == 20 and "البصرة" in province.text  # a neutral first option and 19
    checker = form.select_one("#field-family_name")
    assert checker["hx-post"] == f"/races/{race['id']}/register/check?field=family_name"


async def test_registering_without_javascript_gives_the_bib_code_and_qr(client, race):
    token = csrf_token(await client.get(f"/races/{race['id']}/register"))
    r = await client.post(f"/races/{race['id']}/register", data=good(token))
    assert r.status_code == 303
    code = re.match(r"/registrations/([^?]+)\?new=1", r.headers["location"]).group(1)
    own = await client.get(r.headers["location"], headers={"Accept-Language": "en"})
    assert own.status_code == 200 and own.headers["cache-control"] == "no-store"
    page = soup(own)
    assert page.select_one("dd.bib").text == "1"
    assert "Your bib number is 1" in page.select_one(".success").text
    assert page.select_one(".manage a")["href"].endswith(f"/registrations/{code}")
    assert page.select_one(".qr svg") is not None
    assert page.find("meta", {"name": "robots"})["content"] == "noindex"
    second = await client.post(
        f"/races/{race['id']}/register", data=good(token, given_name="Sara", phone="07701234999", email="s@example.com")
    )
    waiting = soup(await client.get(second.headers["location"], headers={"Accept-Language": "en"}))
    assert "number 1 on the waitlist" in waiting.select_one(".notice").text


async def test_errors_are_shown_beside_their_fields_and_what_was_typed_is_kept(client, race):
    token = csrf_token(await client.get(f"/races/{race['id']}/register"))
    before = await row_counts()
    r = await client.post(
        f"/races/{race['id']}/register",
        data={"_csrf_token": token, "given_name": "Ali", "phone": "123"},
        headers={"Accept-Language": "en"},
    )
    assert r.status_code == 422 and await row_counts() == before
    page = soup(r)
    for field in ("family_name", "gender", "birth_date", "consent", "phone"):
        assert page.select_one(f"#field-{field} .error").text, field
        assert (
            page.select_one(f"#field-{field}")["class"] == ["field", "invalid"]
            or "invalid" in page.select_one(f"#field-{field}")["class"]
        )
    assert page.select_one("#given_name")["value"] == "Ali"
    assert page.select_one("#phone")["value"] == "123"


async def test_errors_come_in_the_visitors_language(client, race):
    token = csrf_token(await client.get(f"/races/{race['id']}/register"))
    r = await client.post(
        f"/races/{race['id']}/register", data={"_csrf_token": token}, headers={"Accept-Language": "ar"}
    )
    message = soup(r).select_one("#field-given_name .error").text
    assert any("\u0600" <= c <= "\u06ff" for c in message), message


async def test_a_duplicate_shows_the_problem_on_the_form(client, race):
    token = csrf_token(await client.get(f"/races/{race['id']}/register"))
    await client.post(f"/races/{race['id']}/register", data=good(token))
    r = await client.post(f"/races/{race['id']}/register", data=good(token))
    assert r.status_code == 409 and soup(r).select_one("form .error[role=alert]").text


async def test_the_htmx_check_returns_one_field_as_a_fragment(client, race):
    token = csrf_token(await client.get(f"/races/{race['id']}/register"))
    url = f"/races/{race['id']}/register/check?field=email"
    r = await client.post(url, data={"_csrf_token": token, "email": "not-an-email"}, headers=HTMX)
    assert r.status_code == 200 and "<html" not in r.text and r.headers["vary"] == "HX-Request"
    field = soup(r).select_one("#field-email")
    assert "invalid" in field["class"] and field.select_one(".error").text
    r = await client.post(url, data={"_csrf_token": token, "email": "a@example.com"}, headers=HTMX)
    assert soup(r).select_one("#field-email .error") is None
    assert await count("registration") == 0


async def test_guardian_fields_appear_for_under_18s(client, race):
    token = csrf_token(await client.get(f"/races/{race['id']}/register"))
    url = f"/races/{race['id']}/register/check?field=birth_date"
    race_day = dt.date.fromisoformat(race["start_time"][:10])
    child = race_day.replace(year=race_day.year - 12).isoformat()
    r = await client.post(url, data={"_csrf_token": token, "birth_date": child}, headers=HTMX)
    guardian = soup(r).select_one("#guardian")
    assert guardian["hx-swap-oob"] == "true" and not guardian.has_attr("hidden")
    r = await client.post(url, data={"_csrf_token": token, "birth_date": "1990-01-01"}, headers=HTMX)
    assert soup(r).select_one("#guardian").has_attr("hidden")
    # Without JavaScript the guardian fields are simply there.
    assert not soup(await client.get(f"/races/{race['id']}/register")).select_one("#guardian").has_attr("hidden")


async def test_posting_without_the_csrf_token_is_refused(client, race):
    await client.get(f"/races/{race['id']}/register")
    before = await row_counts()
    r = await client.post(f"/races/{race['id']}/register", data=good("forged"))
    assert r.status_code == 403 and await row_counts() == before


async def test_cancelling_asks_first_then_frees_the_bib_for_the_waitlist(client, race):
    token = csrf_token(await client.get(f"/races/{race['id']}/register"))
    location = (await client.post(f"/races/{race['id']}/register", data=good(token))).headers["location"]
    code = location.split("/")[2].split("?")[0]
    waiting = await client.post(
        f"/races/{race['id']}/register", data=good(token, given_name="Sara", phone="07701234999")
    )
    waiting_code = waiting.headers["location"].split("/")[2].split("?")[0]
    page = soup(await client.get(f"/registrations/{code}"))
    first = page.select_one("form.cancel")
    assert first["action"] == f"/registrations/{code}/cancel" and first.select_one("[name=confirm]") is None
    # The first post only asks, saying what will happen; nothing changes.
    before = await row_counts()
    r = await client.post(first["action"], data={"_csrf_token": token}, headers={"Accept-Language": "en"})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store" and await row_counts() == before
    asking = soup(r)
    box = asking.select_one("#confirm-cancel")
    assert box["tabindex"] == "-1" and box.has_attr("autofocus")
    assert "Your bib 1 will be freed" in box.text and "first runner on the waitlist" in box.text
    assert "Confirmed" in asking.select_one("dd.status").text
    assert box.select_one("a.button")["href"] == f"/registrations/{code}"  # keep it: back, nothing sent
    confirm = box.select_one("form.cancel")
    fields = {i["name"]: i["value"] for i in confirm.select("input")}
    assert fields["confirm"] == "yes" and len(asking.select("form.cancel")) == 1
    # Any other value is still only the question.
    r = await client.post(confirm["action"], data={"_csrf_token": token, "confirm": "on"})
    assert r.status_code == 200 and await row_counts() == before and soup(r).select_one("#confirm-cancel")
    r = await client.post(confirm["action"], data=fields)
    assert r.status_code == 303 and r.headers["location"] == f"/registrations/{code}?cancelled=1"
    after = soup(await client.get(r.headers["location"], headers={"Accept-Language": "en"}))
    assert "Cancelled" in after.select_one("dd.status").text and after.select_one("form.cancel") is None
    assert after.select_one("[role=status]").text == "Your registration is cancelled."
    promoted = soup(await client.get(f"/registrations/{waiting_code}", headers={"Accept-Language": "en"}))
    assert promoted.select_one("dd.bib").text == "1"
    # Cancelling again says why not, on the page.
    r = await client.post(confirm["action"], data=fields, headers={"Accept-Language": "en"})
    assert r.status_code == 409 and "already cancelled" in soup(r).select_one(".error[role=alert]").text


async def test_a_waitlisted_runner_is_told_they_leave_the_waitlist(client, race):
    token = csrf_token(await client.get(f"/races/{race['id']}/register"))
    await client.post(f"/races/{race['id']}/register", data=good(token))
    location = (
        await client.post(f"/races/{race['id']}/register", data=good(token, given_name="Sara", phone="07701234999"))
    ).headers["location"]
    code = location.split("/")[2].split("?")[0]
    r = await client.post(
        f"/registrations/{code}/cancel", data={"_csrf_token": token}, headers={"Accept-Language": "ar"}
    )
    assert "ستخرج من قائمة الانتظار" in soup(r).select_one("#confirm-cancel").text


async def test_the_registrants_page_names_the_event_where_and_when(client):
    organiser = await token_headers(client, "organiser")
    event = await make_event(client, organiser, name="Karbala Peace Run", province="IQ-KA", city="Karbala",
                             venue="Al-Hussain Stadium", date="2027-03-20")  # fmt: skip
    start = "2027-03-20T07:30:00+03:00"
    race = await make_race(client, organiser, event["id"], name="5 km", start_time=start)
    registered = (await register(client, race["id"])).json()
    page = soup(await client.get(f"/registrations/{registered['code']}", headers={"Accept-Language": "en"}))
    summary = page.select_one("dl.summary")
    assert summary.select_one("dd.event a")["href"] == f"/events/{event['id']}"
    assert summary.select_one("dd.event").text == "Karbala Peace Run" and summary.select_one("dd.race").text == "5 km"
    assert summary.select_one("dd.where").text == "Karbala, Al-Hussain Stadium · Karbala"  # city, venue · province
    assert summary.select_one("dd.when").text == "Saturday 20 March 2027, 07:30"  # the race day, Iraq time
    # The API's answer carries the event too (a key added, none removed).
    own = (await client.get(f"/api/v1/registrations/{registered['code']}")).json()
    # The names in other languages are null here: `name` and `city` stand in (tests/registration/
    # test_names_in_language.py has them set).
    assert own["event"] == {"id": event["id"], "name": "Karbala Peace Run", "province": "IQ-KA", "city": "Karbala",
                            "venue": "Al-Hussain Stadium", "date": "2027-03-20", "name_ar": None, "name_ckb": None,
                            "name_en": None, "city_ar": None, "city_ckb": None, "city_en": None}  # fmt: skip
    assert own["race"]["name"] == "5 km" and own["status"] == "confirmed"


async def test_a_closed_race_says_so_instead_of_a_form(client):
    organiser = await token_headers(client, "organiser")
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
    race = await make_race(
        client,
        organiser,
        start_time=past,
        registration_opens_at=(dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).isoformat(),
    )
    page = soup(await client.get(f"/races/{race['id']}/register"))
    assert page.select_one("form#registration") is None and page.select_one(".notice")


async def test_the_form_counts_places_and_the_waitlist_as_the_event_page_does(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, capacity=3)
    await register(client, race["id"])
    form = soup(await client.get(f"/races/{race['id']}/register", headers={"Accept-Language": "en"}))
    event = soup(await client.get(f"/events/{race['event_id']}", headers={"Accept-Language": "en"}))
    shown = event.select_one(f"#race-{race['id']} .places").text
    assert shown == "2 places left" and form.select_one("main .places").text == shown
    assert form.select_one("main .notice") is None
    for _ in range(4):  # two more fill the race, two wait
        await register(client, race["id"])
    form = soup(await client.get(f"/races/{race['id']}/register", headers={"Accept-Language": "en"}))
    notice = form.select_one("main .notice[role=status]")
    assert "This race is full: you will join the waitlist" in notice.text and "2 on the waitlist" in notice.text
    assert "places left" not in form.select_one("main").text and form.select_one("form#registration")


async def test_required_fields_are_marked_and_selects_open_on_a_neutral_choice(client, race):
    page = soup(await client.get(f"/races/{race['id']}/register", headers={"Accept-Language": "en"}))
    for name in ("given_name", "family_name", "birth_date"):
        assert page.select_one(f"label[for={name}] .required"), name
    assert page.select_one("#field-gender legend .required")
    assert all(radio.has_attr("required") for radio in page.select("input[name=gender]"))
    assert page.select_one("label[for=province] .required") and page.select_one("select#province[required]")
    hint = page.select_one("#province-hint")
    assert "unless you live outside Iraq" in hint.text
    assert "province-hint" in page.select_one("select#province")["aria-describedby"]
    first = page.select("select#province option")[0]
    assert first["value"] == "" and first.text == "Choose your province" and not page.select("option[selected]")
    assert page.select_one("#field-phone .required") is None  # a phone or an email: neither is required alone
    # Living abroad: no province, a country, as before.
    token = csrf_token(await client.get(f"/races/{race['id']}/register"))
    r = await client.post(f"/races/{race['id']}/register", data=good(token, province="", country="DE"))
    assert r.status_code == 303
    [row] = await db.fetch("SELECT province, country FROM registration")
    assert row["province"] is None and row["country"] == "DE"


async def test_the_error_summary_lists_every_problem_as_a_link_to_its_field(client, race):
    token = csrf_token(await client.get(f"/races/{race['id']}/register"))
    r = await client.post(
        f"/races/{race['id']}/register",
        data={"_csrf_token": token, "given_name": "Ali", "phone": "123"},
        headers={"Accept-Language": "en"},
    )
    page = soup(r)
    summary = page.select_one("form#registration .error-summary")
    assert summary["role"] == "alert" and summary["tabindex"] == "-1" and summary.has_attr("autofocus")
    assert summary.select_one(".error-summary-title").text == "Some fields need correcting."
    links = {a["href"]: a.text for a in summary.select("ul li a")}
    assert links["#family_name"] == "Family name: This field is required."
    assert links["#gender"].startswith("Gender: ") and links["#consent"].startswith("I agree to the race rules")
    assert {"#family_name", "#gender", "#birth_date", "#province", "#phone", "#consent"} <= set(links)
    for href in links:  # every link lands on a control of the form
        assert page.select_one(f"form#registration {href}").name in ("input", "select", "textarea"), href
    # In the visitor's language.
    r = await client.post(
        f"/races/{race['id']}/register", data={"_csrf_token": token}, headers={"Accept-Language": "ar"}
    )
    item = soup(r).select_one(".error-summary a[href='#given_name']").text
    assert item == "الاسم: هذا الحقل مطلوب.", item


async def test_the_same_form_sent_again_gets_the_first_answer(client, race):
    """The answer to the first post never reached the phone: the second post of the same form (its key
    made when the form opened) lands on the same registration, code included."""
    form = soup(await client.get(f"/races/{race['id']}/register"))
    key = form.select_one("form#registration input[name=idempotency_key]")["value"]
    assert len(key) >= 20
    data = good(csrf_token_of(form), idempotency_key=key)
    first = await client.post(f"/races/{race['id']}/register", data=data)
    again = await client.post(f"/races/{race['id']}/register", data=data)
    assert first.status_code == again.status_code == 303
    assert again.headers["location"] == first.headers["location"] and await count("registration") == 1
    other_form = soup(await client.get(f"/races/{race['id']}/register"))
    assert other_form.select_one("input[name=idempotency_key]")["value"] != key  # a new form, a new key


async def test_private_links_never_come_from_the_host_header(client, race):
    code = (await register(client, race["id"])).json()["code"]
    page = await client.get(f"/registrations/{code}", headers={"Host": "evil.example"})
    assert page.status_code == 200 and "evil.example" not in page.text
    assert f"http://127.0.0.1:8000/registrations/{code}" in page.text  # SPORTSRUN_PUBLIC_URL's default


def csrf_token_of(page) -> str:
    return page.select_one("input[name=_csrf_token]")["value"]
