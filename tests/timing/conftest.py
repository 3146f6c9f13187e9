import pytest

from tests.support import token_headers


@pytest.fixture
async def organiser(client):
    return await token_headers(client, "organiser")


@pytest.fixture
async def volunteer(client):
    return await token_headers(client, "volunteer")
