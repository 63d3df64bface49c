"""The cookie jar on its own: RFC 6265's rules for keeping and sending cookies."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from microwsgi.cookiejar import (
    CookieJar,
    default_path,
    domain_matches,
    parse_set_cookie,
    path_matches,
)
from microwsgi.http import dump_cookie

NOW = 1_800_000_000.0


def environ(url_host="localhost", path="/"):
    return {"HTTP_HOST": url_host, "REQUEST_URI": path, "wsgi.url_scheme": "http"}


@pytest.mark.parametrize(
    ("host", "domain", "matches"),
    [
        ("example.com", "example.com", True),
        ("www.example.com", "example.com", True),
        ("a.b.example.com", "example.com", True),
        ("badexample.com", "example.com", False),
        ("example.com", "www.example.com", False),
        ("10.0.0.1", "0.0.1", False),  # no "subdomains" of an IP address
        ("10.0.0.1", "10.0.0.1", True),
    ],
)
def test_domain_matching(host, domain, matches):
    assert domain_matches(host, domain) is matches


@pytest.mark.parametrize(
    ("request_path", "cookie_path", "matches"),
    [
        ("/shop", "/shop", True),
        ("/shop/cart", "/shop", True),
        ("/shop/cart", "/shop/", True),
        ("/shopping", "/shop", False),
        ("/", "/shop", False),
        ("/anything", "/", True),
    ],
)
def test_path_matching(request_path, cookie_path, matches):
    assert path_matches(request_path, cookie_path) is matches


@pytest.mark.parametrize(
    ("request_path", "path"), [("/", "/"), ("/cart", "/"), ("/shop/cart", "/shop"), ("", "/")]
)
def test_default_path_is_the_directory_of_the_request(request_path, path):
    assert default_path(request_path) == path


def test_parse_reads_every_attribute():
    header = dump_cookie(
        "id", "a b", max_age=60, domain=".Example.com", path="/app", secure=True,
        httponly=True, samesite="Strict", partitioned=True,
    )  # fmt: skip
    cookie = parse_set_cookie(header, "www.example.com", "/app/x", NOW)
    assert (cookie.key, cookie.value, cookie.decoded_value) == ("id", '"a\\040b"', "a b")
    assert (cookie.domain, cookie.origin_only, cookie.path) == ("example.com", False, "/app")
    assert cookie.expires == datetime.fromtimestamp(NOW + 60, UTC)
    assert (cookie.secure, cookie.http_only, cookie.same_site, cookie.partitioned) == (
        True, True, "Strict", True,
    )  # fmt: skip


def test_max_age_wins_over_expires():
    header = "a=1; Expires=Thu, 01 Jan 2099 00:00:00 GMT; Max-Age=0"
    assert parse_set_cookie(header, "localhost", "/", NOW).expired(NOW)


def test_a_cookie_without_a_name_or_equals_sign_is_ignored():
    assert parse_set_cookie("=value", "localhost", "/", NOW) is None
    assert parse_set_cookie("novalue", "localhost", "/", NOW) is None


def test_an_unreadable_date_or_a_relative_path_is_skipped():
    cookie = parse_set_cookie("a=1; Expires=someday; Path=relative", "h", "/x/y", NOW)
    assert cookie.expires is None
    assert cookie.path == "/x"


def test_send_order_is_longest_path_first_then_oldest():
    jar = CookieJar()
    jar.receive(environ(path="/"), ["root=1; Path=/", "first=1; Path=/"])
    jar.receive(environ(path="/a/b"), ["deep=1; Path=/a/b"])
    jar.receive(environ(path="/"), ["root=2; Path=/"])  # replaced: keeps its place
    assert jar.header_for(environ(path="/a/b/c")) == "deep=1; root=2; first=1"


def test_the_same_name_under_two_paths_is_two_cookies():
    jar = CookieJar()
    jar.receive(environ(path="/"), ["theme=light; Path=/", "theme=dark; Path=/admin"])
    assert len(jar) == 2
    assert jar.header_for(environ(path="/admin/x")) == "theme=dark; theme=light"
    assert jar.header_for(environ(path="/other")) == "theme=light"


def test_deleting_needs_the_same_domain_and_path():
    jar = CookieJar()
    jar.receive(environ(path="/"), ["a=1; Path=/admin"])
    jar.receive(environ(path="/"), ["a=; Max-Age=0; Path=/"])  # another path: not this one
    assert jar.header_for(environ(path="/admin")) == "a=1"
    jar.receive(environ(path="/"), ["a=; Max-Age=0; Path=/admin"])
    assert jar.header_for(environ(path="/admin")) == ""


def test_the_port_does_not_matter_and_host_case_does_not_either():
    jar = CookieJar()
    jar.receive(environ("Example.COM:8080"), ["a=1"])
    assert jar.header_for(environ("example.com")) == "a=1"


def test_get_ignores_expired_cookies():
    jar = CookieJar()
    earlier = time.time() - 10
    jar.keep(parse_set_cookie("a=1; Max-Age=1", "localhost", "/", earlier), earlier)
    assert jar.get("a", "localhost", "/") is None


# -- whatever the server sends, the jar reads it as a browser would, and never fails ---


@pytest.mark.parametrize(
    ("max_age", "kept"),
    [
        ("--5", True),  # not a number: the attribute is ignored, the cookie kept
        ("5-", True),
        ("+5", True),
        ("²", True),  # a Unicode digit is not a digit here
        ("٣", True),
        ("9" * 20, True),  # beyond what a datetime holds: kept as long as possible
        ("9" * 5000, True),  # more digits than int() reads
        ("-" + "9" * 5000, False),  # long past: deleted
        ("0" * 30 + "60", True),
    ],
)
def test_any_max_age_is_read_without_error(max_age, kept):
    jar = CookieJar()
    jar.receive(environ(), [f"a=1; Max-Age={max_age}"])
    assert (jar.header_for(environ()) == "a=1") is kept


def test_a_huge_max_age_keeps_the_cookie_until_the_latest_date():
    cookie = parse_set_cookie("a=1; Max-Age=" + "9" * 30, "localhost", "/", NOW)
    assert cookie is not None and cookie.expires is not None
    assert cookie.expires.year == 9999
    cookie = parse_set_cookie("a=1; Max-Age=0060", "localhost", "/", NOW)
    assert cookie is not None and cookie.expires == datetime.fromtimestamp(NOW + 60, UTC)


def test_set_cookie_headers_of_any_shape_never_break_the_jar():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    attribute_names = st.sampled_from(
        ["Max-Age", "max-age", "Expires", "Domain", "Path", "SameSite", "Secure", "HttpOnly", ""]
    )
    attribute_values = st.one_of(
        st.text(max_size=40),
        st.from_regex(r"-?[0-9]{0,30}", fullmatch=True),
        st.sampled_from(["Fri, 31 Dec 9999 23:59:59 GMT", "Thu, 01 Jan 1970 00:00:00 GMT", "."]),
    )
    attribute = st.tuples(attribute_names, attribute_values).map(lambda pair: "=".join(pair))
    header = st.tuples(st.text(max_size=20), st.lists(attribute, max_size=5)).map(
        lambda parts: "; ".join([parts[0], *parts[1]])
    )
    hosts = st.sampled_from(["localhost", "example.com", "a.example.com", "10.0.0.1", "[::1]"])

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.lists(header, max_size=4), hosts, st.text(max_size=20))
    def check(headers, host, path):
        jar = CookieJar()
        request = environ(host, "/" + path.replace("?", ""))
        jar.receive(request, headers)
        assert isinstance(jar.header_for(request), str)

    check()
