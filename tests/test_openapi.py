"""The OpenAPI schema partners script against (`/schema/openapi.json`): every documented path with its method
(docs/api-paths.txt), typed answers with their enums and formats, the results filters, the bearer scheme and the
error answers in the API's shape — and the typed answers are what the handlers really send."""

import re
from pathlib import Path

import pytest

from tests.support import make_race, register, token_headers

PATHS_FILE = Path(__file__).resolve().parent.parent / "docs" / "api-paths.txt"
REF = "#/components/schemas/"


def _template(path: str) -> str:
    """`/registrations/{code}` and `/registrations/{key}` are one address: parameter names do not count."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def documented() -> list[tuple[str, str]]:
    """(method, template) of the documented paths."""
    out = []
    for line in PATHS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            method, path = line.split()
            out.append((method.lower(), _template(path)))
    return out


@pytest.fixture
async def schema(client) -> dict:
    r = await client.get("/schema/openapi.json")
    assert r.status_code == 200
    return r.json()


def _listed(schema: dict) -> set[tuple[str, str]]:
    return {(method, _template(path)) for path, item in schema["paths"].items() for method in item}


def _component(schema: dict, ref_or_schema: dict) -> dict:
    if "$ref" in ref_or_schema:
        return schema["components"]["schemas"][ref_or_schema["$ref"].removeprefix(REF)]
    return ref_or_schema


def _answer(schema: dict, method: str, path: str, status: str = "200") -> dict:
    content = schema["paths"][path][method]["responses"][status]["content"]
    return _component(schema, next(iter(content.values()))["schema"])


def _items(schema: dict, array: dict) -> dict:
    assert array["type"] == "array", array
    return _component(schema, array["items"])


def _kinds(prop: dict) -> set[str]:
    """The JSON types a property allows, through Litestar's `oneOf` for optional values."""
    options = prop.get("oneOf", [prop])
    return {t for o in options for t in ([o["type"]] if isinstance(o.get("type"), str) else o.get("type", []))}


async def test_every_documented_path_is_in_the_schema_with_its_method(schema):
    listed = _listed(schema)
    expected = documented()
    assert len(expected) > 50  # the file was read, not skipped
    missing = [f"{method.upper()} {path}" for method, path in expected if (method, path) not in listed]
    assert not missing, f"documented in docs/api-paths.txt but not in /schema/openapi.json: {missing}"


async def test_the_health_checks_and_the_pages_stay_out_of_the_schema(schema):
    paths = set(schema["paths"])
    assert not {"/healthz", "/readyz", "/events", "/login"} & paths
    assert all(p.startswith("/api/v1/") or p.endswith("/feed.atom") for p in paths)


async def test_the_results_list_is_typed(schema):
    page = _answer(schema, "get", "/api/v1/races/{race_id}/results")
    assert {"race", "total", "items"} <= set(page["required"])
    assert page["properties"]["total"]["type"] == "integer"
    item = _items(schema, page["properties"]["items"])
    assert item["properties"]["status"]["enum"] == ["finished", "DNF", "DNS", "DQ"]
    assert item["properties"]["gender"]["enum"] == ["female", "male"]
    assert _kinds(item["properties"]["place"]) == {"integer", "null"}
    assert _kinds(item["properties"]["time_ms"]) == {"integer", "null"}
    split = _items(schema, item["properties"]["splits"])
    assert set(split["required"]) == {"name", "time_ms"}
    race = _component(schema, page["properties"]["race"])
    assert race["properties"]["results_status"]["enum"] == ["provisional", "official"]
    assert race["properties"]["start_time"]["format"] == "date-time"


async def test_every_results_filter_is_a_documented_query_parameter(schema):
    for path, names in (
        ("/api/v1/races/{race_id}/results", {"gender", "age_group", "province", "q", "limit", "offset"}),
        ("/api/v1/races/{race_id}/results.csv", {"gender", "age_group", "province", "q"}),
        ("/api/v1/races/{race_id}/results.xlsx", {"gender", "age_group", "province", "q"}),
        ("/api/v1/campaigns/{campaign_id}/standings", {"gender", "province", "q", "limit", "offset"}),
    ):
        query = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}
        assert set(query) == names, path
        assert query["gender"]["schema"]["enum"] == ["female", "male"]
        assert all(not p["required"] and p["description"] for p in query.values())
        if "limit" in query:
            assert query["limit"]["schema"] | {"description": ""} == {
                "type": "integer", "minimum": 1, "maximum": 500, "default": 50, "description": ""
            }  # fmt: skip
            assert query["offset"]["schema"]["minimum"] == 0


async def test_guarded_routes_carry_the_bearer_scheme_and_their_401_and_403(schema):
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from POST /api/v1/auth/token, sent as 'Authorization: Bearer <token>'.",
    }
    guarded = {
        ("get", "/api/v1/races/{race_id}/registrations"),
        ("post", "/api/v1/races/{race_id}/results/imports"),
        ("post", "/api/v1/users"),
        ("put", "/api/v1/matches/{match_id}/score"),
        ("get", "/api/v1/campaigns/{campaign_id}/invitations.xlsx"),
    }
    for method, path in guarded:
        operation = schema["paths"][path][method]
        assert operation["security"] == [{"bearer": []}], path
        assert {"401", "403"} <= set(operation["responses"]), path
    public = schema["paths"]["/api/v1/races/{race_id}/results"]["get"]
    assert "security" not in public and "401" not in public["responses"]
    # Every route that takes a token answers 401 without one; only guarded routes answer 403.
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if "security" in operation:
                assert operation["security"] == [{"bearer": []}] and "401" in operation["responses"], (method, path)
            else:
                assert "403" not in operation["responses"], (method, path)
    assert "security" not in schema["paths"]["/api/v1/auth/token"]["post"]


async def test_error_answers_have_the_api_shape_where_they_can_occur(schema):
    shapes = schema["components"]["schemas"]
    assert shapes["ApiError"]["required"] == ["detail"]
    assert set(shapes["InvalidInputError"]["required"]) == {"detail", "errors"}
    assert set(shapes["FieldProblem"]["required"]) == {"field", "message"}
    assert set(shapes["RowProblem"]["required"]) == {"row", "column", "message"}

    def codes(method: str, path: str) -> set[str]:
        return {c for c in schema["paths"][path][method]["responses"] if c >= "400"}

    assert codes("post", "/api/v1/races/{race_id}/registrations") == {"404", "409", "413", "422", "429", "503"}
    assert codes("post", "/api/v1/auth/token") >= {"401", "422", "429"}
    assert codes("delete", "/api/v1/registrations/{key}") >= {"404", "409", "429"}
    assert codes("put", "/api/v1/matches/{match_id}/score") >= {"401", "403", "404", "409", "413", "422"}
    assert codes("get", "/api/v1/provinces") == {"503"}
    assert codes("get", "/api/v1/races/{race_id}/results") == {"404", "422", "503"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for code, answer in operation["responses"].items():
                assert code != "400", (method, path)  # the funnel answers a malformed request with 422
                if code >= "400" and path.startswith("/api/"):
                    body = next(iter(answer["content"].values()))["schema"]
                    refs = {s["$ref"] for s in body.get("oneOf", [body])}
                    if code == "422":
                        assert REF + "InvalidInputError" in refs <= {REF + "InvalidInputError", REF + "SheetError"}
                    else:
                        assert refs == {REF + "ApiError"}, (method, path, code)
    for path in ("/api/v1/races/{race_id}/results/imports", "/api/v1/races/{race_id}/registrations/imports"):
        refused = schema["paths"][path]["post"]["responses"]["422"]["content"]["application/json"]["schema"]
        assert {"$ref": REF + "SheetError"} in refused["oneOf"], path
    assert "Retry-After" in schema["paths"]["/api/v1/auth/token"]["post"]["responses"]["429"]["headers"]


async def test_request_bodies_state_their_formats_and_choices(schema):
    def body(method: str, path: str) -> dict:
        content = schema["paths"][path][method]["requestBody"]["content"]
        return _component(schema, next(iter(content.values()))["schema"])

    registration = body("post", "/api/v1/races/{race_id}/registrations")["properties"]
    assert registration["gender"] == {"type": "string", "enum": ["female", "male"]}
    assert registration["birth_date"]["format"] == "date"
    assert registration["name_display"]["enum"] == ["full", "initials"]
    race = body("post", "/api/v1/events/{event_id}/races")["properties"]
    assert race["start_time"]["format"] == "date-time" and race["ranking"]["enum"] == ["gun", "chip"]
    assert body("post", "/api/v1/events")["properties"]["date"]["format"] == "date"
    assert body("post", "/api/v1/users")["properties"]["role"]["enum"] == ["admin", "organiser", "volunteer"]
    target = body("post", "/api/v1/campaigns")["properties"]["targets"]["items"]
    assert set(target["required"]) == {"metric", "target"} and "women_share" in target["properties"]["metric"]["enum"]
    sheet = body("post", "/api/v1/races/{race_id}/results/imports")["properties"]
    assert sheet["mode"]["enum"] == ["replace", "merge"] and sheet["file"]["format"] == "binary"


def _conforms(schema: dict, shape: dict, value: dict, where: str) -> None:
    """A real answer has every required field of its schema and none the schema does not list."""
    assert set(shape["required"]) <= set(value), (where, set(shape["required"]) - set(value))
    assert set(value) <= set(shape["properties"]), (where, set(value) - set(shape["properties"]))


async def test_the_typed_answers_are_what_the_handlers_send(client, schema):
    headers = await token_headers(client, "organiser")
    race = await make_race(client, headers)
    registered = (await register(client, race["id"])).json()
    _conforms(schema, _answer(schema, "post", "/api/v1/races/{race_id}/registrations", "201"), registered, "register")
    own = (await client.get(f"/api/v1/registrations/{registered['code']}")).json()
    shape = _answer(schema, "get", "/api/v1/registrations/{key}")
    _conforms(schema, shape, own, "own registration")
    _conforms(schema, _component(schema, shape["properties"]["event"]), own["event"], "own registration's event")
    listed = (await client.get(f"/api/v1/races/{race['id']}/registrations", headers=headers)).json()
    shape = _items(schema, _answer(schema, "get", "/api/v1/races/{race_id}/registrations"))
    _conforms(schema, shape, listed[0], "organiser's list")
    assert listed[0]["status"] in shape["properties"]["status"]["enum"]
    sheet = f"Bib,Time\n{registered['bib']},0:41:10.2\n".encode()
    files = {"file": ("finish.csv", sheet, "text/csv")}
    report = await client.post(f"/api/v1/races/{race['id']}/results/imports", files=files, headers=headers)
    assert report.status_code == 201
    shape = _answer(schema, "post", "/api/v1/races/{race_id}/results/imports", "201")
    _conforms(schema, shape, report.json(), "import")
    page = (await client.get(f"/api/v1/races/{race['id']}/results")).json()
    shape = _answer(schema, "get", "/api/v1/races/{race_id}/results")
    _conforms(schema, shape, page, "results")
    _conforms(schema, _items(schema, shape["properties"]["items"]), page["items"][0], "result")
    _conforms(schema, _component(schema, shape["properties"]["race"]), page["race"], "results' race")
    event = (await client.get(f"/api/v1/events/{race['event_id']}", headers=headers)).json()
    shape = _answer(schema, "get", "/api/v1/events/{event_id}")
    _conforms(schema, shape, event, "event")
    _conforms(schema, _items(schema, shape["properties"]["races"]), event["races"][0], "event's race")
    refused = await client.post(f"/api/v1/races/{race['id']}/registrations", json={"consent": True})
    assert refused.status_code == 422
    _conforms(schema, schema["components"]["schemas"]["InvalidInputError"], refused.json(), "422")
    _conforms(schema, schema["components"]["schemas"]["FieldProblem"], refused.json()["errors"][0], "field error")


# The fields API.md gives without a "?" in each request body (nested lists by their field), transcribed here so
# that a field the schema stops requiring, or a new body, is noticed. A partial update (PATCH) requires none.
REQUIRED = {
    ("post", "/api/v1/auth/token"): {"email", "password"},
    ("post", "/api/v1/users"): {"email", "role", "password"},
    ("patch", "/api/v1/users/{user_id}"): set(),
    ("post", "/api/v1/events"): {"name", "province", "city", "date"},
    ("patch", "/api/v1/events/{event_id}"): set(),
    ("post", "/api/v1/events/{event_id}/races"): {
        "name",
        "distance_m",
        "start_time",
        "capacity",
        "bib_first",
        "bib_last",
    },  # fmt: skip
    ("patch", "/api/v1/races/{race_id}"): set(),
    ("post", "/api/v1/races/{race_id}/registrations"): {
        "given_name",
        "family_name",
        "gender",
        "birth_date",
        "province",
        "consent",
    },  # fmt: skip
    ("patch", "/api/v1/registrations/{key}"): set(),
    ("post", "/api/v1/registrations/recover"): {"birth_date"},
    ("post", "/api/v1/races/{race_id}/registrations/groups"): {"people"},
    ("post", "/api/v1/races/{race_id}/registrations/groups", "people"): {
        "given_name",
        "family_name",
        "gender",
        "birth_date",
        "province",
        "consent",
    },
    ("post", "/api/v1/registrations/{key}/flag"): {"decision"},
    ("post", "/api/v1/races/{race_id}/check-ins"): {"token"},
    ("post", "/api/v1/races/{race_id}/registrations/imports"): {"file"},
    ("post", "/api/v1/races/{race_id}/results/imports"): {"file"},
    ("post", "/api/v1/races/{race_id}/results/imports/{import_id}/undo"): set(),
    ("patch", "/api/v1/races/{race_id}/results/{bib}"): {"reason"},
    ("post", "/api/v1/campaigns"): {"name", "targets"},
    ("post", "/api/v1/campaigns", "targets"): {"metric", "target"},
    ("patch", "/api/v1/campaigns/{campaign_id}"): set(),
    ("post", "/api/v1/campaigns/{campaign_id}/invitations"): {"top_women", "top_men", "best_per_province"},
    ("post", "/api/v1/events/{event_id}/divisions"): {"name", "gender", "squad_min", "squad_max", "max_teams"},
    ("patch", "/api/v1/divisions/{division_id}"): set(),
    ("post", "/api/v1/divisions/{division_id}/teams"): {
        "name",
        "province",
        "captain_name",
        "captain_phone",
        "players",
    },  # fmt: skip
    ("post", "/api/v1/divisions/{division_id}/teams", "players"): {
        "given_name",
        "family_name",
        "birth_date",
        "shirt_number",
    },  # fmt: skip
    ("put", "/api/v1/team-registrations/{code}"): {"name", "province", "captain_name", "captain_phone", "players"},
    ("post", "/api/v1/divisions/{division_id}/draw"): {"groups"},
    ("post", "/api/v1/divisions/{division_id}/fixtures"): {"pitches", "first_kickoff", "slot_minutes"},
    ("post", "/api/v1/divisions/{division_id}/lots"): {"group"},
    ("patch", "/api/v1/matches/{match_id}"): set(),
    ("put", "/api/v1/matches/{match_id}/score"): {"home_goals", "away_goals"},
}


async def test_request_bodies_mark_the_fields_the_api_requires(schema):
    bodies = {}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if "requestBody" in operation:
                shape = next(iter(operation["requestBody"]["content"].values()))["schema"]
                bodies[(method, path)] = _component(schema, shape.get("oneOf", [shape])[0])
    assert set(bodies) == {key for key in REQUIRED if len(key) == 2}, "a request body missing from REQUIRED"
    for key, names in REQUIRED.items():
        body = bodies[key[:2]]
        if len(key) == 3:
            body = _items(schema, body["properties"][key[2]])
        assert set(body.get("required", [])) == names, key
        assert names <= set(body["properties"]), key
