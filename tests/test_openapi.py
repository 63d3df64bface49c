"""The OpenAPI document generated from an app's routes, and the URLs that serve it.

Each test builds a small app, generates its document, compares it with what
it must say, and checks it against the OpenAPI 3.1 specification with
``openapi-spec-validator`` (``valid_document``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any, NotRequired, Required, TypedDict

import pytest
from openapi_spec_validator import validate

from microwsgi import App, Blueprint, MethodView, View, request
from microwsgi.openapi import OpenAPI, exclude, operation
from microwsgi.routing import BaseConverter


def valid_document(openapi: OpenAPI, app: App | None = None) -> dict[str, Any]:
    """The document, after checking that it is valid OpenAPI 3.1 and plain JSON."""
    document = openapi.document(app)
    assert document["openapi"] == "3.1.0"
    validate(document)
    assert json.loads(json.dumps(document)) == document
    return document


def make_app() -> App:
    app = App(__name__)
    app.config["SECRET_KEY"] = "test key"
    return app


def served(app: App, url: str = "/openapi.json", **environ: Any) -> dict[str, Any]:
    response = app.test_client().get(url, **environ)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    document = json.loads(response.data)
    validate(document)
    return document


# -- paths and path parameters -------------------------------------------------


def test_every_converter_becomes_a_path_parameter_with_its_schema():
    app = make_app()

    def view(**values: Any) -> str:
        return "ok"

    rules = {
        "/plain/<name>": "plain",
        "/short/<string(minlength=2, maxlength=8):code>": "short",
        "/exact/<string(length=2):lang>": "exact",
        "/number/<int:n>": "number",
        "/bounded/<int(min=1, max=99):n>": "bounded",
        "/signed/<int(signed=True):n>": "signed",
        "/padded/<int(fixed_digits=4):year>": "padded",
        "/ratio/<float:x>": "ratio",
        "/temperature/<float(signed=True, max=100.0):t>": "temperature",
        "/item/<uuid:id>": "item",
        "/files/<path:name>": "files",
        "/section/<any(news, blog):section>": "section",
        "/mixed/<name>.txt": "mixed",
    }
    for rule, endpoint in rules.items():
        app.add_url_rule(rule, endpoint, view)

    paths = valid_document(OpenAPI(app, title="Converters", version="1"))["paths"]

    def parameter(path: str) -> dict[str, Any]:
        (only,) = paths[path]["get"]["parameters"]
        assert only["in"] == "path" and only["required"] is True
        return only

    assert parameter("/plain/{name}")["schema"] == {"type": "string", "minLength": 1}
    assert parameter("/short/{code}")["schema"] == {
        "type": "string",
        "minLength": 2,
        "maxLength": 8,
    }
    assert parameter("/exact/{lang}")["schema"] == {
        "type": "string",
        "minLength": 2,
        "maxLength": 2,
    }
    assert parameter("/number/{n}")["schema"] == {"type": "integer", "minimum": 0}
    assert parameter("/bounded/{n}")["schema"] == {"type": "integer", "minimum": 1, "maximum": 99}
    assert parameter("/signed/{n}")["schema"] == {"type": "integer"}
    assert parameter("/padded/{year}")["schema"] == {"type": "string", "pattern": "^[0-9]{4}$"}
    ratio = parameter("/ratio/{x}")
    assert ratio["schema"] == {"type": "number", "minimum": 0}
    assert "decimal point" in ratio["description"]
    assert parameter("/temperature/{t}")["schema"] == {"type": "number", "maximum": 100.0}
    assert parameter("/item/{id}")["schema"] == {"type": "string", "format": "uuid"}
    files = parameter("/files/{name}")
    assert files["schema"] == {"type": "string", "minLength": 1}
    assert "may contain '/'" in files["description"]
    assert parameter("/section/{section}")["schema"] == {"type": "string", "enum": ["news", "blog"]}
    assert parameter("/mixed/{name}.txt")["name"] == "name"


def test_a_custom_converter_declares_its_schema_or_is_any_string():
    class SlugConverter(BaseConverter):
        regex = "[a-z0-9-]+"
        openapi_schema = {"type": "string", "pattern": "^[a-z0-9-]+$"}

    class ColorConverter(BaseConverter):
        regex = "red|green"

    app = make_app()
    app.url_map.converters["slug"] = SlugConverter
    app.url_map.converters["color"] = ColorConverter
    app.add_url_rule("/posts/<slug:slug>", "post", lambda slug: slug)
    app.add_url_rule("/paint/<color:color>", "paint", lambda color: color)

    paths = valid_document(OpenAPI(app, title="Custom", version="1"))["paths"]
    assert paths["/posts/{slug}"]["get"]["parameters"][0]["schema"] == {
        "type": "string",
        "pattern": "^[a-z0-9-]+$",
    }
    assert paths["/paint/{color}"]["get"]["parameters"][0]["schema"] == {"type": "string"}


def test_a_whole_small_app_gives_exactly_this_document():
    app = make_app()

    @app.route("/")
    def index() -> str:
        """The home page.

        Lists nothing; says hello.
        """
        return "hello"

    @app.route("/users/<int:user_id>", methods=["GET", "PUT"])
    def user(user_id: int) -> dict[str, Any]:
        return {}

    @app.post("/users")
    def create_user() -> dict[str, Any]:
        return {}

    document = valid_document(OpenAPI(app, title="Users", version="2.0", description="People."))
    id_parameter = {
        "name": "user_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    }
    assert document == {
        "openapi": "3.1.0",
        "info": {"title": "Users", "version": "2.0", "description": "People."},
        "paths": {
            "/": {
                "get": {
                    "summary": "The home page.",
                    "description": "Lists nothing; says hello.",
                    "operationId": "index",
                }
            },
            "/users/{user_id}": {
                "get": {"operationId": "user_get", "parameters": [id_parameter]},
                "put": {"operationId": "user_put", "parameters": [id_parameter]},
            },
            "/users": {"post": {"operationId": "create_user"}},
        },
    }


def test_automatic_head_and_options_are_left_out_but_declared_ones_stay():
    app = make_app()
    app.add_url_rule("/auto", "auto", lambda: "", methods=["GET", "POST"])
    app.add_url_rule("/own", "own", lambda: "", methods=["OPTIONS", "DELETE"])
    app.add_url_rule("/head-only", "head_only", lambda: "", methods=["HEAD"])

    paths = valid_document(OpenAPI(app, title="Methods", version="1"))["paths"]
    assert list(paths["/auto"]) == ["get", "post"]
    assert list(paths["/own"]) == ["delete", "options"]
    assert list(paths["/head-only"]) == ["head"]


def test_one_endpoint_on_two_rules_gets_two_distinct_operation_ids():
    app = make_app()

    @app.route("/page/", defaults={"number": 1})
    @app.route("/page/<int:number>")
    def page(number: int) -> str:
        return str(number)

    # Decorators apply from the bottom up: "/page/<int:number>" is registered first.
    paths = valid_document(OpenAPI(app, title="Pages", version="1"))["paths"]
    assert paths["/page/{number}"]["get"]["operationId"] == "page"
    assert paths["/page/"]["get"]["operationId"] == "page_2"
    assert "parameters" not in paths["/page/"]["get"]


def test_rules_with_the_same_path_share_one_path_item():
    app = make_app()
    app.add_url_rule("/things", "list_things", lambda: "", methods=["GET"])
    app.add_url_rule("/things", "add_thing", lambda: "", methods=["POST"])

    item = valid_document(OpenAPI(app, title="Things", version="1"))["paths"]["/things"]
    assert {method: op["operationId"] for method, op in item.items()} == {
        "get": "list_things",
        "post": "add_thing",
    }


# -- what stays out --------------------------------------------------------------


def test_static_routes_and_the_documents_own_urls_are_not_described(tmp_path):
    app = make_app()
    (tmp_path / "static").mkdir()
    bp = Blueprint("shop", __name__, static_folder=str(tmp_path / "static"), url_prefix="/shop")
    bp.add_url_rule("/", "index", lambda: "")
    app.register_blueprint(bp)

    document = valid_document(OpenAPI(app, title="Static", version="1"))
    assert list(document["paths"]) == ["/shop/"]


def test_exclude_keeps_functions_classes_and_methods_out():
    app = make_app()

    @app.route("/hidden")
    @exclude
    def hidden() -> str:
        return ""

    @exclude
    @app.route("/hidden-too")
    def hidden_too() -> str:
        return ""

    @exclude
    class Secret(MethodView):
        def get(self) -> str:
            return ""

    class Partly(MethodView):
        def get(self) -> str:
            return ""

        @exclude
        def delete(self) -> str:
            return ""

    app.add_url_rule("/secret", view_func=Secret.as_view("secret"))
    app.add_url_rule("/partly", view_func=Partly.as_view("partly"))
    app.add_url_rule("/shown", "shown", lambda: "")

    paths = valid_document(OpenAPI(app, title="Hidden", version="1"))["paths"]
    assert list(paths) == ["/partly", "/shown"]
    assert list(paths["/partly"]) == ["get"]


def test_exclude_blueprints_and_include_filter_rules():
    app = make_app()
    admin = Blueprint("admin", __name__, url_prefix="/admin")
    users = Blueprint("users", __name__, url_prefix="/users")
    api = Blueprint("api", __name__, url_prefix="/api")
    admin.add_url_rule("/", "index", lambda: "")
    users.add_url_rule("/", "index", lambda: "")
    admin.register_blueprint(users)  # admin.users: excluded with its parent
    api.add_url_rule("/memos", "memos", lambda: "")
    api.add_url_rule("/internal", "internal", lambda: "")
    app.register_blueprint(admin)
    app.register_blueprint(api)
    app.add_url_rule("/health", "health", lambda: "")

    openapi = OpenAPI(
        app,
        title="Filtered",
        version="1",
        exclude_blueprints=["admin"],
        include=lambda rule: not rule.rule.endswith("/internal"),
    )
    paths = valid_document(openapi)["paths"]
    assert list(paths) == ["/api/memos", "/health"]


# -- blueprints, docstrings, class-based views --------------------------------


def test_blueprints_give_tags_and_dotted_operation_ids():
    app = make_app()
    api = Blueprint("api", __name__, url_prefix="/api")
    memos = Blueprint("memos", __name__, url_prefix="/memos")

    @memos.route("/")
    def index() -> str:
        """All memos."""
        return ""

    api.register_blueprint(memos)
    app.register_blueprint(api)

    document = valid_document(OpenAPI(app, title="Tagged", version="1"))
    get = document["paths"]["/api/memos/"]["get"]
    assert get["tags"] == ["api.memos"]
    assert get["operationId"] == "api.memos.index"
    assert get["summary"] == "All memos."
    assert document["tags"] == [{"name": "api.memos"}]


def test_declared_tags_come_first_with_their_descriptions():
    app = make_app()
    bp = Blueprint("memos", __name__)
    bp.add_url_rule("/memos", "index", lambda: "")
    app.register_blueprint(bp)
    app.add_url_rule("/other", "other", operation(tags=["misc", "memos"])(lambda: ""))

    openapi = OpenAPI(
        app, title="Tags", version="1", tags=[{"name": "memos", "description": "Notes."}]
    )
    document = valid_document(openapi)
    assert document["tags"] == [{"name": "memos", "description": "Notes."}, {"name": "misc"}]
    assert document["paths"]["/other"]["get"]["tags"] == ["misc", "memos"]


def test_a_method_view_is_described_method_by_method():
    app = make_app()

    class MemoAPI(MethodView):
        """Memos."""

        def get(self, memo_id: int) -> dict[str, Any]:
            """Read a memo.

            Returns the memo as JSON.
            """
            return {}

        @operation(summary="Replace a memo", body={"type": "object"})
        def put(self, memo_id: int) -> dict[str, Any]:
            return {}

        def delete(self, memo_id: int) -> tuple[str, int]:
            return "", 204

    app.add_url_rule("/memos/<int:memo_id>", view_func=MemoAPI.as_view("memo"))

    item = valid_document(OpenAPI(app, title="Memos", version="1"))["paths"]["/memos/{memo_id}"]
    assert list(item) == ["get", "put", "delete"]
    assert item["get"]["summary"] == "Read a memo."
    assert item["get"]["description"] == "Returns the memo as JSON."
    assert item["get"]["operationId"] == "memo_get"
    assert item["put"]["summary"] == "Replace a memo"
    assert item["put"]["requestBody"]["content"] == {
        "application/json": {"schema": {"type": "object"}}
    }
    assert "summary" not in item["delete"]
    assert item["delete"]["operationId"] == "memo_delete"


def test_a_plain_view_class_takes_its_summary_from_the_class():
    app = make_app()

    class Hello(View):
        """Say hello.

        To anyone.
        """

        methods = ["GET", "POST"]

        def dispatch_request(self) -> str:
            return "hello"

    app.add_url_rule("/hello", view_func=Hello.as_view("hello"))
    item = valid_document(OpenAPI(app, title="Hello", version="1"))["paths"]["/hello"]
    assert item["get"]["summary"] == item["post"]["summary"] == "Say hello."
    assert item["post"]["description"] == "To anyone."


# -- declared bodies, responses, security -----------------------------------------


@dataclass
class Label:
    """A label on a memo."""

    name: str
    color: str = "gray"


@dataclass
class MemoIn:
    title: Annotated[str, {"minLength": 1, "maxLength": 200}]
    body: str = ""
    labels: list[Label] = field(default_factory=list)


@dataclass
class MemoOut:
    id: int
    title: str
    labels: list[Label]


def test_declared_operation_gives_body_responses_security_and_components():
    app = make_app()

    @app.post("/memos")
    @operation(
        summary="Create a memo",
        body=MemoIn,
        body_media_types=["application/json", "application/x-www-form-urlencoded"],
        responses={201: MemoOut, "4XX": {"description": "A client error"}, 204: None},
        security=[{"session": [], "csrf": []}],
        deprecated=True,
        operation_id="createMemo",
    )
    def create() -> tuple[dict[str, Any], int]:
        """Ignored summary."""
        return {}, 201

    @app.get("/memos")
    @operation(responses={200: {"type": "array", "items": MemoOut}}, security=[])
    def memos() -> list[Any]:
        return []

    openapi = OpenAPI(
        app,
        title="Memos",
        version="1",
        security_schemes={
            "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        },
        security=[{"bearer": []}],
    )
    document = valid_document(openapi)
    post = document["paths"]["/memos"]["post"]
    assert post["summary"] == "Create a memo"
    assert post["description"] is not None if "description" in post else True
    assert post["operationId"] == "createMemo"
    assert post["deprecated"] is True
    assert post["security"] == [{"session": [], "csrf": []}]
    assert post["requestBody"] == {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/MemoIn"}},
            "application/x-www-form-urlencoded": {
                "schema": {"$ref": "#/components/schemas/MemoIn"}
            },
        },
    }
    error = {"$ref": "#/components/schemas/ValidationError"}
    for status in ("415", "422"):
        example = post["responses"][status]["content"]["application/json"].pop("example")
        assert example["code"] == int(status)
    assert post["responses"] == {
        "201": {
            "description": "Created",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MemoOut"}}},
        },
        "204": {"description": "No Content"},
        "415": {
            "description": "The body's media type is not accepted.",
            "content": {"application/json": {"schema": error}},
        },
        "422": {
            "description": "The request does not match its schema.",
            "content": {"application/json": {"schema": error}},
        },
        "4XX": {"description": "A client error"},
    }
    get = document["paths"]["/memos"]["get"]
    assert get["security"] == []
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/MemoOut"},
    }
    assert document["security"] == [{"bearer": []}]
    components = document["components"]
    assert list(components["securitySchemes"]) == ["session", "csrf", "bearer"]
    # Label is used by both MemoIn and MemoOut: one entry.
    assert sorted(components["schemas"]) == ["Label", "MemoIn", "MemoOut", "ValidationError"]
    assert components["schemas"]["Label"] == {
        "type": "object",
        "description": "A label on a memo.",
        "properties": {
            "name": {"type": "string"},
            "color": {"type": "string", "default": "gray"},
        },
        "required": ["name"],
        "additionalProperties": False,
    }
    assert components["schemas"]["MemoIn"]["properties"]["labels"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Label"},
    }


def test_query_parameters_come_from_the_properties_of_the_query_schema():
    @dataclass
    class Page:
        page: Annotated[int, {"minimum": 1, "description": "Which page."}] = 1
        tag: list[str] = field(default_factory=list)
        q: str | None = None

    app = make_app()
    app.add_url_rule("/search", "search", operation(query=Page)(lambda: ""))
    app.add_url_rule(
        "/find",
        "find",
        operation(
            query={
                "type": "object",
                "properties": {"term": {"type": "string"}},
                "required": ["term"],
            }
        )(lambda: ""),
    )

    document = valid_document(OpenAPI(app, title="Search", version="1"))
    assert document["paths"]["/search"]["get"]["parameters"] == [
        {
            "name": "page",
            "in": "query",
            "description": "Which page.",
            "schema": {"type": "integer", "minimum": 1, "description": "Which page.", "default": 1},
        },
        {"name": "tag", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "q", "in": "query", "schema": {"type": ["string", "null"], "default": None}},
    ]
    assert document["paths"]["/find"]["get"]["parameters"] == [
        {"name": "term", "in": "query", "required": True, "schema": {"type": "string"}}
    ]
    # Only the body's error shape is added, not the query's dataclass as a component.
    assert list(document["components"]["schemas"]) == ["ValidationError"]


def test_a_body_declared_on_a_view_that_also_answers_get_applies_to_the_other_methods():
    app = make_app()
    app.add_url_rule(
        "/form",
        "form",
        operation(body={"application/x-www-form-urlencoded": {"type": "object"}})(lambda: ""),
        methods=["GET", "POST"],
    )
    item = valid_document(OpenAPI(app, title="Form", version="1"))["paths"]["/form"]
    assert "requestBody" not in item["get"]
    assert "415" not in item["get"]["responses"]
    assert "requestBody" in item["post"]


def test_an_optional_body_is_marked_not_required():
    app = make_app()
    app.add_url_rule(
        "/ping", "ping", operation(body={"type": "object"}, body_required=False)(lambda: ""),
        methods=["POST"],
    )  # fmt: skip
    post = valid_document(OpenAPI(app, title="Ping", version="1"))["paths"]["/ping"]["post"]
    assert post["requestBody"]["required"] is False


def test_two_different_schemas_with_one_name_are_refused():
    first = dataclass(type("Thing", (), {"__annotations__": {"a": int}}))
    second = dataclass(type("Thing", (), {"__annotations__": {"b": str}}))
    app = make_app()
    app.add_url_rule("/a", "a", operation(responses={200: first})(lambda: ""))
    app.add_url_rule("/b", "b", operation(responses={200: second})(lambda: ""))

    with pytest.raises(ValueError, match="Two schemas are named 'Thing'"):
        OpenAPI(app, title="Clash", version="1").document()


def test_info_fields_and_no_servers_outside_a_request():
    app = make_app()
    openapi = OpenAPI(
        app,
        title="Info",
        version="3",
        info={"license": {"name": "MIT", "identifier": "MIT"}, "contact": {"name": "Kim"}},
    )
    document = valid_document(openapi)
    assert document["info"]["license"] == {"name": "MIT", "identifier": "MIT"}
    assert "servers" not in document
    app.config["APPLICATION_ROOT"] = "/mounted"
    assert valid_document(openapi)["servers"] == [{"url": "/mounted"}]


# -- mistakes in declarations are caught early -------------------------------------


def test_header_parameters_are_documented_after_path_and_query_ones():
    app = make_app()
    if_match = {"name": "If-Match", "in": "header", "schema": {"type": "string"}}
    key = {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {}}

    @app.put("/things/<int:id>")
    @operation(
        query={"type": "object", "properties": {"dry": {"type": "boolean"}}},
        parameters=[if_match, key],
    )
    def put_thing(id: int) -> str:
        return request.headers.get("If-Match", "")

    document = valid_document(OpenAPI(app, title="Things", version="1"))
    parameters = document["paths"]["/things/{id}"]["put"]["parameters"]
    assert [(p["in"], p["name"]) for p in parameters] == [
        ("path", "id"),
        ("query", "dry"),
        ("header", "If-Match"),
        ("header", "Idempotency-Key"),
    ]
    assert parameters[2] == if_match
    # Documented, not checked: a request without them reaches the view.
    assert app.test_client().put("/things/1").status_code == 200


def test_operation_refuses_malformed_declarations():
    with pytest.raises(ValueError, match="is not a status"):
        operation(responses={700: None})
    with pytest.raises(ValueError, match="is not a media type"):
        operation(body={"type": "object"}, body_media_types=["json"])
    with pytest.raises(TypeError, match="list of media types"):
        operation(body={"type": "object"}, body_media_types="application/json")
    with pytest.raises(TypeError, match="list of requirements"):
        operation(security={"bearer": []})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"the scopes of 'oauth' are a list"):
        operation(security=[{"oauth": "read"}])
    with pytest.raises(ValueError, match="'page' must be 'in' 'header' or 'cookie'"):
        operation(parameters=[{"name": "page", "in": "query"}])
    with pytest.raises(TypeError, match="a dict with a 'name'"):
        operation(parameters=["If-Match"])  # type: ignore[list-item]

    class Resource(MethodView):
        def get(self) -> str:
            return ""

    with pytest.raises(TypeError, match="not the class"):
        operation(summary="x")(Resource)

    def view() -> str:
        return ""

    with pytest.raises(TypeError, match="applied twice"):
        operation(summary="b")(operation(summary="a")(view))


def test_operation_above_route_is_reported_when_the_document_is_built():
    app = make_app()

    @operation(body={"type": "object"})  # wrong order: the route registered the bare view
    @app.post("/wrong")
    def wrong() -> str:
        return ""

    with pytest.raises(TypeError, match=r"put @operation\(\.\.\.\) below @route"):
        OpenAPI(app, title="Order", version="1").document()


def test_a_schema_python_cannot_describe_names_the_way_out():
    from decimal import Decimal

    app = make_app()
    app.add_url_rule("/price", "price", operation(responses={200: Decimal})(lambda: ""))
    with pytest.raises(TypeError, match=r"Cannot describe decimal\.Decimal"):
        OpenAPI(app, title="Price", version="1").document()


def test_document_needs_an_app():
    openapi = OpenAPI(title="Lonely", version="1")
    with pytest.raises(RuntimeError, match="needs an app"):
        openapi.document()
    app = make_app()
    with app.app_context():
        document = openapi.document()
        validate(document)
        assert document["info"]["title"] == "Lonely"


# -- serving -------------------------------------------------------------------------


def test_the_document_is_served_at_its_url_and_aliases_with_the_mount_prefix():
    app = make_app()
    app.add_url_rule("/memos", "memos", lambda: "")
    OpenAPI(
        app,
        title="Served",
        version="1",
        json_url="/api/openapi.json",
        json_aliases=["/api/swagger.json"],
    )

    document = served(app, "/api/openapi.json")
    assert document["servers"] == [{"url": "/"}]
    assert list(document["paths"]) == ["/memos"]  # the document's own URLs are not in it
    assert served(app, "/api/swagger.json") == document

    mounted = served(app, "/api/openapi.json", base_url="http://localhost/prefix")
    assert mounted["servers"] == [{"url": "/prefix"}]
    assert app.test_client().get("/openapi.json").status_code == 404


def test_the_document_is_served_to_an_independent_client_under_wsgi_validation():
    from wsgiref.validate import validator

    from werkzeug.test import Client

    app = make_app()
    app.add_url_rule("/memos/<int:memo_id>", "memo", lambda memo_id: "")
    OpenAPI(app, title="Checked", version="1")
    client = Client(validator(app))
    response = client.get("/openapi.json", environ_overrides={"SCRIPT_NAME": "/mnt"}, buffered=True)
    assert response.status_code == 200
    document = json.loads(response.get_data())
    validate(document)
    assert document["servers"] == [{"url": "/mnt"}]
    assert list(document["paths"]) == ["/memos/{memo_id}"]


def test_docs_page_links_its_assets_and_the_document_under_the_prefix():
    app = make_app()
    OpenAPI(app, title="Docs <&> page", version="1", swagger_ui_config={"docExpansion": "none"})
    client = app.test_client()

    response = client.get("/docs", base_url="http://localhost/mnt")
    assert response.status_code == 200
    page = response.data.decode()
    assert "<title>Docs &lt;&amp;&gt; page</title>" in page
    assert 'data-url="/mnt/openapi.json"' in page
    assert 'href="/mnt/docs/swagger-ui.css?v=' in page
    assert 'src="/mnt/docs/swagger-ui-bundle.js?v=' in page
    assert "&quot;docExpansion&quot;: &quot;none&quot;" in page
    assert "&quot;validatorUrl&quot;: null" in page
    assert "<script>" not in page  # no inline script: the CSP allows none
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy


def test_docs_assets_come_from_the_package_and_nothing_else_is_served():
    app = make_app()
    OpenAPI(app, title="Assets", version="1")
    client = app.test_client()

    bundle = client.get("/docs/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert bundle.headers["Content-Type"].startswith("text/javascript")
    assert b"SwaggerUIBundle" in bundle.data
    assert client.get("/docs/swagger-ui.css").headers["Content-Type"].startswith("text/css")
    init = client.get("/docs/microwsgi-swagger-ui.js")
    assert b"SwaggerUIBundle(options)" in init.data
    assert "max-age=31536000" in init.headers["Cache-Control"]
    for name in ("swagger-editor.js", "../__init__.py", "LICENSE", "index.html"):
        assert client.get(f"/docs/{name}").status_code == 404


def test_json_url_and_docs_url_none_serve_nothing():
    app = make_app()
    openapi = OpenAPI(app, title="Quiet", version="1", json_url=None, docs_url=None)
    client = app.test_client()
    assert client.get("/openapi.json").status_code == 404
    assert client.get("/docs").status_code == 404
    assert app.extensions["openapi"] is openapi
    assert valid_document(openapi)["info"]["title"] == "Quiet"


def test_a_second_openapi_object_needs_its_own_endpoints_and_urls():
    app = make_app()
    app.add_url_rule("/public/items", "items", lambda: "")
    app.add_url_rule("/admin/users", "users", lambda: "")
    public = OpenAPI(
        app, title="Public", version="1", include=lambda rule: rule.rule.startswith("/public")
    )
    OpenAPI(
        app,
        title="Admin",
        version="1",
        json_url="/admin/openapi.json",
        docs_url="/admin/docs",
        endpoint="admin_openapi",
        include=lambda rule: rule.rule.startswith("/admin"),
    )
    assert list(served(app)["paths"]) == ["/public/items"]
    assert list(served(app, "/admin/openapi.json")["paths"]) == ["/admin/users"]
    assert app.test_client().get("/admin/docs").status_code == 200
    assert app.extensions["openapi"] is public  # the first one


def test_init_app_in_a_factory_serves_each_app_its_own_document():
    openapi = OpenAPI(title="Factory", version="1")

    def create_app(rule: str) -> App:
        app = make_app()
        app.add_url_rule(rule, "only", lambda: "")
        openapi.init_app(app)
        return app

    first, second = create_app("/one"), create_app("/two")
    assert list(served(first)["paths"]) == ["/one"]
    assert list(served(second)["paths"]) == ["/two"]


def test_a_missing_swagger_ui_package_is_a_clear_error(monkeypatch):
    import importlib.util

    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == "swagger_ui" else real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(RuntimeError, match=r"pip install 'microwsgi\[openapi\]'"):
        OpenAPI(make_app(), title="No UI", version="1")
    OpenAPI(make_app(), title="No UI", version="1", docs_url=None)  # the JSON alone is fine


def test_validated_values_are_documented_with_a_request_in_flight():
    app = make_app()

    @app.post("/echo")
    @operation(body={"type": "object", "properties": {"n": {"type": "integer"}}})
    def echo() -> Any:
        return {"validated": request.validated_body}

    OpenAPI(app, title="Echo", version="1")
    client = app.test_client()
    assert client.post("/echo", json={"n": 1}).json == {"validated": {"n": 1}}
    assert "/echo" in served(app)["paths"]


# -- rules matched on a host part -------------------------------------------------


def test_subdomain_rules_get_a_server_with_the_subdomain_as_a_variable():
    app = App(__name__, subdomain_matching=True)
    app.config["SERVER_NAME"] = "example.test"
    app.add_url_rule("/", "home", lambda: "")
    app.add_url_rule("/users/<int:user_id>", "user", lambda user, user_id: "", subdomain="<user>")
    app.add_url_rule("/status", "status", lambda region: "", subdomain="<any(eu, us):region>.api")

    paths = valid_document(OpenAPI(app, title="Hosts", version="1"))["paths"]
    assert "servers" not in paths["/"]
    user = paths["/users/{user_id}"]
    assert user["servers"] == [
        {"url": "http://{user}.example.test", "variables": {"user": {"default": "user"}}}
    ]
    # Only the path's own variable is a path parameter.
    assert [p["name"] for p in user["get"]["parameters"]] == ["user_id"]
    assert paths["/status"]["servers"] == [
        {
            "url": "http://{region}.api.example.test",
            "variables": {"region": {"enum": ["eu", "us"], "default": "eu"}},
        }
    ]
    assert "parameters" not in paths["/status"]["get"]


def test_host_matching_rules_get_their_host_and_the_request_scheme_and_prefix():
    app = App(__name__, host_matching=True, static_folder=None)
    app.add_url_rule("/items", "items", lambda: "", host="shop.example.test")
    OpenAPI(app, title="Shop", version="1", host="shop.example.test")
    assert app.test_client().get("/docs", base_url="https://shop.example.test").status_code == 200

    document = served(app, "/openapi.json", base_url="https://shop.example.test/mnt")
    assert document["paths"]["/items"]["servers"] == [{"url": "https://shop.example.test/mnt"}]


def test_build_only_rules_are_not_described():
    app = make_app()
    app.add_url_rule("/new", "page", lambda: "")
    app.add_url_rule("/old-name", "old_page", lambda: "", build_only=True)
    paths = valid_document(OpenAPI(app, title="Build only", version="1"))["paths"]
    assert list(paths) == ["/new"]


def test_the_415_and_422_examples_are_the_operations_own_answers():
    """Each example is what this operation answers: its media types, the part of the
    request it checks and one of its own fields, never another app's."""
    app = make_app()
    openapi = OpenAPI(app, title="Shop", version="1")

    @dataclass
    class ItemIn:
        name: str
        price: float = 0.0

    @app.post("/items")
    @operation(body=ItemIn, body_media_types=["application/json", "multipart/form-data"])
    def create() -> Any:
        return request.validated_body

    @app.post("/uploads")
    @operation(
        body={"multipart/form-data": {"type": "object", "properties": {"n": {"type": "integer"}}}}
    )
    def upload() -> Any:
        return request.validated_body

    @app.post("/raw")
    @operation(body={"text/*": {"type": "string"}})
    def raw() -> Any:
        return ""

    @app.get("/items")
    @operation(
        query={"type": "object", "properties": {"sort": {"type": "string"}}, "required": ["sort"]}
    )
    def list_items() -> Any:
        return request.validated_args

    paths = valid_document(openapi)["paths"]

    def example(path: str, method: str, status: str) -> dict[str, Any]:
        return paths[path][method]["responses"][status]["content"]["application/json"]["example"]

    client = app.test_client()
    # Each example is the answer the operation really gives.
    assert (
        example("/items", "post", "415")
        == client.post("/items", data="x", content_type="text/plain").json
    )
    assert example("/items", "post", "422") == client.post("/items", json={}).json
    assert example("/items", "get", "422") == client.get("/items").json
    assert example("/uploads", "post", "415")["message"] == (
        "The body must be sent as multipart/form-data, not as 'text/plain'."
    )
    assert (
        example("/uploads", "post", "422")
        == client.post("/uploads", data={"n": "x"}, content_type="multipart/form-data").json
    )
    assert (
        example("/raw", "post", "415")
        == client.post("/raw", data="x", content_type="application/octet-stream").json
    )


@dataclass
class ValidationError:
    """An app's own schema with the name the 415/422 answers' schema would take."""

    field: str
    problem: str


@dataclass
class RequestValidationError:
    """A second one, so that the next free name is taken."""

    fields: list[str]


def test_an_apps_own_validation_error_schema_keeps_its_name():
    """ValidationError is a common name (Marshmallow's, pydantic's): an app's own
    schema keeps it, and the 415/422 answers' schema takes the first free name,
    instead of the document failing to build."""
    app = make_app()
    openapi = OpenAPI(app, title="Shop", version="1")

    @app.post("/orders")
    @operation(body={"type": "object"}, responses={200: None, 400: ValidationError})
    def create() -> Any:
        return ""

    document = valid_document(openapi)
    schemas = document["components"]["schemas"]
    assert schemas["ValidationError"]["properties"] == {
        "field": {"type": "string"},
        "problem": {"type": "string"},
    }
    assert set(schemas["RequestValidationError"]["required"]) == {
        "code",
        "name",
        "message",
        "errors",
    }
    responses = document["paths"]["/orders"]["post"]["responses"]

    def reference(status: str) -> str:
        return responses[status]["content"]["application/json"]["schema"]["$ref"]

    assert reference("400") == "#/components/schemas/ValidationError"
    assert reference("415") == reference("422") == "#/components/schemas/RequestValidationError"

    @app.post("/requests")
    @operation(body={"type": "object"}, responses={200: RequestValidationError})
    def create_request() -> Any:
        return ""

    document = valid_document(openapi)
    assert {"ValidationError", "RequestValidationError", "RequestValidationError2"} <= set(
        document["components"]["schemas"]
    )
    assert (
        reference_in(document, "/requests", "422") == "#/components/schemas/RequestValidationError2"
    )


def reference_in(document: dict[str, Any], path: str, status: str) -> str:
    """The schema reference of the JSON answer ``status`` of ``path``'s POST."""
    response = document["paths"][path]["post"]["responses"][status]
    return response["content"]["application/json"]["schema"]["$ref"]


class Address(TypedDict):
    """A TypedDict whose keys are marked with PEP 655's qualifiers."""

    street: str
    city: NotRequired[str]
    country: Required[str]


@dataclass
class Parcel:
    address: Address
    dimensions: tuple[int, int] = (1, 1)


def test_typeddict_key_qualifiers_and_tuple_defaults_are_described():
    """``NotRequired[str]`` is a string that may be left out; a tuple default is
    written as the JSON array a client would send, and is what the view gets."""
    app = make_app()
    openapi = OpenAPI(app, title="Post", version="1")

    @app.post("/parcels")
    @operation(body=Parcel)
    def send() -> Any:
        return {"body": request.validated_body}

    schemas = valid_document(openapi)["components"]["schemas"]
    assert schemas["Address"]["properties"] == {
        "street": {"type": "string"},
        "city": {"type": "string"},
        "country": {"type": "string"},
    }
    assert sorted(schemas["Address"]["required"]) == ["country", "street"]
    assert schemas["Parcel"]["properties"]["dimensions"]["default"] == [1, 1]
    client = app.test_client()
    sent = {"address": {"street": "Main", "country": "KR"}}
    assert client.post("/parcels", json=sent).json == {"body": {**sent, "dimensions": [1, 1]}}
    refused = client.post("/parcels", json={"address": {"city": 1}})
    assert refused.json["errors"] == {
        "address.street": "is required",
        "address.country": "is required",
        "address.city": "must be a string",
    }
