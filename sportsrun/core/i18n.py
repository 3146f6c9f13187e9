"""The visitor's language for the current request, and message translation through Babel catalogs."""

import os
from contextvars import ContextVar
from functools import cache

from babel.support import NullTranslations, Translations

from sportsrun.settings import LOCALES

LOCALE_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "locale")
RTL = frozenset({"ar", "ckb"})

current_locale: ContextVar[str] = ContextVar("current_locale", default="en")


@cache
def translations(locale: str) -> NullTranslations:
    return Translations.load(LOCALE_DIR, [locale], domain="messages")


def gettext(message: str, **params: object) -> str:
    text = translations(current_locale.get()).gettext(message)
    return text.format(**params) if params else text


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


def direction(locale: str) -> str:
    return "rtl" if locale in RTL else "ltr"
