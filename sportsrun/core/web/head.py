"""HEAD answered as GET without the body: monitors and link checkers ask `HEAD /`, and Litestar's routes
answer only the methods they declare (405 otherwise)."""

from litestar.types import ASGIApp, Message, Receive, Scope, Send


def head_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        # In place, not a copy: the access log around this reads the route the router writes into the scope.
        scope["method"] = "GET"
        await app(scope, receive, headers_only)

    return middleware
