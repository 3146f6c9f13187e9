"""Understanding a timing sheet from its cells: the header, each row's result, and the errors and warnings
the volunteer sees with the row and column to find them by."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sportsrun.timing.sheet import RaceFacts, understand

IRAQ = dt.timezone(dt.timedelta(hours=3))
TEN_K = RaceFacts(10000, dt.datetime(2027, 3, 20, 7, 30, tzinfo=IRAQ), "gun")
RUNNERS = {bib: object() for bib in range(1, 21)}


def read(rows, race=TEN_K, **kwargs):
    return understand(rows, race, RUNNERS, **kwargs)


def messages(found):
    return [(e.row, e.column, e.message) for e in found]


def test_the_header_below_a_title_and_each_row_as_a_result():
    understood = read([["Spring 10K"], [], ["Bib", "Name", "5K", "Time", "Chip time"],
                       [1.0, "A", dt.timedelta(minutes=20), dt.timedelta(minutes=41, seconds=2), "0:40:58"],
                       [2.0, "B", None, "0:43:00.4", None],
                       [None, None, None, None, None],
                       ["3", "C", "-", "DNF", None]])  # fmt: skip
    assert understood.header_row == 3 and understood.errors == [] and understood.warnings == []
    assert understood.columns == {"bib": "Bib", "split:5K": "5K", "gun_time": "Time", "chip_time": "Chip time"}
    assert [tuple(r) for r in understood.rows] == [
        (4, 1, "finished", 2_462_000, 2_458_000, [("5K", 1_200_000)]),
        (5, 2, "finished", 2_580_400, None, []),
        (7, 3, "DNF", None, None, []),
    ]
    assert understood.rows_read == 3 and understood.counts() == {"finishers": 2, "dnf": 1, "dns": 0, "dq": 0}
    assert [number for number, _cells in understood.preview] == [4, 5, 7]
    assert understood.preview[0][1][:2] == ["1", "A"]


def test_errors_name_the_row_and_the_sheets_own_column():
    understood = read([["رقم الصدرية", "الوقت"], [1, "0:40:00"], [1, "0:41:00"], [99, "0:42:00"], [21, "0:43:00"],
                       [None, "0:44:00"], ["x7", "0:45:00"], [4, None], [5, "0:00:00"], [6, "soon"]],
                      elsewhere={21: "5K"}.get)  # fmt: skip
    assert messages(understood.errors) == [
        (3, "رقم الصدرية", "Bib 1 is also on row 2."),
        (4, "رقم الصدرية", "No runner holds bib 99 in this race."),
        (5, "رقم الصدرية", "Bib 21 is registered in 5K, not in this race."),
        (6, "رقم الصدرية", "A time without a bib."),
        (7, "رقم الصدرية", "The bib “x7” could not be read."),
        (8, "رقم الصدرية", "Bib 4 has neither a time nor a status."),
        (9, "الوقت", "The time is zero or negative."),
        (10, "الوقت", "The time could not be read (write it like 1:02:33 or 42:10)."),
    ]
    assert [r.bib for r in understood.rows] == [1]
    assert understood.bibs == {1, 99, 21, 4, 5, 6}  # every readable bib, for "registered but absent"


def test_warnings_keep_the_row():
    understood = read([["Bib", "Time", "Chip", "10K", "Status"],
                       [1, "0:40:00", "0:41:00", None, None],
                       [2, "0:40:00", None, "0:45:00", None],
                       [3, "0:40:00", None, None, "DQ"],
                       [4, dt.timedelta(hours=42, minutes=10), None, None, None]])  # fmt: skip
    assert messages(understood.warnings) == [
        (2, "Chip", "The chip time is longer than the gun time: both are kept."),
        (3, "10K", "The split is later than the finish: it was left out."),
        (4, "Status", "A status and a time on one row: the status DQ counts."),
        (5, "Time", "Read as 42:10 (minutes:seconds): the cell said hours."),
    ]
    assert [(r.bib, r.status, r.gun_ms, r.splits) for r in understood.rows] == [
        (1, "finished", 2_400_000, []),
        (2, "finished", 2_400_000, []),
        (3, "DQ", 2_400_000, []),
        (4, "finished", 2_530_000, []),
    ]


def test_a_chip_ranked_race_warns_of_a_missing_chip_time():
    chip_ranked = RaceFacts(10000, TEN_K.start, "chip")
    understood = read([["Bib", "Gun time", "Chip time"], [1, "0:40:00", None], [2, "0:41:00", "0:40:30"]], chip_ranked)
    assert messages(understood.warnings) == [(2, "Chip time", "No chip time: ranked by gun time.")]


def test_clock_times_of_day_are_elapsed_from_the_start():
    understood = read([["Bib", "Clock time"], [1, "08:11:07"], [2, dt.time(8, 12)], [3, "لم يبدأ"]])
    assert [(r.bib, r.status, r.gun_ms) for r in understood.rows] == [
        (1, "finished", 2_467_000),
        (2, "finished", 2_520_000),
        (3, "DNS", None),
    ]


def test_no_header_is_one_error_for_the_file():
    understood = read([["Name", "Time"], ["A", "0:40:00"]])
    assert understood.header_row is None and len(understood.errors) == 1 and understood.errors[0].row is None


def test_a_mapping_names_the_columns_detection_missed():
    rows = [["No", "Result", "Official"], [1, "0:40:00", "0:39:00"]]
    understood = read(rows, mapping={"bib": "No", "gun_time": "Official"})
    assert understood.columns["gun_time"] == "Official" and understood.rows[0].gun_ms == 2_340_000
    missing = read(rows, mapping={"bib": "Dorsal"})
    assert "Dorsal" in missing.errors[0].message


def test_short_rows_are_read_as_if_padded():
    understood = read([["Bib", "Name", "Time", "Chip"], [1, "A", "0:40:00"], [2]])
    assert [r.bib for r in understood.rows] == [1]
    assert messages(understood.errors) == [(3, "Bib", "Bib 2 has neither a time nor a status.")]


cells = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "-", "DNF", "dq", "x", "0:40:00", "42:10", "١:٠٢:٣٣", "0"]),
    st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(hours=30)),
    st.floats(min_value=-5, max_value=30_000, allow_nan=False),
)
bibs = st.one_of(st.none(), st.integers(-2, 25).map(float), st.sampled_from(["3", " 4 ", "#5", "x", ""]))


@given(st.lists(st.tuples(bibs, cells, cells, cells), max_size=30))
def test_every_row_read_is_a_result_or_has_an_error(body):
    """Nothing is lost silently: a row with a bib, a time or a status gives a result, or an error names it.
    (A row with only a split, a note beside the results, is counted as read and left out.)"""
    understood = read([["Bib", "Time", "Chip time", "5K"], *[list(row) for row in body]])
    results = {r.row for r in understood.rows}
    refused = {e.row for e in understood.errors}
    empty = ("", " ", "-", None)
    notes = sum(1 for bib, gun, chip, split in body if bib in empty and gun in empty and chip in empty
                and split not in empty)  # fmt: skip
    assert not results & refused
    assert len(results) + len(refused) + notes == understood.rows_read
    assert all(r.bib in RUNNERS for r in understood.rows)
    assert len({r.bib for r in understood.rows}) == len(understood.rows)
