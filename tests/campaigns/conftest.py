import pytest

from tests.campaigns.support import make_campaign
from tests.support import token_headers


@pytest.fixture
async def organiser(client):
    return await token_headers(client, "organiser")


@pytest.fixture
async def campaign(client, organiser):
    return await make_campaign(client, organiser)


@pytest.fixture(autouse=True)
async def forget_campaigns():
    """Ids start again after each test's reset: a campaign read (or a card drawn) in an earlier test must not show."""
    yield
    from sportsrun.campaigns import card, state

    state.clear()
    card._kept.clear()
