"""Signed-cookie sessions: round trips, tampering, key rotation, cookie flags, when sent."""

from __future__ import annotations

import time
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest

from microwsgi import App, session
from microwsgi.sessions import (
    NullSession,
    SecureCookieSessionInterface,
    Session,
    derive_key,
    dump_signed,
    load_signed,
)

SESSION_SALT = SecureCookieSessionInterface.salt


@pytest.fixture
def app():
    app = App(__name__)
    app.config["SECRET_KEY"] = "test-secret-key"

    @app.route("/set/<key>/<value>")
    def set_value(key, value):
        session[key] = value
        return "ok"

    @app.route("/read")
    def read():
        return dict(session)

    @app.route("/nothing")
    def nothing():
        return "no session here"

    @app.route("/look")
    def look():
        return {"user": session.get("user")}

    @app.route("/clear")
    def clear():
        session.clear()
        return "cleared"

    @app.route("/permanent")
    def permanent():
        session.permanent = True
        session["user"] = "kim"
        return "ok"

    return app


def signed_cookie(data, secret="test-secret-key", now=None) -> str:
    return dump_signed(data, derive_key(secret, SESSION_SALT), now=now)


def set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def session_cookie_header(response) -> str:
    (header,) = [h for h in set_cookies(response) if h.startswith("session=")]
    return header


def cookie_attributes(header: str) -> dict[str, str]:
    attributes = {}
    for part in header.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        attributes[name.lower()] = value
    return attributes


def read_with_cookie(app, value: str) -> dict:
    return app.test_client().get("/read", headers={"Cookie": f"session={value}"}).get_json()


# -- round trips --------------------------------------------------------------


@pytest.mark.parametrize("salt", ["my-app-session", b"my-app-session"])
def test_subclass_salt_may_be_text_as_in_flask(app, salt):
    class OwnSalt(SecureCookieSessionInterface):
        pass

    OwnSalt.salt = salt
    app.session_interface = OwnSalt()
    client = app.test_client()
    client.get("/set/user/kim")
    assert client.get("/read").get_json() == {"user": "kim"}
    cookie = client.get_cookie("session").value
    # The same key either way, and another key than the default salt's.
    assert load_signed(cookie, [derive_key("test-secret-key", b"my-app-session")]) is not None
    assert load_signed(cookie, [derive_key("test-secret-key", SESSION_SALT)]) is None
    serializer = app.session_interface.get_signing_serializer(app)
    assert serializer.loads(serializer.dumps({"a": 1})) == {"a": 1}


def test_value_set_in_one_request_is_read_in_the_next(app, client):
    client.get("/set/user/kim")
    assert client.get("/read").get_json() == {"user": "kim"}


def test_values_accumulate_across_requests(app, client):
    client.get("/set/user/kim")
    client.get("/set/theme/dark")
    assert client.get("/read").get_json() == {"user": "kim", "theme": "dark"}


def test_non_ascii_and_nested_values_round_trip(app, client):
    @app.route("/nested")
    def nested():
        session["data"] = {"name": "Zoë 😀", "items": [1, 2.5, None, True]}
        return "ok"

    client.get("/nested")
    assert client.get("/read").get_json() == {
        "data": {"name": "Zoë 😀", "items": [1, 2.5, None, True]}
    }


def test_two_clients_have_separate_sessions(app):
    kim, lee = app.test_client(), app.test_client()
    kim.get("/set/user/kim")
    lee.get("/set/user/lee")
    assert kim.get("/read").get_json() == {"user": "kim"}
    assert lee.get("/read").get_json() == {"user": "lee"}


def test_cookie_payload_is_readable_but_holds_no_secret_key(app, client):
    """The browser can decode the payload: never store secrets in the session."""
    response = client.get("/set/user/kim")
    value = session_cookie_header(response).split(";")[0].partition("=")[2]
    import base64

    payload = value.split(".")[0]
    assert base64.urlsafe_b64decode(payload + "==") == b'{"user":"kim"}'
    assert "test-secret-key" not in value


def test_in_place_change_is_saved_after_setting_modified(app, client):
    @app.route("/cart/add")
    def add_to_cart():
        session.setdefault("cart", [])
        return "ok"

    @app.route("/cart/append")
    def append():
        session["cart"].append("apple")
        session.modified = True
        return "ok"

    client.get("/cart/add")
    client.get("/cart/append")
    assert client.get("/read").get_json() == {"cart": ["apple"]}


def test_in_place_change_without_modified_is_not_saved(app, client):
    @app.route("/cart/add")
    def add_to_cart():
        session["cart"] = []
        return "ok"

    @app.route("/cart/append")
    def append():
        session["cart"].append("apple")
        return "ok"

    client.get("/cart/add")
    client.get("/cart/append")
    assert client.get("/read").get_json() == {"cart": []}


# -- tampering ----------------------------------------------------------------


def test_valid_signed_cookie_is_read(app):
    assert read_with_cookie(app, signed_cookie({"user": "kim"})) == {"user": "kim"}


def test_flipped_byte_in_the_signature_gives_an_empty_session(app):
    cookie = signed_cookie({"user": "kim"})
    flipped = cookie[:-3] + ("A" if cookie[-3] != "A" else "B") + cookie[-2:]
    assert read_with_cookie(app, flipped) == {}


def test_flipped_byte_in_the_payload_gives_an_empty_session(app):
    cookie = signed_cookie({"user": "kim"})
    flipped = ("f" if cookie[0] != "f" else "e") + cookie[1:]
    assert read_with_cookie(app, flipped) == {}


def test_changed_payload_with_the_old_signature_gives_an_empty_session(app):
    genuine = signed_cookie({"user": "kim"})
    forged_payload = signed_cookie({"user": "admin"}, secret="attackers-guess").split(".")[0]
    _, timestamp, signature = genuine.split(".")
    assert read_with_cookie(app, f"{forged_payload}.{timestamp}.{signature}") == {}


def test_signature_swapped_from_another_cookie_gives_an_empty_session(app):
    kim = signed_cookie({"user": "kim"}, now=1_700_000_000)
    admin = signed_cookie({"user": "admin"}, now=1_700_000_000)
    payload, timestamp, _ = admin.split(".")
    kims_signature = kim.split(".")[2]
    assert read_with_cookie(app, f"{payload}.{timestamp}.{kims_signature}") == {}


def test_cookie_signed_with_another_key_gives_an_empty_session(app):
    assert read_with_cookie(app, signed_cookie({"user": "kim"}, secret="other")) == {}


def test_cookie_signed_for_another_purpose_gives_an_empty_session(app):
    """The same secret with another salt (CSRF tokens, say) makes no valid session."""
    other_purpose = dump_signed({"user": "kim"}, derive_key("test-secret-key", b"microwsgi.csrf"))
    assert read_with_cookie(app, other_purpose) == {}


def test_changed_timestamp_gives_an_empty_session(app):
    payload, _, signature = signed_cookie({"user": "kim"}).split(".")
    later = signed_cookie({"user": "kim"}, now=time.time() + 1000).split(".")[1]
    assert read_with_cookie(app, f"{payload}.{later}.{signature}") == {}


def test_expired_timestamp_gives_an_empty_session(app):
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=5)
    old = signed_cookie({"user": "kim"}, now=time.time() - 600)
    assert read_with_cookie(app, old) == {}


def test_timestamp_within_the_lifetime_is_accepted(app):
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=5)
    recent = signed_cookie({"user": "kim"}, now=time.time() - 60)
    assert read_with_cookie(app, recent) == {"user": "kim"}


def test_lifetime_given_in_seconds_is_accepted(app):
    app.config["PERMANENT_SESSION_LIFETIME"] = 300
    assert read_with_cookie(app, signed_cookie({"u": 1}, now=time.time() - 600)) == {}
    assert read_with_cookie(app, signed_cookie({"u": 1}, now=time.time() - 60)) == {"u": 1}


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "nodots",
        "a.b",
        "a.b.c.d",
        "....",
        "%%%",
        "ÿþ.é.ü",
        "\u00e9\u00e8.x.y",
        '"\\377quoted"',
        "a.b.c",
        "e30.AAAA.!!!!",
        "x" * 5000,
    ],
)
def test_garbled_cookie_gives_an_empty_session_not_an_error(app, garbage):
    response = app.test_client().get("/read", headers={"Cookie": f"session={garbage}"})
    assert response.status_code == 200
    assert response.get_json() == {}


def test_signed_value_that_is_not_a_dict_gives_an_empty_session(app):
    assert read_with_cookie(app, signed_cookie(["a", "list"])) == {}


def test_tampered_cookie_session_can_be_written_afresh(app):
    client = app.test_client()
    client.set_cookie("session", "tampered.cookie.value")
    client.get("/set/user/kim")
    assert client.get("/read").get_json() == {"user": "kim"}


def test_load_signed_rejects_non_ascii_signature():
    key = derive_key("k", SESSION_SALT)
    payload, timestamp, _ = dump_signed({"a": 1}, key).split(".")
    assert load_signed(f"{payload}.{timestamp}.ü", [key]) is None


def test_load_signed_reads_its_own_output():
    key = derive_key("k", SESSION_SALT)
    assert load_signed(dump_signed({"a": [1, 2]}, key), [key]) == {"a": [1, 2]}


# -- key rotation ---------------------------------------------------------------


def test_cookie_signed_with_a_fallback_key_is_read(app):
    app.config["SECRET_KEY"] = "new-key"
    app.config["SECRET_KEY_FALLBACKS"] = ["test-secret-key"]
    assert read_with_cookie(app, signed_cookie({"user": "kim"})) == {"user": "kim"}


def test_cookie_is_re_signed_with_the_current_key_on_change(app, client):
    client.set_cookie("session", signed_cookie({"user": "kim"}, secret="old-key"))
    app.config["SECRET_KEY_FALLBACKS"] = ["old-key"]
    client.get("/set/theme/dark")
    # Now readable without the fallback: it was signed with the current key.
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert client.get("/read").get_json() == {"user": "kim", "theme": "dark"}


def test_cookie_signed_with_a_dropped_key_is_not_read(app):
    app.config["SECRET_KEY"] = "new-key"
    assert read_with_cookie(app, signed_cookie({"user": "kim"})) == {}


def test_bytes_secret_key_works(app, client):
    app.config["SECRET_KEY"] = b"\x00\xffbinary-key"
    client.get("/set/user/kim")
    assert client.get("/read").get_json() == {"user": "kim"}


# -- cookie flags -----------------------------------------------------------------


def test_default_flags_are_httponly_samesite_lax_path_root(app, client):
    attributes = cookie_attributes(session_cookie_header(client.get("/set/user/kim")))
    assert "httponly" in attributes
    assert attributes["samesite"] == "Lax"
    assert attributes["path"] == "/"
    assert "secure" not in attributes
    assert "domain" not in attributes


def test_browser_session_cookie_has_no_expiry(app, client):
    attributes = cookie_attributes(session_cookie_header(client.get("/set/user/kim")))
    assert "expires" not in attributes
    assert "max-age" not in attributes


def test_secure_flag_from_config(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    assert "secure" in cookie_attributes(session_cookie_header(client.get("/set/user/kim")))


def test_httponly_can_be_turned_off(app, client):
    app.config["SESSION_COOKIE_HTTPONLY"] = False
    assert "httponly" not in cookie_attributes(session_cookie_header(client.get("/set/a/b")))


def test_samesite_from_config(app, client):
    app.config["SESSION_COOKIE_SAMESITE"] = "Strict"
    attributes = cookie_attributes(session_cookie_header(client.get("/set/a/b")))
    assert attributes["samesite"] == "Strict"


def test_samesite_none_in_config_leaves_the_attribute_out(app, client):
    app.config["SESSION_COOKIE_SAMESITE"] = None
    assert "samesite" not in cookie_attributes(session_cookie_header(client.get("/set/a/b")))


def test_domain_from_config(app, client):
    app.config["SESSION_COOKIE_DOMAIN"] = "example.com"
    attributes = cookie_attributes(session_cookie_header(client.get("/set/a/b")))
    assert attributes["domain"] == "example.com"


def test_path_from_config(app, client):
    app.config["SESSION_COOKIE_PATH"] = "/app"
    attributes = cookie_attributes(session_cookie_header(client.get("/set/a/b")))
    assert attributes["path"] == "/app"


def test_cookie_name_from_config(app, client):
    app.config["SESSION_COOKIE_NAME"] = "sid"
    response = client.get("/set/user/kim")
    assert any(h.startswith("sid=") for h in set_cookies(response))
    assert client.get("/read").get_json() == {"user": "kim"}


def test_path_follows_the_mount_prefix(app):
    """uWSGI --mount /shop=app:app --manage-script-name: SCRIPT_NAME is /shop."""
    client = app.test_client()
    response = client.get("/set/user/kim", base_url="http://localhost/shop")
    assert cookie_attributes(session_cookie_header(response))["path"] == "/shop"
    assert client.get("/read", base_url="http://localhost/shop").get_json() == {"user": "kim"}


def test_path_follows_application_root_when_not_mounted(app, client):
    app.config["APPLICATION_ROOT"] = "/portal"
    response = client.get("/set/a/b", base_url="http://localhost/")
    assert cookie_attributes(session_cookie_header(response))["path"] == "/portal"


def test_cookie_from_another_mount_is_not_sent(app):
    client = app.test_client()
    client.get("/set/user/kim", base_url="http://localhost/shop")
    assert client.get("/read", base_url="http://localhost/blog").get_json() == {}


# -- when a cookie is sent ---------------------------------------------------------


def test_unchanged_session_sends_no_cookie(app, client):
    client.get("/set/user/kim")
    assert set_cookies(client.get("/look")) == []


def test_view_that_never_touches_the_session_sends_no_cookie_and_no_vary(app, client):
    client.get("/set/user/kim")
    response = client.get("/nothing")
    assert set_cookies(response) == []
    assert "Cookie" not in response.headers.getlist("Vary")


def test_reading_the_session_adds_vary_cookie(app, client):
    response = client.get("/look")
    assert "Cookie" in ", ".join(response.headers.getlist("Vary"))


def test_vary_cookie_is_not_repeated(app, client):
    @app.route("/vary")
    def vary():
        session["a"] = 1
        return "ok", {"Vary": "Cookie"}

    assert client.get("/vary").headers.getlist("Vary") == ["Cookie"]


def test_vary_cookie_keeps_other_vary_values(app, client):
    @app.route("/vary")
    def vary():
        session["a"] = 1
        return "ok", {"Vary": "Accept-Encoding"}

    vary_values = ", ".join(client.get("/vary").headers.getlist("Vary"))
    assert "Accept-Encoding" in vary_values
    assert "Cookie" in vary_values


def test_new_empty_session_sends_no_cookie(app, client):
    assert set_cookies(client.get("/look")) == []


def test_changing_the_session_sends_a_cookie(app, client):
    client.get("/set/user/kim")
    assert len(set_cookies(client.get("/set/user/lee"))) == 1


def test_emptying_the_session_deletes_the_cookie(app, client):
    client.get("/set/user/kim")
    response = client.get("/clear")
    attributes = cookie_attributes(session_cookie_header(response))
    assert attributes["max-age"] == "0"
    assert attributes["path"] == "/"
    assert client.get_cookie("session") is None
    assert client.get("/read").get_json() == {}


def test_deletion_uses_the_mount_path(app):
    client = app.test_client()
    client.get("/set/user/kim", base_url="http://localhost/shop")
    response = client.get("/clear", base_url="http://localhost/shop")
    assert cookie_attributes(session_cookie_header(response))["path"] == "/shop"


def test_clearing_a_session_that_was_never_saved_sends_nothing(app, client):
    assert set_cookies(client.get("/clear")) == []


def test_popping_the_last_key_deletes_the_cookie(app, client):
    @app.route("/logout")
    def logout():
        session.pop("user", None)
        return "bye"

    client.get("/set/user/kim")
    assert cookie_attributes(session_cookie_header(client.get("/logout")))["max-age"] == "0"


def test_popping_a_missing_key_sends_no_cookie(app, client):
    @app.route("/logout")
    def logout():
        session.pop("user", None)
        return "bye"

    client.get("/set/theme/dark")
    assert set_cookies(client.get("/logout")) == []


def test_in_place_union_is_saved(app, client):
    @app.route("/merge")
    def merge():
        current = session._get_current_object()
        current |= {"theme": "dark"}
        return "ok"

    client.get("/merge")
    assert client.get("/read").get_json() == {"theme": "dark"}


# -- permanent sessions -------------------------------------------------------------


def test_permanent_session_cookie_expires_after_the_lifetime(app, client):
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=7)
    before = time.time()
    attributes = cookie_attributes(session_cookie_header(client.get("/permanent")))
    expires = parsedate_to_datetime(attributes["expires"]).timestamp()
    assert before + 7 * 86400 - 5 <= expires <= time.time() + 7 * 86400 + 5


def test_permanent_flag_is_remembered(app, client):
    @app.route("/is-permanent")
    def is_permanent():
        return {"permanent": session.permanent}

    assert client.get("/is-permanent").get_json() == {"permanent": False}
    client.get("/permanent")
    assert client.get("/is-permanent").get_json() == {"permanent": True}


def test_making_a_session_permanent_counts_as_a_change(app):
    with app.test_request_context():
        assert session.modified is False
        session.permanent = True
        assert session.modified is True


# -- without SECRET_KEY -------------------------------------------------------------


def test_writing_without_secret_key_raises_the_teaching_error():
    app = App(__name__)
    with app.test_request_context(), pytest.raises(RuntimeError) as error:
        session["user"] = "kim"
    message = str(error.value)
    assert "SECRET_KEY" in message
    assert "secrets.token_hex" in message


@pytest.mark.parametrize(
    "write",
    [
        lambda s: s.update(a=1),
        lambda s: s.setdefault("a", 1),
        lambda s: s.pop("a", None),
        lambda s: s.clear(),
        lambda s: setattr(s, "permanent", True),
        lambda s: s.__ior__({"a": 1}),
    ],
    ids=["update", "setdefault", "pop", "clear", "permanent", "in-place-union"],
)
def test_every_way_of_writing_without_secret_key_raises(write):
    app = App(__name__)
    with app.test_request_context(), pytest.raises(RuntimeError, match="SECRET_KEY"):
        write(session._get_current_object())


def test_reading_without_secret_key_gives_an_empty_session():
    app = App(__name__)
    app.route("/")(lambda: {"user": session.get("user"), "empty": len(session) == 0})
    response = app.test_client().get("/", headers={"Cookie": f"session={signed_cookie({'u': 1})}"})
    assert response.get_json() == {"user": None, "empty": True}


def test_without_secret_key_the_session_is_a_null_session():
    app = App(__name__)
    with app.test_request_context():
        assert isinstance(session._get_current_object(), NullSession)


def test_view_writing_without_secret_key_answers_500_and_logs_the_reason(caplog):
    app = App(__name__)

    @app.route("/login")
    def login():
        session["user"] = "kim"
        return "ok"

    response = app.test_client().get("/login")
    assert response.status_code == 500
    assert "SECRET_KEY" in caplog.text


# -- the interface ---------------------------------------------------------------------


def test_session_interface_can_be_replaced(app, client):
    store: dict[str, dict] = {}

    class ServerSideSessions(SecureCookieSessionInterface):
        def open_session(self, app, request):
            sid = request.cookies.get("sid")
            return Session(store.get(sid, {}), new=sid not in store)

        def save_session(self, app, session, response):
            if session.modified:
                store["the-id"] = dict(session)
                response.set_cookie("sid", "the-id")

    app.session_interface = ServerSideSessions()
    client.get("/set/user/kim")
    assert store == {"the-id": {"user": "kim"}}
    assert client.get("/read").get_json() == {"user": "kim"}


# -- Vary: Cookie exactly when the response depends on the session ------------------


def test_vary_cookie_when_the_view_only_asked_whether_a_key_is_there(app, client):
    @app.route("/logged-in")
    def logged_in():
        return "yes" if "user" in session else "no"

    assert client.get("/logged-in").headers["Vary"] == "Cookie"


def test_vary_cookie_joins_the_views_vary_in_one_header(app, client):
    @app.route("/both")
    def both():
        session["a"] = 1
        return "ok", {"Vary": "Accept-Encoding, Accept-Language"}

    response = client.get("/both")
    assert response.headers.get_all("Vary") == ["Accept-Encoding, Accept-Language, Cookie"]


def test_session_accessed_is_set_by_use_and_not_by_the_framework(app):
    with app.test_request_context(headers={"Cookie": f"session={signed_cookie({'a': 1})}"}):
        from microwsgi.globals import request_ctx

        assert request_ctx._session.accessed is False  # opened for inspection only
        assert session.get("a") == 1
        assert request_ctx._session.accessed is True


# -- SESSION_REFRESH_EACH_REQUEST ------------------------------------------------------


def test_permanent_session_is_refreshed_by_a_view_that_never_used_it(app, client):
    client.get("/permanent")
    response = client.get("/nothing")
    attributes = cookie_attributes(session_cookie_header(response))
    assert "expires" in attributes
    assert response.headers["Vary"] == "Cookie"  # the response carries the cookie
    assert client.get("/read").get_json() == {"_permanent": True, "user": "kim"}


def test_browser_session_is_not_refreshed_and_gets_no_vary(app, client):
    client.get("/set/user/kim")
    response = client.get("/nothing")
    assert set_cookies(response) == []
    assert "Vary" not in response.headers


def test_refresh_can_be_turned_off(app, client):
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    client.get("/permanent")
    assert set_cookies(client.get("/nothing")) == []
    assert set_cookies(client.get("/look")) == []


def test_a_request_without_the_session_cookie_opens_no_session(app, client):
    opened = []

    class CountingInterface(SecureCookieSessionInterface):
        def open_session(self, app, request):
            opened.append(request.path)
            return super().open_session(app, request)

    app.session_interface = CountingInterface()
    client.set_cookie("theme", "dark")
    client.get("/nothing")
    assert opened == []


# -- permanent_session_lifetime -------------------------------------------------------


def test_permanent_session_lifetime_reads_and_writes_the_config(app):
    assert app.permanent_session_lifetime == timedelta(days=31)
    app.permanent_session_lifetime = 3600
    assert app.config["PERMANENT_SESSION_LIFETIME"] == 3600
    assert app.permanent_session_lifetime == timedelta(hours=1)


def test_permanent_session_lifetime_sets_the_cookie_expiry(app, client):
    app.permanent_session_lifetime = timedelta(hours=2)
    before = time.time()
    attributes = cookie_attributes(session_cookie_header(client.get("/permanent")))
    expires = parsedate_to_datetime(attributes["expires"]).timestamp()
    assert before + 7200 - 5 <= expires <= time.time() + 7200 + 5


# -- cookie settings ---------------------------------------------------------------


def test_partitioned_session_cookie_and_its_deletion(app, client):
    app.config.update(SESSION_COOKIE_PARTITIONED=True, SESSION_COOKIE_DOMAIN=".example.com")
    client.get("/set/user/kim", base_url="https://www.example.com/")
    for path in ("/set/user/lee", "/clear"):
        attributes = cookie_attributes(
            session_cookie_header(client.get(path, base_url="https://www.example.com/"))
        )
        assert {"partitioned", "secure", "httponly", "samesite", "domain", "path"} <= set(
            attributes
        )
        assert attributes["domain"] == "example.com"


def test_invalid_samesite_setting_is_a_clear_error(app, client):
    app.config.update(SESSION_COOKIE_SAMESITE="sometimes", TESTING=True)
    with pytest.raises(ValueError, match="samesite"):
        client.get("/set/user/kim")


def test_large_session_warns_that_browsers_would_drop_it(app, client):
    @app.route("/big")
    def big():
        session["blob"] = "x" * 5000
        return "ok"

    with pytest.warns(UserWarning, match="'session' cookie is too large"):
        client.get("/big")
    app.config["MAX_COOKIE_SIZE"] = 0
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client.get("/big")


def test_session_interface_set_on_a_subclass_is_used():
    class NamedInterface(SecureCookieSessionInterface):
        def get_cookie_name(self, app):
            return "custom"

    class MyApp(App):
        session_interface = NamedInterface()

    app = MyApp(__name__)
    app.secret_key = "k"

    @app.route("/")
    def index():
        session["a"] = 1
        return "ok"

    assert session_cookie_name(app.test_client().get("/")) == "custom"


def session_cookie_name(response) -> str:
    (header,) = set_cookies(response)
    return header.partition("=")[0]


# -- values of every type the tagged serializer keeps ---------------------------------


def test_tuples_bytes_datetimes_uuids_and_markup_survive_the_cookie(app):
    import uuid
    from datetime import UTC, datetime

    from markupsafe import Markup

    stored = {
        "t": (1, (2, 3)),
        "b": b"\xff\x00",
        "d": datetime(2026, 11, 24, 9, 30, 0, 123456, tzinfo=UTC),
        "naive": datetime(2026, 11, 24, 9, 30),
        "u": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "m": Markup("<b>hi</b>"),
        "tag_like": {" t": "not a tuple"},
    }
    seen = {}

    @app.route("/store")
    def store():
        session.update(stored)
        return "ok"

    @app.route("/load")
    def load():
        seen.update(session)
        return "ok"

    client = app.test_client()
    client.get("/store")
    client.get("/load")
    for key, value in stored.items():
        assert seen[key] == value
        assert type(seen[key]) is type(value)


def test_a_value_json_cannot_hold_names_the_types_that_work(app, client):
    app.testing = True

    @app.route("/object")
    def store_object():
        session["x"] = object()
        return "ok"

    with pytest.raises(TypeError, match="tuple, bytes, datetime, UUID, Markup"):
        client.get("/object")


def test_a_cookie_written_before_tagging_still_reads(app):
    plain = signed_cookie({"user": "kim", "cart": [1, 2]})
    assert read_with_cookie(app, plain) == {"user": "kim", "cart": [1, 2]}
