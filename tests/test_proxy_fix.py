"""ProxyFix: the X-Forwarded-* headers of trusted proxies, and only those, reach the app."""

from __future__ import annotations

from typing import Any

import pytest

from microwsgi import App, redirect, request, url_for
from microwsgi.proxy_fix import ProxyFix


def _make_app(**hops: int) -> App:
    app = App(__name__, static_folder=None)

    @app.route("/where")
    def where() -> dict[str, Any]:
        return {
            "remote_addr": request.remote_addr,
            "scheme": request.scheme,
            "host": request.host,
            "external": url_for("where", _external=True),
            "path": url_for("where"),
            "server_port": request.environ.get("SERVER_PORT"),
        }

    @app.route("/orig")
    def orig() -> dict[str, Any]:
        return request.environ["microwsgi.proxy_fix.orig"]

    @app.route("/go")
    def go() -> Any:
        return redirect(url_for("where"))

    @app.route("/folder/")
    def folder() -> str:
        return "folder"

    app.wsgi_app = ProxyFix(app.wsgi_app, **hops)  # type: ignore[method-assign]
    return app


def _where(app: App, headers: dict[str, str]) -> dict[str, Any]:
    response = app.test_client().get("/where", headers=headers)
    assert response.status_code == 200
    return response.get_json()  # type: ignore[no-any-return]


def test_forwarded_for_sets_remote_addr() -> None:
    seen = _where(_make_app(), {"X-Forwarded-For": "203.0.113.7"})
    assert seen["remote_addr"] == "203.0.113.7"


def test_forwarded_proto_sets_scheme_and_external_urls() -> None:
    seen = _where(_make_app(), {"X-Forwarded-Proto": "https"})
    assert seen["scheme"] == "https"
    assert seen["external"] == "https://localhost/where"


def test_without_headers_the_environ_is_unchanged() -> None:
    seen = _where(_make_app(), {})
    assert seen["remote_addr"] == "127.0.0.1"
    assert seen["scheme"] == "http"
    assert seen["external"] == "http://localhost/where"


def test_one_trusted_hop_takes_the_rightmost_address() -> None:
    # The client wrote "198.51.100.1" itself; the proxy appended the address it saw.
    seen = _where(_make_app(x_for=1), {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
    assert seen["remote_addr"] == "203.0.113.7"


def test_two_trusted_hops_take_the_second_address_from_the_right() -> None:
    headers = {"X-Forwarded-For": "198.51.100.1, 203.0.113.7, 10.0.0.2"}
    seen = _where(_make_app(x_for=2), headers)
    assert seen["remote_addr"] == "203.0.113.7"


def test_fewer_values_than_trusted_hops_are_ignored() -> None:
    seen = _where(_make_app(x_for=2), {"X-Forwarded-For": "198.51.100.1"})
    assert seen["remote_addr"] == "127.0.0.1"


def test_headers_are_ignored_when_no_hop_is_trusted() -> None:
    app = _make_app(x_for=0, x_proto=0, x_host=0, x_port=0, x_prefix=0)
    seen = _where(
        app,
        {
            "X-Forwarded-For": "203.0.113.7",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "evil.example",
            "X-Forwarded-Port": "8443",
            "X-Forwarded-Prefix": "/evil",
        },
    )
    assert seen == {
        "remote_addr": "127.0.0.1",
        "scheme": "http",
        "host": "localhost",
        "external": "http://localhost/where",
        "path": "/where",
        "server_port": "80",
    }


def test_forwarded_host_is_ignored_by_default() -> None:
    seen = _where(_make_app(), {"X-Forwarded-Host": "evil.example"})
    assert seen["external"] == "http://localhost/where"


def test_trusted_forwarded_host_sets_host_for_external_urls() -> None:
    app = _make_app(x_proto=1, x_host=1)
    seen = _where(app, {"X-Forwarded-Host": "shop.example", "X-Forwarded-Proto": "https"})
    assert seen["host"] == "shop.example"
    assert seen["external"] == "https://shop.example/where"


def test_trusted_forwarded_host_with_port_sets_server_port() -> None:
    seen = _where(_make_app(x_host=1), {"X-Forwarded-Host": "shop.example:8080"})
    assert seen["external"] == "http://shop.example:8080/where"
    assert seen["server_port"] == "8080"


def test_trusted_forwarded_port_replaces_the_port_of_the_host() -> None:
    app = _make_app(x_host=1, x_port=1)
    seen = _where(app, {"X-Forwarded-Host": "shop.example:1234", "X-Forwarded-Port": "8443"})
    assert seen["host"] == "shop.example:8443"
    assert seen["server_port"] == "8443"


def test_trusted_forwarded_prefix_is_where_urls_start() -> None:
    seen = _where(_make_app(x_prefix=1), {"X-Forwarded-Prefix": "/shop/"})
    assert seen["path"] == "/shop/where"


def test_forwarded_prefix_is_percent_decoded_once() -> None:
    seen = _where(_make_app(x_prefix=1), {"X-Forwarded-Prefix": "/my%20shop"})
    assert seen["path"] == "/my%20shop/where"


def test_trusted_forwarded_prefix_reaches_redirects() -> None:
    client = _make_app(x_prefix=1).test_client()
    response = client.get("/go", headers={"X-Forwarded-Prefix": "/shop"})
    assert response.headers["Location"] == "/shop/where"


def test_trusted_forwarded_prefix_reaches_the_routers_trailing_slash_redirect() -> None:
    client = _make_app(x_prefix=1).test_client()
    response = client.get("/folder", headers={"X-Forwarded-Prefix": "/shop"})
    assert response.status_code == 308
    assert response.headers["Location"] == "/shop/folder/"


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Forwarded-For", "not-an-address"),
        ("X-Forwarded-For", "unknown"),
        ("X-Forwarded-Proto", "javascript"),
        ("X-Forwarded-Host", "evil.example/path"),
        ("X-Forwarded-Host", "evil.example:99999"),
        ("X-Forwarded-Host", "bad host"),
        ("X-Forwarded-Port", "99999"),
        ("X-Forwarded-Port", "80a"),
        ("X-Forwarded-Prefix", "//evil.example"),
        ("X-Forwarded-Prefix", "/%2Fevil.example"),
        ("X-Forwarded-Prefix", "/a%0D%0ASet-Cookie:x=1"),
        ("X-Forwarded-Prefix", "no-leading-slash"),
    ],
)
def test_invalid_values_are_ignored(header: str, value: str) -> None:
    app = _make_app(x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1)
    seen = _where(app, {header: value})
    assert seen == _where(app, {})


def test_ipv6_client_address_is_accepted_with_or_without_brackets() -> None:
    app = _make_app()
    assert _where(app, {"X-Forwarded-For": "2001:db8::1"})["remote_addr"] == "2001:db8::1"
    assert _where(app, {"X-Forwarded-For": "[2001:db8::1]"})["remote_addr"] == "2001:db8::1"


def test_original_values_are_kept_in_the_environ() -> None:
    app = _make_app(x_for=1, x_proto=1)
    response = app.test_client().get(
        "/orig", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    )
    original = response.get_json()
    assert original["REMOTE_ADDR"] == "127.0.0.1"
    assert original["wsgi.url_scheme"] == "http"
    assert original["HTTP_HOST"] == "localhost"


@pytest.mark.parametrize("hops", [-1, 1.5, "1"])
def test_hop_count_must_be_a_whole_number_of_proxies(hops: Any) -> None:
    with pytest.raises(ValueError, match="x_for"):
        ProxyFix(App(__name__).wsgi_app, x_for=hops)
