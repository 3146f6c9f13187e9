"""Provinces are reference data changed only by migrations, so each process reads them once."""

from sportsrun.core.db.sql import fetch

_cache: list[dict] | None = None


async def provinces() -> list[dict]:
    global _cache
    if _cache is None:
        _cache = await fetch("SELECT code, name_en, name_ar, name_ckb FROM province ORDER BY name_en")
    return _cache


async def province_codes() -> frozenset[str]:
    return frozenset(p["code"] for p in await provinces())
