"""Invitations to the Baghdad Marathon (PRODUCT.md, "The road to the Baghdad Marathon"). Pure: plain values
in, plain values out.

The organiser's rule invites the top K women and the top K men of the series, each ranked within their
gender; a rank is shared by runners level on every tie-break, so "rank ≤ K" invites everyone tied at the
last place (1, 2, 2 with K = 2 invites three).

With `best_per_province`, each province's best-placed runner not already invited is invited too: the best
of those the top K left out, as qualification systems read "the best-placed athlete of each area not
already qualified". So every province with a runner outside the top K sends one more, whether or not its
best is among the top K. "Best placed" compares women and men on the overall series table (points, then
results counted, then the best single result: the standings without a gender filter); runners level at
that place are all invited. Runners from abroad (no province) are invited only through the top K.

Order: the women invited through the series in standings order, then the men, then the province
invitations by province code."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from sportsrun.campaigns.series import Standing, ranked

SERIES = "series"
PROVINCE = "province"
WOMEN, MEN = "female", "male"


@dataclass(frozen=True)
class Rule:
    top_women: int
    top_men: int
    best_per_province: bool


class Invitation(NamedTuple):
    person: int  # the person's key, for the organiser's export of contact details
    name: str
    gender: str
    province: str | None
    points: int
    reason: str  # SERIES or PROVINCE


def _invite(row: Standing, reason: str) -> Invitation:
    return Invitation(row.person, row.name, row.gender, row.province, row.points, reason)


def invitations(rows: Iterable[Standing], rule: Rule) -> list[Invitation]:
    """The invitation list from the series standings' rows (ranked or not: ranks are made here)."""
    if rule.top_women < 0 or rule.top_men < 0:
        raise ValueError("the top K of a gender is 0 or more")
    rows = list(rows)
    out: list[Invitation] = []
    for gender, k in ((WOMEN, rule.top_women), (MEN, rule.top_men)):
        out += [_invite(r, SERIES) for r in ranked(rows, gender) if r.rank <= k]
    if not rule.best_per_province:
        return out
    invited = {i.person for i in out}
    best: dict[str, list[Standing]] = {}
    for row in ranked(rows):
        if row.province is None or row.person in invited:
            continue
        firsts = best.setdefault(row.province, [row])
        if firsts[0] is not row and firsts[0].rank == row.rank:
            firsts.append(row)
    for province in sorted(best):
        out += [_invite(r, PROVINCE) for r in best[province]]
    return out
