"""The card's fonts: found by file name in one directory (Debian's fonts-noto-core by default), an Arabic
face and a Latin one per weight, and Pillow's own font when neither is there, so that a card is still
drawn (its Arabic then unreadable) and the missing package is said in the log."""

import logging
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from PIL import ImageFont, features

log = logging.getLogger(__name__)

RAQM = features.check_feature("raqm")
ENGINE = ImageFont.Layout.RAQM if RAQM else ImageFont.Layout.BASIC
# Preferred first. Noto Sans Arabic is drawn to stand beside Noto Sans; Naskh and Kufi when it is absent.
# All of them carry Sorani's letters (ڕ ۆ ێ ڵ ڤ); none carries Latin letters, '#', '_' or '%'.
ARABIC = {
    "bold": ("NotoSansArabic-Bold.ttf", "NotoKufiArabic-Bold.ttf", "NotoNaskhArabic-Bold.ttf"),
    "regular": ("NotoSansArabic-Regular.ttf", "NotoNaskhArabic-Regular.ttf", "NotoKufiArabic-Regular.ttf"),
}
LATIN = {
    "bold": ("NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
    "regular": ("NotoSans-Regular.ttf", "DejaVuSans.ttf"),
}
_PROBE_SIZE = 32
_PRIVATE_USE = "\ue000"  # no font of ours has a glyph here: it draws the .notdef box


@dataclass(frozen=True, slots=True)
class Face:
    """One font file (None: Pillow's built-in font) and whether it is the Arabic one."""

    path: str | None
    arabic: bool


def _find(directory: Path, names: tuple[str, ...]) -> str | None:
    for name in names:
        for candidate in (directory / name, *sorted(directory.glob(f"*/{name}"))):
            if candidate.is_file():
                return str(candidate)
    return None


@cache
def faces(directory: str, weight: str) -> tuple[Face, ...]:
    """The faces of `weight` ("bold" or "regular") in `directory`, Arabic first; Pillow's own font when
    there is neither. What is missing is said once in the log."""
    found, missing = [], []
    for arabic, names in ((True, ARABIC[weight]), (False, LATIN[weight])):
        path = _find(Path(directory), names)
        if path:
            found.append(Face(path, arabic))
        else:
            missing.append(" or ".join(names))
    if missing:
        log.warning(
            "share cards: %s not in %s (install fonts-noto-core or set SPORTSRUN_FONTS_DIR)%s",
            "; ".join(missing),
            directory,
            "" if found else ": drawn in Pillow's own font, without Arabic letters",
        )
    if not RAQM and weight == "bold":
        log.warning("share cards: Pillow has no libraqm (install libfribidi0): Arabic and Kurdish are drawn unjoined")
    return tuple(found) or (Face(None, False),)


@lru_cache(maxsize=128)
def font(face: Face, size: int) -> ImageFont.FreeTypeFont:
    """One font object per face and size for every thread: Pillow holds the GIL (or, free-threaded, the
    font's own lock) while it lays out or draws with one."""
    if face.path is None:
        return ImageFont.load_default(size)  # type: ignore[return-value]  # a FreeTypeFont with FreeType
    return ImageFont.truetype(face.path, size, layout_engine=ENGINE)


def _signature(probe: ImageFont.FreeTypeFont, char: str) -> tuple:
    mask = probe.getmask(char)
    return mask.size, bytes(mask), probe.getlength(char)


@lru_cache(maxsize=4096)
def covers(face: Face, char: str) -> bool:
    """Whether the face has a glyph for `char`: a missing one is drawn as the face's .notdef box.
    (Pillow does not show a font's character map; drawing the two and comparing does.)"""
    if face.path is None or char.isspace():
        return True
    probe = _probe(face)
    return _signature(probe, char) != _signature(probe, _PRIVATE_USE)


@cache
def _probe(face: Face) -> ImageFont.FreeTypeFont:
    # The basic layout maps one character to one glyph, as a look-up of the character map would.
    assert face.path is not None
    return ImageFont.truetype(face.path, _PROBE_SIZE, layout_engine=ImageFont.Layout.BASIC)
