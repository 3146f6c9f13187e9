"""Real results and real importer layouts from ../shared/data (its README says what to make up)."""

import csv
import datetime as dt
import io
import os
from collections import defaultdict
from pathlib import Path

import pytest

from sportsrun.registration.imports import import_entrants
from tests.support import make_race, make_user, token_headers, xlsx
from tests.timing.support import results, upload

DATA = Path(os.environ.get("SPORTSRUN_TEST_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data")
BOSTON_GROUPS = [[18, 39], *[[a, a + 4] for a in range(40, 80, 5)], [80, None]]


@pytest.fixture(autouse=True)
def real_data():
    """The real races live beside the checkout (README, "Tests on real data"): skipped without them, but
    never in CI."""
    if not DATA.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the real data is not at {DATA} (set SPORTSRUN_TEST_DATA)")
        pytest.skip(f"the real data is not at {DATA} (set SPORTSRUN_TEST_DATA): see the README")


def seconds(text: str) -> int:
    total = 0
    for part in text.strip().split(":"):
        total = total * 60 + int(part)
    return total


def born(race_day: dt.date, age: int, salt: int) -> str:
    """A birth date giving this age on race day, the day varied so that namesakes stay two people."""
    return (race_day.replace(year=race_day.year - age - 1) + dt.timedelta(days=1 + salt % 360)).isoformat()


def check_places(rows, place_of, official, group_of, time_of):
    """Every place where the time is not shared with another runner of the same group."""
    by_group = defaultdict(list)
    for r in rows:
        by_group[group_of(r)].append(r)
    checked = 0
    for group in by_group.values():
        times = defaultdict(int)
        for r in group:
            times[time_of(r)] += 1
        for r in group:
            if times[time_of(r)] == 1:
                assert place_of(r) == official(r), (group_of(r), r)
                checked += 1
    return checked


async def register_entrants(race_id: int, header: list[str], rows: list[list]) -> None:
    user = await make_user("organiser", "entrants@example.test")
    await import_entrants(race_id, xlsx([header, *rows]), user["id"])


async def test_boston_2013_top_3000_places_overall_gender_and_division(client):
    organiser = await token_headers(client, "organiser")
    with open(DATA / "boston-2013" / "marathon_results_2013.csv", newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [r for _, r in zip(range(3000), reader, strict=False)]
    race = await make_race(
        client,
        organiser,
        name="Marathon",
        distance_m=42195,
        capacity=5000,
        bib_first=1,
        bib_last=200_000,
        age_groups=BOSTON_GROUPS,
    )
    race_day = dt.date.fromisoformat(race["start_time"][:10])
    bib_at, name_at, age_at, sex_at = (header.index(c) for c in ("Bib", "Name", "Age", "M/F"))
    for i, r in enumerate(rows):
        if not r[bib_at].isdigit():
            r[bib_at] = str(150_000 + i)  # F3-style elite bibs, renumbered into free integers
    entrants = []
    for i, r in enumerate(rows):
        family, _, given = r[name_at].partition(",")
        entrants.append(
            [
                given.strip() or family,
                family.strip(),
                r[sex_at],
                born(race_day, int(r[age_at]), i),
                "IQ-BG",
                f"runner{r[bib_at]}@example.test",
                int(r[bib_at]),
            ]
        )
    await register_entrants(
        race["id"], ["given_name", "family_name", "gender", "birth_date", "province", "email", "bib"], entrants
    )
    sheet = io.StringIO()
    csv.writer(sheet).writerows([header, *rows])
    volunteer = await token_headers(client, "volunteer")
    r = await upload(client, volunteer, race["id"], sheet.getvalue().encode(), name="boston.csv")
    assert r.status_code == 201, r.text[:500]
    body = r.json()
    assert body["finishers"] == 3000 and body["columns"]["gun_time"] == "Official Time"
    assert set(body["columns"]) == {
        "bib",
        "gun_time",
        *(f"split:{s}" for s in ("5K", "10K", "15K", "20K", "Half", "25K", "30K", "35K", "40K")),
    }
    stored = await results(race["id"])
    at = {c: header.index(c) for c in ("Official Time", "Overall", "Gender", "Division")}
    time_of = lambda r: seconds(r[at["Official Time"]])  # noqa: E731
    assert stored[int(rows[0][bib_at])]["gun_time_ms"] == time_of(rows[0]) * 1000
    assert (
        check_places(
            rows, lambda r: stored[int(r[bib_at])]["place"], lambda r: int(r[at["Overall"]]), lambda r: "all", time_of
        )
        > 500
    )
    check_places(
        rows,
        lambda r: stored[int(r[bib_at])]["gender_place"],
        lambda r: int(r[at["Gender"]]),
        lambda r: r[sex_at],
        time_of,
    )
    check_places(
        rows,
        lambda r: stored[int(r[bib_at])]["age_group_place"],
        lambda r: int(r[at["Division"]]),
        lambda r: (r[sex_at], stored[int(r[bib_at])]["age_group"]),
        time_of,
    )
    half = stored[int(rows[0][bib_at])]["splits"]
    assert "Half" in str(half)


async def test_pikes_peak_tab_separated_latin_1_chip_ranked(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(
        client, organiser, name="10K", distance_m=10000, capacity=5000, bib_first=1, bib_last=20_000, ranking="chip"
    )
    race_day = dt.date.fromisoformat(race["start_time"][:10])
    files, entrants, kept = {}, [], {}
    for sex, name in (("F", "MA_Exer_PikesPeak_Females.txt"), ("M", "MA_Exer_PikesPeak_Males.txt")):
        raw = (DATA / "pikes-peek-10k" / name).read_bytes()
        rows = list(csv.reader(io.StringIO(raw.decode("latin-1")), delimiter="\t"))[1:]
        files[sex] = raw  # the sheet exactly as the timing company gave it
        for i, r in enumerate(rows):
            # Ages of -1, 0 or blank are unknown: such runners still count in the gender ranking, so they are
            # registered with an age outside every group (they would otherwise shift everyone's places).
            age = int(r[4]) if r[4].strip().isdigit() and int(r[4]) > 0 else 100
            entrants.append(
                [
                    r[3].split()[0],
                    " ".join(r[3].split()[1:]) or "X",
                    sex,
                    born(race_day, age, i),
                    "IQ-BG",
                    f"pp{r[2]}@example.test",
                    int(r[2]),
                    "Guardian" if age < 18 else "",
                ]
            )
        kept[sex] = rows
    await register_entrants(
        race["id"],
        ["given_name", "family_name", "gender", "birth_date", "province", "email", "bib", "guardian_name"],
        entrants,
    )
    volunteer = await token_headers(client, "volunteer")
    first = await upload(client, volunteer, race["id"], files["F"], name="females.txt")
    assert first.status_code == 201, first.text[:300]
    second = await upload(client, volunteer, race["id"], files["M"], name="males.txt", mode="merge")
    assert second.status_code == 201, second.text[:300]
    assert first.json()["columns"]["chip_time"] == "Net Tim" and first.json()["columns"]["bib"] == "Num"
    stored = await results(race["id"])
    for sex, rows in kept.items():
        checked = check_places(
            rows,
            lambda r: stored[int(r[2])]["gender_place"],
            lambda r: int(r[0]),
            lambda r: "g",
            lambda r: seconds(r[7]),
        )
        assert checked > 100


async def test_opensplittime_elapsed_times(client):
    organiser = await token_headers(client, "organiser")
    path = DATA / "opensplittime-fixtures" / "test_efforts_with_elapsed_times.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    race = await make_race(
        client, organiser, name="100K", distance_m=100_000, capacity=100, bib_first=500, bib_last=599
    )
    race_day = dt.date.fromisoformat(race["start_time"][:10])
    await register_entrants(race["id"], ["given_name", "family_name", "gender", "birth_date", "province", "email",
                                         "bib"],
                            [[r[0], r[1], r[2], born(race_day, 40, i), "IQ-BG", f"ost{i}@example.test", int(r[10])]
                             for i, r in enumerate(rows[1:])])  # fmt: skip
    volunteer = await token_headers(client, "volunteer")
    r = await upload(client, volunteer, race["id"], path.read_bytes(), name="efforts.csv")
    assert r.status_code == 201, r.text[:300]
    assert r.json()["columns"] == {"bib": "bib_number", "gun_time": "Finish"}
    stored = await results(race["id"])
    assert stored[510]["gun_time_ms"] == seconds("16:45:00") * 1000 and stored[510]["place"] == 1


async def test_opensplittime_sheets_that_need_a_person_get_clear_row_errors(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(client, organiser, name="Hardrock", distance_m=160_000, bib_first=1, bib_last=200)
    volunteer = await token_headers(client, "volunteer")
    bad = (DATA / "opensplittime-fixtures" / "baddata2015test.xlsx").read_bytes()
    r = await upload(client, volunteer, race["id"], bad)
    assert r.status_code == 422
    # Row 2 holds distances, not a runner: a "time" without a bib, pointed at precisely.
    assert any(e["row"] == 2 and e["column"] == "bib_number" for e in r.json()["errors"])
    ultra = (DATA / "opensplittime-fixtures" / "ultrasignup_efforts_simple_export.csv").read_bytes()
    r = await upload(client, volunteer, race["id"], ultra, name="ultrasignup.csv")
    assert r.status_code == 422 and all(e["row"] for e in r.json()["errors"])
