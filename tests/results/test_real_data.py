"""Every place of two real races, reproduced (../shared/data; its README says what to make up)."""

import csv
import io

import pytest

from tests.support import make_race, token_headers
from tests.timing.support import results, upload
from tests.timing.test_real_layouts import (  # noqa: F401 - real_data is the fixture that skips without them
    BOSTON_GROUPS,
    DATA,
    born,
    check_places,
    real_data,
    register_entrants,
    seconds,
)

pytestmark = pytest.mark.slow

PIKES_BANDS = [[0, 14], *[[a, a + 4] for a in range(15, 95, 5)]]  # ≤14, 15-19, … 90-94; 100 = age unknown


async def test_boston_2013_every_place_where_times_differ(client):
    organiser = await token_headers(client, "organiser")
    with open(DATA / "boston-2013" / "marathon_results_2013.csv", newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    race = await make_race(
        client,
        organiser,
        name="Marathon",
        distance_m=42195,
        capacity=20_000,
        bib_first=1,
        bib_last=200_000,
        age_groups=BOSTON_GROUPS,
    )
    import datetime as dt

    race_day = dt.date.fromisoformat(race["start_time"][:10])
    bib_at, name_at, age_at, sex_at = (header.index(c) for c in ("Bib", "Name", "Age", "M/F"))
    for i, r in enumerate(rows):
        if not r[bib_at].isdigit():
            r[bib_at] = str(150_000 + i)
    entrants = []
    for i, r in enumerate(rows):
        family, _, given = r[name_at].partition(",")
        entrants.append(
            [
                given.strip() or family,
                family.strip() or "X",
                r[sex_at],
                born(race_day, int(r[age_at]), i),
                "IQ-BG",
                f"boston{i}@example.test",
                int(r[bib_at]),
            ]
        )
    await register_entrants(
        race["id"], ["given_name", "family_name", "gender", "birth_date", "province", "email", "bib"], entrants
    )
    sheet = io.StringIO()
    csv.writer(sheet).writerows([header, *rows])
    r = await upload(
        client, await token_headers(client, "volunteer"), race["id"], sheet.getvalue().encode(), name="boston.csv"
    )
    assert r.status_code == 201 and r.json()["finishers"] == len(rows), r.text[:300]
    stored = await results(race["id"])
    at = {c: header.index(c) for c in ("Official Time", "Overall", "Gender", "Division")}
    time_of = lambda r: seconds(r[at["Official Time"]])  # noqa: E731
    by_bib = lambda r: stored[int(r[bib_at])]  # noqa: E731
    assert (
        check_places(rows, lambda r: by_bib(r)["place"], lambda r: int(r[at["Overall"]]), lambda r: 1, time_of) > 1000
    )
    assert (
        check_places(
            rows, lambda r: by_bib(r)["gender_place"], lambda r: int(r[at["Gender"]]), lambda r: r[sex_at], time_of
        )
        > 1000
    )
    assert (
        check_places(
            rows,
            lambda r: by_bib(r)["age_group_place"],
            lambda r: int(r[at["Division"]]),
            lambda r: (r[sex_at], by_bib(r)["age_group"]),
            time_of,
        )
        > 1000
    )
    # The API agrees with what is stored, in the same order.
    api = (await client.get(f"/api/v1/races/{race['id']}/results", params={"limit": 500})).json()
    assert api["total"] == len(rows) and [i["place"] for i in api["items"]] == sorted(i["place"] for i in api["items"])


async def test_pikes_peak_chip_ranked_gender_and_five_year_band_places(client):
    organiser = await token_headers(client, "organiser")
    race = await make_race(
        client,
        organiser,
        name="10K",
        distance_m=10000,
        capacity=5000,
        bib_first=1,
        bib_last=20_000,
        ranking="chip",
        age_groups=PIKES_BANDS,
    )
    import datetime as dt

    race_day = dt.date.fromisoformat(race["start_time"][:10])
    entrants, kept, files = [], {}, {}
    for sex, name in (("F", "MA_Exer_PikesPeak_Females.txt"), ("M", "MA_Exer_PikesPeak_Males.txt")):
        raw = (DATA / "pikes-peek-10k" / name).read_bytes()
        rows = list(csv.reader(io.StringIO(raw.decode("latin-1")), delimiter="\t"))[1:]
        files[sex], kept[sex] = raw, rows
        for i, r in enumerate(rows):
            # The official bands put an age of -1 in "14 and under" (-1 ≤ 14) and gave 0 or blank no band: so a
            # -1 runner is registered as a child and a 0 or blank one with an age outside every band.
            age = int(r[4]) if r[4].strip().isdigit() and int(r[4]) > 0 else (10 if r[4].strip() == "-1" else 100)
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
    await register_entrants(
        race["id"],
        ["given_name", "family_name", "gender", "birth_date", "province", "email", "bib", "guardian_name"],
        entrants,
    )
    volunteer = await token_headers(client, "volunteer")
    assert (await upload(client, volunteer, race["id"], files["F"], name="f.txt")).status_code == 201
    assert (await upload(client, volunteer, race["id"], files["M"], name="m.txt", mode="merge")).status_code == 201
    stored = await results(race["id"])
    for rows in kept.values():
        net = lambda r: seconds(r[7])  # noqa: E731
        assert (
            check_places(rows, lambda r: stored[int(r[2])]["gender_place"], lambda r: int(r[0]), lambda r: 1, net) > 100
        )
        banded = [r for r in rows if r[1].strip()]  # ages 0 or blank hold no band place
        assert (
            check_places(
                banded,
                lambda r: stored[int(r[2])]["age_group_place"],
                lambda r: int(r[1].split("/")[0]),
                lambda r: stored[int(r[2])]["age_group"],
                net,
            )
            > 100
        )
