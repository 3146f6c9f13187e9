"""Names typed in three languages, and distances and paces written as each language writes them.

Events, races and divisions carry `name` (required) with optional `name_ar`, `name_ckb`, `name_en`
(events the same for `city`): the required one stands in for a language left empty. Every domain and
every template picks the visitor's with `localised`, so the fallback is written once."""

from collections.abc import Mapping
from typing import Any

from babel import numbers
from markupsafe import Markup

from sportsrun.core.i18n import babel_locale, current_locale
from sportsrun.core.i18n import gettext as _
from sportsrun.core.validation import Fields
from sportsrun.settings import LOCALES


def language_fields(field: str) -> tuple[str, ...]:
    """`name` → `("name_ar", "name_ckb", "name_en")`: the optional columns beside a required one."""
    return tuple(f"{field}_{locale}" for locale in LOCALES)


def language_labels(field: str) -> dict[str, str]:
    """The forms' labels of `field`'s languages (the error summary names them too)."""
    if field == "city":
        return {"city_ar": _("City in Arabic"), "city_ckb": _("City in Kurdish"), "city_en": _("City in English")}
    return {"name_ar": _("Name in Arabic"), "name_ckb": _("Name in Kurdish"), "name_en": _("Name in English")}


def read_languages(fields: Fields, field: str, max_length: int) -> dict[str, str | None]:
    """The optional `field_ar`, `field_ckb`, `field_en` given in a body or a form (only those given: a
    partial update keeps the others); an empty one is stored as null and falls back to `field`."""
    return {key: fields.text(key, max_length=max_length) for key in language_fields(field) if fields.present(key)}


def _value(item: Any, key: str) -> Any:
    if isinstance(item, Mapping):
        return item.get(key)
    return getattr(item, key, None)


def localised(item: Any, field: str = "name", locale: str | None = None) -> str:
    """`item`'s `field` in `locale` (the visitor's by default): `name_ckb` for a Kurdish page, the
    required `name` when that one is empty or missing. `item` is a dict or an object (a `RaceRow`)."""
    if item is None:
        return ""
    value = _value(item, f"{field}_{locale or current_locale.get()}")
    if not value:
        value = _value(item, field)
    return "" if value is None else str(value)


def format_distance(metres: float | None) -> str:
    """A distance in km as the visitor's language writes it, number then unit, joined by a no-break
    space so that a line never parts them: "10 km", "10 كم", "21.0975 km". Templates isolate it
    (`<bdi>`) so that the text around it cannot reorder it."""
    if metres is None:
        return ""
    km = numbers.format_decimal(metres / 1000, format="#,##0.####", locale=babel_locale())
    return _("{km} km", km=km).replace(" ", "\N{NO-BREAK SPACE}")


def format_pace(pace: str | None) -> str:
    """A pace `M:SS` per km with its unit: "4:01 /km", "4:01 د/كم" (minutes per km)."""
    if not pace:
        return ""
    return _("{pace} min/km", pace=pace).replace(" ", "\N{NO-BREAK SPACE}", 1)


def isolated(text: object) -> Markup:
    """`text` in a `<bdi>`, escaped: a name of the other direction set into a sentence cannot reorder it.
    For a translated sentence with names in it: `(_("… {race} …")|e).format(race=race|localised|bdi)`."""
    return Markup("<bdi>{}</bdi>").format(text)
