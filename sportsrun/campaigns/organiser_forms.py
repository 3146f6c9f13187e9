"""The organiser's campaign form: its fields to the values `campaigns.validation` reads and back, and the
validation's field names (`targets[2].target`) to the form's (`target_provinces`). Pure: no I/O.

The form has one target field per metric (blank: no target); the women's share is typed as a percentage
(40), the API's fraction (0.4) is what is stored."""

import re
from typing import Any

from sportsrun.campaigns.figures import METRICS
from sportsrun.core.errors import FieldError, InvalidInput
from sportsrun.core.i18n import gettext as _
from sportsrun.core.text.characters import western_digits

TEXT_FIELDS = ("name", "description", "hashtag", "best_of")
SHARE = "women_share"
_SEPARATORS = re.compile(r"[\s,،;]+")
_GROUPING = re.compile(r"[\s,٬_']")  # thousands separators people type: 10,000 · 10 000 · ١٠٬٠٠٠


def target_field(metric: str) -> str:
    return f"target_{metric}"


def _number(text: str) -> int | float | str:
    """A typed number (Arabic-Indic digits, thousands separators, ٫ as the decimal point); what cannot be
    read is passed on as typed, for the validation to refuse beside its field."""
    plain = _GROUPING.sub("", western_digits(text).replace("٫", "."))
    try:
        return int(plain)
    except ValueError:
        pass
    try:
        number = float(plain)
    except ValueError:
        return text
    return number if number == number and number not in (float("inf"), float("-inf")) else text


def _points(text: str) -> list[int] | str | None:
    parts = [p for p in _SEPARATORS.split(western_digits(text or "").strip()) if p]
    if not parts:
        return None
    if all(p.isdigit() and p.isascii() for p in parts):
        return [int(p) for p in parts]
    return text


def campaign_to_form(campaign: dict) -> dict[str, str]:
    values = {k: "" if campaign.get(k) is None else str(campaign[k]) for k in TEXT_FIELDS}
    values["points_table"] = ", ".join(str(p) for p in campaign.get("points_table") or [])
    for t in campaign.get("targets") or []:
        target = t["target"] * 100 if t["metric"] == SHARE else t["target"]
        values[target_field(t["metric"])] = f"{target:g}" if isinstance(target, float) else str(target)
    return values


def campaign_from_form(values: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The body `campaigns.services.create` and `update` take, and the metric of each target in order."""
    data: dict[str, Any] = {k: values.get(k, "") for k in TEXT_FIELDS}
    data["points_table"] = _points(values.get("points_table", ""))
    targets, metrics = [], []
    for metric in METRICS:
        text = (values.get(target_field(metric)) or "").strip()
        if not text:
            continue
        target = _number(text)
        if metric == SHARE and not isinstance(target, str):
            target = target / 100 if 0 < target <= 100 else -1  # refused below, with the form's own message
        targets.append({"metric": metric, "target": target})
        metrics.append(metric)
    data["targets"] = targets
    return data, metrics


_TARGET = re.compile(r"^targets\[(\d+)\]\.(metric|target)$")


def form_errors(exc: InvalidInput, metrics: list[str]) -> InvalidInput:
    """The validation's errors under the form's field names."""
    errors = []
    for e in exc.errors:
        m = _TARGET.match(e.field)
        if m and int(m.group(1)) < len(metrics):
            metric = metrics[int(m.group(1))]
            message = _("Enter a percentage above 0 and at most 100.") if metric == SHARE else e.message
            errors.append(FieldError(target_field(metric), message))
        else:
            errors.append(e)
    return InvalidInput(errors, exc.detail)


def rule_from_form(values: dict[str, str]) -> dict[str, Any]:
    return {"top_women": values.get("top_women", ""), "top_men": values.get("top_men", ""),
            "best_per_province": values.get("best_per_province", "off")}  # fmt: skip
