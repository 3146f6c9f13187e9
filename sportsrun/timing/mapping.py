"""The API's `mapping` of a timing sheet's columns: canonical column → the sheet's own header text."""

import json

from sportsrun.core.errors import FieldError, InvalidInput
from sportsrun.core.i18n import gettext as _
from sportsrun.timing import columns as cols


def read_mapping(raw: object) -> dict[str, str]:
    """The API's `mapping`: canonical column → the sheet's header text (a JSON object, or its text)."""
    if raw in (None, "", {}):
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise InvalidInput([FieldError("mapping", _("Give the mapping as a JSON object."))]) from None
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in raw.items()
    ):
        raise InvalidInput([FieldError("mapping", _("Give the mapping as a JSON object."))])
    unknown = [k for k in raw if not cols.valid_field(k)]
    if unknown:
        raise InvalidInput(
            [
                FieldError(
                    "mapping",
                    _(
                        "Unknown columns in the mapping: {names}. Use bib, gun_time, chip_time, clock_time, status or "
                        "split:<name>.",
                        names=", ".join(unknown),
                    ),
                )
            ]
        )
    return {k: v.strip() for k, v in raw.items()}
