"""The check-in token and its QR: what a runner shows at bib pickup.

The token is random (144 bits), not the self-service code: it identifies the registration to a signed-in
volunteer and opens nothing else, so a QR seen by a stranger in the queue gives away nothing. The QR holds
no address either (`PAYLOAD_PREFIX` + token): a phone's own camera app finds nothing to open in it, and
only the volunteer's scanner (static/js/checkin-scanner.js) acts on it. The token is made where the
registration's row is made (registration/writer.py), for every way in, and cleared by a cancellation."""

import base64
import io
import re
import secrets

import segno

PAYLOAD_PREFIX = "sportsrun-checkin:"
TOKEN_BYTES = 18  # 144 random bits, 24 URL-safe characters
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22,43}")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_tokens(n: int) -> list[str]:
    """n tokens from one read of the system's randomness: 18 random bytes are 24 URL-safe characters, so
    each slice of one long encoding is one token."""
    text = base64.urlsafe_b64encode(secrets.token_bytes(TOKEN_BYTES * n)).decode()
    return [text[i : i + 24] for i in range(0, 24 * n, 24)]


def checkin_payload(token: str) -> str:
    """The text the runner's check-in QR holds."""
    return PAYLOAD_PREFIX + token


def token_from_scan(text: str) -> str | None:
    """The token in what a scanner read or a volunteer typed (the QR's text, or the bare token); None when it
    cannot be one."""
    text = text.strip()
    if text[: len(PAYLOAD_PREFIX)].lower() == PAYLOAD_PREFIX:
        text = text[len(PAYLOAD_PREFIX) :]
    return text if _TOKEN.fullmatch(text) else None


def _qr(token: str) -> segno.QRCode:
    return segno.make(checkin_payload(token), error="m", micro=False)


def checkin_qr_svg(token: str, *, scale: int = 6) -> str:
    """The runner's check-in QR as inline SVG (for a page, or an HTML message): dark on light, with the quiet
    zone scanners need."""
    return _qr(token).svg_inline(scale=scale, border=4, title=None)


def checkin_qr_png(token: str, *, scale: int = 8) -> bytes:
    """The same QR as PNG bytes: for a message whose reader shows no inline SVG (most mail clients)."""
    out = io.BytesIO()
    _qr(token).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
