"""Matching: precedence (checked against Werkzeug), methods, slashes, encoded paths."""

from __future__ import annotations

import random
from typing import Any

import pytest
from werkzeug.exceptions import MethodNotAllowed as WerkzeugMethodNotAllowed
from werkzeug.exceptions import NotFound as WerkzeugNotFound
from werkzeug.routing import Map as WerkzeugMap
from werkzeug.routing import RequestRedirect as WerkzeugRedirect
from werkzeug.routing import Rule as WerkzeugRule

from microwsgi.exceptions import MethodNotAllowed, NotFound
from microwsgi.routing import RequestRedirect, Router

# -- helpers ------------------------------------------------------------------

RuleSpec = tuple[str, list[str], bool]  # rule, methods, strict_slashes


def _spec(rule: str | RuleSpec) -> RuleSpec:
    return (rule, ["GET"], True) if isinstance(rule, str) else rule


def our_router(rules: list[Any]) -> Router:
    router = Router()
    for rule, methods, strict in map(_spec, rules):
        router.add(rule, rule, methods, strict_slashes=strict)
    return router


def werkzeug_map(rules: list[Any]) -> WerkzeugMap:
    url_map = WerkzeugMap()
    for rule, methods, strict in map(_spec, rules):
        url_map.add(WerkzeugRule(rule, endpoint=rule, methods=methods, strict_slashes=strict))
    return url_map


def our_answer(router: Router, path: str, method: str) -> tuple[Any, ...]:
    """What our router answers, in a form comparable with ``werkzeug_answer``.

    OPTIONS is left out of 405 sets: Flask adds it to its rules, a bare
    Werkzeug ``Map`` does not.
    """
    try:
        rule, view_args = router.match(path, method)
    except RequestRedirect as redirect:
        return ("308", redirect.path)
    except MethodNotAllowed as error:
        return ("405", sorted(set(error.valid_methods) - {"OPTIONS"}))
    except NotFound:
        return ("404",)
    return (rule.endpoint, view_args)


def werkzeug_answer(url_map: WerkzeugMap, path: str, method: str) -> tuple[Any, ...]:
    try:
        endpoint, view_args = url_map.bind("example.com").match(path, method)
    except WerkzeugRedirect as redirect:
        return ("308", redirect.new_url.removeprefix("http://example.com"))
    except WerkzeugMethodNotAllowed as error:
        return ("405", sorted(error.valid_methods or ()))
    except WerkzeugNotFound:
        return ("404",)
    return (endpoint, dict(view_args))


def our_outcome(rules: list[Any], path: str, method: str = "GET") -> tuple[Any, ...]:
    return our_answer(our_router(rules), path, method)


def werkzeug_outcome(rules: list[Any], path: str, method: str = "GET") -> tuple[Any, ...]:
    return werkzeug_answer(werkzeug_map(rules), path, method)


# -- precedence -----------------------------------------------------------------

PRECEDENCE_CASES = [
    # (rules, path, the rule that wins)
    (["/users/me", "/users/<name>"], "/users/me", "/users/me"),
    (["/users/<int:id>", "/users/<name>"], "/users/42", "/users/<int:id>"),
    (["/users/<int:id>", "/users/<name>"], "/users/bob", "/users/<name>"),
    (["/<name>", "/<path:rest>"], "/a", "/<name>"),
    (["/<name>", "/<path:rest>"], "/a/b", "/<path:rest>"),
    (["/<float:x>", "/<name>"], "/1.5", "/<float:x>"),
    (["/<int:n>", "/<float:x>"], "/1.5", "/<float:x>"),
    (["/file/<name>.txt", "/file/<name>"], "/file/a.txt", "/file/<name>.txt"),
    (["/file/<name>.txt", "/file/<name>"], "/file/a.md", "/file/<name>"),
    (["/<int:year>/feed", "/<name>/about"], "/2024/about", "/<name>/about"),
    (["/<a>/<b>", "/x/<path:rest>"], "/x/y", "/x/<path:rest>"),
    (["/<path:p>/edit", "/<path:p>"], "/a/b/edit", "/<path:p>/edit"),
    (["/static/<path:f>", "/<path:p>"], "/static/a.css", "/static/<path:f>"),
    (["/<a>-<b>", "/<a>"], "/x-y", "/<a>-<b>"),
    (["/v<int:n>", "/<name>"], "/v2", "/v<int:n>"),
    (["/<uuid:id>", "/<int:n>"], "/12", "/<int:n>"),
    (["/a/<b>/c", "/<x>/<y>/<z>"], "/a/b/c", "/a/<b>/c"),
]


@pytest.mark.parametrize("reverse", [False, True], ids=["in order", "reversed"])
@pytest.mark.parametrize(("rules", "path", "winner"), PRECEDENCE_CASES)
def test_most_specific_rule_wins_in_any_registration_order(rules, path, winner, reverse):
    ordered = rules[::-1] if reverse else rules
    assert our_outcome(ordered, path)[0] == winner


@pytest.mark.parametrize("reverse", [False, True], ids=["in order", "reversed"])
@pytest.mark.parametrize(("rules", "path", "winner"), PRECEDENCE_CASES)
def test_precedence_is_the_one_werkzeug_picks(rules, path, winner, reverse):
    ordered = rules[::-1] if reverse else rules
    assert our_outcome(ordered, path) == werkzeug_outcome(ordered, path)


def test_equal_weights_fall_back_to_registration_order():
    assert our_outcome(["/<any(a, b):x>", "/<y>"], "/a")[0] == "/<any(a, b):x>"
    assert our_outcome(["/<y>", "/<any(a, b):x>"], "/a")[0] == "/<y>"


_FUZZ_SEGMENTS = [
    "a", "b", "", "<int:{v}>", "<{v}>", "<float:{v}>", "<any(a, x):{v}>", "<{v}>.txt",
    "x<{v}>", "<string(length=1):{v}>", "<int:{v}>-<{v}2>", "<path:{v}>", "<path:{v}>/",
]  # fmt: skip
_FUZZ_PATH_SEGMENTS = ["", "a", "b", "1", "22", "x", "1.5", "y.txt", "xa", "1-z", "q"]


def _random_rule(rng: random.Random) -> str:
    segments = []
    for number in range(rng.randint(1, 3)):
        segment = rng.choice(_FUZZ_SEGMENTS)
        segments.append(segment.format(v=f"v{number}"))
        if "path" in segment:
            break
    return "/" + "/".join(segments)


def test_random_rule_sets_match_like_werkzeug():
    """Random overlapping rules, methods and slash settings, in both orders: same answers."""
    rng = random.Random(20240601)
    compared = 0
    for _ in range(150):
        rules: list[RuleSpec] = []
        for _ in range(rng.randint(2, 5)):
            rule = _random_rule(rng)
            if rule not in [spec[0] for spec in rules]:
                methods = rng.choice([["GET"], ["POST"], ["GET", "POST"]])
                rules.append((rule, methods, rng.random() > 0.2))
        for ordered in (rules, rules[::-1]):
            ours, theirs = our_router(ordered), werkzeug_map(ordered)
            for _ in range(4):
                path = "/" + "/".join(
                    rng.choice(_FUZZ_PATH_SEGMENTS) for _ in range(rng.randint(1, 4))
                )
                if path.startswith("//"):
                    continue  # Werkzeug strips leading slashes; we redirect (see below)
                for method in ("GET", "POST"):
                    expected = werkzeug_answer(theirs, path, method)
                    assert our_answer(ours, path, method) == expected, (ordered, path, method)
                    compared += 1
    assert compared > 1000


# -- trailing slashes and repeated slashes ----------------------------------------


@pytest.mark.parametrize(
    ("rule", "strict", "path", "expected"),
    [
        ("/docs/", True, "/docs/", ("/docs/", {})),
        ("/docs/", True, "/docs", ("308", "/docs/")),
        ("/docs", True, "/docs/", ("404",)),
        ("/docs/", False, "/docs", ("/docs/", {})),
        ("/docs", False, "/docs/", ("/docs", {})),
        ("/u/<name>/", True, "/u/bob", ("308", "/u/bob/")),
        ("/u/<name>/", True, "/u/caf\u00e9", ("308", "/u/caf%C3%A9/")),
        ("/u/<name>/", True, "/u/a%2Fb", ("308", "/u/a%2Fb/")),
        ("/f/<path:p>/", True, "/f/a/b", ("308", "/f/a/b/")),
        ("/f/<path:p>/", True, "/f/a/b/", ("/f/<path:p>/", {"p": "a/b"})),
        ("/a/b", True, "/a//b", ("308", "/a/b")),
        ("/a/b", True, "//a///b", ("308", "/a/b")),
        ("/a/b/", True, "/a//b", ("308", "/a/b/")),
        ("/<path:p>", True, "/a//b", ("/<path:p>", {"p": "a//b"})),
    ],
)
def test_slash_handling(rule: str, strict: bool, path: str, expected: tuple[Any, ...]):
    assert our_outcome([(rule, ["GET"], strict)], path) == expected


def test_slash_redirect_keeps_the_method_for_post():
    assert our_outcome([("/form/", ["POST"], True)], "/form", "POST") == ("308", "/form/")


def test_redirect_is_a_308_http_exception_with_location():
    redirect = RequestRedirect("/docs/")
    assert redirect.code == 308
    assert redirect.get_headers() == [("Location", "/docs/")]


# -- methods -------------------------------------------------------------------------


GET_ONLY = {"GET", "HEAD", "OPTIONS"}
INT_GET_STRING_PUT = [("/x/<int:n>", ["GET"]), ("/x/<s>", ["PUT"])]


@pytest.mark.parametrize(
    ("rules", "path", "method", "expected"),
    [
        ([("/", ["GET"])], "/", "HEAD", "/"),
        ([("/", ["GET"])], "/", "OPTIONS", "/"),
        ([("/", ["GET"])], "/", "POST", GET_ONLY),
        ([("/", ["POST"])], "/", "GET", {"POST", "OPTIONS"}),
        ([("/", ["GET"]), ("/", ["DELETE"])], "/", "PUT", GET_ONLY | {"DELETE"}),
        (INT_GET_STRING_PUT, "/x/1", "POST", GET_ONLY | {"PUT"}),
        (INT_GET_STRING_PUT, "/x/a", "POST", {"PUT", "OPTIONS"}),
        (INT_GET_STRING_PUT, "/x/1", "PUT", "/x/<s>"),
        ([("/a", ["GET"]), ("/<name>", ["POST"])], "/a", "POST", "/<name>"),
    ],
)
def test_method_dispatch_and_allow_sets(rules, path, method, expected):
    router = Router()
    for rule, methods in rules:
        router.add(rule, rule, methods)
    if isinstance(expected, set):
        with pytest.raises(MethodNotAllowed) as caught:
            router.match(path, method)
        assert set(caught.value.valid_methods) == expected
        assert caught.value.get_headers() == [("Allow", ", ".join(sorted(expected)))]
    else:
        assert router.match(path, method)[0].endpoint == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/items/1", {"GET", "HEAD", "OPTIONS", "DELETE"}),
        ("/items/x", {"GET", "HEAD", "OPTIONS"}),
        ("/nowhere", set()),
    ],
)
def test_allowed_methods_unites_every_matching_rule(path: str, expected: set[str]):
    router = Router()
    router.add("/items/<name>", "show")
    router.add("/items/<int:id>", "delete", ["DELETE"])
    assert router.allowed_methods(path) == expected


def test_path_matching_nothing_is_404():
    router = Router()
    router.add("/", "index")
    with pytest.raises(NotFound):
        router.match("/missing", "GET")


def test_rule_with_slash_for_another_method_is_404_not_redirect():
    # As in Werkzeug: the slash redirect only happens for a method the rule accepts.
    assert our_outcome([("/form/", ["POST"], True)], "/form", "GET") == ("404",)


# -- encoded and unicode paths ------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "path", "expected"),
    [
        ("/caf\u00e9", "/caf\u00e9", {}),
        ("/\u65e5\u672c/<name>", "/\u65e5\u672c/\u6771\u4eac", {"name": "\u6771\u4eac"}),
        ("/100%", "/100%25", {}),
        ("/rate/<int:n>%", "/rate/5%25", {"n": 5}),
        ("/f/<path:p>", "/f/a%2Fb/c", {"p": "a/b/c"}),
        ("/<any('a/b', c):x>", "/a%2Fb", {"x": "a/b"}),
        ("/space/<name>", "/space/a b", {"name": "a b"}),
    ],
)
def test_encoded_and_unicode_paths(rule: str, path: str, expected: dict[str, Any]):
    router = Router()
    router.add(rule, "endpoint")
    assert router.match(path, "GET")[1] == expected


def test_encoded_slash_does_not_split_a_segment():
    router = Router()
    router.add("/user/<name>/posts", "posts")
    assert router.match("/user/a%2Fb/posts", "GET")[1] == {"name": "a/b"}


# -- view arguments -----------------------------------------------------------------


def test_defaults_are_merged_into_view_args():
    router = Router()
    router.add("/users/", "users", defaults={"page": 1})
    router.add("/users/page/<int:page>", "users")
    assert router.match("/users/", "GET")[1] == {"page": 1}
    assert router.match("/users/page/2", "GET")[1] == {"page": 2}


def test_view_args_are_a_fresh_dict_per_match():
    router = Router()
    router.add("/", "index", defaults={"x": 1})
    router.match("/", "GET")[1]["x"] = 2
    assert router.match("/", "GET")[1] == {"x": 1}


def test_many_rules_still_find_the_last_one():
    router = Router()
    for number in range(2000):
        router.add(f"/api/res{number}/<int:id>", f"res{number}")
        router.add(f"/static{number}", f"static{number}")
    assert router.match("/api/res1999/7", "GET")[1] == {"id": 7}
    assert router.match("/static1999", "GET")[0].endpoint == "static1999"
