"""``microwsgi --app X openapi``: the app's OpenAPI document on standard output or in a file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from apps.servers import REPO_ROOT
from openapi_spec_validator import validate

from microwsgi.cli import main

API = """\
from dataclasses import dataclass

from microwsgi import App, Blueprint, request
from microwsgi.openapi import OpenAPI, operation


@dataclass
class Note:
    \"\"\"A note: a title and a text.\"\"\"

    title: str
    text: str = ""


app = App(__name__)
app.config["APPLICATION_ROOT"] = {root!r}
notes = Blueprint("notes", __name__, url_prefix="/notes")


@notes.post("/")
@operation(body=Note, responses={{201: Note}})
def create():
    \"\"\"Écrire une note.\"\"\"
    return request.validated_body, 201


app.register_blueprint(notes)
OpenAPI(app, title="Notes", version="2.1")
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty current folder; modules imported from it are forgotten afterwards."""
    monkeypatch.chdir(tmp_path)
    for name in ("MICROWSGI_APP", "FLASK_APP", "MICROWSGI_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    saved_path = sys.path[:]
    saved_modules = set(sys.modules)
    yield tmp_path
    sys.path[:] = saved_path
    for name in set(sys.modules) - saved_modules:
        del sys.modules[name]


def write_api(folder: Path, root: str = "/") -> None:
    (folder / "notes_api.py").write_text(API.format(root=root), encoding="utf-8")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_openapi_prints_the_apps_document_as_indented_json(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_api(workdir)
    status, out, err = run_cli(capsys, "--app", "notes_api", "openapi")
    assert (status, err) == (0, "")
    document = json.loads(out)
    validate(document)
    assert document["info"] == {"title": "Notes", "version": "2.1"}
    assert "servers" not in document
    post = document["paths"]["/notes/"]["post"]
    assert post["summary"] == "Écrire une note."
    assert post["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Note"
    }
    # Indented by two spaces, non-ASCII kept readable, one final newline.
    assert out.startswith('{\n  "openapi": "3.1.0",\n  "info": {\n    "title": "Notes"')
    assert "Écrire" in out and out.endswith("}\n")


def test_openapi_indent_zero_writes_one_line(workdir: Path, capsys: pytest.CaptureFixture[str]):
    write_api(workdir)
    status, out, _ = run_cli(capsys, "openapi", "--app", "notes_api", "--indent", "0")
    assert status == 0
    assert out.count("\n") == 1
    validate(json.loads(out))


def test_openapi_output_writes_the_file_and_nothing_on_stdout(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_api(workdir, root="/notes-app")
    status, out, err = run_cli(capsys, "--app", "notes_api", "openapi", "-o", "api/openapi.json")
    assert status == 2  # the folder does not exist: a usage error, nothing written
    assert "Invalid value for '--output': the folder" in err and "does not exist" in err
    (workdir / "api").mkdir()
    status, out, _ = run_cli(
        capsys, "--app", "notes_api", "openapi", "--output", "api/openapi.json"
    )
    assert (status, out) == (0, "")
    document = json.loads((workdir / "api" / "openapi.json").read_text(encoding="utf-8"))
    validate(document)
    assert document["servers"] == [{"url": "/notes-app"}]  # APPLICATION_ROOT, outside a request


def test_openapi_leaves_an_existing_file_alone_when_the_document_fails(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = API.format(root="/") + textwrap.dedent(
        """
        from decimal import Decimal

        app.add_url_rule("/price", "price", operation(responses={200: Decimal})(lambda: ""))
        """
    )
    (workdir / "notes_api.py").write_text(source, encoding="utf-8")
    (workdir / "openapi.json").write_text("the old document\n", encoding="utf-8")
    status, _, err = run_cli(capsys, "--app", "notes_api", "openapi", "-o", "openapi.json")
    assert status == 1
    assert "Cannot describe decimal.Decimal" in err
    assert (workdir / "openapi.json").read_text(encoding="utf-8") == "the old document\n"


def test_openapi_describes_an_app_without_an_openapi_object_and_says_so(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "hello.py").write_text(
        "from microwsgi import App\napp = App(__name__)\n"
        "@app.route('/users/<int:user_id>')\ndef user(user_id):\n    return ''\n",
        encoding="utf-8",
    )
    status, out, err = run_cli(capsys, "--app", "hello", "openapi")
    assert status == 0
    assert err.startswith("Note: the app has no OpenAPI object; describing it as 'hello'")
    document = json.loads(out)
    validate(document)
    assert document["info"] == {"title": "hello", "version": "0.0.0"}
    assert list(document["paths"]) == ["/users/{user_id}"]


def test_openapi_is_listed_among_the_built_in_commands(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_api(workdir)
    status, out, _ = run_cli(capsys, "--app", "notes_api", "--help")
    assert status == 0
    assert "openapi  Print the app's OpenAPI document." in " ".join(out.split("\n"))


def test_the_memo_apps_document_from_the_command_line(tmp_path: Path) -> None:
    """The first real user: its document, printed by a real ``microwsgi`` process."""
    target = "examples.memo:create_app({'MEMO_ENV': 'testing', 'DATABASE_URL': 'sqlite://'})"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "microwsgi",
            "--app",
            target,
            "openapi",
            "-o",
            str(tmp_path / "m.json"),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "MICROWSGI_APP": ""},
    )
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    validate(document)
    assert document["info"]["title"] == "Memo API"
    assert "/api/memos" in document["paths"]
    assert "/api/openapi.json" not in document["paths"]
