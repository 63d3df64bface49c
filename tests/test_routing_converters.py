"""Converters: which text each one accepts, what the view receives, what url_for writes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from microwsgi.exceptions import NotFound
from microwsgi.routing import (
    BaseConverter,
    Router,
    ValidationError,
    parse_converter_args,
)
from microwsgi.routing.converters import (
    AnyConverter,
    FloatConverter,
    IntegerConverter,
    PathConverter,
    StringConverter,
    UUIDConverter,
)

NO_MATCH = None
SAMPLE_UUID = "1b3e1c9a-9f6a-4c8e-8d3e-2f0a7b6c5d4e"


def view_args_for(rule: str, path: str) -> dict[str, Any] | None:
    """The view arguments ``path`` gets from a router holding only ``rule``; None for a 404."""
    router = Router()
    router.add(rule, "endpoint")
    try:
        return router.match(path, "GET")[1]
    except NotFound:
        return NO_MATCH


@pytest.mark.parametrize(
    ("rule", "path", "expected"),
    [
        # string (the default): one segment, at least one character
        ("/<name>", "/alice", {"name": "alice"}),
        ("/<string:name>", "/alice", {"name": "alice"}),
        ("/<name>", "/a/b", NO_MATCH),
        ("/<name>", "/caf\u00e9", {"name": "caf\u00e9"}),
        ("/<name>", "/a%2Fb", {"name": "a/b"}),
        ("/<name>", "/100%25", {"name": "100%"}),
        ("/<name>", "/a%252Fb", {"name": "a%2Fb"}),
        ("/<string(length=2):lang>", "/en", {"lang": "en"}),
        ("/<string(length=2):lang>", "/eng", NO_MATCH),
        ("/<string(minlength=3):word>", "/ab", NO_MATCH),
        ("/<string(minlength=3):word>", "/abc", {"word": "abc"}),
        ("/<string(maxlength=3):word>", "/abcd", NO_MATCH),
        ("/<string(maxlength=3):word>", "/abc", {"word": "abc"}),
        # int: unsigned ASCII digits unless told otherwise
        ("/<int:n>", "/42", {"n": 42}),
        ("/<int:n>", "/0", {"n": 0}),
        ("/<int:n>", "/-1", NO_MATCH),
        ("/<int:n>", "/4.2", NO_MATCH),
        ("/<int:n>", "/\u0664\u0662", NO_MATCH),
        ("/<int(signed=True):n>", "/-7", {"n": -7}),
        ("/<int(fixed_digits=4):n>", "/0042", {"n": 42}),
        ("/<int(fixed_digits=4):n>", "/42", NO_MATCH),
        ("/<int(min=1):page>", "/0", NO_MATCH),
        ("/<int(min=1):page>", "/1", {"page": 1}),
        ("/<int(max=10):page>", "/11", NO_MATCH),
        # float: digits, a dot, digits
        ("/<float:x>", "/1.5", {"x": 1.5}),
        ("/<float:x>", "/1", NO_MATCH),
        ("/<float:x>", "/-1.5", NO_MATCH),
        ("/<float(signed=True):x>", "/-1.5", {"x": -1.5}),
        ("/<float(max=2.0):x>", "/2.5", NO_MATCH),
        ("/<float(min=0.5):x>", "/0.25", NO_MATCH),
        # path: the rest of the path, slashes included
        ("/files/<path:name>", "/files/a/b/c.txt", {"name": "a/b/c.txt"}),
        ("/files/<path:name>", "/files/", NO_MATCH),
        ("/files/<path:name>/edit", "/files/a/b/edit", {"name": "a/b"}),
        # uuid
        ("/<uuid:id>", f"/{SAMPLE_UUID}", {"id": uuid.UUID(SAMPLE_UUID)}),
        ("/<uuid:id>", f"/{SAMPLE_UUID.upper()}", {"id": uuid.UUID(SAMPLE_UUID)}),
        ("/<uuid:id>", "/not-a-uuid", NO_MATCH),
        # any
        ("/<any(news, blog):section>", "/news", {"section": "news"}),
        ("/<any(news, blog):section>", "/shop", NO_MATCH),
        ("/<any('a b', c):item>", "/a b", {"item": "a b"}),
        # variables inside a segment
        ("/file/<name>.txt", "/file/notes.txt", {"name": "notes"}),
        ("/file/<name>.txt", "/file/notes.md", NO_MATCH),
        ("/v<int:major>.<int:minor>", "/v1.12", {"major": 1, "minor": 12}),
    ],
)
def test_converter_accepts_or_rejects(rule: str, path: str, expected: dict[str, Any] | None):
    assert view_args_for(rule, path) == expected


@pytest.mark.parametrize(
    ("converter", "value", "expected"),
    [
        (StringConverter(), "John Doe", "John%20Doe"),
        (StringConverter(), "a/b", "a%2Fb"),
        (StringConverter(), "caf\u00e9", "caf%C3%A9"),
        (StringConverter(), "100%", "100%25"),
        (StringConverter(), "a+b:c@d", "a+b:c@d"),
        (StringConverter(), 7, "7"),
        (PathConverter(), "a b/c\u00e9", "a%20b/c%C3%A9"),
        (IntegerConverter(), 42, "42"),
        (IntegerConverter(fixed_digits=4), 42, "0042"),
        (IntegerConverter(fixed_digits=3, signed=True), -5, "-005"),
        (FloatConverter(), 1.5, "1.5"),
        (FloatConverter(), 2, "2.0"),
        (FloatConverter(), 1e20, "100000000000000000000.0"),
        (UUIDConverter(), uuid.UUID(SAMPLE_UUID), SAMPLE_UUID),
        (UUIDConverter(), SAMPLE_UUID.upper(), SAMPLE_UUID),
        (AnyConverter(None, "news", "a b"), "a b", "a%20b"),
    ],
)
def test_to_url_writes_url_text(converter: BaseConverter, value: Any, expected: str):
    assert converter.to_url(value) == expected


@pytest.mark.parametrize(
    ("converter", "value"),
    [
        (AnyConverter(None, "news", "blog"), "shop"),
        (FloatConverter(), float("inf")),
        (UUIDConverter(), "not-a-uuid"),
    ],
)
def test_to_url_refuses_values_the_rule_would_not_match(converter: BaseConverter, value: Any):
    with pytest.raises(ValidationError):
        converter.to_url(value)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("/<string(length=0):x>", "length must be a whole number of at least 1"),
        ("/<string(minlength=3, maxlength=2):x>", "maxlength must be a whole number of at least 3"),
        ("/<int(fixed_digits=-1):x>", "fixed_digits must be a whole number of at least 0"),
        ("/<int(min='one'):x>", "min must be a number"),
        ("/<int(signed=1):x>", "signed must be True or False"),
        ("/<int(foo=1):x>", "unexpected keyword argument 'foo'"),
        ("/<uuid(4):x>", "UUIDConverter takes no arguments, got 4"),
        ("/<any():x>", "any() needs at least one item"),
        ("/<int(1 2):x>", "cannot read converter arguments"),
    ],
)
def test_bad_converter_arguments_fail_at_registration(rule: str, message: str):
    with pytest.raises(ValueError, match="bad arguments") as caught:
        Router().add(rule, "endpoint")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ((), {})),
        ("2", ((2,), {})),
        ("1.5", ((1.5,), {})),
        ("-3", ((-3,), {})),
        ("news, blog", (("news", "blog"), {})),
        ("'a, b', \"c\"", (("a, b", "c"), {})),
        ("True, False, None", ((True, False, None), {})),
        ("length=2", ((), {"length": 2})),
        ("2, signed=True", ((2,), {"signed": True})),
        ("a, b,", (("a", "b"), {})),
        ("'1'", (("1",), {})),
        ("1e5, nan, 1_000", (("1e5", "nan", "1_000"), {})),
    ],
)
def test_parse_converter_args(text: str, expected: tuple[tuple[Any, ...], dict[str, Any]]):
    assert parse_converter_args(text) == expected


def test_parse_converter_args_refuses_positional_after_keyword():
    with pytest.raises(ValueError, match="follows a keyword argument"):
        parse_converter_args("length=2, 3")


def test_parse_converter_args_does_not_evaluate_code():
    assert parse_converter_args("__import__") == (("__import__",), {})


class _LowerCaseConverter(BaseConverter):
    regex = "[a-z]+"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: Any) -> str:
        return str(value).lower()


def test_custom_converter_registered_by_name_is_used():
    router = Router()
    router.converters["lower"] = _LowerCaseConverter
    router.add("/tag/<lower:tag>", "tag")
    assert router.match("/tag/news", "GET")[1] == {"tag": "NEWS"}
    assert router.build("tag", {"tag": "NEWS"}) == "/tag/news"


def test_custom_converter_regex_decides_matching():
    router = Router()
    router.converters["lower"] = _LowerCaseConverter
    router.add("/tag/<lower:tag>", "tag")
    with pytest.raises(NotFound):
        router.match("/tag/News", "GET")


def test_each_router_has_its_own_converters():
    first = Router()
    first.converters["lower"] = _LowerCaseConverter
    assert "lower" not in Router().converters


class _EvenConverter(BaseConverter):
    regex = "[0-9]+"
    weight = 10

    def to_python(self, value: str) -> int:
        if int(value) % 2:
            raise ValidationError("odd")
        return int(value)


def test_validation_error_makes_the_router_try_the_next_rule():
    router = Router()
    router.converters["even"] = _EvenConverter
    router.add("/n/<even:n>", "even")
    router.add("/n/<int:n>", "any_number")
    assert router.match("/n/4", "GET")[0].endpoint == "even"
    assert router.match("/n/5", "GET")[0].endpoint == "any_number"


def test_int_bounds_fall_through_to_a_later_rule():
    router = Router()
    router.add("/page/<int(max=10):n>", "small")
    router.add("/page/<n>", "other")
    assert router.match("/page/11", "GET") == (router.rules[1], {"n": "11"})


def test_converter_weights_order_int_string_path():
    assert IntegerConverter.weight < StringConverter.weight < PathConverter.weight
