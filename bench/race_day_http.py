"""A lean HTTP/1.1 client for the race-day benches: one keep-alive connection per simulated visitor on
asyncio streams (as bench/loadgen.py, cheap enough to share two cores with the servers it measures), with
chunked and close-delimited answers too, as nginx may send them; and latency figures per kind of request."""

import asyncio
import secrets
import time
from dataclasses import dataclass, field


class Closed(Exception):
    """The connection broke before a whole answer came back."""


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


class Connection:
    def __init__(self, host: str, port: int, source: str | None = None, timeout: float = 60):
        self.host, self.port, self.timeout = host, port, timeout
        self.source = (source, 0) if source else None
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, local_addr=self.source)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                      body: bytes = b"") -> Answer:  # fmt: skip
        """One request; a broken connection raises Closed (and is dropped: the next request reconnects)."""
        started = time.perf_counter()
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
        for name, value in (headers or {}).items():
            head += f"{name}: {value}\r\n"
        if body or method in ("POST", "PUT", "PATCH"):
            head += f"Content-Length: {len(body)}\r\n"
        try:
            if self.writer is None:
                await self._open()
            self.writer.write(head.encode() + b"\r\n" + body)
            status, answer_headers, answer = await asyncio.wait_for(self._read(), self.timeout)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError) as exc:
            self.close()
            raise Closed(f"{type(exc).__name__}: {exc}") from exc
        if answer_headers.get("connection", "").lower() == "close":
            self.close()
        return Answer(status, answer_headers, answer, time.perf_counter() - started)

    async def _read(self) -> tuple[int, dict[str, str], bytes]:
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, _sep, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            return status, headers, await self.reader.readexactly(int(headers["content-length"]))
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    return status, headers, b"".join(parts)
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
        if status in (204, 304):
            return status, headers, b""
        body = await self.reader.read()  # until the server closes
        self.close()
        return status, headers, body


def multipart(fields: dict[str, str], file_name: str, content: bytes) -> tuple[str, bytes]:
    """A multipart/form-data body with one file field `file`: (content type, body)."""
    boundary = "raceday" + secrets.token_hex(8)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")  # fmt: skip
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


@dataclass
class Tally:
    """Answers of one kind of request: statuses, latencies, broken connections."""

    statuses: dict[int, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    broken: int = 0

    def add(self, answer: Answer) -> None:
        self.statuses[answer.status] = self.statuses.get(answer.status, 0) + 1
        self.latencies.append(answer.seconds)

    @property
    def count(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(int(len(ordered) * p), len(ordered) - 1)] if ordered else 0.0

    def line(self, name: str, seconds: float) -> str:
        ms = [self.percentile(p) * 1000 for p in (0.5, 0.95, 0.99)]
        statuses = " ".join(f"{status}:{n}" for status, n in sorted(self.statuses.items()))
        return (f"  {name:<22} {self.count:7d} {self.count / seconds:7.1f}/s  p50 {ms[0]:7.1f}  p95 {ms[1]:7.1f}  "
                f"p99 {ms[2]:7.1f} ms  [{statuses}]" + (f"  broken {self.broken}" if self.broken else ""))  # fmt: skip
