"""The test client: the requests it builds and the browser-like things it does."""

from __future__ import annotations

import io

import pytest

from microwsgi import Response, redirect, request, session
from microwsgi.testing import build_environ


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
    with pytest.raises(AssertionError, match="redirects"):
        client.get("/loop", follow_redirects=True)


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
