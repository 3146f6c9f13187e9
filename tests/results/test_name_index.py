"""The name index patched for one fixed name: the same index as built afresh with that name."""

import pytest

from sportsrun.results import search

pytestmark = pytest.mark.pure  # no database: run once, on SQLite

ROWS = [
    (1, "زينب حامد", "female", "F30", "IQ-BA"),
    (2, "", "male", None, "IQ-BG"),
    (3, "هدى علي", "female", "F30", None),
]


def test_a_renamed_runner_is_found_by_the_new_name_and_the_others_as_before():
    index = search.build(ROWS)
    patched = search.renamed(index, 2, "علي كاظم")  # shown by initials before, by full name now
    fresh = search.build([ROWS[0], (2, "علي كاظم", "male", None, "IQ-BG"), ROWS[2]])
    assert search.pack(patched) == search.pack(fresh)
    assert patched.find("كاظم") == [2] and patched.find("هدى") == [3] and patched.find("زينب", "female") == [1]
    shorter = search.renamed(index, 1, "زينب")
    assert shorter.find("حامد") == [] and shorter.find("هدى") == [3] and shorter.find("زينب") == [1]


def test_nobody_at_the_position_leaves_it_to_a_rebuild():
    assert search.renamed(search.build(ROWS), 9, "x") is None
