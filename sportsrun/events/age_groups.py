"""Age groups and age on race day (docs/rules.md, "Age groups"). Pure functions."""

import datetime as dt

from sportsrun.core.i18n import gettext as _

AgeGroup = tuple[int, int | None]

DEFAULT_AGE_GROUPS: list[AgeGroup] = [(0, 17), (18, 29), (30, 39), (40, 49), (50, 59), (60, None)]
ADULT_AGE = 18


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def label(group: AgeGroup) -> str:
    low, high = group
    if high is None:
        return f"{low}+"
    if low == 0:
        return f"U{high + 1}"
    return f"{low}-{high}"


def group_for(age: int, groups: list[AgeGroup]) -> AgeGroup | None:
    for low, high in groups:
        if age >= low and (high is None or age <= high):
            return (low, high)
    return None


def parse_groups(value: object) -> tuple[list[AgeGroup] | None, str | None]:
    """`[[min, max|null], …]`, bounds inclusive and not overlapping → (groups, None) or (None, error)."""
    if not isinstance(value, list) or not value:
        return None, _("Give age groups as a list of [min, max] pairs; max may be null.")
    groups: list[AgeGroup] = []
    for item in value:
        if (
            not isinstance(item, list | tuple)
            or len(item) != 2
            or not isinstance(item[0], int)
            or isinstance(item[0], bool)
            or not (item[1] is None or (isinstance(item[1], int) and not isinstance(item[1], bool)))
        ):
            return None, _("Give age groups as a list of [min, max] pairs; max may be null.")
        low, high = item
        if low < 0 or low > 120 or (high is not None and (high < low or high > 120)):
            return None, _("Each age group needs 0 ≤ min ≤ max ≤ 120.")
        groups.append((low, high))
    groups.sort(key=lambda g: g[0])
    for (_low, high), (next_low, _next_high) in zip(groups, groups[1:], strict=False):
        if high is None or high >= next_low:
            return None, _("Age groups may not overlap.")
    return groups, None
