"""The API's OpenAPI schema (`/schema/openapi.json`) made to say what the API does (docs/rules.md, "The API's
shapes"): the bearer scheme on every route a bearer guard protects, the error answers in the funnel's shape
(`core.web.handlers`) on the routes where they can occur, and none of Litestar's default 400, which the funnel
turns into a 422. Handlers declare what only they know (a 409, a 429) with `errors(...)`; the rest follows from
each route itself (its guards, path parameters and body), so new routes are described as they are added."""

from collections.abc import Callable, Iterable
from typing import Annotated, Any, TypedDict

import msgspec
from litestar import Litestar, Request
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin
from litestar.params import KwargDefinition, QueryParameter
from litestar.routes import HTTPRoute

BEARER = "bearer"
SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "A token from POST /api/v1/auth/token, sent as 'Authorization: Bearer <token>'.",
}
_REF = "#/components/schemas/"
_DESCRIPTIONS = {
    401: "No token, or a token that is wrong, expired or revoked.",
    403: "The token's role may not do this.",
    404: "An id or code in the path names nothing.",
    409: "A conflict with existing data (a duplicate, a taken bib or name, a closed window, a state that "
    "no longer allows it). Nothing was written.",
    413: "The body is larger than the route accepts.",
    422: "Invalid input: `errors` names each field. Nothing was written.",
    429: "Too many requests from this address: wait `Retry-After` seconds.",
    503: "The database is unavailable: nothing was written; retry after `Retry-After` seconds.",
}


class FieldProblem(TypedDict):
    field: str
    message: str


class RowProblem(TypedDict):
    row: int | None
    column: str | None
    message: str


class ApiError(TypedDict):
    """Every 4xx answer: a sentence a person can act on."""

    detail: str


class InvalidInputError(TypedDict):
    detail: str
    errors: list[FieldProblem]


class SheetError(TypedDict):
    """A refused spreadsheet: `row` as the sheet numbers it (null for the whole file), `column` the sheet's own
    header text (null when the column is missing)."""

    detail: str
    errors: list[RowProblem]


def errors(*codes: int, sheet: bool = False) -> dict[int, ResponseSpec]:
    """The error answers a handler adds to those its route implies; `sheet=True`: its 422 may be row errors."""
    out = {
        code: ResponseSpec(ApiError, description=_DESCRIPTIONS.get(code, ""), generate_examples=False) for code in codes
    }
    if sheet:
        out[422] = ResponseSpec(SheetError, description=_DESCRIPTIONS[422], generate_examples=False)
    return out


def file_answer(media_type: str, description: str) -> dict[int, ResponseSpec]:
    """The 200 answer of a route that sends a file (set with `responses=`: a handler's own `media_type` would also
    be the type of its bodiless 304)."""
    return {200: ResponseSpec(bytes, media_type=media_type, description=description, generate_examples=False)}


def query(name: str, description: str, **schema: Any) -> Any:
    """A query parameter as the schema shows it; the handler still reads it itself, with its own checks and their
    localised messages (Arabic-Indic digits allowed), so Litestar takes it as text."""
    return Annotated[
        str, QueryParameter(name=name, required=False, description=description, schema_extra=schema or None)
    ]


def text(*, nullable: bool = False, **schema: Any) -> Any:
    """A request field read as text (its checks give localised messages) that the schema describes more exactly:
    `text(enum=[…])`, `text(format="date")`; it may be left out, and, `nullable`, be null."""
    kind = str | None | msgspec.UnsetType if nullable else str | msgspec.UnsetType
    return Annotated[kind, KwargDefinition(schema_extra=schema)]


_REQUIRED: dict[str, tuple[str, ...]] = {}


def required(*names: str) -> Callable[[type], type]:
    """Marks the fields of a request body that the API requires (API.md). Its struct still decodes without them,
    so that the handler's checks name what is missing in the visitor's language: the schema is told here. A
    partial update (PATCH) is a subclass with nothing marked, its own schema."""

    def mark(body: type) -> type:
        missing = set(names) - set(getattr(body, "__struct_fields__", None) or body.__annotations__)
        assert not missing, (body.__name__, missing)
        _REQUIRED[body.__name__] = names
        return body

    return mark


def _handlers(app: Litestar) -> dict[tuple[str, str], Any]:
    found = {}
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for method, (handler, _) in route.route_handler_map.items():
                found[(route.path_format, method.lower())] = handler
    return found


def _bearer_roles(handler: Any) -> list[str]:
    return [role for guard in handler.resolve_guards() if (role := getattr(guard, "bearer_role", None))]


def _error(code: int, schema: str) -> dict:
    answer: dict[str, Any] = {
        "description": _DESCRIPTIONS.get(code, ""),
        "content": {"application/json": {"schema": {"$ref": _REF + schema}}},
    }
    if code in (429, 503):
        answer["headers"] = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}
    return answer


def _finish_operation(operation: dict, handler: Any) -> None:
    answers = operation.setdefault("responses", {})
    answers.pop("400", None)  # Litestar's own shape; the funnel answers a malformed request with a 422
    roles = _bearer_roles(handler) if handler is not None else []
    if roles:
        operation["security"] = [{BEARER: []}]
        answers.setdefault("401", {})
        answers.setdefault("403", {})
        note = f"Needs a bearer token of role `{roles[-1]}` or above."
        operation["description"] = f"{operation.get('description') or ''}\n\n{note}".strip()
    parameters = operation.get("parameters") or []
    for parameter in parameters:
        if parameter.get("in") == "query" and parameter.get("schema", {}).get("default") == "":
            del parameter["schema"]["default"]  # the handler's "not given", not a value a client sends
    if any(p.get("in") == "path" for p in parameters):
        answers.setdefault("404", {})
    if "requestBody" in operation or any(p.get("in") == "query" for p in parameters):
        answers.setdefault("422", {})
    if "requestBody" in operation:
        answers.setdefault("413", {})
    answers.setdefault("503", {})
    for code in list(answers):
        if code.isdigit() and int(code) >= 400:
            declared = (answers[code].get("content") or {}).get("application/json", {}).get("schema", {})
            kind = declared.get("$ref", "").removeprefix(_REF)
            if code == "422":
                shapes = [{"$ref": _REF + "InvalidInputError"}]
                if kind == "SheetError":
                    shapes.append({"$ref": _REF + "SheetError"})
                answers[code] = _error(422, "InvalidInputError")
                if len(shapes) > 1:
                    answers[code]["content"]["application/json"]["schema"] = {"oneOf": shapes}
                    answers[code]["description"] += " A refused spreadsheet names each `row` and `column` instead."
            else:
                answers[code] = _error(int(code), "ApiError")


def _collapse(node: Any) -> Any:
    """`{"oneOf": [{"type": "string"}], "enum": […]}`, as Litestar writes a field that may be left out, is the one
    schema `{"type": "string", "enum": […]}`; what the field adds wins."""
    if isinstance(node, list):
        return [_collapse(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _collapse(value) for key, value in node.items()}
    options = node.get("oneOf")
    if isinstance(options, list) and len(options) == 1 and isinstance(options[0], dict):
        added = {key: value for key, value in node.items() if key != "oneOf"}
        node = options[0] | added
    return node


def finish(schema: dict, app: Litestar) -> dict:
    """The schema Litestar made, with the bearer scheme and the error answers of every /api operation."""
    schema = _collapse(schema)
    handlers = _handlers(app)
    for path, item in schema.get("paths", {}).items():
        if not path.startswith("/api/"):  # a feed for partners: its errors are pages
            for operation in item.values():
                if isinstance(operation, dict):
                    operation.get("responses", {}).pop("400", None)
            continue
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                _finish_operation(operation, handlers.get((path, method)))
    components = schema.setdefault("components", {})
    components.setdefault("securitySchemes", {})[BEARER] = SECURITY_SCHEME
    shapes = components.setdefault("schemas", {})
    for name, names in _REQUIRED.items():
        if name in shapes:
            shapes[name]["required"] = list(names)
    shapes.update(_ERROR_SCHEMAS)
    return schema


_ERROR_SCHEMAS = {
    "ApiError": {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}},
                 "description": ApiError.__doc__},
    "FieldProblem": {"type": "object", "required": ["field", "message"],
                     "properties": {"field": {"type": "string", "description": "`birth_date`, `people[2].birth_date`"},
                                    "message": {"type": "string"}}},
    "RowProblem": {"type": "object", "required": ["row", "column", "message"],
                   "properties": {"row": {"type": ["integer", "null"]}, "column": {"type": ["string", "null"]},
                                  "message": {"type": "string"}}},
    "InvalidInputError": {"type": "object", "required": ["detail", "errors"],
                          "properties": {"detail": {"type": "string"},
                                         "errors": {"type": "array", "items": {"$ref": _REF + "FieldProblem"}}}},
    "SheetError": {"type": "object", "required": ["detail", "errors"],
                   "description": " ".join((SheetError.__doc__ or "").split()),
                   "properties": {"detail": {"type": "string"},
                                  "errors": {"type": "array", "items": {"$ref": _REF + "RowProblem"}}}},
}  # fmt: skip


class _Finished:
    """Render plugins that serve the finished schema, made once per application."""

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        app = request.app
        done = app.state.get("finished_openapi")
        if done is None or done[0] is not openapi_schema:
            done = (openapi_schema, finish(msgspec.json.decode(msgspec.json.encode(openapi_schema)), app))
            app.state["finished_openapi"] = done
        return super().render(request, done[1])  # type: ignore[misc]


class FinishedJson(_Finished, JsonRenderPlugin):
    pass


class FinishedSwagger(_Finished, SwaggerRenderPlugin):
    pass


def render_plugins() -> Iterable[Any]:
    return [FinishedSwagger(), FinishedJson()]
