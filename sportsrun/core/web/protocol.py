"""The HTTP protocol `sportsrun serve` runs: uvicorn's, with a request it cannot parse (an address of
hundreds of kilobytes, a malformed header) refused in the API's error shape, a JSON `detail`, instead of
uvicorn's plain text. Such a request never reaches the application, which would say it so."""

import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

REFUSAL = json.dumps({"detail": "The request could not be read: its address or headers are too long or malformed."})


class Protocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        body = REFUSAL.encode()
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        head += [name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers]
        head += [b"content-type: application/json\r\n", b"content-length: %d\r\n" % len(body),
                 b"x-content-type-options: nosniff\r\n", b"connection: close\r\n\r\n"]  # fmt: skip
        self.transport.write(b"".join(head) + body)
        self.transport.close()
