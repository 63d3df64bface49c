"""CSRF protection: tokens accepted, missing/forged/expired/foreign tokens refused, exemptions.

These tests also show how a test suite works with CSRF on: GET the page with
the form, take the token from its HTML (or from ``csrf_token()`` inside
``with client:``), and send it back with the POST, as a browser would.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest

from microwsgi import App, request, session
from microwsgi.blueprints import Blueprint
from microwsgi.csrf import (
    _SALT,
    SESSION_KEY,
    CSRFError,
    CSRFProtect,
    csrf_token,
    rotate_csrf_token,
    validate_csrf_token,
)
from microwsgi.exceptions import BadRequest
from microwsgi.sessions import derive_key, dump_signed, signing_keys
from microwsgi.views import MethodView

FORM_PAGE = '<form method="post"><input type="hidden" name="csrf_token" value="{}"></form>'


@pytest.fixture
def csrf(app):
    protect = CSRFProtect(app)

    @app.route("/form")
    def form():
        return FORM_PAGE.format(csrf_token())

    @app.route("/submit", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def submit():
        return f"accepted {request.method}"

    return protect


def token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match is not None, "the page has no csrf_token field"
    return match.group(1)


def fetch_token(client) -> str:
    return token_from(client.get("/form").text)


# -- accepting ----------------------------------------------------------------


def test_post_with_token_from_the_form_page_is_accepted(csrf, client):
    token = fetch_token(client)
    response = client.post("/submit", data={"csrf_token": token})
    assert response.status_code == 200
    assert response.text == "accepted POST"


def test_token_read_inside_with_client_is_accepted(csrf, client):
    with client:
        client.get("/form")  # the page's csrf_token() stored the session's token
        token = csrf_token()
    assert client.post("/submit", data={"csrf_token": token}).status_code == 200


def test_token_in_header_is_accepted(csrf, client):
    token = fetch_token(client)
    response = client.post("/submit", json={"a": 1}, headers={"X-CSRF-Token": token})
    assert response.status_code == 200


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_other_changing_methods_with_token_are_accepted(csrf, client, method):
    token = fetch_token(client)
    response = client.open("/submit", method=method, headers={"X-CSRF-Token": token})
    assert response.text == f"accepted {method}"


def test_one_token_serves_many_posts(csrf, client):
    token = fetch_token(client)
    for _ in range(3):
        assert client.post("/submit", data={"csrf_token": token}).status_code == 200


def test_tokens_made_at_different_times_are_all_valid(csrf, app, client):
    with client:
        client.get("/form")
        raw = session[SESSION_KEY]
    key = signing_keys(app, _SALT)[0]
    earlier = dump_signed(raw, key, now=time.time() - 600)
    later = dump_signed(raw, key)
    assert earlier != later
    assert client.post("/submit", data={"csrf_token": earlier}).status_code == 200
    assert client.post("/submit", data={"csrf_token": later}).status_code == 200


def test_safe_methods_need_no_token(csrf, client):
    assert client.get("/submit").status_code == 200
    assert client.head("/submit").status_code == 200
    assert client.options("/submit").status_code == 200


def test_token_from_a_multipart_form_is_accepted(csrf, client):
    import io

    token = fetch_token(client)
    data = {"csrf_token": token, "upload": (io.BytesIO(b"data"), "a.txt")}
    assert client.post("/submit", data=data).status_code == 200


# -- refusing -----------------------------------------------------------------


def test_post_without_token_is_400_naming_the_field(csrf, client):
    fetch_token(client)
    response = client.post("/submit", data={"name": "kim"})
    assert response.status_code == 400
    assert "CSRF token is missing" in response.text
    assert "csrf_token" in response.text


def test_post_before_any_page_was_seen_is_refused(csrf, client):
    assert client.post("/submit").status_code == 400


def test_forged_token_is_refused(csrf, client):
    fetch_token(client)
    response = client.post("/submit", data={"csrf_token": "forged.token.value"})
    assert response.status_code == 400
    assert "not made by this site" in response.text


def test_token_with_a_flipped_character_is_refused(csrf, client):
    token = fetch_token(client)
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.post("/submit", data={"csrf_token": flipped}).status_code == 400


def test_raw_session_token_is_not_accepted_as_a_form_token(csrf, client):
    with client:
        client.get("/form")
        raw = session[SESSION_KEY]
    assert client.post("/submit", data={"csrf_token": raw}).status_code == 400


def test_non_ascii_token_is_refused_not_crashed(csrf, client):
    fetch_token(client)
    response = client.post("/submit", data={"csrf_token": "é.ü.ß"})
    assert response.status_code == 400


def test_token_of_another_session_is_refused(csrf, app):
    attacker, victim = app.test_client(), app.test_client()
    attackers_token = fetch_token(attacker)
    fetch_token(victim)
    response = victim.post("/submit", data={"csrf_token": attackers_token})
    assert response.status_code == 400
    assert "another session" in response.text


def test_valid_token_without_session_cookie_is_refused(csrf, app):
    client = app.test_client()
    token = fetch_token(client)
    client.delete_cookie("session")
    response = client.post("/submit", data={"csrf_token": token})
    assert response.status_code == 400
    assert "session holds no CSRF token" in response.text


def test_expired_token_is_refused_saying_it_expired(csrf, app, client):
    app.config["CSRF_TIME_LIMIT"] = 60
    with client:
        client.get("/form")
        raw = session[SESSION_KEY]
    old_token = dump_signed(raw, signing_keys(app, _SALT)[0], now=time.time() - 120)
    response = client.post("/submit", data={"csrf_token": old_token})
    assert response.status_code == 400
    assert "expired" in response.text


def test_time_limit_may_be_a_timedelta(csrf, app, client):
    app.config["CSRF_TIME_LIMIT"] = timedelta(minutes=1)
    with client:
        client.get("/form")
        raw = session[SESSION_KEY]
    old_token = dump_signed(raw, signing_keys(app, _SALT)[0], now=time.time() - 120)
    assert client.post("/submit", data={"csrf_token": old_token}).status_code == 400


def test_no_time_limit_accepts_old_tokens(csrf, app, client):
    app.config["CSRF_TIME_LIMIT"] = None
    with client:
        client.get("/form")
        raw = session[SESSION_KEY]
    old_token = dump_signed(raw, signing_keys(app, _SALT)[0], now=time.time() - 10 * 365 * 86400)
    assert client.post("/submit", data={"csrf_token": old_token}).status_code == 200


def test_token_signed_with_the_session_key_is_refused(csrf, app, client):
    """A token must be signed for CSRF; the session's signature (another salt) does not do."""
    with client:
        client.get("/form")
        raw = session[SESSION_KEY]
    session_signed = dump_signed(raw, derive_key(app.secret_key, b"microwsgi.session"))
    assert client.post("/submit", data={"csrf_token": session_signed}).status_code == 400


def test_failure_is_a_bad_request_named_csrf_error(csrf, app, client):
    seen = []

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        seen.append(error)
        return "Your form expired; please try again.", 400

    response = client.post("/submit")
    assert response.text == "Your form expired; please try again."
    assert isinstance(seen[0], BadRequest)


def test_generic_400_handler_also_catches_csrf_errors(csrf, app, client):
    app.register_error_handler(400, lambda error: ("bad: " + type(error).__name__, 400))
    assert client.post("/submit").text == "bad: CSRFError"


def test_unknown_url_is_404_not_a_csrf_error(csrf, client):
    assert client.post("/nowhere").status_code == 404


def test_wrong_method_is_405_not_a_csrf_error(csrf, app, client):
    app.route("/read-only")(lambda: "ok")
    assert client.post("/read-only").status_code == 405


def test_view_does_not_run_when_the_check_fails(csrf, app, client):
    calls = []

    @app.post("/transfer")
    def transfer():
        calls.append("moved money")
        return "done"

    client.post("/transfer", data={"amount": "1000"})
    assert calls == []


def test_check_stays_on_when_testing(csrf, app, client):
    app.testing = True
    assert client.post("/submit").status_code == 400


# -- turning it off, exemptions -----------------------------------------------


def test_csrf_enabled_false_turns_the_check_off(csrf, app, client):
    app.config["CSRF_ENABLED"] = False
    assert client.post("/submit").status_code == 200


def test_without_csrf_protect_nothing_is_checked(app, client):
    app.post("/submit")(lambda: "ok")
    assert client.post("/submit").status_code == 200


def test_exempt_decorator_below_route(csrf, app, client):
    @app.post("/webhook")
    @csrf.exempt
    def webhook():
        return "received"

    assert client.post("/webhook").text == "received"


def test_exempt_decorator_above_route(csrf, app, client):
    @csrf.exempt
    @app.post("/webhook")
    def webhook():
        return "received"

    assert client.post("/webhook").text == "received"


def test_exempt_by_endpoint_name(csrf, app, client):
    app.post("/webhook", endpoint="payment_hook")(lambda: "received")
    csrf.exempt("payment_hook")
    assert client.post("/webhook").text == "received"


def test_exempt_function_behind_a_wrapping_decorator(csrf, app, client):
    import functools

    def logged(view):
        @functools.wraps(view)
        def wrapper(**kwargs):
            return view(**kwargs)

        return wrapper

    @app.post("/webhook")
    @logged
    @csrf.exempt
    def webhook():
        return "received"

    assert client.post("/webhook").text == "received"


def test_exemption_is_only_for_that_view(csrf, app, client):
    csrf.exempt(app.post("/webhook")(lambda: "received"))
    assert client.post("/submit").status_code == 400


def test_exempt_method_view_class(csrf, app, client):
    @csrf.exempt
    class Hook(MethodView):
        def post(self):
            return "received"

    app.add_url_rule("/hook", view_func=Hook.as_view("hook"))
    assert client.post("/hook").text == "received"


def test_exempt_blueprint(csrf, app, client):
    api = Blueprint("api", __name__, url_prefix="/api")
    api.post("/items")(lambda: "created")
    csrf.exempt(api)
    app.register_blueprint(api)
    assert client.post("/api/items").text == "created"
    assert client.post("/submit").status_code == 400


def test_exempt_blueprint_covers_nested_blueprints(csrf, app, client):
    api = Blueprint("api", __name__, url_prefix="/api")
    v1 = Blueprint("v1", __name__, url_prefix="/v1")
    v1.post("/items")(lambda: "created")
    api.register_blueprint(v1)
    csrf.exempt(api)
    app.register_blueprint(api)
    assert client.post("/api/v1/items").text == "created"


def test_exempt_refuses_something_that_is_not_a_view(csrf):
    with pytest.raises(TypeError, match="takes a view function"):
        csrf.exempt(42)


# -- settings -------------------------------------------------------------------


def test_init_app_with_an_application_factory():
    csrf = CSRFProtect()

    def create_app():
        app = App(__name__)
        app.config["SECRET_KEY"] = "factory-key"
        csrf.init_app(app)
        app.post("/submit")(lambda: "ok")
        return app

    first, second = create_app(), create_app()
    assert first.test_client().post("/submit").status_code == 400
    assert second.test_client().post("/submit").status_code == 400


def test_init_app_sets_defaults_without_overriding(app):
    app.config["CSRF_TIME_LIMIT"] = 60
    CSRFProtect(app)
    assert app.config["CSRF_TIME_LIMIT"] == 60
    assert app.config["CSRF_FIELD_NAME"] == "csrf_token"
    assert app.config["CSRF_HEADER_NAME"] == "X-CSRF-Token"
    assert app.config["CSRF_ENABLED"] is True


def test_custom_field_name(csrf, app, client):
    app.config["CSRF_FIELD_NAME"] = "_token"
    token = fetch_token(client)
    assert client.post("/submit", data={"csrf_token": token}).status_code == 400
    assert client.post("/submit", data={"_token": token}).status_code == 200


def test_custom_header_name(csrf, app, client):
    app.config["CSRF_HEADER_NAME"] = "X-XSRF-Token"
    token = fetch_token(client)
    assert client.post("/submit", headers={"X-XSRF-Token": token}).status_code == 200


def test_token_survives_a_key_rotation_through_fallbacks(csrf, app, client):
    token = fetch_token(client)
    app.config["SECRET_KEY_FALLBACKS"] = [app.config["SECRET_KEY"]]
    app.config["SECRET_KEY"] = "the-new-key"
    # The session cookie was signed with the old key too, and is read through the fallback.
    assert client.post("/submit", data={"csrf_token": token}).status_code == 200


def test_token_is_refused_once_its_key_is_dropped(csrf, app, client):
    token = fetch_token(client)
    app.config["SECRET_KEY"] = "the-new-key"
    assert client.post("/submit", data={"csrf_token": token}).status_code == 400


def test_rotate_makes_earlier_tokens_invalid(csrf, app, client):
    @app.post("/login")
    def login():
        rotate_csrf_token()
        return "logged in"

    old_token = fetch_token(client)
    assert client.post("/login", data={"csrf_token": old_token}).status_code == 200
    assert client.post("/submit", data={"csrf_token": old_token}).status_code == 400
    assert client.post("/submit", data={"csrf_token": fetch_token(client)}).status_code == 200


def test_csrf_token_without_secret_key_explains_how_to_set_one():
    app = App(__name__)
    with app.test_request_context(), pytest.raises(RuntimeError, match="SECRET_KEY"):
        csrf_token()


def test_protected_post_without_secret_key_explains_how_to_set_one():
    app = App(__name__)
    app.testing = True
    CSRFProtect(app)
    app.post("/submit")(lambda: "ok")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        app.test_client().post("/submit")


def test_csrf_token_stores_one_token_per_session(app):
    with app.test_request_context():
        csrf_token()
        raw = session[SESSION_KEY]
        csrf_token()
        assert session[SESSION_KEY] == raw
        assert len(raw) >= 40  # 32 random bytes


def test_validate_csrf_token_by_hand(app):
    with app.test_request_context():
        token = csrf_token()
        validate_csrf_token(token)
        with pytest.raises(CSRFError):
            validate_csrf_token("nonsense")
        with pytest.raises(CSRFError):
            validate_csrf_token(None)


# -- Origin / Referer -------------------------------------------------------------


@pytest.fixture
def strict(csrf, app):
    app.config["CSRF_CHECK_ORIGIN"] = True
    return csrf


def test_origin_of_this_site_is_accepted(strict, client):
    token = fetch_token(client)
    headers = {"Origin": "http://localhost", "X-CSRF-Token": token}
    assert client.post("/submit", headers=headers).status_code == 200


def test_origin_of_another_site_is_refused(strict, client):
    token = fetch_token(client)
    headers = {"Origin": "https://evil.example", "X-CSRF-Token": token}
    response = client.post("/submit", headers=headers)
    assert response.status_code == 400
    assert "evil.example" in response.text


def test_referer_is_checked_when_there_is_no_origin(strict, client):
    token = fetch_token(client)
    good = {"Referer": "http://localhost/form", "X-CSRF-Token": token}
    bad = {"Referer": "http://evil.example/page", "X-CSRF-Token": token}
    assert client.post("/submit", headers=good).status_code == 200
    assert client.post("/submit", headers=bad).status_code == 400


def test_null_origin_falls_back_to_referer(strict, client):
    token = fetch_token(client)
    with_referer = {"Origin": "null", "Referer": "http://localhost/form", "X-CSRF-Token": token}
    without_referer = {"Origin": "null", "X-CSRF-Token": token}
    assert client.post("/submit", headers=with_referer).status_code == 200
    assert client.post("/submit", headers=without_referer).status_code == 400


def test_neither_origin_nor_referer_is_refused(strict, client):
    token = fetch_token(client)
    response = client.post("/submit", headers={"X-CSRF-Token": token})
    assert response.status_code == 400
    assert "neither an Origin nor a Referer" in response.text


def test_trusted_origin_is_accepted(strict, app, client):
    app.config["CSRF_TRUSTED_ORIGINS"] = ["https://admin.example.com/"]
    token = fetch_token(client)
    headers = {"Origin": "https://admin.example.com", "X-CSRF-Token": token}
    assert client.post("/submit", headers=headers).status_code == 200


def test_origin_default_port_matches_host_without_port(strict, client):
    token = fetch_token(client)
    headers = {"Referer": "http://localhost:80/form", "X-CSRF-Token": token}
    assert client.post("/submit", headers=headers).status_code == 200


def test_origin_other_port_is_another_site(strict, client):
    token = fetch_token(client)
    headers = {"Origin": "http://localhost:8080", "X-CSRF-Token": token}
    assert client.post("/submit", headers=headers).status_code == 400


def test_origin_with_bad_port_is_refused_not_crashed(strict, client):
    token = fetch_token(client)
    headers = {"Origin": "http://localhost:abc", "X-CSRF-Token": token}
    assert client.post("/submit", headers=headers).status_code == 400


def test_origin_is_not_checked_when_off(csrf, client):
    token = fetch_token(client)
    headers = {"Origin": "https://evil.example", "X-CSRF-Token": token}
    assert client.post("/submit", headers=headers).status_code == 200


# -- a whole app, as it would be written --------------------------------------------


def test_login_form_round_trip_under_a_mount_prefix(csrf, app):
    """uWSGI --mount /shop=app:app: the session cookie's path is /shop, the token still works."""
    client = app.test_client()
    page = client.get("/form", base_url="http://localhost/shop")
    token = token_from(page.text)
    response = client.post("/submit", base_url="http://localhost/shop", data={"csrf_token": token})
    assert response.text == "accepted POST"


def test_token_from_a_rendered_template_is_accepted(app, client):
    from microwsgi import render_template_string

    CSRFProtect(app)

    @app.route("/comment", methods=["GET", "POST"])
    def comment():
        if request.method == "POST":
            return "saved"
        return render_template_string(
            '<form method="post"><input type="hidden" name="csrf_token" '
            'value="{{ csrf_token() }}"></form>'
        )

    token = token_from(client.get("/comment").text)
    assert client.post("/comment", data={"csrf_token": token}).text == "saved"
    assert client.post("/comment").status_code == 400
