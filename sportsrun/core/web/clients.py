"""Who is on the other end of a request, as far as rate limits need to know."""

from litestar.connection import ASGIConnection


def client_address(connection: ASGIConnection) -> str:
    client = connection.client
    return client.host if client else "unknown"
