"""The import lines a Flask app writes work with ``flask`` changed to ``microwsgi``.

The promise of the README: a Flask program runs after changing only its import
lines. A mechanical port (``flask`` -> ``microwsgi`` in ``from flask.X import
Y``) must then find every module and name Flask apps, their tests and their
extension-style helpers import. Each line below is one such import.
"""

from __future__ import annotations

import importlib

import pytest

from microwsgi import Blueprint, Flask, session

IMPORT_LINES = {
    "microwsgi": [
        "Blueprint", "Config", "Flask", "Request", "Response", "abort", "after_this_request",
        "appcontext_popped", "appcontext_pushed", "appcontext_tearing_down",
        "before_render_template", "copy_current_request_context", "current_app", "flash", "g",
        "get_flashed_messages", "get_template_attribute", "got_request_exception",
        "has_app_context", "has_request_context", "json", "jsonify", "make_response",
        "message_flashed", "redirect", "render_template", "render_template_string", "request",
        "request_finished", "request_started", "request_tearing_down", "send_file",
        "send_from_directory", "session", "stream_template", "stream_template_string",
        "stream_with_context", "template_rendered", "url_for",
    ],
    "microwsgi.app": ["Flask"],
    "microwsgi.blueprints": ["Blueprint", "BlueprintSetupState"],
    "microwsgi.cli": [
        "AppGroup", "FlaskGroup", "NoAppException", "ScriptInfo", "load_dotenv", "with_appcontext",
    ],
    "microwsgi.config": ["Config"],
    "microwsgi.ctx": ["after_this_request", "copy_current_request_context", "has_request_context"],
    "microwsgi.globals": ["current_app", "g", "request", "request_ctx", "session"],
    "microwsgi.helpers": ["make_response", "stream_with_context", "url_for"],
    "microwsgi.json": ["dumps", "jsonify", "loads"],
    "microwsgi.json.provider": ["DefaultJSONProvider", "JSONProvider"],
    "microwsgi.json.tag": ["JSONTag", "TaggedJSONSerializer"],
    "microwsgi.logging": ["default_handler"],
    "microwsgi.sessions": [
        "NullSession", "SecureCookieSession", "SecureCookieSessionInterface", "SessionInterface",
        "SessionMixin", "BadSignature",
    ],
    "microwsgi.signals": ["Namespace", "template_rendered"],
    "microwsgi.templating": ["render_template"],
    "microwsgi.testing": ["EnvironBuilder", "FlaskClient", "FlaskCliRunner"],
    "microwsgi.typing": [
        "AfterRequestCallable", "ErrorHandlerCallable", "HeadersValue", "ResponseReturnValue",
        "ResponseValue", "RouteCallable", "TeardownCallable",
    ],
    "microwsgi.views": ["MethodView", "View"],
    "microwsgi.wrappers": ["Request", "Response"],
}  # fmt: skip


@pytest.mark.parametrize(
    ("module", "name"), [(module, name) for module, names in IMPORT_LINES.items() for name in names]
)
def test_flask_import_line_works(module, name):
    assert hasattr(importlib.import_module(module), name)


def test_the_flask_module_names_are_the_same_objects():
    from microwsgi import Request, Response
    from microwsgi.json import DefaultJSONProvider
    from microwsgi.json.provider import DefaultJSONProvider as provider_class
    from microwsgi.json.tag import TaggedJSONSerializer
    from microwsgi.json_tag import TaggedJSONSerializer as serializer_class
    from microwsgi.wrappers import Request as WrappersRequest
    from microwsgi.wrappers import Response as WrappersResponse

    assert provider_class is DefaultJSONProvider
    assert TaggedJSONSerializer is serializer_class
    assert (WrappersRequest, WrappersResponse) == (Request, Response)


def test_signing_serializer_reads_and_writes_the_session_cookie():
    from microwsgi.sessions import BadSignature

    app = Flask(__name__)
    app.secret_key = "k"
    app.add_url_rule("/", "index", lambda: {"user": session.get("user")})
    app.add_url_rule("/login", "login", lambda: session.update(user="kim") or "ok")
    client = app.test_client()
    serializer = app.session_interface.get_signing_serializer(app)
    client.set_cookie("session", serializer.dumps({"user": "ada"}))  # logged in by hand
    assert client.get("/").json == {"user": "ada"}

    client.get("/login")
    assert serializer.loads(client.get_cookie("session").value) == {"user": "kim"}
    with pytest.raises(BadSignature):
        serializer.loads("forged.value.here")
    other = Flask(__name__)
    other.secret_key = "another key"
    with pytest.raises(BadSignature):
        other.session_interface.get_signing_serializer(other).loads(serializer.dumps({"a": 1}))
    assert Flask(__name__).session_interface.get_signing_serializer(Flask(__name__)) is None


def test_record_once_runs_for_the_first_registration_only():
    bp = Blueprint("bp", __name__)
    every, once = [], []
    bp.record(lambda state: every.append(state.name))
    bp.record_once(lambda state: once.append(state.name))
    app = Flask(__name__)
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="bp2", url_prefix="/2")
    assert (every, once) == (["bp", "bp2"], ["bp"])
    second_app = Flask(__name__)
    second_app.register_blueprint(bp)
    assert once == ["bp", "bp"]  # first registration on that app


def test_iter_blueprints_and_has_static_folder():
    app = Flask(__name__)
    first, second = Blueprint("a", __name__), Blueprint("b", __name__, static_folder="s")
    app.register_blueprint(first)
    app.register_blueprint(second)
    assert list(app.iter_blueprints()) == [first, second]
    assert (app.has_static_folder, first.has_static_folder, second.has_static_folder) == (
        True,
        False,
        True,
    )
    assert not Flask(__name__, static_folder=None).has_static_folder


def test_provide_automatic_options_can_be_turned_off():
    app = Flask(__name__)
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False
    app.add_url_rule("/", "index", lambda: "x")
    app.add_url_rule("/own", "own", lambda: "own", methods=["GET", "OPTIONS"])
    client = app.test_client()
    assert client.options("/").status_code == 405
    assert client.options("/own").text == "own"
    default = Flask(__name__)
    default.add_url_rule("/", "index", lambda: "x")
    assert default.test_client().options("/").headers["Allow"] == "GET, HEAD, OPTIONS"
