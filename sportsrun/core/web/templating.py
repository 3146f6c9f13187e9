"""Jinja2 for the pages: autoescaped, in the visitor's language, full pages or htmx fragments."""

import asyncio
import html
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from jinja2_fragments import render_block
from litestar import Request, Response
from litestar.enums import MediaType
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Stream, Template
from litestar.template.config import TemplateConfig
from litestar.utils.scope.state import ScopeState

from sportsrun.core.i18n import (
    LANGUAGE_NAMES,
    current_locale,
    direction,
    format_date,
    format_datetime,
    format_number,
    gettext,
    in_locale,
    ngettext,
)
from sportsrun.core.localised import format_distance, format_pace, isolated, language_labels, localised
from sportsrun.core.web.static import TEMPLATES, static_url
from sportsrun.settings import LOCALES

HTMX = "vendor/htmx.min.js"


def template_config(filters: Mapping[str, Callable[..., Any]]) -> TemplateConfig:
    """The pages' templates, with the domains' own `filters` (the wiring passes them: core knows no
    domain) beside the language-aware ones."""

    def configure(engine: JinjaTemplateEngine) -> None:
        env = engine.engine
        env.autoescape = True
        env.trim_blocks = env.lstrip_blocks = True
        env.globals.update(
            _=gettext,
            ngettext=ngettext,
            current_locale=current_locale.get,
            direction=direction,
            static_url=static_url,
            language_labels=language_labels,
        )
        env.filters.update(date=format_date, datetime=format_datetime, number=format_number, **filters)
        # Names in the visitor's language (`event|localised`, `event|localised("city")`), and units.
        env.filters.update(localised=localised, distance=format_distance, pace=format_pace, bdi=isolated)

    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=configure)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true" and not request.headers.get("hx-history-restore-request")


def base_context(request: Request) -> dict[str, Any]:
    locale = current_locale.get()
    csrf_token = ScopeState.from_scope(request.scope).csrf_token
    token = csrf_token if isinstance(csrf_token, str) else ""
    return {
        "locale": locale,
        "dir": direction(locale),
        "locales": LOCALES,
        "language_names": LANGUAGE_NAMES,
        "csrf_token": token,
        "htmx": static_url(HTMX) is not None,
        "user": request.scope.get("page_user"),
    }


def _with_base(request: Request, context: dict[str, Any]) -> dict[str, Any]:
    """The page's context over the base one. The language switcher's return address is set last: a page's
    own variable (the results page has a `query`) must not stand in for the request's."""
    query = request.url.query
    return {**base_context(request), **context, "language_next": request.url.path + (f"?{query}" if query else "")}


def render_text(
    request: Request, template: str, *, block: str | None = None, shared: bool = False, **context: Any
) -> str:
    """A page (or one block of it) as text. `shared` pages are cached for every visitor, so they carry
    no CSRF token and no signed-in user."""
    context = _with_base(request, context)
    if shared:
        context.update(csrf_token="", user=None)
    context.setdefault("request", request)
    token = html.escape(context["csrf_token"])
    context.setdefault("csrf_input", f'<input type="hidden" name="_csrf_token" value="{token}">')
    env = request.app.template_engine.engine  # type: ignore[union-attr]
    if block:
        return render_block(env, template, block, **context)
    return env.get_template(template).render(**context)


def render(
    request: Request,
    template: str,
    *,
    block: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    """The whole page, or only its `block` for an htmx request: one template serves both."""
    headers = {"Vary": "HX-Request", **(headers or {})}
    context = _with_base(request, context)
    if block and is_htmx(request):
        env = request.app.template_engine.engine  # type: ignore[union-attr]
        context.setdefault("request", request)
        token = html.escape(context["csrf_token"])
        context.setdefault("csrf_input", f'<input type="hidden" name="_csrf_token" value="{token}">')
        body = render_block(env, template, block, **context)
        return Response(body, media_type=MediaType.HTML, status_code=status_code, headers=headers)
    return Template(template_name=template, context=context, status_code=status_code, headers=headers)


STREAM_CHUNK = 64 * 1024


def stream(request: Request, template: str, *, headers: dict[str, str] | None = None, **context: Any) -> Response:
    """A long page (a printed list of 50,000 rows) sent as it is rendered, in pieces of about 64 KB with
    other requests let in between, instead of held whole in memory and rendered in one go on the loop."""
    context = _with_base(request, context)
    context.setdefault("request", request)
    token = html.escape(context["csrf_token"])
    context.setdefault("csrf_input", f'<input type="hidden" name="_csrf_token" value="{token}">')
    env = request.app.template_engine.engine  # type: ignore[union-attr]
    locale = current_locale.get()
    pieces = env.get_template(template).generate(**context)

    async def body() -> AsyncIterator[bytes]:
        done = False
        while not done:
            chunk, size = [], 0
            with in_locale(locale):  # the pieces are rendered while the response is sent
                for piece in pieces:
                    chunk.append(piece)
                    size += len(piece)
                    if size >= STREAM_CHUNK:
                        break
                else:
                    done = True
            yield "".join(chunk).encode()
            await asyncio.sleep(0)

    return Stream(body(), media_type=MediaType.HTML, headers=headers or {})
