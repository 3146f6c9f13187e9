"""The client address every rate limit counts: the peer, or behind trusted proxies the right-most
address of X-Forwarded-For that is not a proxy of ours. Failed logins show which address was counted."""

import httpx
import pytest

from tests.support import make_user

WRONG = {"email": "admin@example.test", "password": "nope nope"}


@pytest.fixture
async def from_peer(app):
    """A client whose connections come from the given address (the proxy's, behind one)."""
    clients = []

    def make(host: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(host, 123))
        clients.append(httpx.AsyncClient(transport=transport, base_url="http://testserver.local"))
        return clients[-1]

    yield make
    for c in clients:
        await c.aclose()


async def fail_login(client: httpx.AsyncClient, *forwarded: str) -> int:
    headers = [("x-forwarded-for", value) for value in forwarded]
    r = await client.post("/api/v1/auth/token", json=WRONG, headers=headers)
    return r.status_code


async def test_a_forged_header_from_an_untrusted_peer_is_ignored(from_peer, settings_env):
    settings_env(login_rate_limit=3, trusted_proxies="10.0.0.9")
    await make_user("admin", "admin@example.test")
    visitor = from_peer("10.0.0.1")
    assert [await fail_login(visitor, f"203.0.113.{n}") for n in range(3)] == [401] * 3
    assert await fail_login(visitor, "203.0.113.77") == 429  # a new forged address each time changes nothing


async def test_a_trusted_proxys_header_names_the_client(from_peer, settings_env):
    settings_env(login_rate_limit=3, trusted_proxies="10.0.0.1")
    await make_user("admin", "admin@example.test")
    proxy = from_peer("10.0.0.1")
    # What the client wrote itself sits left of what the proxy appended, and is not believed.
    assert [await fail_login(proxy, f"198.51.100.{n}, 203.0.113.5") for n in range(3)] == [401] * 3
    assert await fail_login(proxy, "203.0.113.5") == 429
    assert await fail_login(proxy, "203.0.113.6") == 401  # another visitor behind the same proxy


async def test_a_chain_of_trusted_proxies(from_peer, settings_env):
    settings_env(login_rate_limit=3, trusted_proxies="10.0.0.0/24, 192.168.1.7, 2001:db8::/32")
    await make_user("admin", "admin@example.test")
    balancer = from_peer("10.0.0.1")
    # client → CDN edge (192.168.1.7) → nginx (10.0.0.2) → balancer (10.0.0.1) → app; headers split too.
    for n in range(3):
        assert await fail_login(balancer, f"forged-{n}, 1.2.3.{n}, 198.51.100.9, 192.168.1.7", "10.0.0.2") == 401
    assert await fail_login(balancer, "198.51.100.9:61000, 192.168.1.7:443, 10.0.0.2") == 429
    assert await fail_login(balancer, "198.51.100.10, 192.168.1.7, 10.0.0.2") == 401
    # An IPv6 client through a trusted IPv6 proxy.
    assert [await fail_login(balancer, "2001:db9::5, [2001:db8::1]:443") for _ in range(3)] == [401] * 3
    assert await fail_login(balancer, "2001:db9::5") == 429


async def test_an_untrusted_hop_inside_the_chain_is_the_client(from_peer, settings_env):
    settings_env(login_rate_limit=3, trusted_proxies="10.0.0.1")
    await make_user("admin", "admin@example.test")
    proxy = from_peer("10.0.0.1")
    # 192.168.1.7 is not ours: it may have written anything to its left, so it is the one counted.
    for n in range(3):
        assert await fail_login(proxy, f"198.51.100.{n}, 192.168.1.7") == 401
    assert await fail_login(proxy, "192.168.1.7") == 429


def test_trusted_proxies_must_be_addresses_or_networks(settings_env):
    from sportsrun.settings import ConfigError, get_settings

    settings_env(trusted_proxies=" 10.0.0.1 , 10.1.0.0/16,,::1 ")
    assert [str(n) for n in get_settings().trusted_proxies] == ["10.0.0.1/32", "10.1.0.0/16", "::1/128"]
    settings_env(trusted_proxies="nginx.local")
    with pytest.raises(ConfigError, match="SPORTSRUN_TRUSTED_PROXIES"):
        get_settings()
