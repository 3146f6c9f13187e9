"""Reading fields from JSON bodies and HTML forms alike, collecting every problem with its field.

Values arrive typed from JSON (`true`, `5`) and as strings from forms (`"on"`, `"5"`); both read the
same here, so the API and the pages share one validation."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sportsrun.core.errors import FieldError, InvalidInput
from sportsrun.core.i18n import gettext as _
from sportsrun.core.text.characters import has_control_characters, western_digits

MISSING = object()


class Fields:
    def __init__(self, data: Mapping[str, Any]):
        self.data = data
        self.errors: list[FieldError] = []

    def error(self, field: str, message: str) -> None:
        if not any(e.field == field for e in self.errors):
            self.errors.append(FieldError(field, message))

    def has_error(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidInput(self.errors)

    def present(self, field: str) -> bool:
        return field in self.data

    def _raw(self, field: str) -> Any:
        value = self.data.get(field)
        if isinstance(value, str):
            return value.strip() or None
        return value

    def text(self, field: str, *, required: bool = False, max_length: int = 100) -> str | None:
        # _raw inlined: an import reads fourteen fields of 50,000 rows, most of them absent.
        value = self.data.get(field)
        if isinstance(value, str):
            value = value.strip() or None
        elif value is not None:
            self.error(field, _("Enter text."))
            return None
        if value is None:
            if required:
                self.error(field, _("This field is required."))
            return None
        if len(value) > max_length:
            self.error(field, _("Use at most {n} characters.", n=max_length))
            return None
        if has_control_characters(value):
            self.error(field, _("Remove the control characters."))
            return None
        return value

    def integer(
        self, field: str, *, required: bool = False, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        value = self._raw(field)
        if value is None:
            if required:
                self.error(field, _("This field is required."))
            return None
        number = to_int(value)
        if number is None:
            self.error(field, _("Enter a whole number."))
            return None
        if minimum is not None and number < minimum:
            self.error(field, _("Enter a number of at least {n}.", n=minimum))
            return None
        if maximum is not None and number > maximum:
            self.error(field, _("Enter a number of at most {n}.", n=maximum))
            return None
        return number

    def number(self, field: str, *, required: bool = False, minimum: float = 0) -> float | None:
        value = self._raw(field)
        if value is None:
            if required:
                self.error(field, _("This field is required."))
            return None
        try:
            number = float(western_digits(value)) if isinstance(value, str) else value
            if isinstance(number, bool) or not isinstance(number, int | float) or number != number:
                raise ValueError
        except ValueError:
            self.error(field, _("Enter a number."))
            return None
        if number <= minimum:
            self.error(field, _("Enter a number greater than {n}.", n=minimum))
            return None
        return float(number)

    def boolean(self, field: str, *, default: bool = False) -> bool:
        value = self._raw(field)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("on", "true", "1", "yes"):
            return True
        if isinstance(value, str) and value.lower() in ("off", "false", "0", "no"):
            return False
        self.error(field, _("Choose yes or no."))
        return default

    def choice(
        self, field: str, choices: tuple[str, ...], *, required: bool = False, default: str | None = None
    ) -> str | None:
        value = self._raw(field)
        if value is None:
            if required:
                self.error(field, _("This field is required."))
            return default
        if value not in choices:
            self.error(field, _("Choose one of: {choices}.", choices=", ".join(choices)))
            return None
        return value

    def date(self, field: str, *, required: bool = False) -> dt.date | None:
        value = self._raw(field)
        if value is None:
            if required:
                self.error(field, _("This field is required."))
            return None
        parsed = to_date(value)
        if parsed is None:
            self.error(field, _("Enter a date as YYYY-MM-DD."))
        return parsed

    def datetime(self, field: str, *, required: bool = False) -> dt.datetime | None:
        value = self._raw(field)
        if value is None:
            if required:
                self.error(field, _("This field is required."))
            return None
        parsed = None
        if isinstance(value, dt.datetime):
            parsed = value
        elif isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(western_digits(value).replace("Z", "+00:00"))
            except ValueError:
                parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.error(field, _("Enter a date and time with its UTC offset, e.g. 2026-03-20T07:30:00+03:00."))
            return None
        return parsed

    def int_list(self, field: str) -> list[int] | None:
        value = self._raw(field)
        if value is None:
            return []
        if isinstance(value, str):
            value = [v for v in value.replace("،", ",").split(",") if v.strip()]
        if not isinstance(value, list):
            self.error(field, _("Enter a list of whole numbers."))
            return None
        numbers = [to_int(v) for v in value]
        if any(n is None for n in numbers):
            self.error(field, _("Enter a list of whole numbers."))
            return None
        return numbers  # type: ignore[return-value]


def to_int(value: Any) -> int | None:
    """Whole numbers as JSON, text, Arabic-Indic text or a spreadsheet's float (`103.0`)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = western_digits(value.strip())
        if text.endswith(".0"):
            text = text[:-2]
        if text.lstrip("-").isdigit() and text.isascii():
            return int(text)
    return None


def to_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = western_digits(value.strip())
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    # Paper forms typed into Excel as text: day/month/year, the order used in Iraq.
    for sep in ("/", ".", "-"):
        parts = text.split(sep)
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
            try:
                return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                return None
    return None
