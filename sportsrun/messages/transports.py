"""How a message leaves: SMTP for email (SPORTSRUN_EMAIL_URL), an HTTP gateway for SMS or WhatsApp
(SPORTSRUN_SMS_URL). A channel without its address has no transport: its messages wait in the outbox.

Errors say what failed without the recipient or the text: they are stored for admins and logged."""

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

import httpx

from sportsrun.settings import get_settings

TIMEOUT_S = 30.0


class SendError(Exception):
    """A transport refused or failed: the message is tried again later."""


def configured_channels() -> tuple[str, ...]:
    settings = get_settings()
    return tuple(c for c, url in (("email", settings.email_url), ("sms", settings.sms_url)) if url)


def _sender_address(url) -> str:
    given = parse_qs(url.query).get("from")
    if given:
        return given[0]
    host = urlsplit(get_settings().public_url).hostname or "localhost"
    return f"sportsrun@{host}"


def _send_email_now(recipient: str, subject: str, body: str, language: str) -> None:
    url = urlsplit(get_settings().email_url)
    message = EmailMessage()
    message["From"] = _sender_address(url)
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=(message["From"].rpartition("@")[2] or None))
    message.set_content(body)
    message["Content-Language"] = language  # after the content, which replaces every Content-* header
    secure = url.scheme == "smtps"
    port = url.port or (465 if secure else 25)
    smtp_class = smtplib.SMTP_SSL if secure else smtplib.SMTP
    try:
        with smtp_class(url.hostname or "localhost", port, timeout=TIMEOUT_S) as smtp:
            smtp.ehlo()
            if not secure and smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if url.username:
                smtp.login(unquote(url.username), unquote(url.password or ""))
            smtp.send_message(message)
    except smtplib.SMTPResponseException as exc:
        raise SendError(f"SMTP server answered {exc.smtp_code}") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise SendError(f"SMTP: {type(exc).__name__}") from None


async def send_email(recipient: str, subject: str, body: str, language: str) -> None:
    # smtplib blocks: in a thread, so that the worker keeps answering while a server is slow.
    await asyncio.to_thread(_send_email_now, recipient, subject, body, language)


async def send_sms(recipient: str, text: str) -> None:
    url = get_settings().sms_url
    parts = urlsplit(url)
    auth = None
    if parts.username:
        auth = (unquote(parts.username), unquote(parts.password or ""))
        url = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT_S) as client:
            response = await client.post(url, json={"to": recipient, "text": text}, auth=auth)
    except httpx.HTTPError as exc:
        raise SendError(f"SMS gateway: {type(exc).__name__}") from None
    if not response.is_success:
        raise SendError(f"SMS gateway answered {response.status_code}")


async def send(channel: str, recipient: str, subject: str, body: str, language: str) -> None:
    if channel == "email":
        await send_email(recipient, subject, body, language)
    else:
        await send_sms(recipient, body)  # a text message has no subject: the body says it all
