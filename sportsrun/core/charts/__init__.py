"""Charts drawn on the server as SVG for the templates, in Arabic, Kurdish or English."""

from sportsrun.core.charts.bars import bar_chart
from sportsrun.core.charts.lines import Series, cumulative_chart

__all__ = ["Series", "bar_chart", "cumulative_chart"]
