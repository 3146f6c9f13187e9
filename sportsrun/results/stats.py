"""Counts the public results pages show, computed once per change of results. Pure."""

from collections import Counter
from collections.abc import Iterable

# A listing's filters: gender, age group, province; "" means any.
FilterKey = tuple[str, str, str]


def key(gender: str, age_group: str, province: str) -> str:
    return f"{gender}|{age_group}|{province}"


def compute(rows: Iterable[tuple[str, str, str | None, str | None]], leader_ms: int | None) -> dict:
    """`rows`: (status, gender, age group, province) per result; `leader_ms`: the winner's ranking time,
    which every gap is measured from. Returns the number of results for every combination of filters,
    finishers overall / by gender / by gender and age group (for "x of N"), the age groups and provinces
    that occur, and the leader's time."""
    listing: Counter[str] = Counter()
    finishers: Counter[str] = Counter()
    groups, provinces = set(), set()
    for status, gender, group, province in rows:
        g, a, p = gender or "", group or "", province or ""
        # Each result counts once under its own values and once under "any" for each filter.
        for kg in {g, ""}:
            for ka in {a, ""}:
                for kp in {p, ""}:
                    listing[key(kg, ka, kp)] += 1
        if status == "finished":
            finishers[""] += 1
            finishers[g] += 1
            finishers[f"{g}|{a}"] += 1
        if group:
            groups.add(group)
        if province:
            provinces.add(province)
    return {"listing": dict(listing), "finishers": dict(finishers), "age_groups": sorted(groups),
            "provinces": sorted(provinces), "leader_ms": leader_ms}  # fmt: skip
