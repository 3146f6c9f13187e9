"""A runner as results need them: who holds which bib, and what the public may see of them."""

from functools import partial
from typing import NamedTuple


class Registrant(NamedTuple):
    registration: int
    gender: str
    birth_date: str  # ISO text: converted only once per distinct date, when an age is needed
    given_name: str
    family_name: str
    name_display: str
    guardian_allows_full_name: bool
    province: str | None
    country: str
    name_key: str  # the folded full name, made at registration: folding 50,000 names again costs 0.1 s
    bib: int | None  # None once the bib was taken away (a stored result still names the runner)


# A row made straight from the query's tuple, without a Python-level __new__ call per runner.
registrant = partial(tuple.__new__, Registrant)
