"""Request: the lazy wrapping of a WSGI environ, built here as a plain dict."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from microwsgi.datastructures import EnvironHeaders, ImmutableMultiDict
from microwsgi.exceptions import (
    BadRequest,
    BadRequestKeyError,
    LengthRequired,
    RequestEntityTooLarge,
    UnsupportedMediaType,
)
from microwsgi.request import Request


def wsgi_text(text: str) -> str:
    """How a PEP 3333 server puts UTF-8 bytes into the environ: as Latin-1 text."""
    return text.encode("utf-8").decode("latin-1")


def make_environ(
    path: str = "/",
    query: str = "",
    method: str = "GET",
    body: bytes | None = None,
    content_type: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    environ: dict[str, Any] = {}
    setup_testing_defaults(environ)
    environ.update(REQUEST_METHOD=method, PATH_INFO=path, QUERY_STRING=query)
    if body is not None:
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    environ.update(extra)
    return environ


def make_request(path: str = "/", **kwargs: Any) -> Request:
    limits = {
        key: kwargs.pop(key)
        for key in ("max_content_length", "max_form_memory_size", "max_form_parts")
        if key in kwargs
    }
    return with_limits(Request(make_environ(path, **kwargs)), **limits)


def with_limits(request: Request, **limits: int | None) -> Request:
    """``request`` with limits overridden, as a ``before_request`` hook may do."""
    for name, value in limits.items():
        setattr(request, name, value)
    return request


class UntouchableInput:
    """A ``wsgi.input`` that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")

    readline = read


class StrictInput:
    """A ``wsgi.input`` holding ``data`` that fails if read past its end.

    On a real server, reading past the body blocks until the client sends more
    (it never does), so such a read is a hang; here it is a test failure.
    """

    def __init__(self, data: bytes) -> None:
        self._stream = io.BytesIO(data)
        self._left = len(data)

    def read(self, size: int = -1) -> bytes:
        if size < 0 or size > self._left:
            raise AssertionError(f"read({size}) past the end of the body would block")
        chunk = self._stream.read(size)
        self._left -= len(chunk)
        return chunk


class RecordingEnviron(dict):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reads: list[str] = []

    def get(self, key: str, default: Any = None) -> Any:
        self.reads.append(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self.reads.append(key)
        return super().__getitem__(key)


# -- laziness ----------------------------------------------------------------------


def test_building_a_request_reads_only_the_method_from_the_environ():
    environ = RecordingEnviron(make_environ())
    Request(environ)
    assert environ.reads == ["REQUEST_METHOD"]  # every request is routed by it


def test_reading_the_path_reads_only_path_info():
    environ = RecordingEnviron(make_environ("/hello"))
    request = Request(environ)
    environ.reads.clear()
    assert request.path == "/hello"
    assert request.path == "/hello"
    assert environ.reads == ["PATH_INFO"]  # once: the decoded path is kept


def test_url_parts_headers_and_args_never_read_the_body():
    environ = make_environ("/x", query="a=1", method="POST", content_type="text/plain")
    environ.update({"wsgi.input": UntouchableInput(), "CONTENT_LENGTH": "10"})
    request = Request(environ)
    assert (request.method, request.path, request.url, request.args["a"]) == (
        "POST",
        "/x",
        "http://127.0.0.1/x?a=1",
        "1",
    )
    assert request.headers["Content-Type"] == "text/plain"
    assert request.cookies == {}


def test_values_of_a_get_request_do_not_read_the_body():
    environ = make_environ(query="a=1", content_type="application/x-www-form-urlencoded")
    environ.update({"wsgi.input": UntouchableInput(), "CONTENT_LENGTH": "5"})
    assert Request(environ).values.to_dict() == {"a": "1"}


def test_form_of_a_non_form_body_does_not_read_the_body():
    environ = make_environ(method="POST", content_type="application/json")
    environ.update({"wsgi.input": UntouchableInput(), "CONTENT_LENGTH": "5"})
    request = Request(environ)
    assert len(request.form) == 0
    assert len(request.files) == 0


def test_parsed_values_are_cached():
    request = make_request(query="a=1")
    assert request.args is request.args
    assert request.headers is request.headers
    assert request.cookies is request.cookies


def test_bad_query_string_fails_only_when_args_are_read():
    request = make_request("/ok", query="a=%zz")
    assert request.path == "/ok"
    with pytest.raises(BadRequest):
        request.args  # noqa: B018


# -- method and path -------------------------------------------------------------------


def test_method_is_upper_case():
    assert make_request(method="post").method == "POST"


def test_path_is_decoded_from_utf8():
    assert make_request(wsgi_text("/user/josé")).path == "/user/josé"


def test_empty_path_info_is_slash():
    assert make_request("").path == "/"


def test_leading_slashes_in_path_are_collapsed():
    assert make_request("//evil.example/x").path == "/evil.example/x"


def test_path_that_is_not_utf8_is_a_400_with_a_clear_message():
    request = make_request("/caf\xe9")  # the byte 0xE9 alone: Latin-1, not UTF-8
    with pytest.raises(BadRequest) as caught:
        request.path  # noqa: B018
    assert caught.value.code == 400
    assert "not valid UTF-8" in caught.value.description


def test_path_already_decoded_by_a_test_harness_is_kept():
    assert make_request("/名前").path == "/名前"


def test_script_root_is_decoded_without_trailing_slash():
    request = make_request("/x", SCRIPT_NAME=wsgi_text("/préfix/"))
    assert request.script_root == "/préfix"


def test_script_name_that_is_not_utf8_is_a_400():
    with pytest.raises(BadRequest):
        make_request(SCRIPT_NAME="/\xff").script_root  # noqa: B018


def test_full_path_has_no_trailing_question_mark_without_query():
    assert make_request("/page").full_path == "/page"


def test_full_path_includes_the_raw_query():
    assert make_request("/page", query="a=1&b=%20").full_path == "/page?a=1&b=%20"


def test_query_string_is_bytes():
    assert make_request(query="a=1").query_string == b"a=1"


# -- URL parts -----------------------------------------------------------------------


def test_url_parts_under_a_mount_point():
    request = make_request(
        wsgi_text("/a b/é"),
        query="q=1",
        SCRIPT_NAME="/app",
        HTTP_HOST="example.com",
    )
    assert request.url == "http://example.com/app/a%20b/%C3%A9?q=1"
    assert request.base_url == "http://example.com/app/a%20b/%C3%A9"
    assert request.url_root == "http://example.com/app/"
    assert request.host_url == "http://example.com/"


def test_url_without_query_has_no_question_mark():
    assert make_request("/x", HTTP_HOST="h").url == "http://h/x"


def test_url_keeps_percent_escapes_of_the_query():
    assert make_request("/", query="a=%26", HTTP_HOST="h").url == "http://h/?a=%26"


def test_url_escapes_a_literal_percent_in_the_path():
    assert make_request("/100%", HTTP_HOST="h").url == "http://h/100%25"


def test_host_comes_from_the_host_header():
    assert make_request(HTTP_HOST="example.com:8080").host == "example.com:8080"


@pytest.mark.parametrize(
    ("scheme", "host", "expected"),
    [
        ("http", "example.com:80", "example.com"),
        ("https", "example.com:443", "example.com"),
        ("https", "example.com:80", "example.com:80"),
        ("http", "[::1]:80", "[::1]"),
        ("http", "[::1]", "[::1]"),
        ("http", "[::1]:8000", "[::1]:8000"),
    ],
)
def test_host_drops_only_the_default_port_of_the_scheme(scheme, host, expected):
    request = make_request(HTTP_HOST=host, **{"wsgi.url_scheme": scheme})
    assert request.host == expected


def test_host_falls_back_to_server_name_and_port():
    environ = make_environ(SERVER_NAME="internal", SERVER_PORT="8000")
    del environ["HTTP_HOST"]
    assert Request(environ).host == "internal:8000"


@pytest.mark.parametrize("host", ["evil.com/path", "a b", "<script>", "host:port"])
def test_invalid_host_is_a_400(host):
    with pytest.raises(BadRequest, match="Host"):
        make_request(HTTP_HOST=host).host  # noqa: B018


def test_scheme_and_is_secure():
    request = make_request(**{"wsgi.url_scheme": "https"})
    assert request.scheme == "https"
    assert request.is_secure
    assert not make_request().is_secure


def test_remote_addr():
    assert make_request(REMOTE_ADDR="10.0.0.7").remote_addr == "10.0.0.7"


# -- routing_path ----------------------------------------------------------------------


def test_routing_path_without_raw_uri_is_path():
    assert make_request(wsgi_text("/user/é")).routing_path == "/user/é"


def test_routing_path_keeps_an_encoded_slash_encoded():
    request = make_request("/user/a/b", REQUEST_URI="/user/a%2Fb")
    assert request.path == "/user/a/b"
    assert request.routing_path == "/user/a%2Fb"


def test_routing_path_normalises_lower_case_encoded_slash():
    assert make_request("/a/b", REQUEST_URI="/a%2fb").routing_path == "/a%2Fb"


def test_routing_path_keeps_an_encoded_percent_encoded():
    request = make_request("/100%2F", REQUEST_URI="/100%252F")
    assert request.routing_path == "/100%252F"


def test_routing_path_decodes_other_escapes_and_utf8():
    request = make_request(wsgi_text("/é/x y/a/b"), REQUEST_URI="/%C3%A9/x%20y/a%2Fb")
    assert request.routing_path == "/é/x y/a%2Fb"


def test_routing_path_strips_the_query_from_the_raw_uri():
    request = make_request("/a/b", query="x=%2F", REQUEST_URI="/a%2Fb?x=%2F")
    assert request.routing_path == "/a%2Fb"


def test_routing_path_removes_the_mount_point():
    request = make_request("/user/a/b", SCRIPT_NAME="/prefix", REQUEST_URI="/prefix/user/a%2Fb")
    assert request.routing_path == "/user/a%2Fb"


def test_routing_path_removes_an_encoded_mount_point():
    request = make_request(
        "/a/b", SCRIPT_NAME=wsgi_text("/préfix"), REQUEST_URI="/pr%C3%A9fix/a%2Fb"
    )
    assert request.routing_path == "/a%2Fb"


def test_routing_path_reads_gunicorn_raw_uri():
    assert make_request("/a/b", RAW_URI="/a%2Fb").routing_path == "/a%2Fb"


def test_routing_path_handles_absolute_form_targets():
    request = make_request("/a/b", REQUEST_URI="http://example.com/a%2Fb?q")
    assert request.routing_path == "/a%2Fb"


def test_routing_path_ignores_a_raw_uri_that_middleware_made_stale():
    # A middleware rewrote PATH_INFO; the raw target no longer describes it.
    request = make_request("/rewritten", REQUEST_URI="/orig%2Final")
    assert request.routing_path == "/rewritten"


def test_routing_path_collapses_leading_slashes_like_path():
    assert make_request("//a/b", REQUEST_URI="//a%2Fb").routing_path == "/a%2Fb"


def test_routing_path_with_malformed_escape_in_raw_uri_is_a_400():
    request = make_request("/a%zz/b", REQUEST_URI="/a%zz%2Fb")
    with pytest.raises(BadRequest, match="percent-escape"):
        request.routing_path  # noqa: B018


def test_routing_path_with_invalid_utf8_in_raw_uri_is_a_400():
    request = make_request("/\xff/a/b", REQUEST_URI="/%FF/a%2Fb")
    with pytest.raises(BadRequest, match="UTF-8"):
        request.routing_path  # noqa: B018


# -- args ------------------------------------------------------------------------------


def test_args_keep_every_value_and_blank_values():
    args = make_request(query="tag=a&tag=b&empty=&flag").args
    assert args.getlist("tag") == ["a", "b"]
    assert args["empty"] == ""
    assert args["flag"] == ""


def test_args_decode_plus_as_space_and_percent_2b_as_plus():
    args = make_request(query="q=a+b&p=1%2B1").args
    assert args["q"] == "a b"
    assert args["p"] == "1+1"


def test_args_decode_utf8_escapes():
    assert make_request(query="name=%ED%95%9C").args["name"] == "한"


def test_args_decode_raw_utf8_bytes():
    assert make_request(query=wsgi_text("name=é")).args["name"] == "é"


def test_args_skip_empty_pieces():
    assert list(make_request(query="a=1&&b=2&").args) == ["a", "b"]


def test_args_are_immutable():
    with pytest.raises(TypeError):
        make_request(query="a=1").args["a"] = "2"


def test_args_get_with_type_and_default():
    args = make_request(query="page=abc&n=5").args
    assert args.get("page", 1, type=int) == 1
    assert args.get("n", type=int) == 5


def test_missing_arg_is_a_400():
    with pytest.raises(BadRequestKeyError) as caught:
        make_request().args["q"]
    assert caught.value.code == 400


@pytest.mark.parametrize("query", ["a=%zz", "a=%4", "a=100%", "%g1=x", "a=%%41"])
def test_malformed_percent_escape_in_query_is_a_400(query):
    with pytest.raises(BadRequest, match="percent-escape") as caught:
        make_request(query=query).args  # noqa: B018
    assert "%25" in caught.value.description


@pytest.mark.parametrize("query", ["a=%FF", "a=%C3", "%C3%28=x", "a=\xff"])
def test_invalid_utf8_in_query_is_a_400(query):
    with pytest.raises(BadRequest, match="UTF-8"):
        make_request(query=query).args  # noqa: B018


# -- headers, cookies, content type --------------------------------------------------------


def test_headers_are_environ_headers():
    request = make_request(headers={"X-Token": "t"})
    assert isinstance(request.headers, EnvironHeaders)
    assert request.headers["x-token"] == "t"


def test_missing_header_is_a_400():
    with pytest.raises(BadRequestKeyError):
        make_request().headers["X-Token"]


def test_cookies_are_parsed():
    assert make_request(HTTP_COOKIE="a=1; b=2").cookies.to_dict() == {"a": "1", "b": "2"}


def test_content_type_mimetype_and_params():
    request = make_request(content_type="Text/Plain; Charset=utf-8")
    assert request.content_type == "Text/Plain; Charset=utf-8"
    assert request.mimetype == "text/plain"
    assert request.mimetype_params == {"charset": "utf-8"}


def test_missing_content_type():
    request = make_request()
    assert request.content_type is None
    assert request.mimetype == ""
    assert request.mimetype_params == {}


def test_content_length_is_an_int():
    assert make_request(body=b"hello").content_length == 5


@pytest.mark.parametrize("value", [None, ""])
def test_absent_content_length_is_none(value):
    environ = make_environ()
    environ.pop("CONTENT_LENGTH", None)
    if value is not None:
        environ["CONTENT_LENGTH"] = value
    assert Request(environ).content_length is None


@pytest.mark.parametrize("value", ["abc", "-1", "+5", "1_000", "1.5", "\uff15"])
def test_unreadable_content_length_is_a_400(value):
    request = make_request(CONTENT_LENGTH=value)
    with pytest.raises(BadRequest, match="Content-Length"):
        request.content_length  # noqa: B018


def test_unreadable_content_length_is_a_400_when_reading_the_body():
    request = make_request(method="POST", CONTENT_LENGTH="lots")
    with pytest.raises(BadRequest):
        request.get_data()


def test_user_agent_and_referrer():
    request = make_request(headers={"User-Agent": "curl/8", "Referer": "http://a/"})
    assert request.user_agent == "curl/8"
    assert request.referrer == "http://a/"
    assert make_request().user_agent == ""
    assert make_request().referrer is None


def test_user_agent_has_werkzeugs_string_attribute():
    agent = make_request(headers={"User-Agent": "curl/8"}).user_agent
    assert agent.string == "curl/8"
    assert isinstance(agent, str)
    assert not make_request().user_agent


def test_accept_mimetypes():
    request = make_request(headers={"Accept": "text/html;q=0.5, application/json"})
    assert request.accept_mimetypes.best == "application/json"
    assert "text/html" in request.accept_mimetypes


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("application/vnd.api+json", True),
        ("APPLICATION/JSON", True),
        ("text/json", False),
        ("text/plain", False),
        (None, False),
    ],
)
def test_is_json(content_type, expected):
    assert make_request(content_type=content_type).is_json is expected


# -- the body ----------------------------------------------------------------------------


def test_get_data_returns_the_body():
    assert make_request(method="POST", body=b"hello").get_data() == b"hello"


def test_get_data_as_text():
    request = make_request(method="POST", body="héllo".encode())
    assert request.get_data(as_text=True) == "héllo"


def test_get_data_as_text_of_invalid_utf8_is_a_400():
    with pytest.raises(BadRequest, match="UTF-8"):
        make_request(method="POST", body=b"\xff").get_data(as_text=True)


def test_get_data_is_cached():
    request = make_request(method="POST", body=b"hello")
    assert request.get_data() == b"hello"
    assert request.get_data() == b"hello"


def test_get_data_without_cache_consumes_the_body():
    request = make_request(method="POST", body=b"hello")
    assert request.get_data(cache=False) == b"hello"
    assert request.get_data() == b""


def test_body_is_never_read_past_content_length():
    environ = make_environ(method="POST", CONTENT_LENGTH="5")
    environ["wsgi.input"] = StrictInput(b"hello")
    assert Request(environ).get_data() == b"hello"


def test_body_stops_at_content_length_when_more_bytes_follow():
    environ = make_environ(method="POST", CONTENT_LENGTH="3")
    environ["wsgi.input"] = io.BytesIO(b"abcdef")
    assert Request(environ).get_data() == b"abc"


def test_content_length_larger_than_the_body_is_a_400_not_a_hang():
    environ = make_environ(method="POST", CONTENT_LENGTH="100")
    environ["wsgi.input"] = io.BytesIO(b"short")  # the client sent 5 bytes and left
    with pytest.raises(BadRequest, match="ended after 5 bytes"):
        Request(environ).get_data()


def test_content_length_larger_than_the_body_is_a_400_for_forms_too():
    environ = make_environ(
        method="POST", content_type="application/x-www-form-urlencoded", CONTENT_LENGTH="100"
    )
    environ["wsgi.input"] = io.BytesIO(b"a=1")
    with pytest.raises(BadRequest):
        Request(environ).form  # noqa: B018


def test_without_content_length_the_body_is_empty_and_unread():
    environ = make_environ(method="POST")
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input"] = UntouchableInput()
    assert Request(environ).get_data() == b""


def test_chunked_body_the_server_did_not_decode_is_a_411_not_an_empty_body():
    # uWSGI's http-socket passes Transfer-Encoding: chunked on with no Content-Length,
    # no wsgi.input_terminated and an input that ends at once: the body cannot be found.
    environ = make_environ(method="POST", CONTENT_TYPE="application/json")
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": UntouchableInput()})
    request = Request(environ)
    for read in (request.get_data, request.get_json, lambda: request.stream.read()):
        with pytest.raises(LengthRequired) as caught:
            read()
        assert caught.value.code == 411
        assert "Content-Length" in caught.value.description


def test_chunked_form_the_server_did_not_decode_is_a_411_on_every_access():
    environ = make_environ(method="POST", CONTENT_TYPE="application/x-www-form-urlencoded")
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": UntouchableInput()})
    request = Request(environ)
    for _ in range(2):
        with pytest.raises(LengthRequired):
            _ = request.form


def test_chunked_body_the_server_decoded_is_read():
    environ = make_environ(method="POST")
    environ.pop("CONTENT_LENGTH", None)
    environ.update(
        {
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input": io.BytesIO(b"decoded"),
            "wsgi.input_terminated": True,
        }
    )
    assert Request(environ).get_data() == b"decoded"


def test_chunked_body_with_a_content_length_from_a_gateway_is_read_by_its_length():
    # nginx reads a chunked body whole, then passes its length on as CONTENT_LENGTH.
    environ = make_environ(method="POST", CONTENT_LENGTH="4", HTTP_TRANSFER_ENCODING="chunked")
    environ["wsgi.input"] = io.BytesIO(b"body")
    assert Request(environ).get_data() == b"body"


def test_terminated_input_without_content_length_is_read_to_the_end():
    environ = make_environ(method="POST")
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"wsgi.input": io.BytesIO(b"chunked body"), "wsgi.input_terminated": True})
    assert Request(environ).get_data() == b"chunked body"


def test_content_length_over_the_limit_is_a_413_before_reading():
    environ = make_environ(method="POST", CONTENT_LENGTH="1000")
    environ["wsgi.input"] = UntouchableInput()
    request = with_limits(Request(environ), max_content_length=100)
    with pytest.raises(RequestEntityTooLarge) as caught:
        request.get_data()
    assert caught.value.code == 413
    assert "1000" in caught.value.description


def test_content_length_at_the_limit_is_accepted():
    request = make_request(method="POST", body=b"x" * 100, max_content_length=100)
    assert len(request.get_data()) == 100


def test_terminated_input_over_the_limit_is_a_413():
    environ = make_environ(method="POST")
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"wsgi.input": io.BytesIO(b"x" * 1000), "wsgi.input_terminated": True})
    with pytest.raises(RequestEntityTooLarge):
        with_limits(Request(environ), max_content_length=100).get_data()


def test_terminated_input_over_the_limit_stops_reading_soon_after_the_limit():
    reads: list[int] = []

    class Endless:
        def read(self, size: int = -1) -> bytes:
            assert len(reads) < 1000, "kept reading an endless body"
            reads.append(size)
            return b"x" * size

    environ = make_environ(method="POST")
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"wsgi.input": Endless(), "wsgi.input_terminated": True})
    with pytest.raises(RequestEntityTooLarge):
        with_limits(Request(environ), max_content_length=10_000).get_data()
    assert sum(reads) <= 10_001


def test_terminated_input_within_the_limit_is_read():
    environ = make_environ(method="POST")
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"wsgi.input": io.BytesIO(b"x" * 100), "wsgi.input_terminated": True})
    assert len(with_limits(Request(environ), max_content_length=100).get_data()) == 100


def test_disconnect_while_reading_is_a_400():
    class Disconnecting:
        def read(self, size: int = -1) -> bytes:
            raise ConnectionResetError("connection reset by peer")

    environ = make_environ(method="POST", CONTENT_LENGTH="10")
    environ["wsgi.input"] = Disconnecting()
    with pytest.raises(BadRequest, match="disconnected"):
        Request(environ).get_data()


def test_stream_reads_in_pieces_and_lines():
    request = make_request(method="POST", body=b"line one\nline two\n")
    assert request.stream.readline() == b"line one\n"
    assert request.stream.read(4) == b"line"
    assert request.stream.read() == b" two\n"
    assert request.stream.read() == b""


def test_missing_wsgi_input_with_a_content_length_is_a_400():
    environ = make_environ(method="POST", CONTENT_LENGTH="3")
    del environ["wsgi.input"]
    with pytest.raises(BadRequest):
        Request(environ).get_data()


def test_data_of_a_non_form_body_is_the_body():
    assert make_request(method="POST", body=b"raw", content_type="text/plain").data == b"raw"


def test_data_of_a_form_body_is_empty_after_parsing_the_form_as_in_flask():
    request = make_request(
        method="POST", body=b"a=1", content_type="application/x-www-form-urlencoded"
    )
    assert request.data == b""
    assert request.form["a"] == "1"


# -- JSON ------------------------------------------------------------------------------


def json_request(body: bytes, content_type: str | None = "application/json") -> Request:
    return make_request(method="POST", body=body, content_type=content_type)


def test_get_json_parses_the_body():
    assert json_request(b'{"a": [1, "\xc3\xa9"]}').get_json() == {"a": [1, "é"]}


def test_json_property_is_get_json():
    assert json_request(b"[1, 2]").json == [1, 2]


def test_get_json_accepts_plus_json_types():
    assert json_request(b"{}", "application/problem+json").get_json() == {}


def test_get_json_with_wrong_content_type_is_a_415():
    with pytest.raises(UnsupportedMediaType) as caught:
        json_request(b"{}", "text/plain").get_json()
    assert caught.value.code == 415
    assert "text/plain" in caught.value.description
    assert "application/json" in caught.value.description


def test_get_json_without_content_type_is_a_415():
    with pytest.raises(UnsupportedMediaType):
        json_request(b"{}", None).get_json()


def test_json_property_with_wrong_content_type_is_a_415():
    with pytest.raises(UnsupportedMediaType):
        json_request(b"{}", "text/plain").json  # noqa: B018


def test_get_json_silent_with_wrong_content_type_is_none():
    assert json_request(b"{}", "text/plain").get_json(silent=True) is None


def test_get_json_force_ignores_the_content_type():
    assert json_request(b'{"a": 1}', "text/plain").get_json(force=True) == {"a": 1}


@pytest.mark.parametrize("body", [b"{bad json", b"", b'{"a": 1,}', b"[1, 2"])
def test_get_json_of_invalid_json_is_a_400_with_the_position(body):
    with pytest.raises(BadRequest, match=r"not valid JSON.*line 1 column") as caught:
        json_request(body).get_json()
    assert caught.value.code == 400


def test_get_json_of_invalid_json_silent_is_none():
    assert json_request(b"{bad").get_json(silent=True) is None


def test_get_json_of_invalid_utf8_is_a_400():
    with pytest.raises(BadRequest, match="UTF-8"):
        json_request(b'{"a": "\xff"}').get_json()


def test_get_json_of_invalid_utf8_silent_is_none():
    assert json_request(b'"\xff"').get_json(silent=True) is None


def test_get_json_is_cached():
    request = json_request(b'{"a": 1}')
    assert request.get_json() is request.get_json()


def test_get_json_body_over_the_limit_is_a_413_even_when_silent():
    request = make_request(
        method="POST", body=b"[1]" * 100, content_type="application/json", max_content_length=10
    )
    with pytest.raises(RequestEntityTooLarge):
        request.get_json(silent=True)


# -- forms --------------------------------------------------------------------------------


def form_request(body: bytes, **kwargs: Any) -> Request:
    return make_request(
        method="POST", body=body, content_type="application/x-www-form-urlencoded", **kwargs
    )


def multipart_body(boundary: str = "BOUNDARY") -> bytes:
    return (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="title"\r\n\r\n'
        "Holiday\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="photo"; filename="beach.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
        "JPEGDATA\r\n"
        f"--{boundary}--\r\n"
    ).encode()


def multipart_request(body: bytes | None = None, **kwargs: Any) -> Request:
    return make_request(
        method="POST",
        body=multipart_body() if body is None else body,
        content_type="multipart/form-data; boundary=BOUNDARY",
        **kwargs,
    )


def test_form_parses_urlencoded_body():
    form = form_request(b"name=J%C3%B6rg&tag=a&tag=b").form
    assert isinstance(form, ImmutableMultiDict)
    assert form["name"] == "Jörg"
    assert form.getlist("tag") == ["a", "b"]


def test_form_is_parsed_from_cached_data():
    request = form_request(b"a=1")
    assert request.get_data() == b"a=1"
    assert request.form["a"] == "1"


def test_form_error_is_raised_again_on_the_next_access():
    request = form_request(b"a=%zz")
    for _ in range(2):
        with pytest.raises(BadRequest):
            request.form  # noqa: B018


def test_form_over_the_memory_limit_is_a_413():
    with pytest.raises(RequestEntityTooLarge):
        form_request(b"a=" + b"x" * 100, max_form_memory_size=50).form  # noqa: B018


def test_form_of_get_without_body_is_empty():
    assert len(make_request().form) == 0


def test_missing_form_field_is_a_400():
    with pytest.raises(BadRequestKeyError):
        form_request(b"a=1").form["b"]


def test_values_combine_args_then_form_for_post():
    request = make_request(
        method="POST",
        query="a=from-args",
        body=b"a=from-form&b=2",
        content_type="application/x-www-form-urlencoded",
    )
    assert request.values.getlist("a") == ["from-args", "from-form"]
    assert request.values["a"] == "from-args"
    assert request.values["b"] == "2"


def test_files_and_form_of_a_multipart_body():
    request = multipart_request()
    assert request.form.to_dict() == {"title": "Holiday"}
    upload = request.files["photo"]
    assert upload.filename == "beach.jpg"
    assert upload.read() == b"JPEGDATA"


def test_multipart_form_is_parsed_from_cached_data():
    request = multipart_request()
    request.get_data()
    assert request.files["photo"].read() == b"JPEGDATA"


def test_multipart_body_over_max_content_length_is_a_413():
    with pytest.raises(RequestEntityTooLarge):
        multipart_request(max_content_length=10).files  # noqa: B018


def test_close_closes_uploaded_files():
    request = multipart_request()
    upload = request.files["photo"]
    request.close()
    assert upload.stream.closed


def test_close_without_parsed_files_reads_nothing():
    environ = make_environ(method="POST", content_type="multipart/form-data; boundary=x")
    environ.update({"wsgi.input": UntouchableInput(), "CONTENT_LENGTH": "10"})
    Request(environ).close()


def test_request_as_context_manager_closes_files():
    with multipart_request() as request:
        upload = request.files["photo"]
    assert upload.stream.closed


# -- routing results ---------------------------------------------------------------------


def test_routing_attributes_default_to_none():
    request = make_request()
    assert request.url_rule is None
    assert request.view_args is None
    assert request.routing_exception is None
    assert request.endpoint is None
    assert request.blueprint is None


def test_endpoint_and_blueprint_come_from_the_url_rule():
    request = make_request()
    request.url_rule = SimpleNamespace(endpoint="admin.users.index")
    assert request.endpoint == "admin.users.index"
    assert request.blueprint == "admin.users"


def test_endpoint_without_blueprint():
    request = make_request()
    request.url_rule = SimpleNamespace(endpoint="index")
    assert request.blueprint is None


def test_repr_works_even_for_undecodable_paths():
    # Bytes that are not UTF-8 are shown escaped; UTF-8 is shown as text, not mojibake.
    assert repr(make_request("/\xff", query="a=1", method="POST")) == (
        "<Request POST '/\\\\xff?a=1'>"
    )
    assert repr(make_request("/caf\xc3\xa9")) == "<Request GET '/café'>"


# -- Request.from_values, Werkzeug's helper for tests -----------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("/search?q=kim",), {}),
        (("/form",), {"method": "POST", "data": {"page": "2", "tag": ["a", "b"]}}),
        (("/api",), {"method": "PUT", "json": {"a": [1, 2]}}),
        (("/x",), {"base_url": "https://example.com/shop/", "headers": {"X-Id": "7"}}),
    ],
)
def test_from_values_builds_the_request_werkzeug_builds(args, kwargs):
    from werkzeug.wrappers import Request as WerkzeugRequest

    ours = Request.from_values(*args, **kwargs)
    theirs = WerkzeugRequest.from_values(*args, **kwargs)
    # (full_path differs on purpose: no trailing "?", see differences-from-flask.md)
    for name in ("method", "path", "url", "script_root", "host", "mimetype"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert ours.args.to_dict(flat=False) == theirs.args.to_dict(flat=False)
    assert ours.form.to_dict(flat=False) == theirs.form.to_dict(flat=False)
    assert ours.get_json(silent=True) == theirs.get_json(silent=True)
    assert ours.headers.get("X-Id") == theirs.headers.get("X-Id")


def test_from_values_carries_files_and_a_subclass():
    import io

    class ShopRequest(Request):
        pass

    request = ShopRequest.from_values(
        "/upload", method="POST", data={"photo": (io.BytesIO(b"PNG"), "cat.png")}
    )
    assert type(request) is ShopRequest
    assert request.files["photo"].filename == "cat.png"
    assert request.files["photo"].read() == b"PNG"
