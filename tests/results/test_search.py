"""The name-search index is built with the results: stored with every change of them, so that a worker's
first search after an import loads it instead of reading every name."""

from sportsrun.core.db import sql as db
from sportsrun.results import queries, search
from tests.results.support import race_with_results
from tests.support import token_headers


async def stored_version(race_id: int) -> int | None:
    row = await db.fetch_one("SELECT results_version FROM result_name_index WHERE race = {}", race_id)
    return row and row["results_version"]


async def results_version(race_id: int) -> int:
    return (await db.fetch_one("SELECT results_version FROM race WHERE id = {}", race_id))["results_version"]


def names_never_read(monkeypatch) -> list[int]:
    """Races whose names were read row by row to build an index."""
    read = []
    original = queries.names

    async def names(race_id):
        read.append(race_id)
        return await original(race_id)

    monkeypatch.setattr(queries, "names", names)
    return read


async def test_the_index_is_stored_with_the_results(client, monkeypatch):
    organiser = await token_headers(client, "organiser")
    race = await race_with_results(client, organiser, await token_headers(client, "volunteer"))
    assert await stored_version(race["id"]) == await results_version(race["id"]) > 0
    read = names_never_read(monkeypatch)
    search.forget()  # a worker that has not searched yet
    url = f"/api/v1/races/{race['id']}/results"
    found = (await client.get(url, params={"q": "احمد"})).json()
    assert found["total"] == 1 and found["items"][0]["name"].startswith("أحمد")
    for filters, total in [({}, 2), ({"gender": "male"}, 1), ({"gender": "female", "province": "IQ-AR"}, 0),
                           ({"province": "IQ-AR"}, 1), ({"province": "IQ-XX"}, 0)]:  # fmt: skip
        assert (await client.get(url, params={"q": "runner", **filters})).json()["total"] == total, filters
    assert read == []  # loaded, not built

    # A hand correction stores a new version of the results and of the index with them.
    r = await client.patch(
        f"/api/v1/races/{race['id']}/results/{race['bibs'][0]}",
        json={"status": "DQ", "reason": "course cut"},
        headers=organiser,
    )
    assert r.status_code == 200, r.text
    assert await stored_version(race["id"]) == await results_version(race["id"])
    found = (await client.get(url, params={"q": "احمد"})).json()
    assert found["total"] == 1 and found["items"][0]["status"] == "DQ" and read == []


async def test_results_without_a_stored_index_are_indexed_from_their_rows(client, monkeypatch):
    race = await race_with_results(
        client, await token_headers(client, "organiser"), await token_headers(client, "volunteer")
    )
    await db.fetch("DELETE FROM result_name_index WHERE race = {}", race["id"])
    read = names_never_read(monkeypatch)
    search.forget()
    assert (await client.get(f"/api/v1/races/{race['id']}/results", params={"q": "runner"})).json()["total"] == 2
    assert read == [race["id"]]
