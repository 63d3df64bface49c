"""The character-level rules of HTTP and URLs (``wire.py``), each tested once, and the
callers that must agree because they share them."""

from __future__ import annotations

import pytest

from microwsgi import App, request, session
from microwsgi.csrf import csrf_token, validate_csrf_token
from microwsgi.exceptions import BadRequest
from microwsgi.proxy_fix import ProxyFix
from microwsgi.routing.encoding import encode_query, quote_path, quote_segment
from microwsgi.sessions import signing_keys
from microwsgi.testing import build_environ
from microwsgi.wire import (
    HOST_RE,
    TOKEN_RE,
    check_header_name,
    check_header_value,
    check_percent_escapes,
    quote_query_bytes,
    split_host,
)

# -- token (RFC 9110 5.6.2) ------------------------------------------------------


@pytest.mark.parametrize("name", ["X-Api-Key", "ETag", "a", "!#$%&'*+-.^_`|~09"])
def test_tokens(name):
    assert TOKEN_RE.fullmatch(name)
    assert check_header_name(name) == name


@pytest.mark.parametrize("name", ["", "X Key", "X:Key", "é", "a\r\nb", '"q"', "a,b", "(c)"])
def test_not_tokens(name):
    assert not TOKEN_RE.fullmatch(name)
    with pytest.raises(ValueError, match="header name"):
        check_header_name(name)


def test_a_header_name_must_be_text():
    with pytest.raises(TypeError):
        check_header_name(b"X-Key")


# -- field values (RFC 9110 5.5) -----------------------------------------------------


@pytest.mark.parametrize("value", ["", "plain", "tab\there", "caf\xe9", "\x80\xff", "~ !"])
def test_field_values(value):
    assert check_header_value("X", value) == value


@pytest.mark.parametrize("value", ["\x00", "\r", "\n", "\x01", "\x0b", "\x1f", "\x7f", "이"])
def test_not_field_values_and_the_error_names_the_header(value):
    with pytest.raises(ValueError, match="'X-Thing'"):
        check_header_value("X-Thing", value)


# -- Host (RFC 9110 7.2) --------------------------------------------------------------

VALID_HOSTS = ["example.com", "example.com:8080", "127.0.0.1:80", "[::1]", "[::1]:8443",
               "my_service", "localhost:"]  # fmt: skip
INVALID_HOSTS = ["a b", "ex@mple.com", "example.com:99999999", "[::1", "::1]", "",
                 "example.com/x", "exämple.com", "host:port"]  # fmt: skip


@pytest.mark.parametrize("host", VALID_HOSTS)
def test_valid_hosts(host):
    assert HOST_RE.fullmatch(host)


@pytest.mark.parametrize("host", INVALID_HOSTS)
def test_invalid_hosts(host):
    assert not HOST_RE.fullmatch(host)


@pytest.mark.parametrize(
    ("host", "parts"),
    [("a.com:1", ("a.com", "1")), ("[::1]", ("[::1]", "")), ("[::1]:2", ("[::1]", "2")),
     ("a.com", ("a.com", "")), ("a.com:", ("a.com", ""))],
)  # fmt: skip
def test_split_host(host, parts):
    assert split_host(host) == parts


# (An empty Host is no Host: the request falls back to SERVER_NAME, ProxyFix ignores it.)
@pytest.mark.parametrize("host", [h for h in VALID_HOSTS + INVALID_HOSTS if h])
def test_request_host_and_proxy_fix_agree_on_what_a_host_is(host):
    app = App(__name__)
    seen = {}

    def inner(environ, start_response):
        seen["host"] = environ.get("HTTP_HOST")
        start_response("200 OK", [])
        return []

    fixed = ProxyFix(inner, x_for=0, x_proto=0, x_host=1)
    fixed(build_environ(app, "/", headers={"X-Forwarded-Host": host}), lambda *a: None)
    accepted_by_proxy_fix = seen["host"] == host
    environ = build_environ(app, "/")
    environ["HTTP_HOST"] = host
    with app.request_context(environ):
        try:
            request.host  # noqa: B018
            accepted_by_request = True
        except BadRequest:
            accepted_by_request = False
    assert accepted_by_proxy_fix == accepted_by_request == (host in VALID_HOSTS)


# -- percent-escapes (RFC 3986 2.1) ------------------------------------------------------


@pytest.mark.parametrize("raw", [b"", b"a", b"%20", b"%aF%00", b"a%25b"])
def test_good_percent_escapes(raw):
    check_percent_escapes(raw, "path")


@pytest.mark.parametrize("raw", [b"%", b"%4", b"%zz", b"a%2", b"%%20", b"%g0"])
def test_bad_percent_escapes_are_400_naming_the_part(raw):
    with pytest.raises(BadRequest, match="query string has a malformed percent-escape"):
        check_percent_escapes(raw, "query string")


@pytest.mark.parametrize("where", ["/x?q=%zz", "/%zz"])
def test_path_query_and_form_share_the_percent_escape_rule(app, where):
    app.route("/x", methods=["GET", "POST"])(lambda: request.args.to_dict() | request.form)
    client = app.test_client()
    from werkzeug.test import Client

    response = Client(app).get(where)
    assert response.status_code == 400
    assert "malformed percent-escape" in response.text
    response.close()
    form = client.post("/x", data="a=%zz", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 400
    assert "malformed percent-escape" in form.text


# -- safe sets -----------------------------------------------------------------------------


def test_quote_query_bytes_encodes_each_byte_once_and_keeps_delimiters():
    assert quote_query_bytes("é".encode()) == "%C3%A9"
    assert quote_query_bytes(b"a=1&b=%20+c/d?e") == "a=1&b=%20+c/d?e"
    assert quote_query_bytes(b'a b<>"#') == "a%20b%3C%3E%22%23"


def test_a_segment_encodes_slashes_a_path_keeps_them():
    assert quote_segment("a/b c") == "a%2Fb%20c"
    assert quote_path("a/b c") == "a/b%20c"


def test_a_query_value_encodes_its_delimiters():
    assert encode_query([("q", "a&b=c+d%")]) == "q=a%26b%3Dc%2Bd%25"


def test_request_url_and_url_for_write_the_same_path(app):
    app.add_url_rule("/<path:name>", "page", lambda name: "x")
    with app.test_request_context("/caf%C3%A9/a%20b;c"):
        from microwsgi import url_for

        built = url_for("page", name="café/a b;c")
        assert request.base_url.endswith(built)


# -- signing keys -----------------------------------------------------------------------------


@pytest.mark.parametrize("fallbacks", [None, [], ["old"], ("old", "")])
def test_signing_keys_cope_with_every_form_of_fallbacks(fallbacks):
    app = App(__name__)
    app.config.update(SECRET_KEY="new", SECRET_KEY_FALLBACKS=fallbacks)
    keys = signing_keys(app, b"purpose")
    assert len(keys) == 1 + len([key for key in fallbacks or () if key])
    assert len(set(keys)) == len(keys)


def test_csrf_works_with_secret_key_fallbacks_none():
    app = App(__name__)
    app.config.update(SECRET_KEY="k", SECRET_KEY_FALLBACKS=None)
    with app.test_request_context():
        session["x"] = 1
        validate_csrf_token(csrf_token())  # raised TypeError before
