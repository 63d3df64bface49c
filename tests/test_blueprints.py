"""Blueprints: prefixes, dotted endpoints, scoped hooks and handlers, nesting."""

from __future__ import annotations

import pytest

from microwsgi import abort, g, request, url_for
from microwsgi.blueprints import Blueprint


@pytest.fixture
def admin():
    admin = Blueprint("admin", __name__, url_prefix="/admin")

    @admin.route("/")
    def index():
        return "admin home"

    @admin.route("/users/<int:user_id>")
    def user(user_id):
        return f"user {user_id}"

    return admin


def test_routes_get_the_prefix_and_dotted_endpoints(app, client, admin):
    app.register_blueprint(admin)
    assert client.get("/admin/").text == "admin home"
    assert client.get("/admin/users/7").text == "user 7"
    assert {rule.endpoint for rule in app.url_map.rules} >= {"admin.index", "admin.user"}


def test_url_prefix_given_at_registration_wins(app, client, admin):
    app.register_blueprint(admin, url_prefix="/staff")
    assert client.get("/staff/users/1").text == "user 1"
    assert client.get("/admin/users/1").status_code == 404


def test_url_for_with_full_and_relative_endpoint(app, admin):
    @admin.route("/links")
    def links():
        return f"{url_for('.user', user_id=3)} {url_for('admin.index')} {url_for('home')}"

    app.add_url_rule("/", "home", lambda: "home")
    app.register_blueprint(admin)
    assert app.test_client().get("/admin/links").text == "/admin/users/3 /admin/ /"


def test_relative_url_for_outside_a_blueprint_is_an_app_endpoint(app, client):
    @app.route("/a")
    def a():
        return url_for(".b")

    @app.route("/b")
    def b():
        return "b"

    assert client.get("/a").text == "/b"


def test_blueprint_hooks_run_only_for_its_requests(app, client, admin):
    calls = []
    admin.before_request(lambda: calls.append("admin before"))

    @admin.after_request
    def after(response):
        calls.append("admin after")
        return response

    admin.teardown_request(lambda exc: calls.append("admin teardown"))
    app.route("/public")(lambda: "public")
    app.register_blueprint(admin)

    client.get("/public")
    assert calls == []
    client.get("/admin/")
    assert calls == ["admin before", "admin after", "admin teardown"]


def test_app_hooks_run_around_blueprint_hooks(app, client, admin):
    calls = []
    app.before_request(lambda: calls.append("app before"))
    admin.before_request(lambda: calls.append("bp before"))

    def hook(name):
        def after(response):
            calls.append(name)
            return response

        return after

    app.after_request(hook("app after"))
    admin.after_request(hook("bp after"))
    app.register_blueprint(admin)
    client.get("/admin/")
    assert calls == ["app before", "bp before", "bp after", "app after"]


def test_before_app_request_runs_for_every_request(app, client, admin):
    calls = []
    admin.before_app_request(lambda: calls.append(1))
    app.route("/public")(lambda: "public")
    app.register_blueprint(admin)
    client.get("/public")
    assert calls == [1]


def test_blueprint_error_handler_is_scoped(app, client, admin):
    @admin.route("/forbidden")
    def forbidden():
        abort(403)

    admin.errorhandler(403)(lambda e: "admin says no")

    @app.route("/forbidden")
    def app_forbidden():
        abort(403)

    app.register_blueprint(admin)
    assert client.get("/admin/forbidden").text == "admin says no"
    assert client.get("/admin/forbidden").status_code == 403
    assert "Forbidden" in client.get("/forbidden").text


def test_app_errorhandler_from_a_blueprint_is_app_wide(app, client, admin):
    admin.app_errorhandler(404)(lambda e: "nothing here")
    app.register_blueprint(admin)
    assert client.get("/nowhere").text == "nothing here"


def test_blueprint_handler_wins_over_app_handler_for_its_routes(app, client, admin):
    @admin.route("/boom")
    def boom():
        raise ValueError

    admin.errorhandler(ValueError)(lambda e: ("bp", 400))
    app.errorhandler(ValueError)(lambda e: ("app", 400))
    app.register_blueprint(admin)
    assert client.get("/admin/boom").text == "bp"


def test_nested_blueprints_join_names_and_prefixes(app, client):
    parent = Blueprint("parent", __name__, url_prefix="/parent")
    child = Blueprint("child", __name__, url_prefix="/child")
    calls = []
    parent.before_request(lambda: calls.append("parent"))
    child.before_request(lambda: calls.append("child"))

    @child.route("/page")
    def page():
        g.endpoint_seen = True
        return url_for(".page")

    parent.register_blueprint(child)
    app.register_blueprint(parent)
    response = client.get("/parent/child/page")
    assert response.text == "/parent/child/page"
    assert "parent.child.page" in app.view_functions
    assert calls == ["parent", "child"]


def test_two_blueprints_under_one_name_is_an_error(app, admin):
    app.register_blueprint(admin)
    with pytest.raises(ValueError, match="already registered"):
        app.register_blueprint(admin)


def test_same_blueprint_twice_under_two_names(app, client, admin):
    app.register_blueprint(admin)
    app.register_blueprint(admin, name="staff", url_prefix="/staff")
    assert client.get("/staff/").text == "admin home"
    with app.test_request_context():
        assert url_for("staff.index") == "/staff/"


def test_dotted_names_are_refused():
    with pytest.raises(ValueError, match="may not contain a dot"):
        Blueprint("a.b", __name__)
    bp = Blueprint("a", __name__)
    with pytest.raises(ValueError, match="may not contain a dot"):
        bp.add_url_rule("/", "x.y", lambda: "")


def test_url_defaults_fill_view_arguments(app, client):
    lang = Blueprint("lang", __name__, url_prefix="/ko", url_defaults={"lang": "ko"})

    @lang.route("/")
    def home(lang):
        return lang

    app.register_blueprint(lang)
    assert client.get("/ko/").text == "ko"


def test_blueprint_registered_after_first_request_is_refused(app, client, admin):
    app.route("/")(lambda: "ok")
    client.get("/")
    with pytest.raises(AssertionError, match="first request"):
        app.register_blueprint(admin)


def test_endpoint_decorator_on_a_blueprint_serves_the_apps_endpoint(app, client):
    from microwsgi.routing import Rule

    app.url_map.add(Rule("/foo", endpoint="bar"))
    bp = Blueprint("bp", __name__)

    @bp.endpoint("bar")
    def foobar() -> str:
        return str(request.endpoint)

    app.register_blueprint(bp, url_prefix="/bp_prefix")
    assert client.get("/foo").text == "bar"
    assert client.get("/bp_prefix/bar").status_code == 404


@pytest.mark.parametrize(
    ("parent_init", "child_init", "parent_registration", "child_registration"),
    [
        ("/parent", "/child", None, None),
        ("/parent", None, None, "/child"),
        (None, None, "/parent", "/child"),
        ("/other", "/something", "/parent", "/child"),
    ],
)
def test_nested_prefix_given_as_none_means_the_blueprints_own(
    app, client, parent_init, child_init, parent_registration, child_registration
):
    parent = Blueprint("parent", __name__, url_prefix=parent_init)
    child = Blueprint("child", __name__, url_prefix=child_init)
    child.route("/")(lambda: "index")
    parent.register_blueprint(child, url_prefix=child_registration)
    app.register_blueprint(parent, url_prefix=parent_registration)
    assert client.get("/parent/child/").status_code == 200
