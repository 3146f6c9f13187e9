import datetime as dt
import io
import zipfile

import pytest

from sportsrun.core.db import sql as db
from tests.support import make_race, register, row_counts, token_headers, xlsx

HEADER = ["given_name", "family_name", "gender", "birth_date", "province", "phone", "bib"]


@pytest.fixture
async def organiser(client):
    return await token_headers(client, "organiser")


async def upload(client, headers, race_id, content: bytes, name="entrants.xlsx"):
    return await client.post(
        f"/api/v1/races/{race_id}/registrations/imports", headers=headers, files={"file": (name, content)}
    )


async def test_an_xlsx_of_entrants_with_requested_bibs(client, organiser):
    race = await make_race(client, organiser, capacity=5, bib_first=1, bib_last=50, reserved_bibs=[1])
    taken = (await register(client, race["id"])).json()["bib"]
    assert taken == 2
    content = xlsx(
        [
            ["Entrants typed from paper forms"],  # a title row above the header
            [],
            HEADER,
            ["Karwan", "Salih", "male", "1990-01-01", "IQ-SU", "+9647509998877", 30],
            ["سارة", "عزيز", "أنثى", dt.datetime(1992, 5, 17), "البصرة", 7701234000.0, 2],  # bib 2 is taken
            ["Lina", "Haddad", "F", "17/05/1993", "Erbil", "07701234001", None],
            ["Omar", "Yousif", "M", "1985-02-02", "IQ-BG", "07701234002", 30],  # same request as row 4
            ["Sami", "Nasser", "male", "1980-03-03", "IQ-NA", "07701234003", 40],  # over capacity: waitlisted
        ]
    )
    r = await upload(client, organiser, race["id"], content)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["created"] == 5 and body["waitlisted"] == 1
    assert body["bibs_changed"] == [
        {"row": 5, "requested": 2, "given": 3},
        {"row": 7, "requested": 30, "given": 5},
        {"row": 8, "requested": 40, "given": None},
    ]
    listing = (await client.get(f"/api/v1/races/{race['id']}/registrations", headers=organiser)).json()
    by_name = {r["given_name"]: r for r in listing}
    assert by_name["Karwan"]["bib"] == 30 and by_name["Karwan"]["phone"] == "+9647509998877"
    assert by_name["سارة"]["gender"] == "female" and by_name["سارة"]["province"] == "IQ-BA"
    assert by_name["سارة"]["birth_date"] == "1992-05-17" and by_name["سارة"]["phone"] == "+9647701234000"
    assert by_name["Lina"]["bib"] == 4 and by_name["Lina"]["birth_date"] == "1993-05-17"
    assert by_name["Lina"]["province"] == "IQ-AR"
    assert by_name["Sami"]["status"] == "waitlisted" and by_name["Sami"]["bib"] is None
    # The allocator carries on from the import: 6 is the next free bib once a place opens.
    await client.patch(f"/api/v1/races/{race['id']}", json={"capacity": 10}, headers=organiser)
    assert (await register(client, race["id"])).json()["bib"] == 7  # Sami was promoted to 6 first


async def test_a_windows_1256_semicolon_csv_with_arabic_headers(client, organiser):
    race = await make_race(client, organiser, capacity=10)
    text = (
        "الاسم;اللقب;الجنس;تاريخ الميلاد;المحافظة;الهاتف\r\n"
        "علي;الموسوي;ذكر;1991-04-04;كربلاء;07801112233\r\n"
        "\r\n"
        "فاطمة;الربيعي;انثى;1994-08-08;النجف;07801112234\r\n"
    )
    r = await upload(client, organiser, race["id"], text.encode("cp1256"), name="entrants.csv")
    assert r.status_code == 201, r.text
    assert r.json() == {"created": 2, "waitlisted": 0, "bibs_changed": []}
    listing = (await client.get(f"/api/v1/races/{race['id']}/registrations", headers=organiser)).json()
    assert [(x["given_name"], x["province"], x["bib"]) for x in listing] == [("علي", "IQ-KA", 1), ("فاطمة", "IQ-NA", 2)]


async def test_row_errors_name_row_and_column_and_nothing_is_written(client, organiser):
    race = await make_race(client, organiser, capacity=10, min_age=16)
    await register(
        client, race["id"], given_name="Existing", family_name="Runner", birth_date="1990-01-01", phone="+9647700000001"
    )
    race_day = dt.date.fromisoformat(race["start_time"][:10])
    content = xlsx(
        [
            ["Given name", "Family name", "Sex", "Date of birth", "Governorate", "Mobile", "Bib"],
            ["Good", "Row", "male", "1990-01-01", "IQ-BG", "07701000001", None],
            ["Bad", "Gender", "x", "1990-01-01", "IQ-BG", "07701000002", None],
            [
                "Young",
                "Runner",
                "female",
                race_day.replace(year=race_day.year - 12).isoformat(),
                "IQ-BG",
                "07701000003",
                None,
            ],
            ["Good", "Row", "male", "1990-01-01", "IQ-BG", "07701000099", None],  # same person as row 2
            ["Existing", "Runner", "male", "1990-01-01", "IQ-BG", "07701000004", None],  # already registered
            ["No", "Contact", "male", "1990-01-01", "IQ-BG", None, None],
            ["Bad", "Bib", "male", "1990-01-02", "IQ-BG", "07701000005", "A12"],
        ]
    )
    before = await row_counts()
    r = await upload(client, organiser, race["id"], content)
    assert r.status_code == 422
    errors = {(e["row"], e["column"]) for e in r.json()["errors"]}
    assert errors == {(3, "Sex"), (4, "Date of birth"), (5, "Given name"), (6, "Given name"), (7, "Mobile"), (8, "Bib")}
    assert all(e["message"] for e in r.json()["errors"])
    assert await row_counts() == before


async def test_files_that_are_not_entrant_sheets(client, organiser):
    race = await make_race(client, organiser)
    r = await upload(client, organiser, race["id"], xlsx([["Bib", "Time"], [1, "0:40:00"]]))
    assert r.status_code == 422 and r.json()["errors"][0]["row"] is None
    r = await upload(client, organiser, race["id"], b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", name="entrants.xlsx")
    assert r.status_code == 422
    r = await upload(client, organiser, race["id"], xlsx([HEADER]))
    assert r.status_code == 422
    r = await upload(client, organiser, race["id"], b"\x81\x8d\x8f\x90\x9d\xff\xfe\xfd" * 10, name="x.csv")
    assert r.status_code == 422


async def test_a_zip_bomb_is_refused_before_it_is_inflated(client, organiser):
    race = await make_race(client, organiser)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    r = await upload(client, organiser, race["id"], buffer.getvalue())
    assert r.status_code == 422 and "expands" in r.json()["detail"]


async def test_uploads_over_the_limit_are_413(client, organiser):
    race = await make_race(client, organiser)
    r = await upload(client, organiser, race["id"], b"a" * (11 * 1024 * 1024), name="big.csv")
    assert r.status_code == 413 and r.json()["detail"]


async def test_imports_need_an_organiser(client, organiser):
    race = await make_race(client, organiser)
    volunteer = await token_headers(client, "volunteer")
    content = xlsx([HEADER, ["A", "B", "male", "1990-01-01", "IQ-BG", "07701000001", None]])
    assert (await upload(client, {}, race["id"], content)).status_code == 401
    assert (await upload(client, volunteer, race["id"], content)).status_code == 403
    assert (await db.fetch("SELECT COUNT(*) AS n FROM registration"))[0]["n"] == 0
    r = await client.post(f"/api/v1/races/{race['id']}/registrations/imports", headers=organiser, data={"x": "1"})
    assert r.status_code in (400, 422)
