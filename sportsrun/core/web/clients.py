"""Who is on the other end of a request, as far as rate limits need to know.

Behind reverse proxies the peer is the nearest proxy, and each trusted proxy appends the address it
saw to `X-Forwarded-For`. Only the entries appended by trusted proxies can be believed: anything to
their left was written by the client and may be forged. So the client is the right-most entry that is
not itself a trusted proxy, and a peer that is not trusted has its header ignored."""

import ipaddress

from litestar.connection import ASGIConnection
from litestar.types import Scope

from sportsrun.settings import get_settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(entry: str) -> Address | None:
    """An address as proxies write them: bare, or with a port (`1.2.3.4:5678`, `[2001:db8::1]:443`)."""
    entry = entry.strip()
    try:
        return ipaddress.ip_address(entry)
    except ValueError:
        pass
    host = entry[1 : entry.find("]")] if entry.startswith("[") else entry.rpartition(":")[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _trusted(address: Address | None) -> bool:
    return address is not None and any(address in network for network in get_settings().trusted_proxies)


def trusted_peer(scope: Scope) -> bool:
    """Whether the connection comes from one of our proxies, whose headers may be believed."""
    client = scope.get("client")
    return bool(client) and _trusted(_parse(client[0]))


def client_address(connection: ASGIConnection) -> str:
    client = connection.client
    if not client:
        return "unknown"
    peer = client.host
    if not _trusted(_parse(peer)):
        return peer
    # Several headers are one list, in the order they arrived.
    chain = [e for v in connection.headers.getall("x-forwarded-for", []) for e in v.split(",") if e.strip()]
    nearest = peer
    for entry in reversed(chain):
        address = _parse(entry)
        if address is None:
            # A trusted proxy wrote something that is no address: believe no further than that proxy.
            return nearest
        if not _trusted(address):
            return str(address)
        nearest = str(address)
    # Every hop is a trusted proxy (a request made by a proxy itself): the farthest one.
    return nearest
