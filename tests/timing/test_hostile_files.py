"""Hostile files get a clear 4xx, promptly, with nothing written, and the server keeps serving."""

import os
import time

import httpx
import pytest

from tests.server import running_server
from tests.support import make_user, row_counts, token_headers, xlsx
from tests.timing import hostile
from tests.timing.support import csv_bytes, race_with_runners, upload


@pytest.fixture
async def setup(client):
    organiser = await token_headers(client, "organiser")
    race = await race_with_runners(client, organiser, 2)
    return race, await token_headers(client, "volunteer")


def cpu_seconds() -> float:
    """CPU time of this process and of the sandbox children it has waited for: the cost of a refusal, which
    other work on a busy machine does not stretch as it stretches the wall clock."""
    spent = os.times()
    return spent.user + spent.system + spent.children_user + spent.children_system


async def refused(client, race, volunteer, content, name="times.xlsx", status=422, within=5.0) -> dict:
    before = await row_counts()
    started = cpu_seconds()
    r = await upload(client, volunteer, race["id"], content, name=name)
    assert r.status_code == status, r.text[:300]
    assert cpu_seconds() - started < within
    assert await row_counts() == before
    return r.json()


async def test_not_a_spreadsheet_by_content_whatever_its_name(client, setup):
    race, volunteer = setup
    for content in (b"\x89PNG\r\n\x1a\n" + bytes(200), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", b"GIF89a" + bytes(50)):
        body = await refused(client, race, volunteer, content, name="times.xlsx")
        assert "not a spreadsheet" in body["detail"]
    import io
    import zipfile

    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    assert "not a spreadsheet" in (await refused(client, race, volunteer, docx.getvalue()))["detail"]


async def test_a_zip_whose_sizes_lie(client, setup):
    race, volunteer = setup
    await refused(client, race, volunteer, hostile.lying_sizes())


async def test_an_xml_entity_bomb(client, setup):
    race, volunteer = setup
    body = await refused(client, race, volunteer, hostile.billion_laughs())
    assert "XML" in body["detail"]


async def test_a_million_row_sheet(client, setup):
    race, volunteer = setup
    body = await refused(client, race, volunteer, hostile.million_rows())
    assert "too large" in body["detail"]


@pytest.mark.parametrize(
    ("row", "column", "written"),
    [
        (100_000, "XFD", 'r="{ref}"'),
        (1_048_576, "B", 'r="{ref}"'),
        (200_002, "A", 'r="{ref}"'),
        (10, "GS", 'r="{ref}"'),
        (100_000, "XFD", "r = '{ref}'"),
        (100_000, "XFD", 'r=\n"{ref}"'),
    ],
)
async def test_a_tiny_sheet_with_a_cell_far_away(client, setup, row, column, written):
    """calamine would allocate every cell up to it and abort the server (tafia/calamine#693)."""
    race, volunteer = setup
    content = hostile.far_cell(row, column, written)
    assert len(content) < 10_000
    body = await refused(client, race, volunteer, content, within=2.0)
    assert "too large" in body["detail"]


@pytest.mark.parametrize(("rows", "columns"), [(50_000, 1_000), (250_000, 1), (1, 5_000)])
async def test_a_tiny_ods_with_a_value_after_long_repeats(client, setup, rows, columns):
    race, volunteer = setup
    content = hostile.far_ods(rows, columns)
    body = await refused(client, race, volunteer, content, name="times.ods", within=2.0)
    assert "too large" in body["detail"]


@pytest.mark.parametrize("layout", sorted(hostile.SPARSE_AT_THE_CAPS))
async def test_a_small_sheet_spanning_millions_of_cells_within_the_caps(client, setup, layout):
    """calamine would hold every position between its cells: 1.6 GB and 7 s from a few kilobytes."""
    race, volunteer = setup
    content = hostile.with_sheet(hostile.SPARSE_AT_THE_CAPS[layout], padding=40_000)
    assert len(content) < 100_000
    body = await refused(client, race, volunteer, content, within=2.0)
    assert "too large" in body["detail"]


@pytest.mark.parametrize("build", [hostile.xls_far_cell, hostile.xls_dimensions], ids=["far cell", "dimensions"])
async def test_a_tiny_xls_asking_for_more_memory_than_there_is(client, setup, build):
    """calamine trusts the sizes an .xls gives: read in this process, the DIMENSIONS file aborts it."""
    race, volunteer = setup
    body = await refused(client, race, volunteer, build(), name="times.xls", within=5.0)
    assert "too large" in body["detail"]
    sheet = hostile.xls([(0, 0, "Bib"), (0, 1, "Time"), (1, 0, 1), (1, 1, "0:40:00")])
    r = await upload(client, volunteer, race["id"], sheet, name="times.xls", dry_run=True)
    assert r.status_code == 200 and r.json()["finishers"] == 1, r.text[:300]


async def test_cells_up_to_the_caps_are_read(client, setup):
    race, volunteer = setup
    for content in (hostile.far_cell(200_001, "A"), hostile.far_cell(20, "GR")):
        r = await upload(client, volunteer, race["id"], content, dry_run=True)
        assert r.status_code == 422 and "too large" not in r.text, r.text[:300]


async def test_csv_with_a_million_columns_an_overlong_cell_or_an_unknown_encoding(client, setup):
    race, volunteer = setup
    wide = ("Bib," + ",".join(["x"] * 1_000_000) + "\r\n1,0:40:00\r\n").encode()
    assert "too large" in (await refused(client, race, volunteer, wide, name="t.csv"))["detail"]
    long_cell = csv_bytes([["Bib", "Time", "Note"], [1, "0:40:00", "x" * 200_000]])
    assert "characters" in (await refused(client, race, volunteer, long_cell, name="t.csv"))["detail"]
    shift_jis = "ゼッケン,タイム\r\n1,0:40:00\r\n".encode("shift_jis") * 20
    assert "encoding" in (await refused(client, race, volunteer, shift_jis, name="t.csv"))["detail"]


async def test_over_the_size_limit_is_413(client, setup):
    race, volunteer = setup
    await refused(client, race, volunteer, b"Bib,Time\r\n" + b"1,0:40:00\r\n" * 1_100_000, name="t.csv", status=413)


async def test_the_uploaded_name_is_only_a_label(client, setup):
    race, volunteer = setup
    r = await upload(
        client, volunteer, race["id"], xlsx([["Bib", "Time"], [1, "0:40:00"]]), name="../../../../etc/passwd"
    )
    assert r.status_code == 201
    from sportsrun.core.db import sql as db

    [record] = await db.fetch("SELECT filename FROM result_import")
    assert record["filename"] == "../../../../etc/passwd"


@pytest.mark.slow
@pytest.mark.server
async def test_a_gigabyte_zip_bomb_through_a_real_server_which_keeps_serving(client):
    organiser = await token_headers(client, "organiser")
    race = await race_with_runners(client, organiser, 2)
    await make_user("volunteer", "bomb@example.test")
    bomb = hostile.zip_bomb(1.0)
    assert len(bomb) < 10 << 20
    with running_server(workers=1) as server:
        async with httpx.AsyncClient(base_url=server.base, timeout=60) as http:
            token = (
                await http.post(
                    "/api/v1/auth/token", json={"email": "bomb@example.test", "password": "a long enough password"}
                )
            ).json()
            auth = {"Authorization": f"Bearer {token['token']}"}
            before = await row_counts()
            started = time.monotonic()
            r = await http.post(
                f"/api/v1/races/{race['id']}/results/imports", headers=auth, files={"file": ("bomb.xlsx", bomb)}
            )
            assert r.status_code == 422 and time.monotonic() - started < 5
            for content in (hostile.million_rows(), hostile.billion_laughs(), hostile.far_cell()):
                r = await http.post(
                    f"/api/v1/races/{race['id']}/results/imports", headers=auth, files={"file": ("x.xlsx", content)}
                )
                assert r.status_code == 422
            assert (await http.get("/api/v1/provinces")).status_code == 200
            assert await row_counts() == before
