"""url_value_preprocessor, url_defaults and url_build_error_handlers, on apps and blueprints."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from microwsgi import App, Blueprint, g, url_for
from microwsgi.routing import BuildError


def test_app_processors_carry_a_value_through_every_url(app, client):
    @app.url_defaults
    def add_language_code(endpoint: str, values: dict[str, Any]) -> None:
        if g.get("lang_code") is not None and app.url_map.is_endpoint_expecting(
            endpoint, "lang_code"
        ):
            values.setdefault("lang_code", g.lang_code)

    @app.url_value_preprocessor
    def pull_lang_code(endpoint: str, values: dict[str, Any]) -> None:
        g.lang_code = values.pop("lang_code", None)

    @app.route("/<lang_code>/")
    def index() -> str:
        return url_for("about")

    @app.route("/<lang_code>/about")
    def about() -> str:
        return url_for("something_else")

    @app.route("/foo")
    def something_else() -> str:
        return url_for("about", lang_code="en")

    assert client.get("/de/").get_data(as_text=True) == "/de/about"
    assert client.get("/de/about").get_data(as_text=True) == "/foo"
    assert client.get("/foo").get_data(as_text=True) == "/en/about"


def test_preprocessors_see_the_endpoint_and_run_before_the_hooks(app, client):
    seen: list[Any] = []

    @app.url_value_preprocessor
    def record(endpoint: str, values: dict[str, Any]) -> None:
        seen.append(("preprocessor", endpoint, dict(values)))

    @app.before_request
    def hook() -> None:
        seen.append(("hook",))

    @app.route("/item/<int:item_id>")
    def item(item_id: int) -> str:
        return str(item_id)

    assert client.get("/item/7").get_data(as_text=True) == "7"
    assert seen == [("preprocessor", "item", {"item_id": 7}), ("hook",)]


def test_preprocessors_do_not_run_when_no_rule_matched(app, client):
    calls: list[Any] = []

    @app.url_value_preprocessor
    def pull(endpoint: str, values: dict[str, Any]) -> None:
        calls.append(endpoint)
        values.pop("lang_code")  # would fail on a 404, where there are no values

    @app.route("/<lang_code>/", methods=["GET"])
    def index() -> str:
        return "index"

    assert client.get("/de/x/y").status_code == 404
    assert client.post("/de/").status_code == 405
    assert client.get("/de").status_code == 308
    assert calls == []
    assert client.get("/de/").status_code == 200
    assert calls == ["index"]


def test_blueprint_processors_apply_to_its_own_endpoints_only(app, client):
    bp = Blueprint("frontend", __name__, url_prefix="/<lang_code>")

    @bp.url_defaults
    def add_language_code(endpoint: str, values: dict[str, Any]) -> None:
        values.setdefault("lang_code", g.lang_code)

    @bp.url_value_preprocessor
    def pull_lang_code(endpoint: str, values: dict[str, Any]) -> None:
        g.lang_code = values.pop("lang_code")

    @bp.route("/")
    def index() -> str:
        return url_for(".about")

    @bp.route("/about")
    def about() -> str:
        return url_for(".index")

    @app.route("/plain/<lang_code>")
    def plain(lang_code: str) -> str:
        return f"{lang_code} {g.get('lang_code')}"

    app.register_blueprint(bp)
    assert client.get("/de/").get_data(as_text=True) == "/de/about"
    assert client.get("/de/about").get_data(as_text=True) == "/de/"
    # The app's own route keeps its value: the blueprint's preprocessor did not run.
    assert client.get("/plain/fr").get_data(as_text=True) == "fr None"


def test_nested_blueprints_run_processors_outermost_first(app, client):
    order: list[str] = []
    parent = Blueprint("parent", __name__, url_prefix="/p")
    child = Blueprint("child", __name__, url_prefix="/c")

    @app.url_value_preprocessor
    def app_pre(endpoint: str, values: dict[str, Any]) -> None:
        order.append("app")

    @parent.url_value_preprocessor
    def parent_pre(endpoint: str, values: dict[str, Any]) -> None:
        order.append("parent")

    @child.url_value_preprocessor
    def child_pre(endpoint: str, values: dict[str, Any]) -> None:
        order.append("child")

    @child.route("/")
    def index() -> str:
        return "child"

    parent.register_blueprint(child)
    app.register_blueprint(parent)
    assert client.get("/p/c/").status_code == 200
    assert order == ["app", "parent", "child"]


def test_app_wide_processors_registered_from_a_blueprint(app, client):
    bp = Blueprint("bp", __name__)

    @bp.app_url_defaults
    def add_language_code(endpoint: str, values: dict[str, Any]) -> None:
        values.setdefault("lang_code", g.lang_code)

    @bp.app_url_value_preprocessor
    def pull_lang_code(endpoint: str, values: dict[str, Any]) -> None:
        g.lang_code = values.pop("lang_code")

    @app.route("/<lang_code>/")
    def index() -> str:
        return url_for("about")

    @app.route("/<lang_code>/about")
    def about() -> str:
        return url_for("index")

    app.register_blueprint(bp)
    assert client.get("/de/").get_data(as_text=True) == "/de/about"
    assert client.get("/de/about").get_data(as_text=True) == "/de/"


def test_blueprint_url_defaults_work_outside_a_request(app):
    bp = Blueprint("foo", __name__)

    @bp.url_defaults
    def bp_defaults(endpoint: str, values: dict[str, Any]) -> None:
        values["page"] = "login"

    @bp.route("/<page>")
    def view(page: str) -> str:
        return page

    app.register_blueprint(bp)
    values: dict[str, Any] = {}
    app.inject_url_defaults("foo.view", values)
    assert values == {"page": "login"}
    with app.app_context():
        assert url_for("foo.view") == "/login"


def test_build_error_handler_gives_the_url(app):
    calls: list[Any] = []

    @app.url_build_error_handlers.append
    def handler(error: BuildError, endpoint: str, values: dict[str, Any]) -> str:
        calls.append((isinstance(error, BuildError), endpoint, values))
        return "/elsewhere/"

    with app.test_request_context():
        assert url_for("spam", page=2, _anchor="top") == "/elsewhere/"
    assert calls == [
        (
            True,
            "spam",
            {"page": 2, "_anchor": "top", "_method": None, "_scheme": None, "_external": False},
        )
    ]


def test_handlers_that_return_none_pass_to_the_next(app):
    app.url_build_error_handlers.append(lambda error, endpoint, values: None)
    app.url_build_error_handlers.append(lambda error, endpoint, values: f"/{endpoint}")
    with app.test_request_context():
        assert url_for("missing") == "/missing"


def test_without_an_answer_the_build_error_is_raised(app):
    app.url_build_error_handlers.append(lambda error, endpoint, values: None)
    with app.test_request_context(), pytest.raises(BuildError, match="'spam'"):
        url_for("spam")


def test_a_handler_may_raise_its_own_build_error(app):
    replacement = BuildError("other", {}, None, ["replaced"])

    def handler(error: BuildError, endpoint: str, values: dict[str, Any]) -> str:
        raise replacement

    app.url_build_error_handlers.append(handler)
    with app.test_request_context(), pytest.raises(BuildError) as raised:
        url_for("spam")
    assert raised.value is replacement


def test_handle_url_build_error_raises_the_error_given_outside_its_except_block(app):
    with app.test_request_context(), pytest.raises(BuildError) as caught:
        url_for("spam")
    error = caught.value
    try:
        raise RuntimeError("another exception is being handled")
    except RuntimeError:
        assert sys.exc_info()[1] is not error
        with pytest.raises(BuildError) as raised:
            app.handle_url_build_error(error, "spam", {})
    assert raised.value is error


def test_an_app_without_processors_has_nothing_to_run():
    app = App(__name__)
    assert app.url_value_preprocessors == {}
    assert app.url_default_functions == {}
    bp = Blueprint("bp", __name__)
    app.register_blueprint(bp)
    assert app.url_value_preprocessors == {}  # registering adds no empty entries
