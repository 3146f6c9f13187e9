"""Reading uploaded spreadsheets safely: .xlsx/.xlsm/.ods (zip), .xls (OLE2) through python-calamine,
and .csv in UTF-8 or Windows-1256 with its separator detected.

The format is decided by the file's first bytes, never its name. Zip containers are checked against
their declared sizes and entry count, and their sheets measured, before any reader inflates them
(calamine allocates a sheet's whole rectangle); .xls files are read in a child process with a memory
limit (see `xls_sandbox`). Rows, columns and cells are capped. Formulas are never evaluated: readers
return the values cached in the file."""

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

from python_calamine import CalamineWorkbook

from sportsrun.core import ods_extent, sheet_extent, sheet_split, xls_sandbox
from sportsrun.core.errors import RowError, SheetInvalid
from sportsrun.core.i18n import gettext as _

MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_CELLS = 5_000_000  # rows × columns a sheet spans: calamine and then Python hold every one (~40 bytes)
MAX_CELL_CHARS = 2_000
MAX_ZIP_ENTRIES = 2_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200  # a real sheet compresses 5–20×; bombs compress thousands of times
CHUNK = 1 << 20
_UTF16 = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")  # byte-order marks, or "<" in UTF-16

Cell = str | float | int | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


@dataclass(frozen=True, slots=True)
class Table:
    rows: list[list[Cell]]  # rows[0] is the sheet's row 1
    kind: str


# Formats people upload by mistake, recognised by their first bytes: PDF, PNG, JPEG, GIF, WebP/RIFF, HTML.
NOT_SPREADSHEETS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"<!DOCTYPE html", b"<html")


def _refuse(message: str) -> SheetInvalid:
    return SheetInvalid([RowError(None, None, message)], detail=message)


def sniff_kind(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    head = data[:4096]
    if head.startswith(NOT_SPREADSHEETS):
        raise _refuse(_("This is not a spreadsheet: upload .xlsx, .xls, .ods or .csv."))
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(_("This is not a spreadsheet: upload .xlsx, .xls, .ods or .csv."))
    return "csv"


def check_zip(data: bytes) -> tuple[dict[str, bytes], str] | None:
    """Refuses, before any reader inflates it: too many parts, declared sizes out of proportion, sizes
    that lie (zipfile stops at the declared size and the checksum then fails), XML with a DOCTYPE (entity
    bombs; spreadsheets never carry one), and sheets whose content reaches past the row or column cap.

    For a big one-sheet .xlsx, also returns its XML parts as checked and the worksheet's name, so that
    the sheet can be parsed in two halves (`sheet_split`) without inflating it again."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise _refuse(_("The file holds too many parts to be a spreadsheet."))
            total = sum(e.file_size for e in entries)
            if total > MAX_UNCOMPRESSED or total > max(len(data), 1) * MAX_RATIO:
                raise _refuse(_("The file expands to far more than a spreadsheet of its size: it was refused."))
            # calamine finds parts whatever their case or slashes, and reads a zip as .xlsx, else .xlsb, else
            # .ods: the checks look at the parts it would read.
            names = [_normal(e.filename) for e in entries]
            if len(set(names)) != len(names):
                raise _damaged()  # two parts under one name: which one a reader takes is its own choice
            if "xl/workbook.bin" in names or not ({"xl/workbook.xml", "content.xml"} & set(names)):
                raise _refuse(_("This is not a spreadsheet: upload .xlsx, .xls, .ods or .csv."))
            xml = [e for e in entries if _normal(e.filename).endswith((".xml", ".rels"))]
            split = sheet_split.worth_splitting({e.filename: e.file_size for e in xml})
            content = next((e for e in entries if _normal(e.filename) == "content.xml"), None)
            # A workbook's relationships may name any part as a worksheet: every part is scanned as one.
            workbook = "xl/workbook.xml" in names
            scans = {e.filename: _scan_xml(archive, e, keep=split is not None or e is content, sheet=workbook)
                     for e in (entries if workbook else xml)}  # fmt: skip
            if workbook:
                for entry in entries:
                    _reach(archive, entry, scans[entry.filename])
            parts = {e.filename: scans[e.filename].chunks for e in xml}
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, RuntimeError):  # RuntimeError: encrypted
        raise _damaged() from None
    if content is not None:  # OpenDocument: where its content ends, before calamine expands it
        _fits(*ods_extent.extent(b"".join(parts.pop(content.filename))))
    return None if split is None else ({name: b"".join(chunks) for name, chunks in parts.items()}, split)


# A cell far away (XFD100000 in a 2 KB file) makes calamine allocate every cell up to it and abort the
# process (tafia/calamine#693): references past the caps are refused before it reads the sheet. Quick
# patterns find what might be one, in the form every spreadsheet program writes (a two-letter column or a
# six-digit row) or written another way XML allows (spaces, tabs or line breaks around "=", single
# quotes); only then does the exact pattern run.
_MAYBE_FAR = re.compile(rb'r(?:="(?:[A-Za-z]?\d{6}|[A-Za-z]{2})|\s+=|=\s)')
_ODD_BYTES = (b"'", b"\t", b"\n", b"\r")
_PAST_ROWS = rb"(?:\d{7,}|(?:[3-9]\d{5}|2[1-9]\d{4}|20[1-9]\d{3}|200[1-9]\d\d|2000[1-9]\d|20000[2-9])(?!\d))"
_PAST_COLUMNS = rb"(?:[A-Za-z]{3,}|[Gg][S-Zs-z]|[H-Zh-z][A-Za-z])\d"  # past column GR, the 200th
# An attribute named r, after the space or quote ending the one before (calamine reads `t="n"r="C5"` too),
# so that another attribute ending in r (a theme's dir="5400000") is not taken for one.
_FAR = re.compile(rb"(?<=[\s\"'])r\s*=\s*[\"']\s*(?:" + _PAST_COLUMNS + rb"|[A-Za-z]{0,2}" + _PAST_ROWS + rb")")
assert MAX_ROWS == 200_000 and MAX_COLUMNS == 200, "the patterns above spell out the caps"


def _normal(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").lower()


def _references(text: bytes, start: int = 0) -> bool | None:
    """True for a reference past the caps; False for one that might reach far or is spelt unusually (the
    sheet's reach is then measured); None for none of them."""
    if _MAYBE_FAR.search(text, start) is None and all(text.find(byte, start) == -1 for byte in _ODD_BYTES):
        return None
    return _FAR.search(text, start) is not None


@dataclass(slots=True)
class _Scan:
    chunks: list[bytes]  # the part's, when it was to be kept
    unusual: bool = False  # a worksheet with references that may reach far or are spelt unusually
    placed: bool = False  # a worksheet with cells placed after the one before (no reference)


def _scan_xml(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, keep: bool, sheet: bool) -> _Scan:
    """Refuses a part with XML declarations or, if it may be a worksheet (`sheet`), a reference past the
    caps; notes what says whether the worksheet's reach must be measured (`sheet_extent`)."""
    scan = _Scan([])
    tail, first = b"", True
    with archive.open(entry) as stream:
        while chunk := stream.read(CHUNK):
            if keep:
                scan.chunks.append(chunk)
            start = 0
            if first:
                head = chunk[:4096].upper()
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise _refuse(_("The file contains XML declarations a spreadsheet never has: it was refused."))
                if chunk.startswith(_UTF16):  # text the patterns here cannot see; spreadsheets write UTF-8
                    raise _damaged()
                # The declaration's line break is not one of the sheet's.
                start = max(chunk.find(b"<", chunk.find(b"?>") + 2), 0) if chunk.startswith(b"<?") else 0
                first = False
            if not sheet:
                continue
            # Something cut by the chunk boundary is seen whole in the tail and the next chunk's start.
            edge = tail + chunk[:64] if tail else b""
            found = (_references(chunk, start), _references(edge) if edge else None)
            if True in found:
                raise _too_large()
            scan.unusual = scan.unusual or found != (None, None)
            scan.placed = scan.placed or sheet_extent.placed(chunk, start) or (bool(edge) and sheet_extent.placed(edge))
            tail = chunk[-64:]
    return scan


def _reach(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, scan: _Scan) -> None:
    """Refuses a worksheet whose cells reach past the caps, measured only when its scan says it might."""
    if not (scan.unusual or scan.placed):
        return  # no row past 99,999 and no column past Z: within MAX_CELLS
    xml = b"".join(scan.chunks) if scan.chunks else archive.read(entry)
    _fits(*(sheet_extent.followed(xml) if scan.placed else sheet_extent.referenced(xml)))


def _damaged() -> SheetInvalid:
    return _refuse(_("The file is damaged: it could not be opened as a spreadsheet."))


def _too_large() -> SheetInvalid:
    return _refuse(_("The sheet is too large: at most {rows} rows, {cols} columns and {cells} cells.",
                     rows=MAX_ROWS, cols=MAX_COLUMNS, cells=MAX_CELLS))  # fmt: skip


def _fits(height: int, width: int) -> None:
    if height > MAX_ROWS + 1 or width > MAX_COLUMNS or height * width > MAX_CELLS:
        raise _too_large()


def _from_calamine(data: bytes, checked: tuple[dict[str, bytes], str] | None = None) -> list[list[Cell]]:
    try:
        if checked is not None:
            rows = sheet_split.read_split(*checked, fits=_fits)
            del checked  # not kept alive through a whole parse
            if rows is not None:
                return rows
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        _fits(sheet.height, sheet.width)
        return sheet.to_python(skip_empty_area=False)
    except SheetInvalid:
        raise
    except Exception:  # calamine raises its own error types for every kind of damage
        raise _damaged() from None


def _from_xls(data: bytes) -> list[list[Cell]]:
    try:
        return xls_sandbox.read(data, MAX_ROWS + 1, MAX_COLUMNS, MAX_CELLS)
    except xls_sandbox.TooLarge:
        raise _too_large() from None
    except xls_sandbox.Damaged:
        raise _damaged() from None


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Excel "Save as CSV" on an Arabic Windows writes Windows-1256, which can decode any byte; text in
    # another encoding shows up as mostly non-letters there.
    text = data.decode("cp1256")
    foreign = [c for c in text if ord(c) > 127]
    letters = sum(1 for c in foreign if unicodedata.category(c).startswith("L"))
    if foreign and letters < 0.8 * len(foreign):
        raise _refuse(_("The text file's encoding is not UTF-8 or Windows-1256: save it as CSV UTF-8."))
    return text


def _from_csv(data: bytes) -> list[list[Cell]]:
    text = decode_text(data)
    sample = "\n".join(text.splitlines()[:20])
    delimiter = max((",", ";", "\t"), key=sample.count)
    rows: list[list[Cell]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            raise _refuse(_("A cell holds more than {n} characters.", n=MAX_CELL_CHARS)) from None
        if len(rows) > MAX_ROWS:
            raise _too_large()
        if len(row) > MAX_COLUMNS:
            raise _too_large()
        rows.append(list(row))
    return rows


def read_table(data: bytes, clean: bool = True) -> Table:
    """The first sheet's cells. With `clean`, text is stripped and blank cells are None; without it (the
    timing import, which reads only a few columns of tens of thousands of rows) cells are as read, and
    only the length cap is enforced. Whole numbers come back as floats from calamine: callers normalise."""
    kind = sniff_kind(data)
    if kind == "zip":
        rows = _from_calamine(data, check_zip(data))
    elif kind == "xls":
        rows = _from_xls(data)
    else:
        rows = _from_csv(data)
    for number, row in enumerate(rows, start=1):
        for value in row:
            if value.__class__ is str and len(value) > MAX_CELL_CHARS and len(value.strip()) > MAX_CELL_CHARS:
                raise SheetInvalid(
                    [RowError(number, None, _("A cell holds more than {n} characters.", n=MAX_CELL_CHARS))]
                )
    if not clean:
        return Table(rows=rows, kind=kind)
    cleaned = [[(v.strip() or None) if v.__class__ is str else v for v in row] for row in rows]
    return Table(rows=cleaned, kind=kind)


def is_blank(row: list[Any]) -> bool:
    return all(v is None or v == "" for v in row)
