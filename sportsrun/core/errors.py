"""Domain errors. Services raise these; one funnel (core.web.handlers) turns them into the
API's shapes (docs/rules.md)."""

from dataclasses import dataclass
from urllib.parse import quote

from sportsrun.core.i18n import gettext as _


class DomainError(Exception):
    status_code = 400

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail

    def body(self) -> dict:
        return {"detail": self.detail}


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    """The input is well formed but clashes with what exists: a duplicate, a taken bib, a closed window."""

    status_code = 409


class Unauthorized(DomainError):
    status_code = 401


class Forbidden(DomainError):
    status_code = 403


class SignInRequired(DomainError):
    """A page that needs a signed-in user: the error funnel answers with the login page's address."""

    status_code = 401

    def __init__(self, next_path: str):
        super().__init__(_("Sign in to continue."))
        self.next_path = next_path

    @property
    def login_url(self) -> str:
        return "/login?next=" + quote(self.next_path, safe="/")


class TooLarge(DomainError):
    status_code = 413


class TooManyRequests(DomainError):
    status_code = 429

    def __init__(self, detail: str, retry_after: int):
        super().__init__(detail)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


class InvalidInput(DomainError):
    status_code = 422

    def __init__(self, errors: list[FieldError], detail: str | None = None):
        super().__init__(detail or _("Some fields need correcting."))
        self.errors = errors

    def body(self) -> dict:
        return {"detail": self.detail, "errors": [{"field": e.field, "message": e.message} for e in self.errors]}

    def for_field(self, field: str) -> str | None:
        return next((e.message for e in self.errors if e.field == field), None)


@dataclass(frozen=True, slots=True)
class RowError:
    row: int | None
    column: str | None
    message: str


class SheetInvalid(DomainError):
    status_code = 422

    def __init__(self, errors: list[RowError], detail: str | None = None):
        super().__init__(detail or _("The file has problems; nothing was imported."))
        self.errors = errors

    def body(self) -> dict:
        return {
            "detail": self.detail,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
        }
