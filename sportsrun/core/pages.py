"""Helpers shared by the HTML controllers."""

from typing import Any

from litestar import Request
from litestar.response import Redirect, Template

from sportsrun.core.i18n import current_locale, direction
from sportsrun.settings import LOCALES

NO_STORE = {"Cache-Control": "no-store"}


def page(
    request: Request, template: str, status_code: int = 200, headers: dict | None = None, **context: Any
) -> Template:
    locale = current_locale.get()
    context.update(locale=locale, dir=direction(locale), locales=LOCALES, path=request.url.path)
    return Template(template_name=template, context=context, status_code=status_code, headers=headers)


def see_other(path: str) -> Redirect:
    return Redirect(path=path, status_code=303)


def safe_next(value: str | None) -> str:
    """Only same-site paths: an open redirect would lend our address to phishing."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"
