"""Jinja2 for the pages: autoescaped, with the visitor's language and direction at hand."""

from pathlib import Path

from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from sportsrun.core.i18n import current_locale, direction, gettext, ngettext

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _configure(engine: JinjaTemplateEngine) -> None:
    env = engine.engine
    env.autoescape = True
    env.globals.update(_=gettext, ngettext=ngettext, current_locale=current_locale.get, direction=direction)


def template_config() -> TemplateConfig:
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=_configure)
