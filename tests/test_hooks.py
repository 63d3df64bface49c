"""Request hooks: their order, short-circuits, and teardown after errors."""

from __future__ import annotations

import threading
import time

import pytest

from microwsgi import App, Response, after_this_request, g


def test_full_order_of_one_request(app, client):
    calls = []
    app.before_first_request(lambda: calls.append("first"))
    app.before_request(lambda: calls.append("before"))

    @app.after_request
    def after(response):
        calls.append("after")
        return response

    app.teardown_request(lambda exc: calls.append("teardown_request"))
    app.teardown_appcontext(lambda exc: calls.append("teardown_appcontext"))

    @app.route("/")
    def index():
        calls.append("view")
        return "ok"

    client.get("/")
    assert calls == ["first", "before", "view", "after", "teardown_request", "teardown_appcontext"]


def test_before_first_request_runs_only_once(app, client):
    calls = []
    app.before_first_request(lambda: calls.append(1))
    app.route("/")(lambda: "ok")
    for _ in range(3):
        client.get("/")
    assert calls == [1]


def test_before_first_request_runs_once_under_twenty_simultaneous_first_requests(app):
    calls = []
    lock = threading.Lock()

    @app.before_first_request
    def slow_setup():
        with lock:
            calls.append(threading.get_ident())
        time.sleep(0.05)  # widen the window in which a racing request could start it again

    seen_setup_done = []

    @app.route("/")
    def index():
        seen_setup_done.append(len(calls))
        return "ok"

    barrier = threading.Barrier(20, timeout=10)
    statuses = []

    def first_request():
        client = app.test_client()
        barrier.wait()
        statuses.append(client.get("/").status_code)

    threads = [threading.Thread(target=first_request) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert statuses == [200] * 20
    assert len(calls) == 1
    assert seen_setup_done == [1] * 20  # no view ran before set-up had finished


def test_before_first_request_that_fails_is_tried_again(app, client):
    attempts = []

    @app.before_first_request
    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("database not up yet")

    app.route("/")(lambda: "ok")
    assert client.get("/").status_code == 500
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200
    assert len(attempts) == 2


def test_before_request_return_value_short_circuits_the_view(app, client):
    view_calls = []
    app.before_request(lambda: ("stopped", 403))

    @app.route("/")
    def index():
        view_calls.append(1)
        return "view"

    response = client.get("/")
    assert (response.status_code, response.text) == (403, "stopped")
    assert view_calls == []


def test_before_request_hooks_stop_at_the_first_answer(app, client):
    calls = []
    app.before_request(lambda: calls.append("one"))
    app.before_request(lambda: "answer")
    app.before_request(lambda: calls.append("three"))
    app.route("/")(lambda: "view")
    assert client.get("/").text == "answer"
    assert calls == ["one"]


def test_after_request_hooks_still_run_after_a_short_circuit(app, client):
    app.before_request(lambda: "early")

    @app.after_request
    def mark(response):
        response.headers["X-After"] = "yes"
        return response

    app.route("/")(lambda: "view")
    assert client.get("/").headers["X-After"] == "yes"


def test_before_request_runs_for_a_404(app, client):
    calls = []
    app.before_request(lambda: calls.append("before"))
    assert client.get("/missing").status_code == 404
    assert calls == ["before"]


def test_after_request_runs_in_reverse_registration_order(app, client):
    calls = []
    for name in ("one", "two", "three"):

        def hook(response, name=name):
            calls.append(name)
            return response

        app.after_request(hook)
    app.route("/")(lambda: "ok")
    client.get("/")
    assert calls == ["three", "two", "one"]


def test_after_request_can_replace_the_response(app, client):
    app.after_request(lambda response: Response("replaced", 201))
    app.route("/")(lambda: "original")
    response = client.get("/")
    assert (response.status_code, response.text) == (201, "replaced")


def test_after_this_request_runs_before_after_request_hooks(app, client):
    calls = []

    @app.after_request
    def app_hook(response):
        calls.append("after_request")
        return response

    @app.route("/")
    def index():
        @after_this_request
        def add_header(response):
            calls.append("after_this_request")
            response.headers["X-Foo"] = "bar"
            return response

        return "ok"

    assert client.get("/").headers["X-Foo"] == "bar"
    assert calls == ["after_this_request", "after_request"]


def test_after_this_request_is_for_this_request_only(app, client):
    @app.route("/set")
    def set_header():
        after_this_request(lambda r: (r.headers.add("X-Once", "1"), r)[1])
        return "ok"

    app.route("/other")(lambda: "ok")
    assert "X-Once" in client.get("/set").headers
    assert "X-Once" not in client.get("/other").headers


def test_teardown_receives_the_exception_the_view_raised(app, client):
    seen = []
    app.teardown_request(lambda exc: seen.append(("request", exc)))
    app.teardown_appcontext(lambda exc: seen.append(("app", exc)))
    boom = ValueError("boom")

    @app.route("/")
    def index():
        raise boom

    assert client.get("/").status_code == 500
    assert seen == [("request", boom), ("app", boom)]


def test_teardown_runs_with_none_after_success(app, client):
    seen = []
    app.teardown_request(seen.append)
    app.route("/")(lambda: "ok")
    client.get("/")
    assert seen == [None]


def test_teardown_runs_when_a_before_request_hook_raises(app, client):
    seen = []

    @app.before_request
    def broken():
        raise RuntimeError("hook failed")

    app.teardown_request(seen.append)
    app.route("/")(lambda: "ok")
    assert client.get("/").status_code == 500
    assert isinstance(seen[0], RuntimeError)


def test_teardown_runs_when_an_after_request_hook_raises(app, client):
    seen = []

    @app.after_request
    def broken(response):
        raise RuntimeError("after failed")

    app.teardown_request(seen.append)
    app.route("/")(lambda: "ok")
    assert client.get("/").status_code == 500
    assert isinstance(seen[0], RuntimeError)


def test_teardown_runs_when_the_exception_propagates_in_testing(app, client):
    seen = []
    app.testing = True
    app.teardown_request(seen.append)

    @app.route("/")
    def index():
        raise KeyError("x")

    with pytest.raises(KeyError):
        client.get("/")
    assert isinstance(seen[0], KeyError)


def test_teardown_runs_in_reverse_registration_order(app, client):
    calls = []
    app.teardown_request(lambda exc: calls.append(1))
    app.teardown_request(lambda exc: calls.append(2))
    app.route("/")(lambda: "ok")
    client.get("/")
    assert calls == [2, 1]


def test_handled_http_error_is_not_passed_to_teardown(app, client):
    seen = []
    app.teardown_request(seen.append)
    assert client.get("/missing").status_code == 404
    assert seen == [None]


def test_g_lives_for_one_request(app, client):
    @app.before_request
    def load_user():
        g.user = "kim"

    @app.route("/")
    def index():
        return g.user

    @app.route("/check")
    def check():
        return str("user" in g)

    assert client.get("/").text == "kim"
    app.before_request_funcs[None].clear()
    assert client.get("/check").text == "False"


def test_registering_after_the_first_request_is_an_error(app, client):
    app.route("/")(lambda: "ok")
    client.get("/")
    with pytest.raises(AssertionError, match="setup method 'add_url_rule' can no longer"):
        app.route("/late")(lambda: "late")


def test_hooks_work_with_a_fresh_app_per_test():
    app = App(__name__)
    calls = []
    app.before_request(lambda: calls.append(1))
    app.route("/")(lambda: "ok")
    app.test_client().get("/")
    assert calls == [1]
