"""The one funnel every error goes through: the API's JSON shape (docs/rules.md) for /api, an HTML page otherwise
(a fragment for htmx). Nothing about the failure's internals reaches the client."""

import logging
import re

from litestar import Request, Response
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from sportsrun.core.db.outages import RETRY_AFTER_S, is_outage
from sportsrun.core.errors import DomainError, FieldError, InvalidInput, SignInRequired, TooManyRequests
from sportsrun.core.i18n import N_
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web.templating import is_htmx, render

log = logging.getLogger("sportsrun")

_GENERIC = {
    400: N_("The request could not be understood."),
    401: N_("Sign in to continue."),
    403: N_("You may not do this."),
    404: N_("There is nothing at this address."),
    405: N_("This address does not accept that method."),
    413: N_("What you sent is too large."),
    429: N_("Too many requests: wait a moment and try again."),
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/schema"))


def _respond(request: Request, status: int, body: dict, headers: dict | None = None) -> Response:
    if _wants_json(request):
        return Response(body, status_code=status, headers=headers)
    return render(
        request,
        "errors/error.html",
        block="error",
        status_code=status,
        headers=headers,
        status=status,
        detail=body.get("detail"),
        errors=body.get("errors", []),
    )


def domain_error(request: Request, exc: DomainError) -> Response:
    if isinstance(exc, SignInRequired) and not _wants_json(request):
        if is_htmx(request):
            return Response("", status_code=204, headers={"HX-Redirect": exc.login_url})
        return Redirect(exc.login_url, status_code=303)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else None
    return _respond(request, exc.status_code, exc.body(), headers)


_MISSING = re.compile(r"missing required field `(\w+)`")


def _takes_a_file(request: Request) -> bool:
    """Whether the route takes a multipart upload, whatever the client sent."""
    try:
        data = request.route_handler.parsed_fn_signature.parameters.get("data")
    except AttributeError:  # no route matched
        return False
    definition = getattr(data, "kwarg_definition", None) if data else None
    return getattr(definition, "media_type", None) == RequestEncodingType.MULTI_PART


def _field_error(item: dict) -> FieldError:
    message = str(item.get("message", "Invalid value"))
    missing = _MISSING.search(message)
    if missing:  # msgspec's English, as a field of its own in the visitor's language
        return FieldError(missing.group(1), _("This field is required."))
    return FieldError(str(item.get("key") or "body"), message)


def _unreadable_body(request: Request) -> FieldError:
    if _takes_a_file(request):
        return FieldError("file", _("Send the spreadsheet as the form field 'file' of a multipart/form-data body."))
    return FieldError("body", _("Send a JSON object with the documented fields."))


def validation_error(request: Request, exc: ValidationException) -> Response:
    """Litestar's own type checks become the API's 422 with field errors; a path that names nothing
    (`/races/abc`, an id past the database's integers) is a 404."""
    items = [i for i in (exc.extra if isinstance(exc.extra, list) else []) if isinstance(i, dict)]
    if items and all(i.get("source") == "path" for i in items):
        return _respond(request, 404, {"detail": _(_GENERIC[404])})
    errors = [_field_error(i) for i in items] or [_unreadable_body(request)]
    return domain_error(request, InvalidInput(errors))


def too_deep(request: Request, _exc: RecursionError) -> Response:
    """JSON nested deeper than the decoder goes (a 2 KB body of a thousand brackets): invalid input."""
    return domain_error(request, InvalidInput([FieldError("body", _("The JSON is nested too deeply."))]))


def http_error(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if status >= 500:
        return server_error(request, exc)
    if status == 400:
        # A body that is not JSON at all, or a form that cannot be parsed: invalid input too.
        return domain_error(request, InvalidInput([_unreadable_body(request)]))
    detail = exc.detail if status in (401, 403) and exc.detail and "csrf" in exc.detail.lower() else None
    body = {"detail": detail or _(_GENERIC.get(status, N_("The request could not be handled.")))}
    return _respond(request, status, body, getattr(exc, "headers", None))


def _redacted(path: str) -> str:
    """Registrants' codes in paths are keys to personal data: never in a log."""
    return re.sub(r"/registrations/[^/]+", "/registrations/…", path)


def server_error(request: Request, exc: Exception) -> Response:
    # The traceback goes to the log (never the client); request bodies are not logged: they hold
    # personal data.
    if is_outage(exc):
        log.error("database unavailable on %s %s: %s", request.method, _redacted(request.url.path), exc)
        detail = _("The site cannot reach its database right now: nothing was saved. Try again in a minute.")
        return _respond(request, 503, {"detail": detail}, {"Retry-After": str(RETRY_AFTER_S)})
    log.exception("unhandled error on %s %s", request.method, _redacted(request.url.path), exc_info=exc)
    return _respond(
        request, HTTP_500_INTERNAL_SERVER_ERROR, {"detail": _("Something went wrong on our side. Please try again.")}
    )


EXCEPTION_HANDLERS = {
    DomainError: domain_error,
    ValidationException: validation_error,
    RecursionError: too_deep,
    HTTPException: http_error,
    Exception: server_error,
}
