"""Rules: parsing, the errors a malformed rule raises, methods and attributes."""

from __future__ import annotations

import pytest

from microwsgi.routing import Router, Rule, parse_rule
from microwsgi.routing.converters import IntegerConverter, StringConverter
from microwsgi.routing.rules import Variable


@pytest.mark.parametrize(
    ("rule", "problem", "caret_column"),
    [
        ("/user/<int:id", "'<' at position 6 is never closed by '>'", 6),
        ("/user/<id/edit", "'<' at position 6 is never closed by '>'", 6),
        ("/user/<a<b>", "'<' at position 6 is never closed by '>'", 6),
        ("/user/id>", "'>' has no opening '<'", 8),
        ("/a/<int:x>/<x>", "the variable 'x' appears twice", 11),
        ("/a/<integer:x>", "there is no converter named 'integer'", 3),
        ("/a/<>", "'<>' names no variable", 3),
        ("/a/<1x>", "'<1x>' is not a valid variable", 3),
        ("/a/<int:>", "'<int:>' is not a valid variable", 3),
        ("/a/<my-name>", "'<my-name>' is not a valid variable", 3),
    ],
)
def test_malformed_rule_points_at_the_problem(rule: str, problem: str, caret_column: int):
    with pytest.raises(ValueError) as caught:
        Router().add(rule, "endpoint")
    message = str(caught.value)
    assert problem in message
    shown_rule, caret = message.splitlines()[1:3]
    assert shown_rule.strip() == rule
    assert caret.index("^") - shown_rule.index("/") == caret_column


@pytest.mark.parametrize("rule", ["user", "", "user/<id>"])
def test_rule_must_start_with_a_slash(rule: str):
    with pytest.raises(ValueError, match="must be a string starting with '/'"):
        Router().add(rule, "endpoint")


def test_unknown_converter_suggests_close_name_and_registration():
    with pytest.raises(ValueError) as caught:
        Router().add("/<integer:n>", "endpoint")
    assert "Did you mean 'int'?" in str(caught.value)
    assert "app.url_map.converters['integer'] = YourConverter" in str(caught.value)


def test_bad_converter_arguments_show_the_signature():
    with pytest.raises(ValueError, match=r"IntegerConverter\(fixed_digits=0, min=None"):
        Router().add("/<int(foo=1):n>", "endpoint")


@pytest.mark.parametrize(
    ("rule", "segments"),
    [
        ("/", [[]]),
        ("/about", [["about"]]),
        ("/docs/", [["docs"], []]),
        ("/a//b", [["a"], ["b"]]),
        ("/a//", [["a"], []]),
        (
            "/file/<name>.txt",
            [["file"], [Variable("default", "", "name", 6), ".txt"]],
        ),
        (
            "/<string(length=2):lang>/",
            [[Variable("string", "length=2", "lang", 1)], []],
        ),
        (
            "/<any('a>b', c):x>",
            [[Variable("any", "'a>b', c", "x", 1)]],
        ),
    ],
)
def test_parse_rule_cuts_at_slashes(rule: str, segments: list[list[object]]):
    assert parse_rule(rule) == segments


@pytest.mark.parametrize(
    ("methods", "provide", "expected_methods", "expected_provide"),
    [
        (None, None, {"GET", "HEAD", "OPTIONS"}, True),
        (["post"], None, {"POST", "OPTIONS"}, True),
        (("GET", "POST"), None, {"GET", "HEAD", "POST", "OPTIONS"}, True),
        (["GET", "OPTIONS"], None, {"GET", "HEAD", "OPTIONS"}, False),
        (["GET"], False, {"GET", "HEAD"}, False),
        (["PUT", "OPTIONS"], True, {"PUT", "OPTIONS"}, True),
    ],
)
def test_methods_are_upper_case_with_head_and_options(
    methods, provide, expected_methods, expected_provide
):
    rule = Router().add("/", "index", methods, provide_automatic_options=provide)
    assert rule.methods == frozenset(expected_methods)
    assert rule.provide_automatic_options is expected_provide


def test_methods_given_as_one_string_is_a_clear_error():
    with pytest.raises(TypeError, match=r"methods=\['POST'\]"):
        Router().add("/", "index", "POST")


def test_rule_exposes_what_the_cli_lists():
    rule = Router().add(
        "/user/<int:id>/<name>", "user", ["GET"], strict_slashes=False, defaults={"tab": "posts"}
    )
    assert rule.rule == "/user/<int:id>/<name>"
    assert rule.endpoint == "user"
    assert rule.arguments == {"id", "name", "tab"}  # as in Werkzeug: variables and defaults
    assert isinstance(rule.converters["id"], IntegerConverter)
    assert isinstance(rule.converters["name"], StringConverter)
    assert rule.defaults == {"tab": "posts"}
    assert rule.strict_slashes is False
    assert repr(rule) == "<Rule '/user/<int:id>/<name>' (GET, HEAD, OPTIONS) -> user>"


def test_router_lists_rules_in_registration_order():
    router = Router()
    for rule in ["/b", "/<a>", "/a"]:
        router.add(rule, rule)
    assert [rule.rule for rule in router.rules] == ["/b", "/<a>", "/a"]


def test_rule_can_be_made_without_a_router():
    rule = Rule("/post/<int:id>", "post")
    assert rule.build_path({"id": 3}) == "/post/3"


def test_describe_prints_the_matching_tree():
    router = Router()
    for rule in ["/", "/users/me", "/users/<int:id>", "/users/<name>"]:
        router.add(rule, rule)
    assert router.describe() == "\n".join(
        [
            '"" -> /',
            '"users"',
            '    "me" -> /users/me',
            "    <int> -> /users/<int:id>",
            "    <default> -> /users/<name>",
        ]
    )


def test_str_of_a_rule_is_its_rule_string_as_in_werkzeug():
    from microwsgi import App, request

    app = App(__name__)

    @app.route("/users/<int:user_id>/posts/<slug>")
    def post(user_id: int, slug: str) -> str:
        return str(request.url_rule)  # the route's name in logs and metrics

    assert app.test_client().get("/users/7/posts/hi").text == "/users/<int:user_id>/posts/<slug>"
    rule = Rule("/a/<x>", endpoint="a")
    assert str(rule) == "/a/<x>"
    assert f"{rule}" == "/a/<x>"
    assert repr(rule) == "<Rule '/a/<x>' (GET, HEAD, OPTIONS) -> a>"
