"""The test client: the requests it builds and the browser-like things it does."""

from __future__ import annotations

import importlib.metadata
import io
import time
from datetime import UTC, datetime

import pytest

from microwsgi import Request, Response, redirect, request, session, url_for
from microwsgi.testing import ClientRedirectError, EnvironBuilder, TestClient, build_environ


def echo_view():
    return {
        "method": request.method,
        "path": request.path,
        "args": request.args.to_dict(flat=False),
        "form": request.form.to_dict(flat=False),
        "files": {name: f.filename for name, f in request.files.items()},
        "content_type": request.content_type,
        "script_root": request.script_root,
    }


@pytest.fixture
def echo(app):
    app.add_url_rule("/echo", "echo", echo_view, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    return app


def test_a_request_is_a_plain_dict():
    environ = build_environ(None, "/a%20b?x=1", method="post", data={"k": "v"})
    assert environ["REQUEST_METHOD"] == "POST"
    assert environ["PATH_INFO"] == "/a b"
    assert environ["QUERY_STRING"] == "x=1"
    assert environ["CONTENT_TYPE"] == "application/x-www-form-urlencoded"
    assert environ["wsgi.input"].read() == b"k=v"
    assert environ["CONTENT_LENGTH"] == "3"


def test_non_ascii_path_becomes_latin1_text_of_utf8_bytes_as_servers_do():
    environ = build_environ(None, "/café")
    assert environ["PATH_INFO"] == "/café".encode().decode("latin-1")
    assert environ["REQUEST_URI"] == "/caf%C3%A9"


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_each_method_helper(echo, client, method):
    assert getattr(client, method)("/echo").get_json()["method"] == method.upper()


def test_query_string_argument_as_dict_with_list(echo, client):
    response = client.get("/echo", query_string={"q": "kim", "tag": ["a", "b"]})
    assert response.get_json()["args"] == {"q": ["kim"], "tag": ["a", "b"]}


def test_query_in_the_path(echo, client):
    assert client.get("/echo?name=%ED%82%B4").get_json()["args"] == {"name": ["킴"]}


def test_data_dict_is_a_form(echo, client):
    data = client.post("/echo", data={"a": "1", "b": ["2", "3"]}).get_json()
    assert data["form"] == {"a": ["1"], "b": ["2", "3"]}
    assert data["content_type"] == "application/x-www-form-urlencoded"


def test_file_tuples_make_a_multipart_body(echo, client):
    data = client.post(
        "/echo",
        data={
            "title": "memo",
            "photo": (io.BytesIO(b"\x89PNG..."), "cat.png"),
            "notes": (io.BytesIO(b"text"), "notes.txt", "text/plain"),
        },
    ).get_json()
    assert data["form"] == {"title": ["memo"]}
    assert data["files"] == {"photo": "cat.png", "notes": "notes.txt"}
    assert data["content_type"].startswith("multipart/form-data; boundary=")


def test_uploaded_file_content_arrives(app, client):
    @app.route("/upload", methods=["POST"])
    def upload():
        uploaded = request.files["doc"]
        return {"name": uploaded.filename, "type": uploaded.content_type,
                "body": uploaded.read().decode()}  # fmt: skip

    response = client.post("/upload", data={"doc": (io.BytesIO(b"hello"), "a.txt")})
    assert response.get_json() == {"name": "a.txt", "type": "text/plain", "body": "hello"}


def test_json_argument(app, client):
    app.route("/", methods=["POST"])(lambda: {"echo": request.json})
    assert client.post("/", json={"a": [1, 2]}).get_json() == {"echo": {"a": [1, 2]}}


def test_json_and_data_together_is_an_error(client):
    with pytest.raises(TypeError):
        client.post("/", json={}, data={})


def test_headers_argument(app, client):
    app.route("/")(lambda: request.headers["User-Agent"])
    assert client.get("/", headers={"User-Agent": "pytest"}).text == "pytest"


def test_base_url_sets_script_name(echo, client):
    data = client.get("/echo", base_url="http://example.com/prefix").get_json()
    assert data["script_root"] == "/prefix"


def test_follow_redirects_records_history(app, client):
    app.route("/old", endpoint="old")(lambda: redirect("/new"))
    app.route("/new")(lambda: "new page")
    response = client.get("/old", follow_redirects=True)
    assert response.text == "new page"
    assert [r.status_code for r in response.history] == [302]


def test_303_after_post_is_followed_with_get(app, client):
    app.route("/form", methods=["POST"], endpoint="form")(lambda: redirect("/done", 303))
    app.route("/done")(lambda: request.method)
    assert client.post("/form", data={"a": "1"}, follow_redirects=True).text == "GET"


def test_307_is_followed_with_the_same_method_and_body(app, client):
    app.route("/form", methods=["POST"], endpoint="form")(lambda: redirect("/again", 307))
    app.route("/again", methods=["POST"])(lambda: request.form["a"])
    assert client.post("/form", data={"a": "kept"}, follow_redirects=True).text == "kept"


def test_redirect_loop_is_stopped(app, client):
    app.route("/loop")(lambda: redirect("/loop"))
    with pytest.raises(ClientRedirectError, match="Loop detected"):
        client.get("/loop", follow_redirects=True)


def test_a_long_chain_of_different_redirects_is_stopped(app, client):
    app.route("/hop/<int:n>")(lambda n: redirect(f"/hop/{n + 1}"))
    with pytest.raises(ClientRedirectError, match="More than 20 redirects"):
        client.get("/hop/0", follow_redirects=True)


def test_cookies_round_trip(app, client):
    @app.route("/set")
    def set_cookie():
        response = Response("set")
        response.set_cookie("flavour", "oatmeal")
        return response

    app.route("/get")(lambda: request.cookies.get("flavour", "none"))
    assert client.get("/get").text == "none"
    client.get("/set")
    assert client.get("/get").text == "oatmeal"
    assert client.get_cookie("flavour").value == "oatmeal"


def test_deleted_cookie_is_no_longer_sent(app, client):
    @app.route("/delete")
    def delete():
        response = Response("deleted")
        response.delete_cookie("flavour")
        return response

    app.route("/get")(lambda: request.cookies.get("flavour", "none"))
    client.set_cookie("flavour", "oatmeal")
    assert client.get("/get").text == "oatmeal"
    client.get("/delete")
    assert client.get("/get").text == "none"


def test_cookie_path_limits_where_it_is_sent(app, client):
    @app.route("/admin/set")
    def set_cookie():
        response = Response("set")
        response.set_cookie("admin", "1", path="/admin")
        return response

    app.route("/admin/check")(lambda: request.cookies.get("admin", "none"))
    app.route("/check", endpoint="check")(lambda: request.cookies.get("admin", "none"))
    client.get("/admin/set")
    assert client.get("/admin/check").text == "1"
    assert client.get("/check").text == "none"


def test_client_without_cookies(app):
    @app.route("/set")
    def set_cookie():
        response = Response("set")
        response.set_cookie("a", "1")
        return response

    app.route("/get")(lambda: request.cookies.get("a", "none"))
    client = app.test_client(use_cookies=False)
    client.get("/set")
    assert client.get("/get").text == "none"


def test_session_round_trips_through_the_cookie_jar(app, client):
    @app.route("/login")
    def login():
        session["user"] = "kim"
        return "ok"

    app.route("/me")(lambda: session.get("user", "anonymous"))
    assert client.get("/me").text == "anonymous"
    client.get("/login")
    assert client.get("/me").text == "kim"


def test_with_block_can_inspect_session_after_request(app):
    @app.route("/login")
    def login():
        session["user"] = "kim"
        return "ok"

    with app.test_client() as client:
        client.get("/login")
        assert session["user"] == "kim"


def test_with_blocks_do_not_nest(app):
    client = app.test_client()
    with client, pytest.raises(RuntimeError, match="do not nest"):
        client.__enter__()


# -- EnvironBuilder ------------------------------------------------------------------


def test_builder_takes_scheme_host_and_path_from_a_full_url(app):
    builder = EnvironBuilder(app, "https://example.com:8443/a?b=1")
    assert (builder.url_scheme, builder.host, builder.script_root) == (
        "https",
        "example.com:8443",
        "",
    )
    environ = builder.get_environ()
    assert environ["PATH_INFO"] == "/a"
    assert environ["QUERY_STRING"] == "b=1"
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("example.com", "8443")


def test_builder_default_base_url_comes_from_the_config(app):
    app.config.update(
        SERVER_NAME="example.com:1234", APPLICATION_ROOT="/foo", PREFERRED_URL_SCHEME="https"
    )
    assert EnvironBuilder(app).base_url == "https://example.com:1234/foo/"
    assert EnvironBuilder(app, subdomain="api").host == "api.example.com:1234"
    assert EnvironBuilder(app, url_scheme="http").url_scheme == "http"
    with pytest.raises(TypeError, match="base_url or subdomain"):
        EnvironBuilder(app, base_url="http://x/", subdomain="api")


def test_builder_refuses_a_query_given_twice(app):
    with pytest.raises(ValueError, match="query string is given twice"):
        EnvironBuilder(app, "/?a=1", query_string={"b": "2"})


def test_builder_writes_json_with_the_apps_settings(app):
    app.json.ensure_ascii = False
    builder = EnvironBuilder(app, json="€")
    assert builder.get_environ()["wsgi.input"].read() == '"€"'.encode()
    assert builder.content_type == "application/json"


def test_builder_reads_a_file_like_data_argument(app):
    environ = EnvironBuilder(app, method="PUT", data=io.BytesIO(b"raw bytes")).get_environ()
    assert environ["wsgi.input"].read() == b"raw bytes"
    assert environ["CONTENT_LENGTH"] == "9"


def test_builder_sends_an_input_stream_from_where_it_stands(app):
    stream = io.BytesIO(b"skip:body")
    stream.seek(5)
    environ = EnvironBuilder(app, method="POST", input_stream=stream).get_environ()
    assert environ["CONTENT_LENGTH"] == "4"
    assert environ["wsgi.input"].read() == b"body"


def test_builder_basic_auth_and_repeated_headers(app):
    headers = [("Accept", "text/html"), ("Accept", "application/json")]
    environ = EnvironBuilder(app, headers=headers, auth=("kim", "pw")).get_environ()
    assert environ["HTTP_ACCEPT"] == "text/html, application/json"
    assert environ["HTTP_AUTHORIZATION"] == "Basic a2ltOnB3"


def test_builder_environ_base_is_under_and_overrides_over_its_own_values(app):
    environ = EnvironBuilder(
        app,
        headers={"User-Agent": "mine"},
        environ_base={"HTTP_USER_AGENT": "default", "REMOTE_ADDR": "10.0.0.1", "PATH_INFO": "/x"},
        environ_overrides={"REMOTE_ADDR": "10.0.0.2"},
    ).get_environ()
    assert environ["HTTP_USER_AGENT"] == "mine"
    assert environ["PATH_INFO"] == "/"  # the request line is the builder's
    assert environ["REMOTE_ADDR"] == "10.0.0.2"


def test_builder_from_environ_describes_the_same_request(app):
    environ = build_environ(
        app, "/a%2Fb/c?x=1", "http://example.com/shop/", method="POST", data={"k": "v"},
        environ_base={"myapp.tenant": "t1"},
    )  # fmt: skip
    again = EnvironBuilder.from_environ(environ).get_environ()
    for key in ("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "HTTP_HOST",
                "CONTENT_TYPE", "REMOTE_ADDR", "myapp.tenant", "REQUEST_URI"):  # fmt: skip
        assert again[key] == environ[key], key
    assert again["wsgi.input"].read() == b"k=v"


def test_builder_gives_a_request_of_the_apps_class(app):
    class MyRequest(Request):
        pass

    app.request_class = MyRequest
    request_object = EnvironBuilder(app, "/x?a=1").get_request()
    assert type(request_object) is MyRequest
    assert request_object.args["a"] == "1"


# -- the client: environ_base, open(), response.request ----------------------------------


def test_every_request_has_a_remote_address_and_flasks_user_agent(app, client):
    app.route("/")(lambda: {"ip": request.remote_addr, "agent": request.user_agent.string})
    werkzeug_version = importlib.metadata.version("werkzeug")
    assert client.get("/").json == {"ip": "127.0.0.1", "agent": f"Werkzeug/{werkzeug_version}"}
    client.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert client.get("/").json["ip"] == "192.0.2.7"


def test_open_sends_a_builder_an_environ_or_a_request(app, client):
    app.route("/where")(lambda: f"{request.remote_addr} {request.args['n']}")
    builder = EnvironBuilder(app, "/where?n=1")
    assert client.open(builder).text == "127.0.0.1 1"
    environ = builder.get_environ()  # no REMOTE_ADDR in it: the client's is used
    client.environ_base["REMOTE_ADDR"] = "192.0.2.8"
    assert client.open(environ).text == "192.0.2.8 1"
    assert client.open(Request(build_environ(app, "/where?n=3"))).text == "127.0.0.1 3"


def test_base_url_may_be_given_by_position_as_in_flask(app, client):
    app.route("/")(lambda: request.url)
    assert client.get("/", "http://example.com:8080/foo/").text == "http://example.com:8080/foo/"


def test_response_request_is_the_request_that_was_sent(app, client):
    app.route("/search", methods=["POST"])(lambda: "ok")
    response = client.post("/search?q=kim", data={"page": "2"})
    assert response.request.method == "POST"
    assert response.request.path == "/search"
    assert response.request.args["q"] == "kim"
    assert response.request.url == "http://localhost/search?q=kim"


def test_the_client_class_can_be_replaced(app):
    class MyClient(TestClient):
        pass

    app.test_client_class = MyClient
    assert type(app.test_client()) is MyClient
    assert app.test_client(allow_subdomain_redirects=True).allow_subdomain_redirects


def test_a_plain_wsgi_callable_can_be_tested_too():
    def application(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [environ["PATH_INFO"].encode()]

    response = TestClient(application).get("/hello")
    assert response.text == "/hello"
    assert response.request.path == "/hello"


# -- redirects ------------------------------------------------------------------------


@pytest.fixture
def mounted(app):
    @app.route("/edit/")
    def edit():
        return redirect(url_for("create"))

    @app.route("/create/", methods=["GET", "POST"])
    def create():
        return f"{request.script_root} {request.path}"

    return app


def test_a_redirect_keeps_the_mount_point(mounted, client):
    response = client.get("/edit/", base_url="http://localhost/not-root/", follow_redirects=True)
    assert response.history[0].location == "/not-root/create/"
    assert response.text == "/not-root /create/"
    assert response.request.environ["SCRIPT_NAME"] == "/not-root"
    assert response.request.url == "http://localhost/not-root/create/"


def test_a_redirect_out_of_the_mount_point_leaves_it(app, client):
    app.add_url_rule("/go", "go", lambda: redirect("/elsewhere"))
    app.add_url_rule("/elsewhere", "elsewhere", lambda: f"[{request.script_root}] {request.path}")
    response = client.get("/go", "http://localhost/app/", follow_redirects=True)
    assert response.text == "[] /elsewhere"
    assert response.request.url == "http://localhost/elsewhere"


def replay_app(app, status):
    """``/a`` redirects to ``/b`` redirects to ``/c`` with ``status``; ``/c`` echoes the body."""
    for source, target in (("/a", "/b"), ("/b", "/c")):
        app.add_url_rule(source, source, lambda t=target: redirect(t, status), methods=["POST"])

    @app.route("/c", methods=["POST", "PUT"])
    def echo():
        files = {name: [f.filename, f.read().hex()] for name, f in request.files.items()}
        return {
            "method": request.method,
            "form": request.form.to_dict(flat=False),
            "files": files,
            "raw": request.get_data().decode()
            if not request.mimetype.startswith(("multipart/", "application/x-www"))
            else None,
            "content_type": request.mimetype,
        }


@pytest.mark.parametrize("status", [307, 308])
def test_307_and_308_replay_form_and_files_on_every_hop(app, client, status):
    replay_app(app, status)
    response = client.post(
        "/a",
        data={"title": "memo", "tag": ["a", "b"], "photo": (io.BytesIO(b"\x89PNG"), "cat.png")},
        follow_redirects=True,
    )
    assert [r.status_code for r in response.history] == [status, status]
    assert response.json["method"] == "POST"
    assert response.json["form"] == {"title": ["memo"], "tag": ["a", "b"]}
    assert response.json["files"] == {"photo": ["cat.png", b"\x89PNG".hex()]}


@pytest.mark.parametrize("status", [307, 308])
def test_307_and_308_replay_raw_bytes_and_streams_on_every_hop(app, client, status):
    replay_app(app, status)
    for data in (b"raw \x00 bytes", io.BytesIO(b"from a stream")):
        response = client.post(
            "/a", data=data, content_type="application/octet-stream", follow_redirects=True
        )
        assert response.json["raw"] in ("raw \x00 bytes", "from a stream")
        assert response.json["content_type"] == "application/octet-stream"
    response = client.post("/a", json={"n": 1}, follow_redirects=True)
    assert response.json["raw"] == '{"n": 1}' or response.json["raw"] == '{"n":1}'


def test_303_drops_the_body_and_its_headers(app, client):
    app.route("/form", methods=["POST"], endpoint="form")(lambda: redirect("/done", 303))
    app.route("/done")(
        lambda: {
            "method": request.method,
            "type": request.content_type,
            "body": request.data.decode(),
        }
    )
    response = client.post("/form", data={"a": "1"}, follow_redirects=True)
    assert response.json == {"method": "GET", "type": None, "body": ""}


def test_head_stays_head_through_a_302(app, client):
    app.route("/old", endpoint="old")(lambda: redirect("/new"))
    app.route("/new")(lambda: "new page")
    response = client.head("/old", follow_redirects=True)
    assert response.request.method == "HEAD"
    assert response.status_code == 200


def test_cookies_set_by_a_redirect_are_sent_to_its_target(app, client):
    @app.route("/login", methods=["POST"])
    def login():
        session["user"] = "kim"
        return redirect("/me", 303)

    app.route("/me")(lambda: session.get("user", "nobody"))
    assert client.post("/login", follow_redirects=True).text == "kim"


def test_external_redirects_are_refused_and_subdomains_need_permission(app):
    app.add_url_rule("/away", "away", lambda: redirect("http://other.example/"))
    app.add_url_rule("/api", "api", lambda: redirect("http://api.localhost/"))
    client = app.test_client()
    with pytest.raises(RuntimeError, match="external redirects"):
        client.get("/away", follow_redirects=True)
    with pytest.raises(RuntimeError, match="subdomain redirects"):
        client.get("/api", follow_redirects=True)
    allowed = app.test_client(allow_subdomain_redirects=True)
    assert allowed.get("/api", follow_redirects=True).request.host == "api.localhost"


def test_history_is_a_tuple_oldest_first(app, client):
    app.route("/1", endpoint="one")(lambda: redirect("/2", 301))
    app.route("/2", endpoint="two")(lambda: redirect("/3", 302))
    app.route("/3", endpoint="three")(lambda: "end")
    response = client.get("/1", follow_redirects=True)
    assert response.history == tuple(response.history)
    assert [r.request.path for r in response.history] == ["/1", "/2"]
    assert [r.status_code for r in response.history] == [301, 302]


# -- the body: read at once, or streamed ---------------------------------------------------


def test_by_default_the_body_is_read_and_closed_before_get_returns(app, client):
    events = []

    @app.route("/stream")
    def stream():
        def pieces():
            try:
                yield "a"
                yield "b"
            finally:
                events.append("closed")

        return Response(pieces())

    response = client.get("/stream")
    assert events == ["closed"]
    assert response.data == b"ab"


def test_buffered_false_streams_the_body_until_closed(app, client):
    events = []

    @app.route("/events")
    def events_view():
        def forever():
            try:
                n = 0
                while True:
                    n += 1
                    yield f"event {n}\n"
            finally:
                events.append("closed")

        return Response(forever(), mimetype="text/event-stream")

    response = client.get("/events", buffered=False)
    chunks = iter(response.response)
    assert [next(chunks) for _ in range(3)] == [b"event 1\n", b"event 2\n", b"event 3\n"]
    assert events == []
    response.close()
    assert events == ["closed"]


# -- session_transaction -------------------------------------------------------------------


def test_session_transaction_writes_the_session_the_app_reads(app, client):
    app.route("/me")(lambda: session.get("user", "nobody"))
    with client.session_transaction() as sess:
        assert dict(sess) == {}
        sess["user"] = "kim"
    assert client.get("/me").text == "kim"
    with client.session_transaction() as sess:
        assert sess["user"] == "kim"


def test_session_transaction_under_a_mount_point(app, client):
    app.route("/me")(lambda: session.get("user", "nobody"))
    with client.session_transaction(base_url="http://localhost/shop/") as sess:
        sess["user"] = "kim"
    assert client.get("/me", base_url="http://localhost/shop/").text == "kim"
    assert client.get("/me").text == "nobody"  # the cookie's path is /shop


def test_session_transaction_needs_cookies_and_a_secret_key(app):
    no_cookies = app.test_client(use_cookies=False)
    with pytest.raises(TypeError, match="Cookies are disabled"), no_cookies.session_transaction():
        pass
    app.secret_key = None
    with pytest.raises(RuntimeError, match="SECRET_KEY"), app.test_client().session_transaction():
        pass


def test_session_transaction_keeps_tagged_types(app, client):
    from datetime import UTC, datetime

    moment = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    with client.session_transaction() as sess:
        sess["when"] = moment
        sess["pair"] = (1, 2)
    with client.session_transaction() as sess:
        assert sess["when"] == moment
        assert sess["pair"] == (1, 2)


# -- with client: ----------------------------------------------------------------------------


def test_with_block_keeps_only_the_last_requests_context(app):
    app.route("/<name>")(lambda name: name)
    with app.test_client() as client:
        client.get("/first")
        client.get("/second")
        assert request.path == "/second"
    assert not request


def test_with_block_keeps_the_context_of_a_failed_request(app):
    @app.route("/boom")
    def boom():
        from microwsgi import g

        g.step = "before the error"
        raise ZeroDivisionError

    with app.test_client() as client:
        assert client.get("/boom").status_code == 500
        from microwsgi import g

        assert g.step == "before the error"
    assert not request


def test_a_client_can_be_used_in_several_with_blocks(app):
    client = app.test_client()
    for _ in range(2):
        with client:
            assert client.get("/").status_code == 404
        assert not request


# -- cookies, as a browser keeps them ----------------------------------------------------------


def cookie_setter(app, **attributes):
    @app.route("/set/<name>/<value>")
    def set_cookie(name, value):
        response = Response("set")
        response.set_cookie(name, request.args.get("value", value), **attributes)
        return response

    def read(name):
        return request.cookies.get(name, "<none>")

    app.add_url_rule("/read/<name>", "read", read)
    app.add_url_rule("/sub/read/<name>", "sub_read", read)


def test_a_cookie_set_for_one_host_is_not_sent_to_another(app, client):
    cookie_setter(app)
    client.get("/set/who/a", base_url="http://a.example/")
    assert client.get("/read/who", base_url="http://a.example/").text == "a"
    assert client.get("/read/who", base_url="http://b.example/").text == "<none>"
    assert client.get("/read/who", base_url="http://www.a.example/").text == "<none>"


def test_a_domain_cookie_is_sent_to_the_names_under_it(app, client):
    cookie_setter(app, domain="example.com")
    client.get("/set/who/all", base_url="http://www.example.com/")
    assert client.get("/read/who", base_url="http://api.example.com/").text == "all"
    assert client.get("/read/who", base_url="http://example.com/").text == "all"
    assert client.get("/read/who", base_url="http://example.org/").text == "<none>"


def test_a_host_cannot_set_a_cookie_for_another_site(app, client):
    cookie_setter(app, domain="b.example")
    client.get("/set/evil/1", base_url="http://a.example/")
    assert client.get("/read/evil", base_url="http://b.example/").text == "<none>"
    assert client.get("/read/evil", base_url="http://a.example/").text == "<none>"


def test_a_cookie_without_path_covers_the_directory_that_set_it(app, client):
    cookie_setter(app, path=None)
    client.get("/set/dir/1")  # set from /set/dir/..., so its path is /set/dir
    assert client.get("/read/dir").text == "<none>"
    assert client.get_cookie("dir", path="/set/dir").value == "1"


def test_an_expired_cookie_is_not_sent(app, client):
    cookie_setter(app, expires=datetime(2000, 1, 1, tzinfo=UTC))
    client.set_cookie("old", "1")
    client.get("/set/old/x")  # the app's cookie in the past deletes the client's
    assert client.get("/read/old").text == "<none>"
    assert client.get_cookie("old") is None


def test_a_cookie_stops_being_sent_when_its_max_age_has_passed(app, client, monkeypatch):
    cookie_setter(app, max_age=60)
    client.get("/set/short/1")
    assert client.get("/read/short").text == "1"
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/read/short").text == "<none>"


def test_a_future_expiry_keeps_the_cookie(app, client):
    cookie_setter(app, expires=datetime(2999, 1, 1, tzinfo=UTC))
    client.get("/set/long/1")
    assert client.get("/read/long").text == "1"
    assert client.get_cookie("long").expires.year == 2999


@pytest.mark.parametrize(
    "value", ["has spaces; and semicolon", 'a "quoted" word', "back\\slash, comma", "킴 ☕", ""]
)
def test_values_round_trip_exactly_through_the_app_and_the_jar(app, client, value):
    cookie_setter(app)
    client.get("/set/v/x", query_string={"value": value})
    assert client.get("/read/v").text == (value or "")
    assert client.get_cookie("v").decoded_value == value
    client.set_cookie("w", value)
    assert client.get("/read/w").text == value


def test_werkzeugs_client_reads_the_same_cookie_values(app):
    from werkzeug.test import Client

    cookie_setter(app)
    value = "has spaces; and semicolon"
    client = Client(app)
    client.get("/set/v/x", query_string={"value": value})
    assert client.get("/read/v").text == value
    assert client.get_cookie("v").decoded_value == value


def test_client_set_cookie_takes_domain_path_and_attributes(app, client):
    cookie_setter(app)
    client.set_cookie("d", "1", domain="example.com", origin_only=False, path="/sub", secure=True)
    assert client.get("/sub/read/d", base_url="http://api.example.com/").text == "1"
    assert client.get("/read/d", base_url="http://api.example.com/").text == "<none>"
    cookie = client.get_cookie("d", domain="example.com", path="/sub")
    assert (cookie.secure, cookie.origin_only) == (True, False)
    client.delete_cookie("d", domain="example.com", path="/sub")
    assert client.get("/sub/read/d", base_url="http://api.example.com/").text == "<none>"


def test_a_cookie_header_given_by_the_test_is_sent_with_the_jars(app, client):
    app.route("/all")(lambda: request.cookies.to_dict())
    client.set_cookie("jar", "1")
    assert client.get("/all", headers={"Cookie": "given=2"}).json == {"given": "2", "jar": "1"}


def test_cookie_methods_without_a_jar_say_so(app):
    client = app.test_client(use_cookies=False)
    for call in (lambda: client.get_cookie("a"), lambda: client.set_cookie("a", "1")):
        with pytest.raises(TypeError, match="Cookies are disabled"):
            call()


def test_a_file_may_be_given_as_bytes_or_as_a_path(app, client, tmp_path):
    @app.route("/upload", methods=["POST"])
    def upload():
        return {name: [f.filename, f.read().decode()] for name, f in request.files.items()}

    path = tmp_path / "notes.txt"
    path.write_text("from disk")
    builder = EnvironBuilder(app, "/upload", method="POST", data={"a": (b"in memory", "a.txt")})
    builder.add_file("b", str(path))
    assert client.open(builder).json == {
        "a": ["a.txt", "in memory"],
        "b": [str(path), "from disk"],  # the name as given, as Werkzeug's builder sends it
    }


def test_files_given_as_objects_are_closed_after_the_request(app, client):
    app.route("/upload", methods=["POST"])(lambda: "ok")
    file = io.BytesIO(b"data")
    client.post("/upload", data={"f": (file, "f.bin")})
    assert file.closed


# -- what tests written for Flask pass to the client ---------------------------------


def test_werkzeug_multidicts_send_every_value(echo, client):
    from werkzeug.datastructures import MultiDict as WerkzeugMultiDict

    pairs = WerkzeugMultiDict([("a", "1"), ("a", "2"), ("b", "3")])
    assert client.get("/echo", query_string=pairs).json["args"] == {"a": ["1", "2"], "b": ["3"]}
    assert client.post("/echo", data=pairs).json["form"] == {"a": ["1", "2"], "b": ["3"]}


def test_werkzeug_file_storage_is_sent_as_a_file_with_its_name_and_type(app, client):
    from werkzeug.datastructures import FileStorage

    @app.route("/upload", methods=["POST"])
    def upload():
        f = request.files["doc"]
        return [f.filename, f.content_type, f.read().decode()]

    doc = FileStorage(io.BytesIO(b"hello"), filename="notes.md", content_type="text/markdown")
    assert client.post("/upload", data={"doc": doc}).json == ["notes.md", "text/markdown", "hello"]


def test_a_file_name_with_directories_is_sent_as_given(app, client):
    app.route("/upload", methods=["POST"])(lambda: request.files["f"].filename)
    data = {"f": (io.BytesIO(b"x"), "../../etc/passwd")}
    assert client.post("/upload", data=data).text == "../../etc/passwd"


def test_a_werkzeug_environ_builder_is_sent(echo, client):
    from werkzeug.test import EnvironBuilder as WerkzeugEnvironBuilder

    builder = WerkzeugEnvironBuilder(path="/echo", method="PUT", query_string={"q": "1"})
    response = client.open(builder)
    assert (response.json["method"], response.json["args"]) == ("PUT", {"q": ["1"]})


def test_responses_are_instances_of_the_apps_response_class(app):
    class AppResponse(Response):
        def shout(self):
            return self.get_data(as_text=True).upper()

    app.response_class = AppResponse
    app.route("/")(lambda: "hi")
    response = app.test_client().get("/")
    assert isinstance(response, AppResponse)
    assert response.shout() == "HI"
    assert response.request.path == "/"
