"""``async def`` views, hooks, error handlers and the rest, run through asgiref.

Each coroutine runs to its end in an event loop of its own (asgiref's
``async_to_sync``, the ``async`` extra), with the request's context visible.
"""

from __future__ import annotations

import asyncio
import builtins
import warnings
from typing import Any

import pytest

from microwsgi import (
    App,
    Blueprint,
    MethodView,
    View,
    abort,
    copy_current_request_context,
    g,
    render_template_string,
    request,
    session,
)

pytest.importorskip("asgiref")


class Teapot(Exception):
    pass


def test_an_async_view_answers_with_what_it_returned(app, client) -> None:
    @app.route("/<name>", methods=["GET", "POST"])
    async def hello(name):
        await asyncio.sleep(0)
        return f"{request.method} {name}", 201, {"X-Async": "yes"}

    response = client.post("/ada")
    assert (response.status_code, response.text) == (201, "POST ada")
    assert response.headers["X-Async"] == "yes"


def test_an_async_view_sees_the_session_and_g_of_its_request(app, client) -> None:
    @app.before_request
    def remember():
        g.who = "Ada"

    @app.route("/set")
    async def set_value():
        session["n"] = request.args["n"]
        return g.who

    app.route("/get")(lambda: session["n"])

    assert client.get("/set?n=5").text == "Ada"
    assert client.get("/get").text == "5"


def test_an_exception_in_an_async_view_reaches_its_error_handler(app, client) -> None:
    @app.route("/")
    async def index():
        raise Teapot

    @app.errorhandler(Teapot)
    async def handle(error):
        await asyncio.sleep(0)
        return "short and stout", 418

    response = client.get("/")
    assert (response.status_code, response.text) == (418, "short and stout")


def test_an_http_error_raised_by_an_async_view(app, client) -> None:
    @app.route("/")
    async def index():
        abort(403)

    assert client.get("/").status_code == 403


def test_an_async_before_first_request_hook(app, client) -> None:
    ran: list[str] = []

    @app.before_first_request
    async def warm_up():
        ran.append(request.path)

    app.route("/")(lambda: "ok")
    client.get("/")
    client.get("/")
    assert ran == ["/"]


def test_an_async_handler_for_a_status_keeps_the_status(app, client) -> None:
    @app.errorhandler(404)
    async def not_found(error):
        return "nothing here"

    response = client.get("/missing")
    assert (response.status_code, response.text) == (404, "nothing here")


def test_async_before_request_may_answer_or_let_the_view_run(app, client) -> None:
    @app.before_request
    async def gate():
        if request.args.get("stop"):
            return "stopped", 403
        return None

    app.route("/")(lambda: "view")
    assert client.get("/").text == "view"
    response = client.get("/?stop=1")
    assert (response.status_code, response.text) == (403, "stopped")


def test_async_after_request_and_teardown_run(app, client) -> None:
    torn_down: list[Any] = []

    @app.after_request
    async def tag(response):
        response.headers["X-Tag"] = "async"
        return response

    @app.teardown_request
    async def teardown(exc):
        torn_down.append(exc)

    @app.teardown_appcontext
    async def teardown_app(exc):
        torn_down.append("app")

    app.route("/")(lambda: "ok")
    assert client.get("/").headers["X-Tag"] == "async"
    assert torn_down == [None, "app"]


def test_async_blueprint_view_hooks_and_handler(app, client) -> None:
    bp = Blueprint("bp", __name__)
    calls: list[str] = []

    @bp.before_request
    async def before():
        calls.append("before")

    @bp.after_request
    async def after(response):
        calls.append("after")
        return response

    @bp.route("/")
    async def index():
        return "bp"

    @bp.route("/error")
    async def error():
        raise Teapot

    @bp.errorhandler(Teapot)
    async def handle(error):
        return "", 412

    app.register_blueprint(bp, url_prefix="/bp")
    assert client.get("/bp/").text == "bp"
    assert calls == ["before", "after"]
    assert client.get("/bp/error").status_code == 412


def test_async_class_views(app, client) -> None:
    class Hello(View):
        methods = ["GET", "POST"]

        async def dispatch_request(self):
            return request.method

    class Items(MethodView):
        async def get(self):
            return "list"

        async def post(self):
            return "created", 201

    app.add_url_rule("/hello", view_func=Hello.as_view("hello"))
    app.add_url_rule("/items", view_func=Items.as_view("items"))
    assert client.post("/hello").text == "POST"
    assert client.get("/items").text == "list"
    assert client.post("/items").status_code == 201


def test_an_async_context_processor(app) -> None:
    @app.context_processor
    async def user():
        return {"user": "Ada"}

    with app.test_request_context("/"):
        assert render_template_string("{{ user }}") == "Ada"


def test_a_decorated_async_view_still_runs(app, client) -> None:
    # A plain decorator around an async view returns the coroutine; it is still run.
    def plain(view):
        def wrapper(**kwargs):
            return view(**kwargs)

        wrapper.__name__ = view.__name__
        return wrapper

    @app.route("/")
    @plain
    async def index():
        return "wrapped"

    assert client.get("/").text == "wrapped"


def test_copy_current_request_context_runs_an_async_function(app, client) -> None:
    @app.route("/")
    def index():
        @copy_current_request_context
        async def later():
            return request.path

        return later()

    assert client.get("/").text == "/"


def test_ensure_sync_leaves_plain_functions_alone(app) -> None:
    def plain():
        return 1

    async def coroutine_function():
        return 2

    assert app.ensure_sync(plain) is plain
    assert app.ensure_sync(coroutine_function)() == 2


def test_a_subclass_may_run_coroutines_its_own_way(client) -> None:
    ran: list[str] = []

    class MyApp(App):
        def async_to_sync(self, func):
            def run(*args, **kwargs):
                ran.append(func.__name__)
                return asyncio.run(func(*args, **kwargs))

            return run

    app = MyApp(__name__)

    @app.route("/")
    async def index():
        return "mine"

    assert app.test_client().get("/").text == "mine"
    assert ran  # the view's coroutine went through the override


def test_without_asgiref_an_async_view_says_to_install_the_extra(app, monkeypatch) -> None:
    real_import = builtins.__import__

    def no_asgiref(name, *args, **kwargs):
        if name.startswith("asgiref"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_asgiref)

    @app.route("/")
    async def index():
        return "never"

    app.testing = True
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "coroutine was never awaited"
        with pytest.raises(RuntimeError, match=r"pip install 'microwsgi\[async\]'"):
            app.test_client().get("/")


def test_ensure_sync_recognises_methods_partials_and_callable_objects(app) -> None:
    import functools

    class Handler:
        async def method(self, value):
            return value * 2

        async def __call__(self, value):
            return value * 3

    async def times(factor, value):
        return value * factor

    assert app.ensure_sync(Handler().method)(5) == 10
    assert app.ensure_sync(functools.partial(times, 4))(5) == 20
    # An object whose __call__ is async is not a coroutine function to inspect either,
    # so it is returned as is (as in Flask); as a view its coroutine is still run.
    handler = Handler()
    assert app.ensure_sync(handler) is handler


def test_error_handlers_do_not_import_inspect() -> None:
    import subprocess
    import sys

    # Called as a server would (the test client imports Click, which imports inspect).
    code = (
        "import sys\n"
        "from wsgiref.util import setup_testing_defaults\n"
        "from microwsgi import App\n"
        "app = App('x')\n"
        "app.errorhandler(404)(lambda e: 'gone')\n"
        "app.teardown_request(lambda exc: None)\n"
        "environ = {'PATH_INFO': '/nowhere'}\n"
        "setup_testing_defaults(environ)\n"
        "assert b''.join(app(environ, lambda status, headers: None)) == b'gone'\n"
        "print('inspect' in sys.modules)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert output.strip() == "False"
