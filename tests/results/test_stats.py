"""The counts and the name index the public pages read instead of scanning results, checked against the
plain computation they replace."""

import importlib
import itertools

from hypothesis import given
from hypothesis import strategies as st

from sportsrun.core.db import sql as db
from sportsrun.results import search, stats
from tests.results.support import race_with_results
from tests.support import token_headers

STATUSES = st.sampled_from(["finished", "dnf", "dns", "dq"])
ROWS = st.lists(
    st.tuples(
        STATUSES,
        st.sampled_from(["male", "female"]),
        st.sampled_from([None, "U18", "M40", "Open"]),
        st.sampled_from([None, "IQ-BG", "IQ-KA"]),
    ),
    max_size=40,
)


@given(ROWS)
def test_listing_counts_match_filtering_every_combination(rows):
    summary = stats.compute(rows, 3_600_000)
    for gender, group, province in itertools.product(
        ["", "male", "female"], ["", "U18", "M40", "Open"], ["", "IQ-BG", "IQ-KA"]
    ):
        expected = sum(
            1
            for _, g, a, p in rows
            if (not gender or g == gender) and (not group or a == group) and (not province or p == province)
        )
        assert summary["listing"].get(stats.key(gender, group, province), 0) == expected
    finishers = [r for r in rows if r[0] == "finished"]
    assert summary["finishers"].get("", 0) == len(finishers)
    assert summary["finishers"].get("female", 0) == sum(1 for r in finishers if r[1] == "female")
    assert summary["finishers"].get("male|M40", 0) == sum(1 for r in finishers if r[1:3] == ("male", "M40"))
    assert summary["age_groups"] == sorted({r[2] for r in rows if r[2]})
    assert summary["provinces"] == sorted({r[3] for r in rows if r[3]})
    assert summary["leader_ms"] == 3_600_000


NAMES = st.lists(st.text(alphabet="abنور ", max_size=8), max_size=30)


@given(NAMES, st.text(alphabet="abنور ", min_size=1, max_size=3), st.sampled_from(["", "male", "female"]))
def test_name_index_finds_what_a_substring_scan_finds(names, needle, gender):
    genders = ["female" if i % 3 == 0 else "male" for i in range(len(names))]
    positions = [i * 2 + 1 for i in range(len(names))]  # listing positions need not be contiguous
    index = search.build([(positions[i], name, genders[i], None, None) for i, name in enumerate(names)])
    assert search.unpack(search.pack(index)) == index
    expected = [positions[i] for i, n in enumerate(names) if needle in n and (not gender or genders[i] == gender)]
    assert index.find(needle, gender) == expected


async def test_a_search_after_new_results_finds_the_new_names(client):
    organiser = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    race = await race_with_results(client, organiser, volunteer)
    url = f"/api/v1/races/{race['id']}/results"
    assert (await client.get(url, params={"q": "runner"})).json()["total"] == 2
    await db.fetch("UPDATE result SET name_key = 'zzz', name = 'Zzz' WHERE race = {}", race["id"])
    await db.fetch("UPDATE race SET results_version = results_version + 1 WHERE id = {}", race["id"])
    from sportsrun.results import state

    await state.forget(race["id"])
    assert (await client.get(url, params={"q": "runner"})).json()["total"] == 0
    assert (await client.get(url, params={"q": "zz"})).json()["total"] == 6


async def test_the_migration_fills_in_counts_for_results_stored_before_them(client):
    organiser = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    race = await race_with_results(client, organiser, volunteer)
    stored = await db.fetch_one("SELECT results_stats FROM race WHERE id = {}", race["id"])
    await db.fetch("UPDATE race SET results_stats = {} WHERE id = {}", "{}", race["id"])

    migration = importlib.import_module("sportsrun.piccolo_migrations.sportsrun_2026_11_24t11_20_33_000000")
    manager = await migration.forwards()
    for step in manager.raw:
        await step()

    filled = await db.fetch_one("SELECT results_stats FROM race WHERE id = {}", race["id"])
    assert _json(filled["results_stats"]) == _json(stored["results_stats"])
    assert _json(filled["results_stats"])["finishers"][""] == 4
    assert _json(filled["results_stats"])["leader_ms"] == 40 * 60_000 + 11_300


def _json(value):
    import json

    return value if isinstance(value, dict) else json.loads(value)


async def test_the_page_the_api_and_the_export_find_the_same_runners(client):
    organiser = await token_headers(client, "organiser")
    volunteer = await token_headers(client, "volunteer")
    race = await race_with_results(client, organiser, volunteer)
    url = f"/api/v1/races/{race['id']}/results"
    totals = []
    for params in ({"q": "runner"}, {"q": "احمد"}, {"q": "un", "gender": "male"}, {"q": "%"}, {"q": "zz"},
                   {"q": f"#{race['bibs'][2]}"}, {"province": "IQ-BG"}):  # fmt: skip
        listed = (await client.get(url, params=params)).json()
        exported = (await client.get(url + ".csv", params=params)).content.decode("utf-8-sig").splitlines()[1:]
        bibs = [int(line.split(",")[3]) for line in exported]
        assert [i["bib"] for i in listed["items"]] == bibs, params
        assert listed["total"] == len(bibs), params
        totals.append(listed["total"])
    assert totals == [2, 1, 1, 0, 0, 1, 2]
