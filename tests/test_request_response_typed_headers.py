"""The typed headers and helpers of Werkzeug's Request and Response, which Flask apps use.

``request.authorization``, ``request.accept_languages``, ``response.set_etag``,
``response.last_modified = ...`` and their kin: each is read here and checked
against what Werkzeug's own objects give for the same request or response.
Before they existed here, reading one was an ``AttributeError`` and, worse,
assigning one (``response.last_modified = now``) silently set nothing.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.datastructures import ContentSecurityPolicy, WWWAuthenticate
from werkzeug.test import EnvironBuilder as WerkzeugEnvironBuilder
from werkzeug.wrappers import Request as WerkzeugRequest
from werkzeug.wrappers import Response as WerkzeugResponse

from microwsgi import Blueprint, Request, Response, request
from microwsgi.testing import build_environ

HEADERS = {
    "Authorization": "Basic dXNlcjpwYXNz",  # user:pass
    "Accept-Language": "fr;q=0.5, en-GB, en;q=0.8",
    "Accept-Charset": "utf-8, iso-8859-1;q=0.5",
    "Accept-Encoding": "gzip, br;q=0.9",
    "Cache-Control": "no-cache, max-age=0",
    "If-Match": '"a", W/"b"',
    "If-None-Match": '"v1"',
    "If-Modified-Since": "Sun, 06 Nov 1994 08:49:37 GMT",
    "If-Unmodified-Since": "Mon, 07 Nov 1994 08:49:37 GMT",
    "If-Range": '"v1"',
    "Range": "bytes=0-99",
    "Date": "Tue, 08 Nov 1994 08:49:37 GMT",
    "Origin": "https://app.example",
    "Max-Forwards": "3",
    "Pragma": "no-cache",
    "Content-Encoding": "gzip",
    "X-Forwarded-For": "203.0.113.7, 10.0.0.2",
    "Access-Control-Request-Method": "PUT",
    "Access-Control-Request-Headers": "X-Token, Content-Type",
}


@pytest.fixture
def both():
    """The same request, as ours and as Werkzeug's."""
    environ = WerkzeugEnvironBuilder(
        path="/p", headers=HEADERS, environ_base={"REMOTE_ADDR": "10.0.0.1"}
    ).get_environ()
    return Request(dict(environ)), WerkzeugRequest(dict(environ))


@pytest.mark.parametrize(
    "name",
    [
        "accept_languages",
        "accept_charsets",
        "accept_encodings",
        "authorization",
        "cache_control",
        "if_match",
        "if_none_match",
        "if_modified_since",
        "if_unmodified_since",
        "if_range",
        "range",
        "date",
        "origin",
        "max_forwards",
        "pragma",
        "content_encoding",
        "access_route",
        "access_control_request_method",
        "access_control_request_headers",
        "remote_user",
        "root_url",
        "root_path",
        "is_multithread",
        "is_multiprocess",
        "is_run_once",
        "want_form_data_parsed",
    ],
)
def test_request_typed_header_reads_as_werkzeugs(both, name):
    ours, theirs = getattr(both[0], name), getattr(both[1], name)
    if type(theirs).__name__ == "ImmutableList":  # Werkzeug's list for access_route
        theirs = list(theirs)
    assert str(ours) == str(theirs)


def test_request_typed_headers_give_the_values_apps_use(both):
    ours, _ = both
    assert (ours.authorization.type, ours.authorization.username) == ("basic", "user")
    assert ours.authorization.password == "pass"
    assert ours.accept_languages.best_match(["fr", "en-GB"]) == "en-GB"
    assert "gzip" in ours.accept_encodings
    assert ours.cache_control.no_cache
    assert ours.if_none_match.contains("v1")
    assert ours.if_modified_since == datetime(1994, 11, 6, 8, 49, 37, tzinfo=UTC)
    assert (ours.range.units, ours.range.ranges) == ("bytes", [(0, 100)])
    assert ours.access_route == ["203.0.113.7", "10.0.0.2"]
    assert "no-cache" in ours.pragma
    assert ours.max_forwards == 3


def test_bearer_token_and_missing_headers():
    ours = Request(build_environ(None, "/", headers={"Authorization": "Bearer abc.def"}))
    assert (ours.authorization.type, ours.authorization.token) == ("bearer", "abc.def")
    bare = Request(build_environ(None, "/"))
    assert bare.authorization is None
    assert bare.range is None
    assert bare.if_modified_since is None
    assert bare.access_route == ["127.0.0.1"]
    assert bare.origin is None
    assert not bare.if_none_match


def test_request_blueprints_lists_the_nesting_innermost_first(app, client):
    parent = Blueprint("shop", __name__, url_prefix="/shop")
    child = Blueprint("admin", __name__, url_prefix="/admin")
    child.route("/")(lambda: request.blueprints)
    parent.register_blueprint(child)
    app.register_blueprint(parent)
    app.route("/")(lambda: request.blueprints)
    assert client.get("/shop/admin/").json == ["shop.admin", "shop"]
    assert client.get("/").json == []


def test_on_json_loading_failed_may_answer_for_a_broken_body(app, client):
    class ApiRequest(Request):
        def on_json_loading_failed(self, e):
            return {"broken": e is not None}

    app.request_class = ApiRequest
    app.route("/", methods=["POST"])(lambda: {"got": request.get_json()})
    bad = client.post("/", data="{", content_type="application/json")
    assert bad.json == {"got": {"broken": True}}
    not_json = client.post("/", data="x", content_type="text/plain")
    assert not_json.json == {"got": {"broken": False}}


def test_default_on_json_loading_failed_says_what_is_wrong(app, client):
    app.route("/", methods=["POST"])(lambda: {"got": request.get_json()})
    response = client.post("/", data='{"a": }', content_type="application/json")
    assert response.status_code == 400
    assert "not valid JSON" in response.text and "line 1 column 7" in response.text
    assert client.post("/", data="x", content_type="text/plain").status_code == 415


def test_uploaded_file_has_file_storages_content_length_and_file_methods(app, client):
    @app.route("/", methods=["POST"])
    def upload():
        f = request.files["f"]
        return [f.content_length, f.readline().decode(), f.seekable()]

    response = client.post("/", data={"f": (io.BytesIO(b"line one\nline two\n"), "a.txt")})
    assert response.json == [0, "line one\n", True]


# -- the response ------------------------------------------------------------------

MOMENT = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("date", MOMENT),
        ("expires", MOMENT),
        ("last_modified", MOMENT),
        ("content_encoding", "gzip"),
        ("content_location", "/doc/1"),
        ("content_md5", "Q2hlY2sgSW50ZWdyaXR5IQ=="),
        ("accept_ranges", "bytes"),
        ("access_control_allow_origin", "https://app.example"),
        ("access_control_allow_credentials", True),
        ("access_control_allow_headers", ["X-Token", "Content-Type"]),
        ("access_control_allow_methods", ["GET", "PUT"]),
        ("access_control_expose_headers", ["ETag"]),
        ("access_control_max_age", 600),
        ("age", 30),
        ("retry_after", MOMENT),
        ("www_authenticate", WWWAuthenticate("bearer", {"realm": "api"})),
    ],
)
def test_assigning_a_typed_response_header_writes_it_as_werkzeug(name, value):
    ours, theirs = Response("x"), WerkzeugResponse("x")
    setattr(ours, name, value)
    setattr(theirs, name, value)
    header = name.replace("_", "-")
    assert ours.headers.get(header) == theirs.headers.get(header)
    assert str(getattr(ours, name)) == str(getattr(theirs, name))
    setattr(ours, name, None)
    assert header not in ours.headers


def test_typed_response_headers_read_back_as_values():
    response = Response("x")
    response.last_modified = MOMENT
    assert response.last_modified == MOMENT
    assert response.headers["Last-Modified"] == "Tue, 02 Jan 2024 03:04:05 GMT"
    response.age = timedelta(minutes=2)
    assert response.age == timedelta(seconds=120)
    response.retry_after = 120
    assert response.headers["Retry-After"] == "120"
    assert response.retry_after > datetime.now(UTC)
    response.access_control_allow_methods.add("DELETE")
    assert response.headers["Access-Control-Allow-Methods"] == "DELETE"


def test_content_security_policy_is_changed_in_place():
    response = Response("x")
    response.content_security_policy.default_src = "'self'"
    response.content_security_policy.img_src = "*"
    assert response.headers["Content-Security-Policy"] == "default-src 'self'; img-src *"
    response.content_security_policy = ContentSecurityPolicy({"script-src": "'none'"})
    assert response.headers["Content-Security-Policy"] == "script-src 'none'"


def test_www_authenticate_is_changed_in_place():
    response = Response("x", 401)
    response.www_authenticate.realm = "shop"
    theirs = WerkzeugResponse("x", 401)
    theirs.www_authenticate.realm = "shop"
    assert response.headers["WWW-Authenticate"] == theirs.headers["WWW-Authenticate"]


def test_content_range_and_mimetype_params():
    response = Response("x")
    response.content_range.set(0, 10, 100)
    assert response.headers["Content-Range"] == "bytes 0-9/100"
    response.mimetype_params["charset"] = "latin-1"
    assert response.headers["Content-Type"] == "text/html; charset=latin-1"


def test_etags_as_werkzeug():
    ours, theirs = Response("body"), WerkzeugResponse("body")
    ours.set_etag("v1", weak=True)
    theirs.set_etag("v1", weak=True)
    assert ours.headers["ETag"] == theirs.headers["ETag"] == 'W/"v1"'
    assert ours.get_etag() == theirs.get_etag() == ("v1", True)
    fresh = Response("body")
    fresh.add_etag()
    tag, weak = fresh.get_etag()
    assert (len(tag), weak) == (40, False)
    fresh.add_etag()  # not overwritten
    assert fresh.get_etag() == (tag, False)
    assert Response("x").get_etag() == (None, None)
    with pytest.raises(ValueError):
        fresh.set_etag('bad"tag')


def test_set_etag_then_make_conditional_answers_304(app, client):
    @app.route("/")
    def index():
        response = Response("content")
        response.set_etag("v7")
        return response.make_conditional(request)

    assert client.get("/", headers={"If-None-Match": '"v7"'}).status_code == 304
    assert client.get("/", headers={"If-None-Match": '"v6"'}).status_code == 200


def test_freeze_and_the_body_as_a_sequence():
    response = Response(iter(["a", "bc"]))
    assert not response.is_sequence
    assert response.calculate_content_length() is None
    response.freeze()
    assert response.is_sequence
    assert response.headers["Content-Length"] == "3"
    assert list(response.iter_encoded()) == [b"abc"]
    assert response.calculate_content_length() == 3


def test_get_wsgi_response_leaves_the_body_out_for_head():
    response = Response("hello", headers={"X-A": "1"})
    body, status, headers = response.get_wsgi_response({"REQUEST_METHOD": "GET"})
    assert (b"".join(body), status, ("X-A", "1") in headers) == (b"hello", "200 OK", True)
    body, _, _ = response.get_wsgi_response({"REQUEST_METHOD": "HEAD"})
    assert list(body) == []


def test_force_type_turns_another_response_into_this_class():
    class AppResponse(Response):
        pass

    converted = AppResponse.force_type(Response("x", 201))
    assert type(converted) is AppResponse and converted.status_code == 201
    environ = build_environ(None, "/")
    from_werkzeug = AppResponse.force_type(WerkzeugResponse("w", 202), environ)
    assert (type(from_werkzeug), from_werkzeug.status_code) == (AppResponse, 202)
    assert from_werkzeug.data == b"w"
    with pytest.raises(TypeError):
        AppResponse.force_type(WerkzeugResponse("w"))
