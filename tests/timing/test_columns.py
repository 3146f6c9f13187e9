"""Which column of a timing sheet holds what, from its header row alone."""

from sportsrun.timing.columns import is_header, recognise, split_name, valid_field


def test_english_arabic_and_kurdish_headers_in_any_case_and_spacing():
    assert recognise(["BIB", " gun_time ", "Net Time", "Clock time", "status"]) == {
        "bib": 0,
        "gun_time": 1,
        "chip_time": 2,
        "clock_time": 3,
        "status": 4,
    }
    assert recognise(["رقم الصدرية", "الوقت", "الوقت الصافي", "ساعة الوصول", "الحالة"]) == {
        "bib": 0,
        "gun_time": 1,
        "chip_time": 2,
        "clock_time": 3,
        "status": 4,
    }
    assert recognise(["ژمارەی سنگ", "کات", "کاتی چیپ", "دۆخ"]) == {"bib": 0, "gun_time": 1, "chip_time": 2, "status": 3}


def test_arabic_spelling_variants_are_one_header():
    """Folded like names: ة/ه and the hamza forms match."""
    assert recognise(["رقم الصدريه", "النتيجه"])["bib"] == 0
    assert recognise(["رقم الصدريه", "النتيجه"])["gun_time"] == 1


def test_places_paces_and_projections_are_never_taken():
    assert recognise(["Place", "Bib", "Pace", "Overall", "Gender", "Division", "Proj Time", "Time"]) == {
        "bib": 1,
        "gun_time": 7,
    }
    assert recognise(["المركز", "الترتيب", "رقم", "الزمن"]) == {"bib": 2, "gun_time": 3}


def test_the_first_column_of_a_kind_wins():
    assert recognise(["Bib", "Time", "Finish time", "No."]) == {"bib": 0, "gun_time": 1}


def test_split_columns_by_distance_or_half():
    assert split_name("5K") == "5K" and split_name("10 km") == "10K" and split_name("Split 21,1 km") == "21.1K"
    assert split_name("Half") == "Half" and split_name("نصف الماراثون") == "Half" and split_name("15 كم") == "15K"
    assert split_name("Name") is None and split_name(5) is None
    assert recognise(["Bib", "5K", "Half", "Time"]) == {"bib": 0, "split:5K": 1, "split:Half": 2, "gun_time": 3}


def test_a_header_needs_a_bib_and_a_time_or_status():
    assert is_header(recognise(["Bib", "Status"])) and is_header(recognise(["Bib", "Clock time"]))
    assert not is_header(recognise(["Bib", "Name"])) and not is_header(recognise(["Time", "Chip time"]))
    assert not is_header(recognise([None, "", 3]))


def test_mapping_fields():
    assert all(valid_field(f) for f in ("bib", "gun_time", "chip_time", "clock_time", "status", "split:5K"))
    assert not valid_field("split:") and not valid_field("place") and not valid_field("name")
