"""Where an .ods sheet's content ends, counted without expanding its repeats."""

import io
import zipfile

from sportsrun.core.spreadsheets import ods_extent
from sportsrun.core.spreadsheets import reader as spreadsheets
from tests.timing import hostile
from tests.timing.test_other_formats import ods

# What LibreOffice writes after the data: the rest of the sheet's rows and columns, empty and repeated.
LIBREOFFICE_TAIL = (
    '<table:table-row table:number-rows-repeated="1048573">'
    '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
)


def test_the_extent_is_where_the_last_value_lies():
    content = hostile.far_ods(10, 3)
    xml = zipfile.ZipFile(io.BytesIO(content)).read("content.xml")
    assert ods_extent.extent(xml) == (12, 4)


def test_libreoffice_s_empty_repeats_after_the_data_are_harmless():
    data = hostile.far_ods(10, 3, tail=LIBREOFFICE_TAIL)
    rows = spreadsheets.read_table(data).rows
    assert len(rows) == 12 and rows[-1][-1] == 7.0


def test_a_real_ods_file_reads_as_before():
    data = ods([["Bib", "الوقت"], [1, "0:40:00"], [2, "DNF"]])
    assert spreadsheets.read_table(data).rows[:3] == [["Bib", "الوقت"], [1.0, "0:40:00"], [2.0, "DNF"]]
