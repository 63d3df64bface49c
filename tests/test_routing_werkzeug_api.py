"""The parts of Werkzeug's routing API that Flask apps use on ``app.url_map``."""

from __future__ import annotations

from typing import Any

import pytest

from microwsgi import App, request, url_for
from microwsgi.routing import (
    BaseConverter,
    EndpointPrefix,
    Map,
    Router,
    Rule,
    Subdomain,
    Submount,
)


def test_rule_objects_and_an_endpoint_decorator_make_a_route(app, client):
    app.url_map.add(Rule("/about", endpoint="about"))

    @app.endpoint("about")
    def about() -> str:
        return f"endpoint {request.endpoint}"

    assert client.get("/about").get_data(as_text=True) == "endpoint about"


def test_submount_prefixes_each_rule_and_leaves_the_originals_alone(app, client):
    rules = [Rule("/bar", endpoint="bar"), Rule("/", endpoint="index")]
    app.url_map.add(Submount("/foo", rules))
    app.view_functions.update(bar=lambda: "bar", index=lambda: "index")
    assert client.get("/foo/").get_data(as_text=True) == "index"
    assert client.get("/foo/bar").get_data(as_text=True) == "bar"
    assert [rule.rule for rule in rules] == ["/bar", "/"]
    assert rules[0].map is None


def test_factories_nest():
    router = Router()
    router.add(Submount("/api", [EndpointPrefix("admin_", [Rule("/stats", endpoint="stats")])]))
    rule, _ = router.match("/api/stats", "GET")
    assert (rule.rule, rule.endpoint) == ("/api/stats", "admin_stats")


def test_subdomain_factory_sets_the_rules_subdomain():
    router = Router(rules=[Subdomain("api", [Rule("/", endpoint="api_index")])])
    assert router.match("/", "GET", "api")[0].endpoint == "api_index"
    assert router.rules[0].subdomain == "api"


def test_map_is_werkzeugs_name_for_the_router():
    assert Map is Router


def test_iter_rules_in_registration_order_and_by_endpoint():
    app = App(__name__, static_folder=None)
    app.add_url_rule("/b", "b")
    app.add_url_rule("/a", "a")
    app.add_url_rule("/a/<int:n>", "a")
    assert [rule.rule for rule in app.url_map.iter_rules()] == ["/b", "/a", "/a/<int:n>"]
    assert [rule.rule for rule in app.url_map.iter_rules("a")] == ["/a", "/a/<int:n>"]
    with pytest.raises(KeyError):
        app.url_map.iter_rules("missing")


def test_rule_attributes_a_sitemap_reads():
    app = App(__name__, static_folder=None)
    app.add_url_rule("/<category>", "category", defaults={"page": 1})
    app.add_url_rule("/about", "about")
    rule = next(app.url_map.iter_rules("category"))
    # As in Werkzeug, arguments holds the variables and the defaults, so the
    # usual "rules without empty parameters" test stays correct.
    assert rule.arguments == {"category", "page"}
    assert rule.defaults == {"page": 1}
    assert rule.methods == {"GET", "HEAD", "OPTIONS"}
    without_parameters = [
        r.endpoint for r in app.url_map.iter_rules() if len(r.defaults) >= len(r.arguments)
    ]
    assert without_parameters == ["about"]


def test_is_endpoint_expecting():
    router = Router()
    router.add("/<lang_code>/about", "about")
    router.add("/page/<int:page>", "page", defaults={"lang_code": "en"})
    router.add("/foo", "foo")
    assert router.is_endpoint_expecting("about", "lang_code")
    assert router.is_endpoint_expecting("page", "lang_code", "page")
    assert not router.is_endpoint_expecting("foo", "lang_code")
    with pytest.raises(KeyError):
        router.is_endpoint_expecting("missing", "lang_code")


def test_a_rule_belongs_to_one_router():
    rule = Rule("/x", endpoint="x")
    Router().add(rule)
    with pytest.raises(RuntimeError, match=r"rule\.empty\(\)"):
        Router().add(rule)
    copy = rule.empty()
    Router().add(copy)
    assert copy.rule == "/x"


def test_add_takes_a_rule_alone():
    with pytest.raises(TypeError, match="alone"):
        Router().add(Rule("/x", endpoint="x"), "other")  # type: ignore[call-overload]


def test_a_rule_made_alone_can_use_a_converter_registered_later():
    rule = Rule("/tag/<slug:tag>", endpoint="tag")

    class SlugConverter(BaseConverter):
        regex = "[a-z0-9-]+"

    router = Router()
    router.converters["slug"] = SlugConverter
    router.add(rule)
    assert router.match("/tag/a-b", "GET")[1] == {"tag": "a-b"}


def test_build_only_rules_are_built_but_never_matched(app, client):
    app.add_url_rule("/docs/<page>", "docs", build_only=True)
    with app.test_request_context():
        assert url_for("docs", page="intro") == "/docs/intro"
    assert client.get("/docs/intro").status_code == 404


class RegexConverter(BaseConverter):
    """The converter Flask apps copy from the docs: the router comes first, as in Werkzeug."""

    def __init__(self, url_map: Any, *items: str) -> None:
        super().__init__(url_map)
        self.regex = items[0]


def test_a_werkzeug_style_converter_gets_the_router_then_the_rule_arguments(app, client):
    app.url_map.converters["regex"] = RegexConverter

    @app.route('/<regex("[a-c0-9]{4,6}"):uid>-<slug>/')
    def item(uid: str, slug: str) -> str:
        return f"{uid} {slug}"

    assert client.get("/ab12-hello/").get_data(as_text=True) == "ab12 hello"
    assert client.get("/xyz1-hello/").status_code == 404
    rule = next(app.url_map.iter_rules("item"))
    assert rule.converters["uid"].map is app.url_map


def test_a_converter_whose_class_regex_spans_slashes_is_not_part_isolating():
    class Everything(BaseConverter):
        regex = ".*"

    class Letters(BaseConverter):
        regex = "[a-z]+"

    class Segments(BaseConverter):
        regex = "[a-z]+(?:/[a-z]+)*"

    assert Everything.part_isolating
    assert Letters.part_isolating
    assert not Segments.part_isolating
    router = Router()
    router.converters["segments"] = Segments
    router.add("/tree/<segments:names>", "tree")
    assert router.match("/tree/a/b/c", "GET")[1] == {"names": "a/b/c"}


def test_a_class_view_can_serve_several_rules(app, client):
    class View:
        def __init__(self, app: App) -> None:
            app.add_url_rule("/", "index", self.index)
            app.add_url_rule("/<test>/", "index", self.index)

        def index(self, test: str = "a") -> str:
            return test

    View(app)
    assert client.get("/").get_data(as_text=True) == "a"
    assert client.get("/b/").get_data(as_text=True) == "b"


def test_another_view_for_a_taken_endpoint_is_still_an_error(app):
    app.add_url_rule("/", "index", lambda: "one")
    with pytest.raises(AssertionError, match="already belongs"):
        app.add_url_rule("/two", "index", lambda: "two")


def test_url_rule_class_and_url_map_class_can_be_replaced():
    class TaggedRule(Rule):
        def __init__(self, *args: Any, tag: str = "", **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.tag = tag

    class MyApp(App):
        url_rule_class = TaggedRule

    app = MyApp(__name__, static_folder=None)
    app.add_url_rule("/", "index", tag="home")
    rule = next(app.url_map.iter_rules())
    assert isinstance(rule, TaggedRule)
    assert rule.tag == "home"


def test_url_for_takes_values_named_like_its_own_parameters(app):
    @app.route("/<self>")
    def index(self: str) -> str:
        return self

    with app.test_request_context():
        assert url_for("index", self="2") == "/2"
        assert app.url_for("index", self="3") == "/3"


def test_build_error_has_werkzeugs_attributes():
    from microwsgi.routing import BuildError

    router = Router()
    users = router.add("/users/<int:id>", "users")
    with pytest.raises(BuildError) as missing_value:
        router.build("users", {}, method="GET")
    error = missing_value.value
    assert (error.endpoint, error.values, error.method) == ("users", {}, "GET")
    assert error.suggested is users
    assert error.adapter is None
    with pytest.raises(BuildError) as misspelt:
        router.build("user", {"id": 1})
    assert misspelt.value.suggested is users
    assert misspelt.value.suggestions == ["users"]
    with pytest.raises(BuildError) as unknown:
        router.build("zzz", {})
    assert unknown.value.suggested is None


def test_request_redirect_has_werkzeugs_new_url():
    from microwsgi.routing import RequestRedirect

    router = Router()
    router.add("/docs/", "docs")
    with pytest.raises(RequestRedirect) as redirect:
        router.match("/docs", "GET")
    assert redirect.value.new_url == redirect.value.path == "/docs/"
    assert redirect.value.code == 308


# -- Werkzeug's own Rule and rule factories, from code written for Flask -------------


def test_werkzeugs_rule_and_factories_are_added_as_rules_here(app, client):
    from werkzeug import routing as wr

    app.url_map.add(
        wr.Submount(
            "/foo",
            [wr.Rule("/bar", endpoint="bar"), wr.Rule("/", endpoint="index", methods=["POST"])],
        )
    )
    app.url_map.add(
        wr.EndpointPrefix("blog/", [wr.Rule("/blog/<int:id>", endpoint="post", defaults={"x": 1})])
    )
    app.url_map.add(wr.Rule("/only-built/<name>", endpoint="built", build_only=True))
    app.view_functions["bar"] = lambda: "bar"
    app.view_functions["index"] = lambda: "index"
    app.view_functions["blog/post"] = lambda id, x: f"post {id} {x}"

    assert client.get("/foo/bar").text == "bar"
    assert client.post("/foo/").text == "index"
    response = client.get("/foo/")
    assert (response.status_code, response.headers["Allow"]) == (405, "OPTIONS, POST")
    assert client.get("/blog/3").text == "post 3 1"
    assert client.get("/only-built/x").status_code == 404
    with app.test_request_context():
        assert url_for("blog/post", id=4) == "/blog/4"
        assert url_for("built", name="x") == "/only-built/x"
    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    assert isinstance(rules["bar"], Rule) and rules["bar"].rule == "/foo/bar"


@pytest.mark.parametrize("options", [{"redirect_to": "/new"}, {"alias": True}, {"websocket": True}])
def test_werkzeug_rule_options_without_a_counterpart_are_refused(options: dict[str, Any]):
    from werkzeug import routing as wr

    router = Router()
    with pytest.raises(TypeError, match="has no counterpart here"):
        router.add(wr.Rule("/old", endpoint="old", **options))
    assert list(router.iter_rules()) == []
