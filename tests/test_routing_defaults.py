"""Rules with defaults: the short URL is built, and a request for the long one is redirected."""

from __future__ import annotations

import pytest
from werkzeug.test import Client as WerkzeugClient

from microwsgi import App, url_for
from microwsgi.routing import RequestRedirect, Router


@pytest.fixture
def category_app() -> App:
    """The issue's example: one endpoint, a short rule with a default and a long rule."""
    app = App(__name__)

    @app.route("/<category>", defaults={"page": 1})
    @app.route("/<category>/page/<int:page>")
    def category(category: str, page: int) -> str:
        return f"{category} page {page}"

    return app


def test_url_for_builds_the_short_url_for_the_default_value(category_app):
    with category_app.test_request_context():
        assert url_for("category", category="a", page=1) == "/a"
        assert url_for("category", category="a") == "/a"
        assert url_for("category", category="a", page=2) == "/a/page/2"


def test_the_long_url_for_the_default_value_redirects_to_the_short_one(category_app):
    response = category_app.test_client().get("/a/page/1")
    assert response.status_code == 308
    assert response.headers["Location"] == "/a"


def test_the_redirect_keeps_the_query_string_and_the_mount_point(category_app):
    response = category_app.test_client().get(
        "/a/page/1?sort=new", base_url="http://localhost/shop/"
    )
    assert response.status_code == 308
    assert response.headers["Location"] == "/shop/a?sort=new"


def test_both_urls_reach_the_view_with_their_values(category_app):
    client = category_app.test_client()
    assert client.get("/a").get_data(as_text=True) == "a page 1"
    assert client.get("/a/page/2").get_data(as_text=True) == "a page 2"
    followed = client.get("/a/page/1", follow_redirects=True)
    assert followed.get_data(as_text=True) == "a page 1"


def test_werkzeug_client_sees_the_same_redirect(category_app):
    response = WerkzeugClient(category_app).get("/a/page/1")
    assert response.status_code == 308
    assert response.headers["Location"] == "/a"


def test_order_of_registration_does_not_matter():
    router = Router()
    router.add("/<category>/page/<int:page>", "category")
    router.add("/<category>", "category", defaults={"page": 1})
    with pytest.raises(RequestRedirect) as redirect:
        router.match("/a/page/1", "GET")
    assert redirect.value.path == "/a"
    assert router.match("/a/page/3", "GET")[1] == {"category": "a", "page": 3}


def test_a_static_rule_with_defaults_is_the_target_too():
    router = Router()
    router.add("/", "index", defaults={"page": 1})
    router.add("/page/<int:page>", "index")
    with pytest.raises(RequestRedirect) as redirect:
        router.match("/page/1", "GET")
    assert redirect.value.path == "/"
    assert router.match("/", "GET")[1] == {"page": 1}


def test_no_redirect_to_a_rule_that_does_not_accept_the_method():
    router = Router()
    router.add("/<category>", "category", ["GET"], defaults={"page": 1})
    router.add("/<category>/page/<int:page>", "category", ["GET", "POST"])
    rule, values = router.match("/a/page/1", "POST")
    assert rule.rule == "/<category>/page/<int:page>"
    assert values == {"category": "a", "page": 1}


def test_no_redirect_between_endpoints_or_different_arguments():
    router = Router()
    router.add("/<category>", "short", defaults={"page": 1})
    router.add("/<category>/page/<int:page>", "long")
    router.add("/tag/<tag>", "tag", defaults={"page": 1, "sort": "new"})
    router.add("/tag/<tag>/page/<int:page>", "tag")
    assert router.match("/a/page/1", "GET")[0].endpoint == "long"
    assert router.match("/tag/x/page/1", "GET")[1] == {"tag": "x", "page": 1}


def test_a_static_path_that_may_redirect_is_left_to_the_tree_walk():
    router = Router()
    router.add("/feed", "feed", defaults={"format": "html"})
    router.add("/feed.html", "feed", defaults={"format": "html"})
    # Both spell format=html; the second is redirected to the first, which builds first.
    with pytest.raises(RequestRedirect) as redirect:
        router.match("/feed.html", "GET")
    assert redirect.value.path == "/feed"
    assert router.match("/feed", "GET")[1] == {"format": "html"}
