"""Application and request contexts, and the proxies over them."""

from __future__ import annotations

import threading
import time

import pytest

from microwsgi import (
    App,
    current_app,
    g,
    has_app_context,
    has_request_context,
    request,
    session,
)


def test_request_outside_a_context_says_how_to_fix_it():
    with pytest.raises(
        RuntimeError, match=r"(?s)outside of a request context.*test_request_context"
    ):
        request.method  # noqa: B018


def test_current_app_outside_a_context_says_how_to_fix_it():
    with pytest.raises(RuntimeError, match=r"(?s)outside of an application context.*app_context"):
        current_app.name  # noqa: B018


def test_g_outside_a_context_raises():
    with pytest.raises(RuntimeError, match="application context"):
        g.x = 1


def test_session_outside_a_request_raises():
    with pytest.raises(RuntimeError, match="request context"):
        session.get("x")


def test_proxies_are_false_outside_a_context():
    assert not request
    assert not current_app


def test_app_context_binds_current_app_and_g(app):
    assert not has_app_context()
    with app.app_context():
        assert has_app_context()
        assert current_app._get_current_object() is app
        g.db = "connection"
        assert g.db == "connection"
    assert not has_app_context()


def test_g_supports_get_pop_setdefault_and_in(app):
    with app.app_context():
        assert g.get("missing", "default") == "default"
        g.setdefault("items", []).append(1)
        assert g.items == [1]
        assert "items" in g
        assert g.pop("items") == [1]
        assert "items" not in g
        assert g.pop("items", None) is None
        with pytest.raises(KeyError):
            g.pop("items")
        g.a = 1
        assert list(g) == ["a"]


def test_missing_attribute_on_g_says_nothing_set_it(app):
    with app.app_context(), pytest.raises(AttributeError, match=r"nothing set g\.user"):
        g.user  # noqa: B018


def test_the_request_proxy_passes_type_checks_and_gives_the_real_object(app):
    from microwsgi import Request

    with app.test_request_context("/") as ctx:
        assert isinstance(request, Request)
        assert request._get_current_object() is ctx.request
        assert type(request._get_current_object()) is Request


def test_outside_a_context_introspecting_a_proxy_sees_the_proxy():
    from microwsgi import Request

    assert not isinstance(request, Request)
    assert not isinstance(request, type)
    assert not hasattr(request, "__wrapped__")  # what inspect.unwrap asks
    with pytest.raises(RuntimeError, match="request context"):
        request.path  # noqa: B018


def test_g_is_fresh_in_each_app_context(app):
    with app.app_context():
        g.value = 1
    with app.app_context():
        assert "value" not in g


def test_test_request_context_binds_request(app):
    with app.test_request_context("/search?q=kim", method="POST"):
        assert has_request_context()
        assert request.path == "/search"
        assert request.method == "POST"
        assert request.args["q"] == "kim"
        assert current_app._get_current_object() is app
    assert not has_request_context()
    assert not has_app_context()


def test_a_request_inside_an_app_context_has_its_own_g_and_restores_the_outer(app):
    # As in Flask 3.2: every request context is a whole context of its own.
    with app.app_context():
        g.outer = "yes"
        with app.test_request_context():
            assert "outer" not in g
            g.inner = "yes"
        assert g.outer == "yes"
        assert "inner" not in g


def test_a_request_inside_an_app_context_runs_teardown_appcontext_when_it_ends(app):
    seen = []
    app.teardown_appcontext(lambda exc: seen.append("app"))
    app.teardown_request(lambda exc: seen.append("request"))
    with app.app_context():
        with app.test_request_context():
            pass
        assert seen == ["request", "app"]
    assert seen == ["request", "app", "app"]


def test_request_and_session_need_a_request_context_not_just_an_app_context(app):
    with app.app_context():
        assert has_app_context()
        assert not has_request_context()
        with pytest.raises(RuntimeError, match="request context"):
            request.path  # noqa: B018
        with pytest.raises(RuntimeError, match="request context"):
            session.get("x")


def test_the_same_context_pushed_twice_tears_down_once_at_the_last_pop(app):
    seen = []
    app.teardown_request(seen.append)
    ctx = app.test_request_context("/")
    ctx.push()
    ctx.push()
    ctx.pop()
    assert seen == []
    assert request.path == "/"
    ctx.pop()
    assert seen == [None]
    assert not has_request_context()


def test_nested_request_contexts_restore_the_outer_one(app):
    with app.test_request_context("/outer"):
        with app.test_request_context("/inner"):
            assert request.path == "/inner"
        assert request.path == "/outer"


def test_contexts_of_two_apps_nest(app):
    other = App("other")
    with app.app_context():
        with other.app_context():
            assert current_app.name == "other"
        assert current_app._get_current_object() is app


def test_teardown_appcontext_runs_at_the_end_of_app_context(app):
    seen = []
    app.teardown_appcontext(seen.append)
    with app.app_context():
        pass
    assert seen == [None]


def test_teardown_appcontext_receives_an_exception_from_the_block(app):
    seen = []
    app.teardown_appcontext(seen.append)
    with pytest.raises(ValueError), app.app_context():
        raise ValueError("inside")
    assert isinstance(seen[0], ValueError)


def test_popping_contexts_out_of_order_is_refused(app):
    outer = app.app_context()
    inner = app.app_context()
    outer.push()
    inner.push()
    with pytest.raises(AssertionError, match="wrong context"):
        outer.pop()
    inner.pop()
    outer.pop()


def test_no_context_leaks_after_a_request(app, client):
    app.route("/")(lambda: "ok")
    client.get("/")
    assert not has_request_context()
    assert not has_app_context()


def test_no_context_leaks_after_an_error(app, client):
    app.route("/")(lambda: 1 / 0)
    client.get("/")
    assert not has_request_context()
    assert not has_app_context()


def test_fifty_concurrent_requests_each_see_their_own_request_and_g(app):
    @app.route("/")
    def index():
        g.number = request.args["n"]
        time.sleep(0.01)  # let the other threads run in between
        return f"{request.args['n']}:{g.number}"

    results: dict[int, str] = {}
    barrier = threading.Barrier(50, timeout=10)

    def call(n):
        client = app.test_client()
        barrier.wait()
        results[n] = client.get(f"/?n={n}").text

    threads = [threading.Thread(target=call, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert results == {n: f"{n}:{n}" for n in range(50)}


def test_test_client_with_block_keeps_the_last_request_context(app):
    @app.route("/")
    def index():
        g.seen = True
        return "ok"

    with app.test_client() as client:
        client.get("/?name=kim")
        assert request.args["name"] == "kim"
        assert g.seen
    assert not has_request_context()


def test_test_client_with_block_runs_teardown_when_it_ends(app):
    seen = []
    app.teardown_request(seen.append)
    app.route("/")(lambda: "ok")
    with app.test_client() as client:
        client.get("/")
        assert seen == []
        client.get("/")
        assert seen == [None]  # the first request's context was popped before the second
    assert seen == [None, None]


def test_flasks_context_variables_name_the_current_contexts():
    from microwsgi.globals import _cv_app, _cv_request

    app = App(__name__)
    assert _cv_app.get(None) is None
    with pytest.raises(LookupError):
        _cv_request.get()
    with app.app_context() as app_ctx:
        assert _cv_app.get() is app_ctx
        assert _cv_request.get(None) is None
        with app.test_request_context() as request_ctx:
            assert _cv_app.get() is request_ctx
            assert _cv_request.get() is request_ctx
        assert _cv_request.get("none") == "none"


def test_a_test_request_context_has_matched_its_url():
    from microwsgi import Blueprint

    app = App(__name__)
    shop = Blueprint("shop", __name__, url_prefix="/shop")
    shop.add_url_rule("/item/<int:id>", "item", lambda id: str(id))
    app.register_blueprint(shop)
    with app.test_request_context("/shop/item/7"):
        assert (request.endpoint, request.view_args, request.blueprint) == (
            "shop.item", {"id": 7}, "shop",
        )  # fmt: skip
    with app.test_request_context("/nowhere"):
        assert request.endpoint is None
        assert request.routing_exception.code == 404


def test_match_request_can_be_called_before_the_app_does(app):
    from microwsgi.globals import request_ctx
    from microwsgi.sessions import SecureCookieSessionInterface

    seen = []

    class EndpointAwareSessions(SecureCookieSessionInterface):
        def open_session(self, app, request):
            request_ctx.match_request()
            seen.append(request.endpoint)
            return super().open_session(app, request)

    app.session_interface = EndpointAwareSessions()
    app.route("/profile")(lambda: session.get("user", "nobody"))
    assert app.test_client().get("/profile").text == "nobody"
    assert seen == ["<lambda>"]


def test_a_proxy_outside_its_context_says_it_is_unbound() -> None:
    from microwsgi import g, request

    assert repr(g) == "<LocalProxy unbound>"
    assert repr(request) == "<LocalProxy unbound>"
    assert not g


def test_with_on_a_context_proxy_pushes_the_current_context_again(app, client) -> None:
    from microwsgi.globals import app_ctx, request_ctx

    calls: list[str] = []
    app.teardown_request(lambda exc: calls.append("request"))
    app.teardown_appcontext(lambda exc: calls.append("app"))

    @app.route("/")
    def index():
        with app_ctx, request_ctx:
            pass
        assert calls == []  # the inner pops are not the outermost: no teardown yet
        return ""

    assert client.get("/").status_code == 200
    assert calls == ["request", "app"]


def test_only_the_json_provider_refers_back_to_the_app() -> None:
    # A discarded app (one per test, in a test suite) must not be kept alive by
    # references from its own parts: the static route finds it through current_app,
    # and the one cycle left (app.json holds the app, for speed) is freed by gc.
    import gc
    import weakref

    from microwsgi import App

    gc.disable()
    try:
        app = App(__name__)
        app.route("/")(lambda: "hi")
        client = app.test_client()
        assert client.get("/").text == "hi"
        referrers = [ref for ref in gc.get_referrers(app) if ref is not vars()]
        assert [type(ref).__name__ for ref in referrers if ref is not client] == [
            "DefaultJSONProvider"
        ]
        freed = weakref.ref(app)
        del app, client, referrers
    finally:
        gc.enable()
    gc.collect()
    assert freed() is None
