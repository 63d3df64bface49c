"""What a blueprint registers for the whole app: hooks, template functions, processors.

And the rule behind ``@bp.app_template_filter``: every decorator either works bare
and with parentheses (the template ones, as the app's own do), or refuses the
form it does not take with an error, instead of silently registering nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from microwsgi import App, render_template_string
from microwsgi.blueprints import Blueprint


@pytest.fixture
def bp() -> Blueprint:
    bp = Blueprint("shop", __name__, url_prefix="/shop")
    bp.add_url_rule("/", "index", lambda: "shop")
    return bp


def _render(app: App, source: str, **context: Any) -> str:
    with app.test_request_context("/"):
        return render_template_string(source, **context)


# -- template functions, in every form ------------------------------------------------


@pytest.mark.parametrize("form", ["bare", "empty parentheses", "named"])
def test_app_template_filter_in_every_form(app, bp, form) -> None:
    def shout(text):
        return text.upper() + "!"

    if form == "bare":
        assert bp.app_template_filter(shout) is shout
        name = "shout"
    elif form == "empty parentheses":
        bp.app_template_filter()(shout)
        name = "shout"
    else:
        bp.app_template_filter("loud")(shout)
        name = "loud"
    app.register_blueprint(bp)
    assert _render(app, "{{ 'hi'|" + name + " }}") == "HI!"


@pytest.mark.parametrize("form", ["bare", "empty parentheses", "named"])
def test_app_template_global_in_every_form(app, bp, form) -> None:
    def answer():
        return 42

    if form == "bare":
        assert bp.app_template_global(answer) is answer
        name = "answer"
    elif form == "empty parentheses":
        bp.app_template_global()(answer)
        name = "answer"
    else:
        bp.app_template_global("the_answer")(answer)
        name = "the_answer"
    app.register_blueprint(bp)
    assert _render(app, "{{ " + name + "() }}") == "42"


@pytest.mark.parametrize("form", ["bare", "empty parentheses", "named"])
def test_app_template_test_in_every_form(app, bp, form) -> None:
    def even(number):
        return number % 2 == 0

    if form == "bare":
        assert bp.app_template_test(even) is even
        name = "even"
    elif form == "empty parentheses":
        bp.app_template_test()(even)
        name = "even"
    else:
        bp.app_template_test("divisible_by_two")(even)
        name = "divisible_by_two"
    app.register_blueprint(bp)
    assert _render(app, f"{{{{ 4 is {name} }}}} {{{{ 3 is {name} }}}}") == "True False"


def test_add_app_template_functions(app, bp) -> None:
    bp.add_app_template_filter(lambda text: text[::-1], "reverse")
    bp.add_app_template_global(lambda: "g", "greeting")
    bp.add_app_template_test(lambda value: value == 0, "zero")
    app.register_blueprint(bp)
    assert _render(app, "{{ 'abc'|reverse }} {{ greeting() }} {{ 0 is zero }}") == "cba g True"
    assert app.jinja_env.filters["reverse"]("xy") == "yx"


def test_template_functions_from_a_blueprint_are_app_wide(app, client, bp) -> None:
    @bp.app_template_filter
    def stars(text):
        return f"*{text}*"

    app.register_blueprint(bp)
    app.route("/home")(lambda: render_template_string("{{ 'home'|stars }}"))
    assert client.get("/home").text == "*home*"  # a route outside the blueprint


def test_nothing_is_registered_before_the_blueprint_is(app, bp) -> None:
    bp.add_app_template_filter(lambda value: value, "unused")
    assert "unused" not in app.jinja_env.filters


def test_the_apps_own_template_decorators_work_bare_too(app) -> None:
    @app.template_filter
    def twice(text):
        return text * 2

    @app.template_test
    def empty(text):
        return not text

    @app.template_global
    def site():
        return "shop"

    assert _render(app, "{{ 'a'|twice }} {{ '' is empty }} {{ site() }}") == "aa True shop"


# -- hooks and processors for every request -----------------------------------------------


def test_app_wide_hooks_run_for_requests_outside_the_blueprint(app, client, bp) -> None:
    calls: list[str] = []

    @bp.before_app_request
    def before():
        calls.append("before")

    @bp.after_app_request
    def after(response):
        calls.append("after")
        response.headers["X-Shop"] = "seen"
        return response

    @bp.teardown_app_request
    def teardown(exc):
        calls.append(f"teardown {exc!r}")

    @bp.before_request
    def only_the_shops():
        calls.append("shop only")

    app.register_blueprint(bp)
    app.route("/")(lambda: "home")

    response = client.get("/")
    assert (response.text, response.headers["X-Shop"]) == ("home", "seen")
    assert calls == ["before", "after", "teardown None"]

    calls.clear()
    client.get("/shop/")
    assert calls == ["before", "shop only", "after", "teardown None"]


def test_teardown_app_request_gets_the_error(app, client, bp) -> None:
    seen: list[Any] = []
    bp.teardown_app_request(seen.append)
    app.register_blueprint(bp)
    app.route("/")(lambda: 1 / 0)
    assert client.get("/").status_code == 500
    assert isinstance(seen[0], ZeroDivisionError)


def test_app_context_processor_feeds_every_template(app, client, bp) -> None:
    @bp.app_context_processor
    def currency():
        return {"currency": "EUR"}

    @bp.context_processor
    def shop_only():
        return {"aisle": 7}

    page = "{{ currency }} [{{ aisle }}]"
    bp.add_url_rule("/page", "page", lambda: render_template_string(page))
    app.register_blueprint(bp)
    app.route("/")(lambda: render_template_string(page))
    assert client.get("/").text == "EUR []"
    assert client.get("/shop/page").text == "EUR [7]"


def test_app_errorhandler_answers_for_routes_outside_the_blueprint(app, client, bp) -> None:
    bp.app_errorhandler(404)(lambda error: ("no such page", 404))
    app.register_blueprint(bp)
    assert client.get("/nowhere").text == "no such page"


# -- decorators used in the form they do not take ------------------------------------------


def test_route_used_bare_is_refused(app) -> None:
    with pytest.raises(TypeError, match=r"the URL rule in parentheses.*@app.route\('/path'\)"):

        @app.route  # type: ignore[arg-type]
        def index():
            return "never registered"


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_method_shortcuts_used_bare_are_refused(app, method) -> None:
    def index():
        return ""

    with pytest.raises(TypeError, match="in parentheses"):
        getattr(app, method)(index)


def test_a_blueprints_route_used_bare_is_refused(bp) -> None:
    with pytest.raises(TypeError, match="in parentheses"):
        bp.route(lambda: "")  # type: ignore[arg-type]


def test_errorhandler_used_bare_is_refused(app, bp) -> None:
    def handler(error):
        return ""

    with pytest.raises(TypeError, match=r"in parentheses, as in @app.errorhandler\(404\)"):
        app.errorhandler(handler)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="in parentheses"):
        bp.app_errorhandler(handler)  # type: ignore[arg-type]


def test_endpoint_used_bare_is_refused(app) -> None:
    with pytest.raises(TypeError, match="in parentheses"):
        app.endpoint(lambda: "")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "decorator",
    [
        "before_request",
        "after_request",
        "teardown_request",
        "context_processor",
        "teardown_appcontext",
        "before_first_request",
    ],
)
def test_hooks_given_something_that_is_not_a_function_are_refused(app, decorator) -> None:
    with pytest.raises(TypeError, match=rf"{decorator}\(\) registers a function"):
        getattr(app, decorator)("login")


@pytest.mark.parametrize(
    "decorator",
    [
        "before_app_request",
        "after_app_request",
        "teardown_app_request",
        "app_context_processor",
        "add_app_template_filter",
    ],
)
def test_blueprint_hooks_given_something_that_is_not_a_function_are_refused(bp, decorator):
    with pytest.raises(TypeError, match="registers a function"):
        getattr(bp, decorator)("login")


def test_a_template_name_must_be_a_string(app, bp) -> None:
    with pytest.raises(TypeError, match="must be a string"):
        app.template_filter(3)
    with pytest.raises(TypeError, match="must be a string"):
        bp.app_template_filter(3)
