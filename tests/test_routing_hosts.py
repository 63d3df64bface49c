"""Matching and building by host: subdomains, host_matching, SERVER_NAME and TRUSTED_HOSTS."""

from __future__ import annotations

import pytest
from werkzeug.test import Client as WerkzeugClient

from microwsgi import App, Blueprint, request, url_for

# -- subdomain matching -------------------------------------------------------


def subdomain_app(server_name: str = "example.test") -> App:
    app = App(__name__, subdomain_matching=True)
    app.config["SERVER_NAME"] = server_name

    @app.route("/")
    def index() -> str:
        return "main"

    @app.route("/", subdomain="api")
    def api_index() -> str:
        return "api"

    @app.route("/", subdomain="<user>")
    def user_index(user: str) -> str:
        return f"user {user}"

    return app


@pytest.mark.parametrize(
    ("base_url", "status", "body"),
    [
        ("http://example.test", 200, "main"),
        ("http://api.example.test", 200, "api"),  # a literal subdomain beats a variable
        ("http://kim.example.test", 200, "user kim"),
        ("http://KIM.Example.Test", 200, "user kim"),  # hosts have no case
        ("http://a.b.example.test", 200, "user a.b"),
        ("http://other.test", 404, None),  # not ours: 404, never a made-up subdomain
        ("http://badexample.test", 404, None),
        ("http://127.0.0.1", 404, None),
    ],
)
def test_subdomain_picks_the_rule(base_url, status, body):
    response = subdomain_app().test_client().get("/", base_url=base_url)
    assert response.status_code == status
    if body is not None:
        assert response.get_data(as_text=True) == body


def test_server_name_with_a_port():
    client = subdomain_app("example.test:3000").test_client()
    assert client.get("/", base_url="http://kim.example.test:3000").text == "user kim"
    assert client.get("/", base_url="http://kim.example.test:4000").status_code == 404


@pytest.mark.parametrize(
    ("server_name", "base_url"),
    [
        ("example.test:443", "https://example.test"),
        ("example.test", "https://example.test:443"),
        ("example.test:80", "http://example.test"),
    ],
)
def test_the_schemes_default_port_may_be_written_or_not(server_name, base_url):
    assert subdomain_app(server_name).test_client().get("/", base_url=base_url).text == "main"


def test_without_server_name_only_rules_without_a_subdomain_answer():
    app = subdomain_app()
    app.config["SERVER_NAME"] = None
    client = app.test_client()
    assert client.get("/", base_url="http://api.example.test").text == "main"
    assert client.get("/", base_url="http://anything.else").text == "main"


def test_without_subdomain_matching_server_name_restricts_nothing():
    app = App(__name__)
    app.config["SERVER_NAME"] = "example.test"

    @app.route("/")
    def index() -> str:
        return "main"

    @app.route("/", subdomain="api")
    def api_index() -> str:
        return "api"

    client = app.test_client()
    for base_url in ("http://example.test", "http://api.example.test", "http://other.test"):
        assert client.get("/", base_url=base_url).text == "main"


def test_subdomain_matching_can_be_switched_on_after_creation():
    app = App(__name__)
    app.config["SERVER_NAME"] = "example.test"

    @app.route("/", subdomain="api")
    def api_index() -> str:
        return "api"

    app.subdomain_matching = True
    assert app.test_client().get("/", base_url="http://api.example.test").text == "api"


def test_werkzeug_client_agrees():
    response = WerkzeugClient(subdomain_app()).get("/", base_url="http://kim.example.test")
    assert response.get_data(as_text=True) == "user kim"


def test_trailing_slash_redirect_stays_relative_on_a_subdomain():
    app = subdomain_app()

    @app.route("/docs/", subdomain="api")
    def docs() -> str:
        return "docs"

    response = app.test_client().get("/docs", base_url="http://api.example.test")
    assert response.status_code == 308
    assert response.headers["Location"] == "/docs/"


def test_options_lists_the_methods_of_the_subdomains_rules():
    app = subdomain_app()

    @app.route("/", subdomain="api", methods=["POST"])
    def api_post() -> str:
        return "posted"

    response = app.test_client().options("/", base_url="http://api.example.test")
    assert response.status_code == 200
    assert sorted(response.allow) == ["GET", "HEAD", "OPTIONS", "POST"]


# -- building URLs for other subdomains ---------------------------------------


def test_url_for_a_rule_on_another_subdomain_is_external():
    app = subdomain_app()
    with app.test_request_context(base_url="http://example.test"):
        assert url_for("index") == "/"
        assert url_for("api_index") == "http://api.example.test/"
        assert url_for("user_index", user="kim") == "http://kim.example.test/"
    with app.test_request_context(base_url="http://kim.example.test"):
        assert url_for("user_index", user="kim") == "/"
        assert url_for("user_index", user="lee") == "http://lee.example.test/"
        assert url_for("index") == "http://example.test/"


def test_url_for_outside_a_request_uses_server_name():
    app = subdomain_app("example.test:5000")
    with app.app_context():
        assert url_for("index") == "http://example.test:5000/"
        assert url_for("api_index") == "http://api.example.test:5000/"


def test_external_urls_name_server_name_not_the_clients_host_header():
    app = App(__name__)
    app.config["SERVER_NAME"] = "example.test"

    @app.route("/reset")
    def reset() -> str:
        return url_for("reset", _external=True)

    response = app.test_client().get("/reset", headers={"Host": "attacker.test"})
    assert response.text == "http://example.test/reset"


def test_external_urls_use_the_request_host_without_server_name(app, client):
    @app.route("/here")
    def here() -> str:
        return url_for("here", _external=True)

    assert client.get("/here", base_url="https://shop.test:8443").text == (
        "https://shop.test:8443/here"
    )


# -- blueprints ---------------------------------------------------------------


def test_blueprint_subdomain_and_nested_blueprints():
    app = App(__name__, subdomain_matching=True)
    app.config["SERVER_NAME"] = "example.test"
    parent = Blueprint("parent", __name__)
    child = Blueprint("child", __name__, subdomain="api")
    plain_child = Blueprint("plain", __name__, url_prefix="/plain")

    @child.route("/")
    def index() -> str:
        return "child"

    @plain_child.route("/")
    def plain() -> str:
        return "plain"

    parent.register_blueprint(child)
    parent.register_blueprint(plain_child)
    app.register_blueprint(parent, subdomain="parent")
    client = app.test_client()
    assert client.get("/", base_url="http://api.parent.example.test").text == "child"
    assert client.get("/", base_url="http://parent.example.test").status_code == 404
    assert client.get("/plain/", base_url="http://parent.example.test").text == "plain"
    with app.app_context():
        assert url_for("parent.child.index") == "http://api.parent.example.test/"


def test_register_blueprint_subdomain_overrides_the_blueprints():
    app = App(__name__, subdomain_matching=True)
    app.config["SERVER_NAME"] = "example.test"
    bp = Blueprint("bp", __name__, subdomain="one")

    @bp.route("/")
    def index() -> str:
        return "bp"

    app.register_blueprint(bp, subdomain="two")
    client = app.test_client()
    assert client.get("/", base_url="http://two.example.test").text == "bp"
    assert client.get("/", base_url="http://one.example.test").status_code == 404


# -- host matching ------------------------------------------------------------


def test_host_matching_matches_the_whole_host_and_its_variables():
    app = App(__name__, host_matching=True, static_host="static.test")

    @app.route("/", host="shop.test")
    def shop() -> str:
        return "shop"

    @app.route("/", host="<tenant>.shop.test")
    def tenant(tenant: str) -> str:
        return f"tenant {tenant}"

    client = app.test_client()
    assert client.get("/", base_url="http://shop.test").text == "shop"
    assert client.get("/", base_url="http://acme.shop.test").text == "tenant acme"
    assert client.get("/", base_url="http://other.test").status_code == 404
    with app.test_request_context(base_url="http://shop.test"):
        assert url_for("shop") == "/"
        assert url_for("tenant", tenant="acme") == "http://acme.shop.test/"
        assert url_for("static", filename="a.css") == "http://static.test/static/a.css"


def test_static_route_with_host_matching(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "index.html").write_text("hello", encoding="utf-8")
    app = App(__name__, host_matching=True, static_host="example.com", root_path=str(tmp_path))
    client = app.test_client()
    response = client.get("http://example.com/static/index.html")
    assert (response.status_code, response.text) == (200, "hello")
    assert client.get("http://other.com/static/index.html").status_code == 404


@pytest.mark.parametrize(
    "arguments",
    [
        {"static_host": "example.com"},  # static_host without host_matching
        {"host_matching": True},  # host_matching, a static folder, no static_host
    ],
)
def test_static_host_and_host_matching_go_together(arguments):
    with pytest.raises(AssertionError, match="static_host"):
        App(__name__, **arguments)


def test_host_matching_without_a_static_folder_needs_no_static_host():
    app = App(__name__, host_matching=True, static_folder=None)
    assert list(app.url_map.iter_rules()) == []


def test_a_host_part_may_not_hold_slashes(app):
    with pytest.raises(ValueError, match="host part"):
        app.add_url_rule("/", "index", subdomain="<path:where>")
    with pytest.raises(ValueError, match="contains '/'"):
        app.add_url_rule("/", "index", subdomain="a/b")


# -- TRUSTED_HOSTS ------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("example.test", 200),
        ("EXAMPLE.test", 200),
        ("example.test:8080", 200),  # the port is not part of the check
        ("other.test", 200),
        ("a.other.test", 200),
        ("a.b.other.test", 200),
        ("bad.test", 400),
        ("sub.example.test", 400),  # no leading dot: that name only
        ("notother.test", 400),
        ("other.test.evil", 400),
    ],
)
def test_trusted_hosts(host, status):
    app = App(__name__)
    app.config["TRUSTED_HOSTS"] = ["example.test", ".other.test"]

    @app.route("/")
    def index() -> str:
        return request.host

    response = app.test_client().get("/", headers={"Host": host})
    assert response.status_code == status


def test_untrusted_host_runs_hooks_and_reaches_the_400_handler(app, client):
    app.config["TRUSTED_HOSTS"] = ["example.test"]

    @app.errorhandler(400)
    def bad_request(error: Exception) -> tuple[str, int]:
        return f"refused: {type(error).__name__}", 400

    @app.route("/")
    def index() -> str:
        return "never"

    response = client.get("/", base_url="http://evil.test")
    assert (response.status_code, response.text) == (400, "refused: SecurityError")


def test_an_empty_trusted_hosts_list_trusts_nothing(app, client):
    app.config["TRUSTED_HOSTS"] = []
    app.route("/")(lambda: "x")
    assert client.get("/").status_code == 400


def test_trusted_hosts_with_subdomain_matching():
    app = subdomain_app()
    app.config["TRUSTED_HOSTS"] = [".example.test"]
    client = app.test_client()
    assert client.get("/", base_url="http://kim.example.test").text == "user kim"
    assert client.get("/", base_url="http://kim.evil.test").status_code == 400
