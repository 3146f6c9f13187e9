"""Every user-visible string exists in Arabic and Kurdish, with its placeholders intact."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from sportsrun.core.i18n import current_locale, format_date, gettext, negotiate, ngettext

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def source_messages() -> set[str]:
    found = set()
    for path, method in (("sportsrun", "python"), ("templates", "jinja2")):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / path,
            method_map=[("**.py" if method == "python" else "**.html", method)],
            keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("locale", ["ar", "ckb"])
def test_every_message_is_translated_with_its_placeholders(locale):
    with open(ROOT / f"sportsrun/locale/{locale}/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f, locale=locale)
    translated = {}
    for m in catalog:
        if not m.id:
            continue
        key = m.id if isinstance(m.id, str) else m.id[0]
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        assert all(strings) and not m.fuzzy, f"{locale}: {key!r} is untranslated"
        for s in strings:
            assert set(PLACEHOLDER.findall(s)) <= set(PLACEHOLDER.findall(key + " {n}")), (locale, key, s)
        translated[key] = strings
    missing = source_messages() - set(translated)
    assert not missing, f"run `make messages` and translate: {sorted(missing)[:5]}"


def test_translation_and_plurals_follow_the_current_locale():
    token = current_locale.set("ar")
    try:
        assert gettext("This field is required.") == "هذا الحقل مطلوب."
        assert ngettext("{n} place left", "{n} places left", 2) == "بقي مكانان"
        assert ngettext("{n} place left", "{n} places left", 15) == "بقي 15 مكانًا"
        assert format_date("2026-11-24") == "24 تشرين الثاني 2026"  # Iraq's month names
        read = ("{n} row read: {finishers} finished, {dnf} DNF, {dns} DNS, {dq} DQ.",
                "{n} rows read: {finishers} finished, {dnf} DNF, {dns} DNS, {dq} DQ.")  # fmt: skip
        counts = {"finishers": 1, "dnf": 0, "dns": 0, "dq": 0}
        # Arabic counts 3-10 with a plural noun, 11-99 with a singular accusative: "3 صفوف", "44 صفًا".
        assert ngettext(*read, 3, **counts).startswith("قُرئت 3 صفوف")
        assert ngettext(*read, 44, **counts).startswith("قُرئ 44 صفًا")
        assert ngettext(*read, 2, **counts).startswith("قُرئ صفّان")
    finally:
        current_locale.reset(token)
    token = current_locale.set("ckb")
    try:
        assert gettext("Register") == "خۆت تۆمار بکە"
    finally:
        current_locale.reset(token)


def test_negotiation_order():
    assert negotiate("en-US,en;q=0.9", "ckb", "ar") == "ckb"  # the remembered choice wins
    assert negotiate("fr, en;q=0.8, ar;q=0.9", None, "ckb") == "ar"  # then quality order
    assert negotiate("de, fr", None, "ar") == "ar"  # then the default
    assert negotiate("ku-IQ", None, "en") == "ckb"
