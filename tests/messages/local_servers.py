"""A local SMTP server (aiosmtpd, in its own thread) and a fake SMS gateway (a small HTTP server on the
test's event loop) that capture what sportsrun sends."""

import asyncio
import base64
import email
import email.policy
import json
import socket
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """What the SMTP server received: parsed messages, in arrival order."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


class SmtpServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SmtpServer":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


@dataclass
class Gateway:
    """Answers each POST with the next status of `statuses` (200 once they run out), after `delay`."""

    statuses: list[int] = field(default_factory=list)
    delay: float = 0.0
    received: list[dict] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    port: int = 0
    server: asyncio.AbstractServer | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, _s, v in (line.partition(":") for line in lines[1:] if line)}
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.received.append(json.loads(body))
            self.authorizations.append(headers.get("authorization"))
            if self.delay:
                await asyncio.sleep(self.delay)
            status = self.statuses.pop(0) if self.statuses else 200
            answer = b'{"ok": true}'
            writer.write(
                f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(answer)}\r\n"
                "Connection: close\r\n\r\n".encode()
                + answer
            )
            await writer.drain()
        finally:
            writer.close()

    async def __aenter__(self) -> "Gateway":
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc) -> None:
        self.server.close()
        await self.server.wait_closed()

    def url(self, user: str = "gw-user", password: str = "gw-secret") -> str:
        return f"http://{user}:{password}@127.0.0.1:{self.port}/send"

    @staticmethod
    def basic(user: str = "gw-user", password: str = "gw-secret") -> str:
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
