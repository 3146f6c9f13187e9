import pytest
from hypothesis import given
from hypothesis import strategies as st

from sportsrun.campaigns.invitations import PROVINCE, SERIES, Invitation, Rule, invitations
from sportsrun.campaigns.series import Score, Standing, ranked

pytestmark = pytest.mark.pure  # no database: run once, on SQLite


def row(person, name, gender, province, *race_points):
    """A standings row whose results are all counted: its points are their sum."""
    results = tuple(Score(i, f"race {i}", 101 - p, p, True) for i, p in enumerate(race_points, 1))
    return Standing(
        person, name, gender, province, sum(race_points), len(results), len(results), max(race_points), results
    )


def seen(invited):
    return [(i.name, i.reason) for i in invited]


ROWS = [
    row(1, "Zainab", "female", "IQ-BG", 100, 100),
    row(2, "Huda", "female", "IQ-BA", 99, 98),
    row(3, "Shilan", "female", "IQ-AR", 98, 99),  # level with Huda on everything: rank 2 shared
    row(4, "Noor", "female", "IQ-BG", 97, 97),
    row(5, "Ali", "male", "IQ-BG", 100, 99),
    row(6, "Karwan", "male", "IQ-SU", 100, 98),
    row(7, "Omar", "male", "IQ-BA", 99, 90),
    row(8, "Yousif", "male", None, 90, 90),  # from abroad
    row(9, "Sara", "female", "IQ-SU", 50),
]


def test_the_top_women_and_men_with_everyone_tied_at_the_last_place():
    invited = invitations(ROWS, Rule(top_women=2, top_men=1, best_per_province=False))
    assert seen(invited) == [("Zainab", SERIES), ("Huda", SERIES), ("Shilan", SERIES), ("Ali", SERIES)]
    assert invited[0] == Invitation(1, "Zainab", "female", "IQ-BG", 200, SERIES)


def test_each_province_adds_its_best_runner_not_already_invited_of_either_gender():
    invited = invitations(ROWS, Rule(top_women=1, top_men=1, best_per_province=True))
    assert seen(invited) == [
        ("Zainab", SERIES),
        ("Ali", SERIES),
        ("Shilan", PROVINCE),  # IQ-AR
        ("Huda", PROVINCE),  # IQ-BA: 197 beats Omar's 189
        ("Noor", PROVINCE),  # IQ-BG: Zainab and Ali are invited already, Noor (194) is next
        ("Karwan", PROVINCE),  # IQ-SU: 198 beats Sara's 50
    ]
    assert "Yousif" not in {i.name for i in invited}


def test_runners_level_at_a_provinces_best_place_are_all_invited():
    rows = [row(1, "Aya", "female", "IQ-NI", 90, 80), row(2, "Bilal", "male", "IQ-NI", 80, 90),
            row(3, "Dana", "female", "IQ-NI", 80, 80)]  # fmt: skip
    invited = invitations(rows, Rule(top_women=0, top_men=0, best_per_province=True))
    assert seen(invited) == [("Aya", PROVINCE), ("Bilal", PROVINCE)]


def test_an_empty_rule_invites_nobody_and_a_negative_one_is_refused():
    assert invitations(ROWS, Rule(0, 0, False)) == []
    assert invitations([], Rule(3, 3, True)) == []
    with pytest.raises(ValueError):
        invitations(ROWS, Rule(-1, 0, False))


@st.composite
def tables(draw):
    n = draw(st.integers(0, 12))
    genders, provinces = st.sampled_from(["female", "male"]), st.sampled_from([None, "IQ-BG", "IQ-BA", "IQ-NI"])
    race_points = st.lists(st.integers(97, 100), min_size=1, max_size=2)  # small: ties come up often
    return [row(k, f"R{k}", draw(genders), draw(provinces), *draw(race_points)) for k in range(1, n + 1)]


@given(tables(), st.integers(0, 4), st.integers(0, 4), st.booleans(), st.randoms())
def test_invitations_follow_the_rule(rows, top_women, top_men, per_province, rnd):
    rule = Rule(top_women, top_men, per_province)
    invited = invitations(rows, rule)
    people = [i.person for i in invited]
    assert len(people) == len(set(people))
    series = {i.person for i in invited if i.reason == SERIES}
    expected = {r.person for r in ranked(rows, "female") if r.rank <= top_women}
    expected |= {r.person for r in ranked(rows, "male") if r.rank <= top_men}
    assert series == expected
    # Ties widen the top K, never beyond K distinct ranks of a gender.
    for gender, k in (("female", top_women), ("male", top_men)):
        table = ranked(rows, gender)
        assert len({r.rank for r in table if r.person in series}) <= k
    by_province = {i.person for i in invited if i.reason == PROVINCE}
    if not per_province:
        assert by_province == set()
    else:
        overall = {r.person: r for r in ranked(rows)}
        left = [r for r in overall.values() if r.person not in series and r.province]
        best = {p: min(r.rank for r in left if r.province == p) for p in {r.province for r in left}}
        assert by_province == {r.person for r in left if r.rank == best[r.province]}
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert invitations(shuffled, rule) == invited
