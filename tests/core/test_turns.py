import time

import pytest

from sportsrun.core.turns import Turns

pytestmark = pytest.mark.pure  # no database: run once, on SQLite


def test_a_turn_is_due_once_its_time_has_passed_and_then_not_again_at_once():
    turns = Turns(0.01)
    assert not turns.due()
    time.sleep(0.012)
    assert turns.due() and not turns.due()
    assert Turns(0).due() and not Turns(3600).due()
