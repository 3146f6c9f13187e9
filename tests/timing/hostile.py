"""Hostile spreadsheets, built for real."""

import io
import os
import struct
import subprocess
import sys
import textwrap
import zipfile

from tests.support import xlsx

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')  # fmt: skip


def zip_bomb(gigabytes: float = 1.0) -> bytes:
    """A workbook whose one sheet inflates to about a gigabyte (a megabyte or so on the wire)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (64 << 20)
            for _ in range(int(gigabytes * 16)):
                sheet.write(block)
    return buffer.getvalue()


def lying_sizes() -> bytes:
    """A sheet that declares a kilobyte but inflates to 50 MB: readers that trust the header get a bomb."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (50 << 20))
    data = bytearray(buffer.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    local = data.find(b"PK\x03\x04" + data[4:4])  # first local header
    while local != -1:
        name_len = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30 : local + 30 + name_len] == name:
            struct.pack_into("<I", data, local + 22, 1024)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_len] == name:
            struct.pack_into("<I", data, central + 24, 1024)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def billion_laughs() -> bytes:
    """A real workbook whose sharedStrings.xml is the classic entity bomb."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([["Bib", "Time"], [1, "0:40:00"]])))
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{entities}]>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            "<si><t>&lol9;</t></si></sst>")  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                content = bomb.encode()
            archive.writestr(item, content)
        if "xl/sharedStrings.xml" not in source.namelist():
            archive.writestr("xl/sharedStrings.xml", bomb)
    return buffer.getvalue()


def million_rows() -> bytes:
    """A million-row sheet, written straight as SpreadsheetML (openpyxl would take minutes)."""
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 1_000_001))
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>')  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def far_cell(row: int = 100_000, column: str = "XFD", written: str = 'r="{ref}"') -> bytes:
    """A workbook of a few hundred bytes with cells at A1 and far away: calamine would allocate every cell
    in between (50 GB for XFD100000) and abort the process. `written` spells the far cell's reference
    attribute, as XML allows it to be written (spaces, single quotes)."""
    import openpyxl
    from openpyxl.utils import column_index_from_string

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Bib"
    sheet.cell(row=row, column=column_index_from_string(column), value=1)
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    ref = f"{column}{row}"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(f'r="{ref}"'.encode(), written.format(ref=ref).encode())
            archive.writestr(item, content)
    return out.getvalue()


def with_sheet(sheet_data: str, padding: int = 0) -> bytes:
    """A real openpyxl workbook whose worksheet's rows are `sheet_data`, written straight as XML. `padding`
    adds that many random bytes in another part, so that the file's compression ratio looks ordinary."""
    import os

    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "Bib"
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f"<sheetData>{sheet_data}</sheetData></worksheet>")  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            archive.writestr(item.filename, content)
        if padding:
            archive.writestr("docProps/padding.bin", os.urandom(padding), compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def moved(content: bytes, name: str) -> bytes:
    """The workbook with its worksheet stored under another name, which its relationships point to:
    calamine reads it from there."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b'Target="/xl/worksheets/sheet1.xml"', f'Target="/{name}"'.encode())
            archive.writestr(name if item.filename == "xl/worksheets/sheet1.xml" else item.filename, data)
    return out.getvalue()


EMPTY_ODS_CONTENT = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                     'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')  # fmt: skip


def renamed_workbook(content: bytes) -> bytes:
    """The workbook part as XL/workbook.xml, beside an empty OpenDocument content.xml: calamine finds parts
    whatever their case and tries .xlsx before .ods."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            name = "XL/workbook.xml" if item.filename == "xl/workbook.xml" else item.filename
            archive.writestr(name, source.read(item.filename))
        archive.writestr("content.xml", EMPTY_ODS_CONTENT)
    return out.getvalue()


def xlsb(row: int = 99_999, column: int = 16_383) -> bytes:
    """A binary workbook (.xlsb) of a few hundred bytes with cells at A1 and (row, column), beside an empty
    content.xml: calamine tries .xlsb before .ods, and its binary cells name their row and column as plain
    numbers."""

    def record(kind: int, payload: bytes = b"") -> bytes:
        size, length = len(payload), b""
        while True:
            size, low = size >> 7, size & 0x7F
            length += bytes([low | (0x80 if size else 0)])
            if not size:
                break
        head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
        return head + length + payload

    def text(value: str) -> bytes:
        return struct.pack("<I", len(value)) + value.encode("utf-16-le")

    def cell(r: int, c: int, value: float) -> bytes:
        return record(0x00, struct.pack("<I", r) + bytes(13)) + record(
            0x05, struct.pack("<II", c, 0) + struct.pack("<d", value)
        )

    book = (record(0x83) + record(0x8F) + record(0x9C, struct.pack("<II", 0, 1) + text("rId1") + text("S"))
            + record(0x90) + record(0x9D, bytes(20)) + record(0x84))  # fmt: skip
    sheet = (record(0x81) + record(0x94, struct.pack("<IIII", 0, row, 0, column)) + record(0x91) + cell(0, 0, 1.0)
             + cell(row, column, 2.0) + record(0x92) + record(0x82))  # fmt: skip
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.bin"/></Relationships>')  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", EMPTY_ODS_CONTENT)
        archive.writestr("xl/workbook.bin", book)
        archive.writestr("xl/_rels/workbook.bin.rels", rels)
        archive.writestr("xl/worksheets/sheet1.bin", sheet)
    return out.getvalue()


# Sheets within the row and column caps whose cells span 40 million positions (1.6 GB and 7 s in calamine):
# named far apart, placed after 200,000 empty rows without references, with a namespace prefix, or with the
# far reference after an attribute value holding ">".
SPARSE_AT_THE_CAPS = {
    "named": '<row r="1"><c r="A1"><v>1</v></c></row><row r="200001"><c r="GR200001"><v>2</v></c></row>',
    "placed": "<row><c><v>1</v></c></row>" + "<row/>" * 199_999 + "<row>" + "<c/>" * 199 + "<c><v>2</v></c></row>",
    "prefixed": "<x:row>"
    + "<x:c/>" * 199
    + "<x:c><v>1</v></x:c></x:row>"
    + "<x:row/>" * 199_999
    + "<x:row><x:c><v>1</v></x:c></x:row>",
    "quoted": '<row r="1"><c r="A1"><v>1</v></c></row><row r="199999"><c x=">" r="GR199999"><v>2</v></c></row>',
}


def far_ods(repeated_rows: int = 50_000, repeated_columns: int = 1_000, tail: str = "") -> bytes:
    """A 1.5 KB .ods with one value after many repeated empty rows and columns: calamine would expand
    the repeats up to it (50 million cells) and abort the process. `tail` goes after the table's rows,
    as LibreOffice writes its own huge repeats of empty rows there."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        '<office:spreadsheet><table:table table:name="Results">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Bib</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>Time</text:p></table:table-cell></table:table-row>'
        f'<table:table-row table:number-rows-repeated="{repeated_rows}"><table:table-cell/></table:table-row>'
        f'<table:table-row><table:table-cell table:number-columns-repeated="{repeated_columns}"/>'
        '<table:table-cell office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell>'
        f"</table:table-row>{tail}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            'manifest:1.0"><manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
        )
    return buffer.getvalue()


def xls(cells: list[tuple[int, int, object]]) -> bytes:
    """An .xls file from xlwt with the given (row, column, value) cells, counted from 0."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Results")
    for row, column, value in cells:
        sheet.write(row, column, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xls_record(content: bytes, kind: int, payload: bytes) -> bytes:
    """`content` with the payload of its one record of this kind replaced by one of the same length."""
    header = struct.pack("<HH", kind, len(payload))
    assert content.count(header) == 1
    at = content.index(header) + len(header)
    return content[:at] + payload + content[at + len(payload) :]


def xls_far_cell() -> bytes:
    """Cells at A1 and IV65536: calamine holds the 16.7 million positions between them (0.7 GB)."""
    return xls([(0, 0, "Bib"), (65_535, 255, 1)])


def xls_dimensions(rows: int = 0xFFFF_FFF0, columns: int = 0xFFFF) -> bytes:
    """A two-cell sheet whose DIMENSIONS record claims billions of rows: calamine reserves room for all of
    them before reading a cell, petabytes, and aborts the process however much memory it has."""
    return _xls_record(xls([(0, 0, "Bib"), (1, 0, 1)]), 0x0200, struct.pack("<IIHHH", 0, rows, 0, columns, 0))


def read_in_512_mb(content: bytes, tmp_path) -> str:
    """What `read_table` says of the file in a fresh process allowed 512 MB (its refusal, if any), then the
    rows of a small CSV read afterwards in the same process, to show it carries on."""
    path = tmp_path / "sheet"
    path.write_bytes(content)
    script = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1 << 29, 1 << 29))
        from sportsrun.core.errors import SheetInvalid
        from sportsrun.core.spreadsheets.reader import read_table
        try:
            read_table(open({str(path)!r}, "rb").read())
        except SheetInvalid as refused:
            print(refused.detail)
        print(read_table(b"Bib,Time\\r\\n7,0:40:00\\r\\n").rows)
    """)
    env = {**os.environ, "SPORTSRUN_SECRET_KEY": "test-secret-key-0123456789abcdef"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    assert "[['Bib', 'Time'], ['7', '0:40:00']]" in done.stdout
    return done.stdout
