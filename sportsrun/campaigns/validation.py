"""Reading a campaign's fields from a JSON body or an organiser's form. Pure: no I/O."""

import re
from collections.abc import Mapping
from typing import Any

from sportsrun.campaigns.figures import METRICS
from sportsrun.campaigns.series import DEFAULT_BEST_OF
from sportsrun.core.i18n import gettext as _
from sportsrun.core.validation import Fields

HASHTAG = re.compile(r"\w{1,99}")  # letters of any script, digits, underscore: what the networks link
MAX_TABLE = 1000


def _targets(fields: Fields, value: Any) -> list[dict]:
    if not isinstance(value, list) or len(value) > len(METRICS) * 4:
        fields.error("targets", _("Give the targets as a list of metrics with their target."))
        return []
    out = []
    for n, item in enumerate(value):
        metric = item.get("metric") if isinstance(item, Mapping) else None
        target = item.get("target") if isinstance(item, Mapping) else None
        if metric not in METRICS:
            fields.error(f"targets[{n}].metric", _("Choose one of: {choices}.", choices=", ".join(METRICS)))
        elif isinstance(target, bool) or not isinstance(target, int | float) or not 0 < target < 1e12:
            fields.error(f"targets[{n}].target", _("Enter a number greater than {n}.", n=0))
        elif metric == "women_share" and target > 1:
            fields.error(f"targets[{n}].target", _("Give the women's share as a fraction from 0 to 1."))
        else:
            out.append({"metric": metric, "target": target})
    return out


def _points_table(fields: Fields, value: Any) -> list[int] | None:
    if value is None:
        return None
    if (not isinstance(value, list) or not 0 < len(value) <= MAX_TABLE
            or any(isinstance(p, bool) or not isinstance(p, int) or not 0 <= p <= 100_000 for p in value)):  # fmt: skip
        fields.error("points_table", _("Give the points by place as a list of whole numbers."))
        return None
    return value


def read_campaign(data: Mapping[str, Any], *, creating: bool) -> dict:
    """The columns to write: all of them when creating, those given otherwise."""
    fields = Fields(data)
    v: dict[str, Any] = {}
    if creating or fields.present("name"):
        v["name"] = fields.text("name", required=True, max_length=200)
    if creating or fields.present("description"):
        v["description"] = fields.text("description", max_length=5000) or ""
    if creating or fields.present("hashtag"):
        tag = (fields.text("hashtag", max_length=100) or "").lstrip("#")
        if tag and not HASHTAG.fullmatch(tag):
            fields.error("hashtag", _("A hashtag is letters, digits and underscores, without spaces."))
        v["hashtag"] = tag
    if creating or fields.present("best_of"):
        v["best_of"] = fields.integer("best_of", minimum=1, maximum=100) or DEFAULT_BEST_OF
    if creating or fields.present("points_table"):
        v["points_table"] = _points_table(fields, data.get("points_table"))
    if creating and "targets" not in data:  # API.md: required (an empty list says "no targets")
        fields.error("targets", _("This field is required."))
    elif creating or fields.present("targets"):
        v["targets"] = _targets(fields, data.get("targets"))
    fields.raise_if_any()
    return v


def read_rule(data: Mapping[str, Any]) -> dict:
    fields = Fields(data)
    rule = {
        "top_women": fields.integer("top_women", minimum=0, maximum=10_000) or 0,
        "top_men": fields.integer("top_men", minimum=0, maximum=10_000) or 0,
        "best_per_province": fields.boolean("best_per_province"),
    }
    fields.raise_if_any()
    return rule
