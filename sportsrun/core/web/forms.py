"""Small helpers for the HTML controllers: redirects, safe `next` targets, form values."""

from collections.abc import Mapping

from litestar.response import Redirect

from sportsrun.settings import get_settings

NO_STORE = {"Cache-Control": "no-store"}


def absolute(path: str) -> str:
    """An address to share or print (a QR code, a link in a message): the configured public address,
    never the Host a request claims, which anyone can set."""
    return get_settings().public_url + path


def see_other(path: str) -> Redirect:
    return Redirect(path=path, status_code=303)


def safe_next(value: str | None) -> str:
    """Only same-site paths: an open redirect would lend our address to phishing."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def form_values(data: Mapping[str, str], checkboxes: tuple[str, ...] = ()) -> dict[str, str]:
    """A form's fields without the CSRF token; an unticked checkbox is sent as nothing, so say "off"."""
    values = {k: v for k, v in data.items() if k != "_csrf_token"}
    for name in checkboxes:
        values[name] = "on" if values.get(name) in ("on", "true", "1") else "off"
    return values
