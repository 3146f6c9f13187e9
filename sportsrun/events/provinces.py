"""Provinces are reference data changed only by migrations, so each process reads them once."""

from sportsrun.core.i18n import current_locale
from sportsrun.events import queries

_cache: list[dict] | None = None


async def provinces() -> list[dict]:
    global _cache
    if _cache is None:
        _cache = await queries.provinces()
    return _cache


async def province_codes() -> frozenset[str]:
    return frozenset(p["code"] for p in await provinces())


async def province_names() -> dict[str, str]:
    """Code → name in the visitor's language."""
    column = f"name_{current_locale.get()}"
    return {p["code"]: p[column] for p in await provinces()}


async def province_options() -> list[tuple[str, str]]:
    """(code, name in the visitor's language), for a select."""
    column = f"name_{current_locale.get()}"
    return [(p["code"], p[column]) for p in await provinces()]
