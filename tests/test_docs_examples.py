"""Every Python example of README.md and docs/*.md runs, and does what the text around it says.

A reader copies these blocks into their own code, so each one is taken from
the document itself and run here: a block that needs names from its
surroundings (an ``app``, a ``get_db``) gets them from a short prelude, and
the test then checks the claim the text makes about it. A block that is not
meant to run on its own (a signature with its defaults) is listed in
``FRAGMENTS`` with the reason, and is still compiled. A new block that is in
neither list fails ``test_every_python_block_is_run_or_named_a_fragment``.
"""

from __future__ import annotations

import functools
import inspect
import re
import sqlite3
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from microwsgi import App, Blueprint, abort, g, request, session

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _python_blocks() -> Iterator[tuple[str, str, str]]:
    """``(document, first line, code)`` for each fenced ```` ```python ```` block."""
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for found in re.finditer(r"^```python\n(.*?)^```", text, re.DOTALL | re.MULTILINE):
            code = found.group(1)
            first_line = next(line for line in code.splitlines() if line.strip())
            yield document.relative_to(ROOT).as_posix(), first_line, code


BLOCKS = list(_python_blocks())

COOKIE_CALLS = 'client.set_cookie("theme", "dark")  # as if localhost had set it'

# Blocks run by a test of this file (the test names them by the same key), or elsewhere.
RUN = {
    ("README.md", "from microwsgi import Flask, request"),
    ("docs/cli.md", "import click"),
    ("docs/cli.md", "def test_init_db(app):"),
    ("docs/config.md", "import os"),
    ("docs/deploy.md", "from microwsgi.proxy_fix import ProxyFix"),
    ("docs/deploy.md", "count = 0"),
    ("docs/deploy.md", '@app.post("/increase")'),
    ("docs/openapi.md", "from dataclasses import asdict, dataclass, field"),  # test_openapi_docs
    ("docs/openapi.md", "class SlugConverter(BaseConverter):"),
    ("docs/openapi.md", "@operation("),
    ("docs/openapi.md", '@memos.post("/")'),
    ("docs/openapi.md", "OpenAPI("),
    ("docs/testing.md", "import pytest"),
    ("docs/testing.md", COOKIE_CALLS),
    ("docs/testing.md", "from microwsgi import session"),
}
FRAGMENTS: dict[tuple[str, str], str] = {}


def _code(document: str, first_line: str, index: int = 0) -> str:
    """The ``index``-th block of ``document`` that starts with ``first_line``."""
    found = [code for doc, line, code in BLOCKS if (doc, line) == (document, first_line)]
    assert len(found) > index, f"{document} lost its example starting {first_line!r}"
    return found[index]


def _run(code: str, namespace: dict[str, Any]) -> dict[str, Any]:
    namespace.setdefault("__name__", "docs_example")
    exec(compile(code, "<docs example>", "exec"), namespace)
    return namespace


def test_every_python_block_is_run_or_named_a_fragment():
    keys = {(document, first_line) for document, first_line, _ in BLOCKS}
    assert keys - RUN - FRAGMENTS.keys() == set(), "a new example: run it in this file"
    assert (RUN | FRAGMENTS.keys()) - keys == set(), "an example was removed: drop its key"


@pytest.mark.parametrize(
    "document, first_line, code", BLOCKS, ids=[f"{d}:{line[:30]}" for d, line, _ in BLOCKS]
)
def test_every_python_block_compiles(document, first_line, code):
    if first_line.startswith("@") and not re.search(r"^(async )?def ", code, re.MULTILINE):
        code += "def decorated(): ...\n"  # a decorator shown alone, with its arguments
    compile(code, document, "exec")


def test_readme_quick_start_greets_by_name():
    app = _run(_code("README.md", "from microwsgi import Flask, request"), {})["app"]
    client = app.test_client()
    assert client.get("/").text == "Hello, World!"
    assert client.get("/?name=Ada").text == "Hello, Ada!"


def test_cli_guide_command_runs_under_its_own_test():
    namespace = _run(_code("docs/cli.md", "import click"), {})
    app = namespace["app"]
    assert {"init-db", "db"} <= set(app.cli.commands)
    _run(_code("docs/cli.md", "def test_init_db(app):"), namespace)
    namespace["test_init_db"](app)


def test_config_guide_reads_settings_from_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an app whose module cannot be found lives in the current folder
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "settings.py").write_text("SECRET_KEY = 'from-instance'\n")
    namespace = _run(
        _code("docs/config.md", "import os"),
        {"App": App, "__name__": "docs_config_example"},
    )
    app = namespace["app"]
    assert app.instance_path == str(tmp_path / "instance")
    assert app.config["SECRET_KEY"] == "from-instance"
    assert (tmp_path / "instance" / "notes.txt").exists()


def test_config_guide_example_creates_the_instance_folder_it_writes_to(tmp_path, monkeypatch):
    """The folder is not created for the app, so the example must create it before writing."""
    monkeypatch.chdir(tmp_path)
    _run(
        _code("docs/config.md", "import os"),
        {"App": App, "__name__": "docs_config_example"},
    )
    assert (tmp_path / "instance" / "notes.txt").exists()


def test_deploy_guide_proxy_fix_believes_one_proxy():
    app = App(__name__)

    @app.route("/where")
    def where():
        return f"{request.remote_addr} {request.scheme} {request.script_root}"

    _run(_code("docs/deploy.md", "from microwsgi.proxy_fix import ProxyFix"), {"app": app})
    answer = app.test_client().get(
        "/where",
        headers={
            "X-Forwarded-For": "198.51.100.1, 203.0.113.7",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Prefix": "/shop",
        },
    )
    assert answer.text == "203.0.113.7 https /shop"


def test_deploy_guide_counter_in_a_global_counts_in_one_process():
    app = App(__name__)
    _run(_code("docs/deploy.md", "count = 0"), {"app": app})
    client = app.test_client()
    assert [client.get("/increase").text for _ in range(3)] == ["1", "2", "3"]


def test_deploy_guide_counter_in_the_database_counts(tmp_path):
    app = App(__name__)
    database = tmp_path / "counters.sqlite"
    with sqlite3.connect(database) as setup:
        setup.execute("CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER)")
        setup.execute("INSERT INTO counters VALUES ('visits', 0)")
    setup.close()

    def get_db() -> sqlite3.Connection:
        if "db" not in g:
            g.db = sqlite3.connect(database)
        return g.db

    @app.teardown_appcontext
    def close_db(exc: BaseException | None) -> None:
        connection = g.pop("db", None)
        if connection is not None:
            connection.close()

    _run(_code("docs/deploy.md", '@app.post("/increase")'), {"app": app, "get_db": get_db})
    client = app.test_client()
    assert [client.post("/increase").text for _ in range(3)] == ["1", "2", "3"]


def test_openapi_guide_converter_schema_reaches_the_document():
    from microwsgi.openapi import OpenAPI
    from microwsgi.routing import BaseConverter

    namespace = _run(
        _code("docs/openapi.md", "class SlugConverter(BaseConverter):"),
        {"BaseConverter": BaseConverter},
    )
    app = App(__name__)
    app.url_map.converters["slug"] = namespace["SlugConverter"]

    @app.get("/posts/<slug:name>")
    def post(name):
        return name

    document = OpenAPI(app, title="t", version="1").document(app)
    (parameter,) = document["paths"]["/posts/{name}"]["get"]["parameters"]
    assert parameter["schema"] == {"type": "string", "pattern": "^[a-z0-9-]+$"}


def test_openapi_guide_operation_signature_is_the_real_one():
    from microwsgi.openapi import operation

    shown = eval(_code("docs/openapi.md", "@operation(").replace("@operation(", "dict(", 1))
    real = {
        name: parameter.default
        for name, parameter in inspect.signature(operation).parameters.items()
    }
    assert shown == real


def test_openapi_guide_login_required_answers_before_validation():
    from dataclasses import dataclass

    from microwsgi.openapi import operation

    @dataclass
    class MemoIn:
        title: str

    def login_required(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if "user_id" not in session:
                abort(401)
            return view(*args, **kwargs)

        return wrapper

    app = App(__name__)
    app.secret_key = "test"
    memos = Blueprint("memos", __name__, url_prefix="/memos")
    namespace = {
        "memos": memos,
        "login_required": login_required,
        "operation": operation,
        "MemoIn": MemoIn,
    }
    _run(_code("docs/openapi.md", '@memos.post("/")'), namespace)
    app.register_blueprint(memos)
    client = app.test_client()
    assert client.post("/memos/", json={"wrong": 1}).status_code == 401
    with client.session_transaction() as logged_in:
        logged_in["user_id"] = 1
    assert client.post("/memos/", json={"wrong": 1}).status_code == 422


def test_openapi_guide_security_is_documented():
    from microwsgi.openapi import OpenAPI, operation

    app = App(__name__)
    namespace = _run(
        _code("docs/openapi.md", "OpenAPI(", 0),
        {"app": app, "OpenAPI": OpenAPI, "operation": operation},
    )
    assert callable(namespace["login"])
    document = app.test_client().get("/openapi.json").json
    assert set(document["components"]["securitySchemes"]) == {"session", "csrf", "bearer"}
    assert document["security"] == [{"bearer": []}, {"session": [], "csrf": []}]
    assert document["paths"]["/login"]["post"]["security"] == []


def test_openapi_guide_serves_the_document_and_page_where_it_says():
    from microwsgi.openapi import OpenAPI

    app = App(__name__)
    _run(_code("docs/openapi.md", "OpenAPI(", 1), {"app": app, "OpenAPI": OpenAPI})
    client = app.test_client()
    assert client.get("/api/openapi.json").json["info"]["title"] == "Memo API"
    assert client.get("/api/swagger.json").json == client.get("/api/openapi.json").json
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "docExpansion" in page.text
    assert client.get("/openapi.json").status_code == 404


def _login_app() -> App:
    app = App(__name__)
    app.secret_key = "test"

    @app.post("/login")
    def login():
        if request.form["user"] == "kim" and request.form["password"] == "secret":
            session["user"] = "kim"
        return "", 303, {"Location": "/dashboard"}

    @app.get("/dashboard")
    def dashboard():
        return f"Hello, {session['user']}"

    @app.get("/profile")
    def profile():
        return str(session["user_id"])

    return app


def test_testing_guide_first_example_passes_against_an_app_that_does_what_it_says():
    myapp = types.ModuleType("myapp")
    myapp.create_app = lambda config: _login_app()  # type: ignore[attr-defined]
    sys.modules["myapp"] = myapp
    try:
        namespace = _run(_code("docs/testing.md", "import pytest"), {})
    finally:
        del sys.modules["myapp"]
    namespace["test_login"](_login_app().test_client())


def test_testing_guide_cookie_calls_set_read_and_delete():
    app = App(__name__)

    @app.get("/app/cookies")
    def cookies():
        return dict(request.cookies)

    client = app.test_client()
    namespace = _run(
        _code(
            "docs/testing.md", 'client.set_cookie("theme", "dark")  # as if localhost had set it'
        ),
        {"client": client},
    )
    assert namespace["cookie"].decoded_value == "dark"
    assert client.get_cookie("theme") is None
    assert client.get("/app/cookies", "http://example.com/").json == {"sso": "t0k3n"}
    assert client.get("/app/cookies").json == {}


def test_testing_guide_session_transaction_logs_the_next_request_in():
    app = _login_app()
    client = app.test_client()
    _run(
        _code("docs/testing.md", "from microwsgi import session"),
        {"client": client, "session": session},
    )
