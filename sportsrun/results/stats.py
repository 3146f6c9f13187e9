"""Counts the public results pages show, computed once per change of results. Pure."""

from collections import Counter
from collections.abc import Iterable


def key(gender: str, age_group: str, province: str) -> str:
    """A listing's filters: gender, age group, province; "" means any."""
    return f"{gender}|{age_group}|{province}"


def compute(rows: Iterable[tuple[str, str, str | None, str | None]], leader_ms: int | None) -> dict:
    """`rows`: (status, gender, age group, province) per result; `leader_ms`: the winner's ranking time,
    which every gap is measured from. Returns the number of results for every combination of filters,
    finishers overall / by gender / by gender and age group (for "x of N"), the age groups and provinces
    that occur, and the leader's time."""
    # Tens of thousands of results fall into a few hundred combinations: count those, then spread them.
    combinations: Counter[tuple[bool, str, str, str]] = Counter()
    for (status, gender, group, province), n in Counter(rows).items():
        combinations[(status == "finished", gender or "", group or "", province or "")] += n
    listing: Counter[str] = Counter()
    finishers: Counter[str] = Counter()
    for (finished, g, a, p), n in combinations.items():
        # Counted once under its own values and once under "any" for each filter.
        for kg in {g, ""}:
            for ka in {a, ""}:
                for kp in {p, ""}:
                    listing[key(kg, ka, kp)] += n
        if finished:
            finishers[""] += n
            finishers[g] += n
            finishers[f"{g}|{a}"] += n
    return {"listing": dict(listing), "finishers": dict(finishers),
            "age_groups": sorted({a for _, _, a, _ in combinations if a}),
            "provinces": sorted({p for _, _, _, p in combinations if p}), "leader_ms": leader_ms}  # fmt: skip
