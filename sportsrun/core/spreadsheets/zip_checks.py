"""Checking a zip container (.xlsx, .xlsm, .ods) before any reader inflates it.

calamine allocates a sheet's whole rectangle and trusts what a file declares, so a few hundred bytes can
make it allocate gigabytes and abort the process. Declared sizes, entry counts, XML declarations and the
reach of every part that may be read as a worksheet are checked here first."""

import io
import re
import zipfile
from dataclasses import dataclass

from sportsrun.core.i18n import gettext as _
from sportsrun.core.spreadsheets import ods_extent, sheet_extent, sheet_split
from sportsrun.core.spreadsheets.limits import (
    CHUNK,
    MAX_COLUMNS,
    MAX_RATIO,
    MAX_ROWS,
    MAX_UNCOMPRESSED,
    MAX_ZIP_ENTRIES,
    damaged,
    fits,
    refuse,
    too_large,
)

_UTF16 = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")  # byte-order marks, or "<" in UTF-16


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
                raise refuse(_("The file holds too many parts to be a spreadsheet."))
            total = sum(e.file_size for e in entries)
            if total > MAX_UNCOMPRESSED or total > max(len(data), 1) * MAX_RATIO:
                raise refuse(_("The file expands to far more than a spreadsheet of its size: it was refused."))
            # calamine finds parts whatever their case or slashes, and reads a zip as .xlsx, else .xlsb, else
            # .ods: the checks look at the parts it would read.
            names = [_normal(e.filename) for e in entries]
            if len(set(names)) != len(names):
                raise damaged()  # two parts under one name: which one a reader takes is its own choice
            if "xl/workbook.bin" in names or not ({"xl/workbook.xml", "content.xml"} & set(names)):
                raise refuse(_("This is not a spreadsheet: upload .xlsx, .xls, .ods or .csv."))
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
        raise damaged() from None
    if content is not None:  # OpenDocument: where its content ends, before calamine expands it
        fits(*ods_extent.extent(b"".join(parts.pop(content.filename))))
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
                    raise refuse(_("The file contains XML declarations a spreadsheet never has: it was refused."))
                if chunk.startswith(_UTF16):  # text the patterns here cannot see; spreadsheets write UTF-8
                    raise damaged()
                # The declaration's line break is not one of the sheet's.
                start = max(chunk.find(b"<", chunk.find(b"?>") + 2), 0) if chunk.startswith(b"<?") else 0
                first = False
            if not sheet:
                continue
            # Something cut by the chunk boundary is seen whole in the tail and the next chunk's start.
            edge = tail + chunk[:64] if tail else b""
            found = (_references(chunk, start), _references(edge) if edge else None)
            if True in found:
                raise too_large()
            scan.unusual = scan.unusual or found != (None, None)
            scan.placed = scan.placed or sheet_extent.placed(chunk, start) or (bool(edge) and sheet_extent.placed(edge))
            tail = chunk[-64:]
    return scan


def _reach(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, scan: _Scan) -> None:
    """Refuses a worksheet whose cells reach past the caps, measured only when its scan says it might."""
    if not (scan.unusual or scan.placed):
        return  # no row past 99,999 and no column past Z: within MAX_CELLS
    xml = b"".join(scan.chunks) if scan.chunks else archive.read(entry)
    fits(*(sheet_extent.followed(xml) if scan.placed else sheet_extent.referenced(xml)))
