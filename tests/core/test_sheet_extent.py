"""A worksheet's reach is measured from its XML as calamine would place its cells, before calamine
allocates a cell for every position up to the farthest."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from sportsrun.core.spreadsheets import reader as spreadsheets
from sportsrun.core.spreadsheets import sheet_extent, zip_checks
from tests.timing import hostile


def calamine_reach(sheet_data: str) -> tuple[int, int]:
    """(rows, columns) from the first position to the last cell calamine read."""
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(hostile.with_sheet(sheet_data))).get_sheet_by_index(0)
    return (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end is not None else (0, 0)


def covers(bound: tuple[int, int], reach: tuple[int, int]) -> bool:
    return bound[0] >= reach[0] and bound[1] >= reach[1]


# How a reference may be written: as spreadsheet programs do, or as calamine also reads it.
PLAIN = ' r="{}"'
ODD = (' t="n"r="{}"', ' r="A1" r="{}"', ' x:r="{}"', " r = '{}'")


@st.composite
def sheets(draw, spellings=(PLAIN,)) -> str:
    """Rows and cells with and without references, in any order calamine accepts, every cell with a value."""
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        row = draw(st.one_of(st.none(), st.integers(1, 40)))
        prefix = draw(st.sampled_from(["", "x:"]))  # declared on the worksheet by with_sheet
        cells = []
        for _ in range(draw(st.integers(0, 5))):
            value = f"<v>{draw(st.integers(1, 9))}</v>"
            cell = draw(st.sampled_from(["c", "x:c"]))
            if draw(st.booleans()):
                cells.append(f"<{cell}>{value}</{cell}>")
            else:
                column = get_column_letter(draw(st.integers(1, 60)))
                written = draw(st.sampled_from(spellings)).format(f"{column}{draw(st.integers(1, 40))}")
                cells.append(f"<{cell}{written}>{value}</{cell}>")
        opening = f"<{prefix}row{draw(st.sampled_from(spellings)).format(row)}>" if row else f"<{prefix}row>"
        parts.append(opening + "".join(cells) + f"</{prefix}row>")
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets())
def test_cells_are_followed_to_where_calamine_places_them(sheet_data):
    assert sheet_extent.followed(sheet_data.encode()) == calamine_reach(sheet_data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets(spellings=(PLAIN, *ODD)))
def test_odd_spellings_are_bounded_at_least_as_far_as_calamine_reaches(sheet_data):
    try:
        reach = calamine_reach(sheet_data)
    except Exception:  # calamine refuses some of these spellings itself
        return
    assert covers(sheet_extent.followed(sheet_data.encode()), reach)


def test_empty_cells_count_and_odd_spellings_are_bounded_as_calamine_reads_them():
    assert sheet_extent.followed(b"<row><c/><c/><c><v>1</v></c></row><row/><row/>") == (1, 3)
    assert calamine_reach("<row><c/><c/><c><v>1</v></c></row>") == (1, 3)
    # calamine reads an r written straight after another attribute, and the last of two r's.
    odd = '<row><c t="n"r="C5"><v>1</v></c><c><v>1</v></c></row>'
    assert calamine_reach(odd) == (5, 4) and covers(sheet_extent.followed(odd.encode()), (5, 4))
    two = '<row><c r="A1" r="E9"><v>1</v></c><c><v>1</v></c></row>'
    assert calamine_reach(two) == (9, 6) and covers(sheet_extent.followed(two.encode()), (9, 6))
    # A row whose r is not read here: the rows after it may follow any row number.
    lost = '<row t="1"r="7"><c><v>1</v></c></row><row><c><v>1</v></c></row>'
    assert calamine_reach(lost) == (8, 1) and covers(sheet_extent.followed(lost.encode()), (8, 1))
    # A prefixed r is not a reference to calamine: the cell is placed after the one before.
    prefixed = '<row><c x:r="C5"><v>1</v></c><c><v>2</v></c></row>'
    assert calamine_reach(prefixed) == sheet_extent.followed(prefixed.encode()) == (1, 2)


def test_references_alone_when_every_cell_has_one():
    cells = "".join(f'<c r="{get_column_letter(c)}{{row}}"><v>1</v></c>' for c in range(1, 31))
    sheet_data = "".join(f'<row r="{row}">{cells.format(row=row)}</row>' for row in range(1, 301))
    assert sheet_extent.referenced(sheet_data.encode()) == calamine_reach(sheet_data) == (300, 30)
    assert sheet_extent.referenced(b"<row r='4'><c r = 'ab7'><v>1</v></c></row>") == (7, 28)


def test_a_typical_sheet_is_not_measured_and_a_wide_one_still_reads():
    """Cells written as every spreadsheet program does, up to column Z, need no measuring; past it they
    are measured and read."""
    typical = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="Z{r}"><v>1</v></c></row>' for r in range(1, 99))
    assert not sheet_extent.placed(typical.encode())
    assert zip_checks._references(typical.encode()) is None
    wide = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="GR{r}"><v>1</v></c></row>' for r in range(1, 99))
    assert zip_checks._references(wide.encode()) is False
    rows = spreadsheets.read_table(hostile.with_sheet(wide)).rows
    assert len(rows) == 98 and len(rows[0]) == 200


@pytest.mark.parametrize(
    ("layout", "stored_as"),
    [*((layout, None) for layout in sorted(hostile.SPARSE_AT_THE_CAPS)), ("named", "xl/data.xml"),
     ("placed", "results.bin"), ("far", "xl/styles2.xml"), ("far", "renamed workbook"), ("far", "xlsb")],
)  # fmt: skip
def test_refused_before_calamine_allocates_them(tmp_path, layout, stored_as):
    """In a process allowed 512 MB: calamine takes 1.3 GB for these sheets (and 50 GB for the far cell,
    aborting), wherever in the file the workbook says its worksheet is."""
    if layout == "far":
        content = hostile.far_cell(100_000, "XFD")
    else:
        content = hostile.with_sheet(hostile.SPARSE_AT_THE_CAPS[layout], padding=40_000)
    if stored_as == "renamed workbook":
        content = hostile.renamed_workbook(content)
    elif stored_as == "xlsb":
        content = hostile.xlsb()
    elif stored_as:
        content = hostile.moved(content, stored_as)
    said = hostile.read_in_512_mb(content, tmp_path)
    assert ("not a spreadsheet" if stored_as == "xlsb" else "too large") in said


@pytest.mark.parametrize("chunk", [997, 1000, 1003, 4096])
def test_tags_cut_by_the_chunks_the_sheet_is_read_in(monkeypatch, chunk):
    """The sheet is inflated a chunk at a time: a typical cell cut in two is not taken for an unusual one,
    and an unusual one cut in two is still found."""
    import zipfile

    monkeypatch.setattr(zip_checks, "CHUNK", chunk)
    typical = "".join(f'<row r="{r}"><c r="A{r}" t="n"><v>{r}</v></c><c r="B{r}" s="1"><v>2</v></c></row>'
                      for r in range(1, 400))  # fmt: skip

    def scan(sheet_data: str) -> tuple[bool, bool]:
        archive = zipfile.ZipFile(io.BytesIO(hostile.with_sheet(sheet_data)))
        found = zip_checks._scan_xml(archive, archive.getinfo("xl/worksheets/sheet1.xml"), keep=False, sheet=True)
        return found.unusual, found.placed

    unusual = '<row><c t="n"><v>1</v></c></row>'
    for shift in range(len(unusual) + 8):  # every cut of the typical cells, and of the unusual one
        padding = f'<row r="1"><c r="A1" t="inlineStr"><is><t>{"x" * shift}</t></is></c></row>'
        assert scan(padding + typical) == (False, False)
        at = chunk - len(padding) - 20  # the unusual cell straddles the first chunk's end
        cut = typical.index("<row", max(at, 0))
        assert scan(padding + typical[:cut] + unusual + typical[cut:])[1]
    assert sheet_extent.placed(b'<row r="1"><c r') is sheet_extent.placed(b'<row r="1"><c t') is False
    assert sheet_extent.placed(b'<row r="1"><c t="n">') is True


def test_an_encrypted_part_is_refused_as_damaged():
    import zipfile

    data = bytearray(hostile.with_sheet('<row r="1"><c r="A1"><v>1</v></c></row>'))
    name = b"xl/worksheets/sheet1.xml"
    entry = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name.decode())
    data[entry.header_offset + 6] |= 0x1  # "encrypted" in the local header and the central directory
    central = data.index(b"PK\x01\x02")  # the first central directory record
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 8] |= 0x1
    with pytest.raises(RuntimeError):  # what zipfile does without a password
        zipfile.ZipFile(io.BytesIO(bytes(data))).read(name.decode())
    with pytest.raises(spreadsheets.SheetInvalid, match="damaged"):
        spreadsheets.read_table(bytes(data))


def test_two_parts_under_one_name_are_refused():
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(hostile.with_sheet('<row r="1"><c r="A1"><v>1</v></c></row>')))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            archive.writestr(item.filename, source.read(item.filename))
        archive.writestr("XL/Worksheets/Sheet1.xml", source.read("xl/worksheets/sheet1.xml"))
    with pytest.raises(spreadsheets.SheetInvalid, match="damaged"):
        spreadsheets.read_table(out.getvalue())


def test_an_ods_whose_content_is_named_in_capitals_is_still_measured():
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(hostile.far_ods()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            name = "CONTENT.XML" if item.filename == "content.xml" else item.filename
            archive.writestr(name, source.read(item.filename))
    with pytest.raises(spreadsheets.SheetInvalid, match="too large"):
        spreadsheets.read_table(out.getvalue())
