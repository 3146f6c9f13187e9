"""Share cards: a 1200×630 PNG in each language, Arabic letters joined and Kurdish ones drawn, lines of
mixed direction in the right order, and a card still drawn when the fonts are missing."""

import io
import logging
import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops, features

from sportsrun.core.cards import CardSpec, Figure, Progress, draw_card
from sportsrun.core.cards import fonts as card_fonts
from sportsrun.core.cards.bidi import levels, visual_order
from sportsrun.core.cards.card import figure_text
from sportsrun.core.cards.text import Style, fit, runs, width
from sportsrun.core.i18n import in_locale
from sportsrun.settings import FONTS_DIR, load

pytestmark = pytest.mark.pure  # no database: run once, on SQLite

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BACKGROUND = (11, 110, 79)
TITLE_AREA = (0, 0, 1200, 150)  # a one-line title sits here, whatever the language
SORANI = "ڕۆێڵڤ"


@pytest.fixture(scope="module")
def fonts_dir() -> str:
    """Debian's fonts-noto-core and a Pillow with libraqm (FriBiDi): skipped locally without them, a
    failure in CI (.ci/run installs both)."""
    missing = []
    if not Path(FONTS_DIR, "NotoSansArabic-Bold.ttf").is_file():
        missing.append(f"fonts-noto-core (no {FONTS_DIR}/NotoSansArabic-Bold.ttf)")
    if not features.check_feature("raqm"):
        missing.append("libraqm (Pillow finds no FriBiDi: apt install libfribidi0)")
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the share cards lack {', '.join(missing)}")
        pytest.skip(f"share cards need {', '.join(missing)}")
    return FONTS_DIR


CARDS = {
    "ar": CardSpec(
        title="الطريق إلى ماراثون بغداد: نتائج Baghdad 10K Run",
        subtitle="رياضة ضد العنف في كل محافظات العراق",
        figures=(Figure(12345, "عدّاء مسجّل"), Figure(18, "محافظة", total=19), Figure(0.35, "نساء", percent=True)),
        bars=(Progress("المسجّلون نحو الهدف", 12345, 50000),),
        hashtag="#رياضة_ضد_العنف",
        footer="runs.example.org",
    ),
    "ckb": CardSpec(
        title="ڕێگای ماراسۆنی بەغدا: ئەنجامەکانی Erbil Half Marathon",
        subtitle="وەرزش دژی توندوتیژی لە هەموو پارێزگاکان",
        figures=(Figure(12345, "ڕاکەری تۆمارکراو"), Figure(18, "پارێزگا", total=19)),
        bars=(Progress("تۆمارکراوان", 12345, 50000), Progress("پارێزگاکان", 18, 19)),
        hashtag="#وەرزش_دژی_توندوتیژی",
    ),
    "en": CardSpec(
        title="The road to the Baghdad Marathon: results of سباق بغداد",
        subtitle="Sports Against Violence in every province of Iraq",
        figures=(Figure(12345, "runners"), Figure(18, "provinces", total=19), Figure(48210.5, "km run")),
        bars=(Progress("Runners towards the target", 12345, 50000),),
        hashtag="#SportsAgainstViolence",
    ),
}


def png(data: bytes) -> Image.Image:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    image.load()
    assert (image.format, image.size, image.mode) == ("PNG", (1200, 630), "RGB")
    return image


def ink(image: Image.Image, area=TITLE_AREA) -> tuple[int, int, int, int] | None:
    """The box around whatever is drawn on the background within `area`."""
    region = image.crop(area)
    return ImageChops.difference(region, Image.new("RGB", region.size, BACKGROUND)).getbbox()


@pytest.mark.parametrize("locale", ["ar", "ckb", "en"])
def test_a_card_is_an_open_graph_png_in_each_language(fonts_dir, locale):
    data = draw_card(CARDS[locale], locale, fonts_dir)
    image = png(data)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"card-{locale}.png").write_bytes(data)
    assert len(image.getcolors(1 << 16) or range(1 << 16)) > 50  # anti-aliased text, bars, the strip
    # The title starts at the margin of its own side: the right in Arabic and Kurdish, the left in English.
    left, _top, right, _bottom = ink(image)
    if locale == "en":
        assert 60 <= left <= 72
    else:
        assert 1128 <= right <= 1140
    assert draw_card(CARDS[locale], locale, fonts_dir) == data  # pure: callers cache it by version


def test_arabic_letters_are_joined(fonts_dir):
    # Joined, a run of beh takes its narrow initial and medial forms; kept apart by zero-width non-joiners
    # (as Kurdish spelling uses them) every letter takes its wide isolated form.
    joined, apart = "بببببببب", "\u200c".join("بببببببب")
    style = Style(fonts_dir, "bold", 60, "ar")
    assert width(joined, style) < 0.7 * width(apart, style)
    one_line = [draw_card(CardSpec(title=title), "ar", fonts_dir) for title in (joined, apart)]
    (left_j, _, right_j, _), (left_a, _, right_a, _) = (ink(png(card)) for card in one_line)
    assert right_j - left_j < 0.7 * (right_a - left_a)
    assert right_j == pytest.approx(right_a, abs=6)  # both set from the right margin


def test_kurdish_letters_have_glyphs_not_boxes(fonts_dir):
    arabic = [face for face in card_fonts.faces(fonts_dir, "bold") if face.arabic]
    latin = [face for face in card_fonts.faces(fonts_dir, "bold") if not face.arabic]
    assert arabic and latin
    assert all(card_fonts.covers(arabic[0], letter) for letter in SORANI)
    assert not any(card_fonts.covers(latin[0], letter) for letter in SORANI)  # the check tells a box apart
    assert not card_fonts.covers(arabic[0], "\ue000")
    # On the card each letter differs from the box a font draws for a character it lacks.
    box = ink(png(draw_card(CardSpec(title="\ue000"), "ckb", fonts_dir)))
    for letter in SORANI:
        drawn = png(draw_card(CardSpec(title=letter), "ckb", fonts_dir))
        assert ink(drawn) != box, letter


def test_mixed_directions_stand_in_reading_order(fonts_dir):
    style = Style(fonts_dir, "regular", 30, "ar")
    line = runs("نتائج Baghdad 10K في بغداد", style)
    texts = [run.text.strip() for run in line]  # left to right
    assert texts == ["في بغداد", "Baghdad 10K", "نتائج"]
    assert [run.rtl for run in line] == [True, False, True]
    assert [run.language for run in line] == ["ar", "en", "ar"]
    english = runs("Results of سباق بغداد today", Style(fonts_dir, "regular", 30, "en"))
    assert [run.text.strip() for run in english] == ["Results of", "سباق بغداد", "today"]
    # A number before an Arabic word reads first, so stands at the right; its digits run left to right.
    number = runs("12,345 عداء", style)
    assert [run.text.strip() for run in number] == ["عداء", "12,345"] and not number[1].rtl
    # A Latin hashtag on an Arabic card keeps its # in front, an Arabic one at the right.
    latin_tag = runs("#SportsAgainstViolence", style, auto=True)
    assert [run.text for run in latin_tag] == ["#SportsAgainstViolence"] and not latin_tag[0].rtl
    assert runs("#SportsAgainstViolence", style)[-1].text == "#"  # in the card's own direction it would not
    arabic_tag = runs("#رياضة_ضد_العنف", style, auto=True)
    assert arabic_tag[-1].text == "#" and all(run.rtl for run in arabic_tag)


def test_the_bidi_algorithm_on_its_own():
    assert levels("abc אבג", "ltr") == [0, 0, 0, 0, 1, 1, 1]
    assert levels("سلام 2025 world", "rtl") == [1] * 5 + [2] * 4 + [1] + [2] * 5
    assert levels("(بغداد)", "rtl") == [1] * 7
    assert levels("سلام 12%", "rtl") == [1] * 5 + [2, 2, 1]  # after Arabic letters digits are Arabic numbers (W2)
    assert levels("x 12%", "rtl") == [2] * 5  # a number after a Latin letter is Latin text
    assert visual_order([0, 1, 1, 0]) == [0, 2, 1, 3]
    assert visual_order([1, 2, 2, 1]) == [3, 1, 2, 0]


def test_numbers_in_each_language():
    for locale, of in (("ar", "18 من 19"), ("ckb", "18 لە 19"), ("en", "18 of 19")):
        with in_locale(locale):
            assert figure_text(Figure(18, "", total=19)) == of
            assert figure_text(Figure(12345, "")) == "12,345"
            assert figure_text(Figure(0.351, "", percent=True)) == "35%"


def test_a_long_title_is_shrunk_then_cut(fonts_dir):
    style = Style(fonts_dir, "bold", 58, "ar")
    title = "سباق بغداد الدولي للسلام " * 12
    sized, lines = fit(title, style, 1072, 2, 40)
    assert sized.size == 40 and len(lines) == 2 and lines[-1].endswith("…")
    assert all(width(line, sized) <= 1072 for line in lines)
    png(draw_card(CardSpec(title=title, subtitle=title, figures=(Figure(1, title),)), "ar", fonts_dir))
    with pytest.raises(ValueError, match="four figures"):
        CardSpec(title="x", figures=(Figure(1, "x"),) * 5)


def test_without_fonts_a_card_is_still_drawn(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="sportsrun.core.cards.fonts"):
        image = png(draw_card(CARDS["ar"], "ar", str(tmp_path)))
    assert "fonts-noto-core" in caplog.text and str(tmp_path) in caplog.text
    assert ink(image) is not None  # the title is drawn (its Arabic letters as boxes)


def test_the_fonts_directory_is_a_setting(fonts_dir, settings_env, monkeypatch, tmp_path, caplog):
    monkeypatch.delenv("SPORTSRUN_FONTS_DIR", raising=False)
    assert load().fonts_dir == "/usr/share/fonts/truetype/noto"  # Debian's fonts-noto-core
    settings_env(fonts_dir=tmp_path)
    with caplog.at_level(logging.WARNING, logger="sportsrun.core.cards.fonts"):
        png(draw_card(CardSpec(title="Erbil 10K"), "en"))
    assert str(tmp_path) in caplog.text
    # The fonts are found one folder down too (/usr/share/fonts/truetype holds noto/ and dejavu/).
    parent = str(Path(fonts_dir).parent)
    assert all(face.path for face in card_fonts.faces(parent, "regular"))
