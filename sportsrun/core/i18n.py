"""The visitor's language for the current request, and message translation through Babel catalogs."""

import datetime as dt
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from sportsrun.settings import LOCALES

LOCALE_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "locale")
RTL = frozenset({"ar", "ckb"})
# Iraq's locale data: ar_IQ writes November as تشرين الثاني, as Iraqis do.
BABEL_LOCALES = {"ar": "ar_IQ", "ckb": "ckb_IQ", "en": "en_GB"}
LANGUAGE_NAMES = {"ar": "العربية", "ckb": "کوردی", "en": "English"}

current_locale: ContextVar[str] = ContextVar("current_locale", default="en")


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalog (make install compiles it); compiled here in memory when it is missing or
    older than its .po, so a checkout that skipped that step still speaks Arabic and Kurdish."""
    po = os.path.join(LOCALE_DIR, locale, "LC_MESSAGES", "messages.po")
    mo = po[:-2] + "mo"
    if not os.path.exists(po):
        return NullTranslations()
    if os.path.exists(mo) and os.path.getmtime(mo) >= os.path.getmtime(po):
        return Translations.load(LOCALE_DIR, [locale], domain="messages")
    with open(po, "rb") as source:
        catalog = read_po(source, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled, domain="messages")


def gettext(message: str, **params: object) -> str:
    text = translations(current_locale.get()).gettext(message)
    return text.format(**params) if params else text


def N_(message: str) -> str:
    """Marks a message for extraction where it is translated later, by gettext(variable)."""
    return message


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    text = translations(current_locale.get()).ngettext(singular, plural, n)
    return text.format(n=n, **params)


def negotiate(accept_language: str | None, cookie: str | None, default: str) -> str:
    """The remembered choice, then Accept-Language (by quality), then the site's default."""
    if cookie in LOCALES:
        return cookie
    if accept_language:
        ranked = []
        for position, part in enumerate(accept_language.split(",")):
            tag, _, q = part.strip().partition(";q=")
            try:
                quality = float(q) if q else 1.0
            except ValueError:
                continue
            ranked.append((-quality, position, tag.strip().lower()))
        for _q, _p, tag in sorted(ranked):
            primary = tag.split("-")[0]
            if primary in LOCALES:
                return primary
            if primary == "ku":  # generic Kurdish: Iraq's Kurds mostly write Sorani
                return "ckb"
    return default


@contextmanager
def in_locale(locale: str) -> Iterator[None]:
    """Translate and format in `locale` for a while (a share card or a chart drawn for a given language,
    outside a request or for another language than the request's)."""
    token = current_locale.set(locale)
    try:
        yield
    finally:
        current_locale.reset(token)


def direction(locale: str) -> str:
    return "rtl" if locale in RTL else "ltr"


def babel_locale() -> str:
    return BABEL_LOCALES[current_locale.get()]


# Babel's (CLDR's) Central Kurdish months spell January کانوونی دووەم but December کانونی یەکەم; Sorani
# writes the long u as وو, so both are written so here.
SPELLINGS = {"ckb": (("کانونی", "کانوونی"),)}


def _spelled(text: str) -> str:
    for wrong, right in SPELLINGS.get(current_locale.get(), ()):
        text = text.replace(wrong, right)
    return text


def format_date(value: dt.date | str | None, format: str = "long") -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return _spelled(dates.format_date(value, format=format, locale=babel_locale()))


def format_datetime(value: dt.datetime | str | None, format: str = "EEEE d MMMM y, HH:mm") -> str:
    """In the time zone the value carries (a race's start in the race's own zone). The patterns join the
    date and the time with ", "; each language writes its own joint there (CLDR's): Arabic's comma "،",
    none in Kurdish."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    locale = babel_locale()
    pattern = format.replace(", ", _joint(locale))
    return _spelled(dates.format_datetime(value, format=pattern, tzinfo=value.tzinfo, locale=locale))


@cache
def _joint(locale: str) -> str:
    """What a language writes between a date and its time: CLDR's "{1}، {0}" gives "، "."""
    return str(Locale.parse(locale).datetime_formats["medium"]).split("{1}")[1].split("{0}")[0]


def format_number(value: int | float | None) -> str:
    return "" if value is None else numbers.format_decimal(value, locale=babel_locale())
