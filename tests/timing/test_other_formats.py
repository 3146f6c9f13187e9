"""The .xls and .ods files older Excel and LibreOffice write, built for real (xlwt, odfpy)."""

import io

from tests.support import token_headers
from tests.timing.support import race_with_runners, results, upload


def xls(rows: list[list]) -> bytes:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Results")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ods(rows: list[list]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Results")
    for row in rows:
        tr = TableRow()
        for value in row:
            if isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    doc.write(buffer)
    return buffer.getvalue()


async def test_an_old_excel_xls_file(client):
    race = await race_with_runners(client, await token_headers(client, "organiser"), 3)
    content = xls([["Bib", "Time", "Status"], [1, "0:40:00", ""], [2, 2401.5, ""], [3, "", "DNS"]])
    r = await upload(client, await token_headers(client, "volunteer"), race["id"], content, name="times.xls")
    assert r.status_code == 201, r.text[:300]
    stored = await results(race["id"])
    assert stored[2]["gun_time_ms"] == 2_401_500 and stored[1]["place"] == 1 and stored[3]["status"] == "DNS"


async def test_a_libreoffice_ods_file_in_arabic(client):
    race = await race_with_runners(client, await token_headers(client, "organiser"), 2)
    content = ods([["رقم الصدرية", "الوقت"], [1, "٠:٤١:٠٠"], [2, "لم يكمل"]])
    r = await upload(client, await token_headers(client, "volunteer"), race["id"], content, name="times.ods")
    assert r.status_code == 201, r.text[:300]
    stored = await results(race["id"])
    assert stored[1]["gun_time_ms"] == 2_460_000 and stored[2]["status"] == "DNF"
