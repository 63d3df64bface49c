"""Every ``curl`` command in the examples' READMEs, run through ``wsgiref.validate``.

The READMEs are read, not copied: a ``sh`` code block names the app with a
``microwsgi --app TARGET run`` line or a ``uwsgi ... --module TARGET`` /
``--mount /prefix=TARGET`` line, and each ``curl`` line after it (in that
block or a later one of the same file) becomes one test. The request is
built as curl would send it (its default ``User-Agent`` and ``Accept``
headers included) and passed to the app wrapped in the standard library's
PEP 3333 checker, which fails the test on anything a WSGI server could
trip over: a bad status line or header, a body that is not bytes, a
response started twice, an iterable left unclosed. The answer must not be
a 5xx either. So the commands the READMEs show are commands that work.
"""

from __future__ import annotations

import importlib
import re
import shlex
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlsplit
from wsgiref.validate import WSGIWarning, validator

import pytest
from apps.servers import REPO_ROOT

from microwsgi.testing import build_environ

EXAMPLES = REPO_ROOT / "examples"
CURL_HEADERS = {"User-Agent": "curl/8.5.0", "Accept": "*/*"}
_FENCE = re.compile(r"^```(\S*)\s*$")


@dataclass
class CurlRequest:
    """One documented command: where it is, which app it targets, and what it sends."""

    source: str
    target: str
    prefix: str
    method: str = "GET"
    path: str = "/"
    headers: dict[str, str] = field(default_factory=lambda: dict(CURL_HEADERS))
    body: bytes | None = None


def documented_requests() -> Iterator[CurlRequest]:
    for readme in sorted(EXAMPLES.rglob("*.md")):
        yield from _requests_in(readme)


def _requests_in(readme: Path) -> Iterator[CurlRequest]:
    target: str | None = None
    prefix = ""
    in_shell_block = False
    lines = readme.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        fence = _FENCE.match(line)
        if fence:
            in_shell_block = not in_shell_block and fence.group(1) in ("sh", "shell", "bash")
            continue
        if not in_shell_block or not line.strip():
            continue
        words = shlex.split(line, comments=True)
        where = f"{readme.relative_to(REPO_ROOT)}:{number}"
        if words[1:2] == ["-m"] and words[0].endswith("python") and len(words) > 2:
            target, prefix = words[2], ""
        elif words[:1] == ["microwsgi"] and "run" in words:
            target, prefix = words[words.index("--app") + 1], ""
        elif words[:1] == ["uwsgi"] and "--module" in words:
            target, prefix = words[words.index("--module") + 1], ""
        elif words[:1] == ["uwsgi"] and "--mount" in words:
            prefix, _, target = words[words.index("--mount") + 1].partition("=")
        elif words[:1] == ["curl"]:
            assert target is not None, f"{where}: a curl command before any app is named"
            yield _parse_curl(words[1:], where, target, prefix)


def _parse_curl(words: list[str], where: str, target: str, prefix: str) -> CurlRequest:
    """curl's options as far as the READMEs use them; anything else fails the test."""
    request = CurlRequest(source=where, target=target, prefix=prefix)
    method: str | None = None
    data: list[str] = []
    url: str | None = None
    arguments = iter(words)
    for word in arguments:
        if word in ("-i", "--include", "-s", "--silent", "-v"):
            continue
        if word in ("-I", "--head"):
            method = "HEAD"
        elif word in ("-X", "--request"):
            method = next(arguments)
        elif word in ("-H", "--header"):
            name, _, value = next(arguments).partition(":")
            request.headers = {
                key: v for key, v in request.headers.items() if key.lower() != name.lower()
            }
            request.headers[name.strip()] = value.strip()
        elif word in ("-A", "--user-agent"):
            request.headers["User-Agent"] = next(arguments)
        elif word in ("-d", "--data", "--data-raw"):
            data.append(next(arguments))
        elif word == "--data-urlencode":
            name, _, value = next(arguments).partition("=")
            data.append(f"{name}={quote_plus(value)}")
        elif word.startswith("-"):
            raise AssertionError(f"{where}: the test does not know curl's {word} option")
        else:
            assert url is None, f"{where}: two URLs"
            url = word
    assert url is not None, f"{where}: no URL"
    if data:
        request.body = "&".join(data).encode()
        if not any(key.lower() == "content-type" for key in request.headers):
            request.headers["Content-Type"] = "application/x-www-form-urlencoded"
    request.method = method or ("POST" if data else "GET")
    parts = urlsplit(url)
    assert parts.path.startswith(prefix), f"{where}: {url} is not under the mount {prefix}"
    request.path = (parts.path[len(prefix) :] or "/") + (f"?{parts.query}" if parts.query else "")
    return request


REQUESTS = list(documented_requests())


def test_every_example_documents_curl_commands():
    documented = {request.source.split(":")[0] for request in REQUESTS}
    for readme in EXAMPLES.rglob("*.md"):
        if readme.name != "README.md" or readme.parent != EXAMPLES:
            assert str(readme.relative_to(REPO_ROOT)) in documented, readme


@pytest.fixture(scope="module")
def load_app(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Any]:
    """The WSGI callable a target names, loaded once per target."""
    loaded: dict[str, Any] = {}
    database = tmp_path_factory.mktemp("counter") / "counter.sqlite3"

    def load(target: str) -> Any:
        if target not in loaded:
            module_name, _, name = target.partition(":")
            module = importlib.import_module(module_name)
            if name:
                app = getattr(module, name)
            elif hasattr(module, "app") or hasattr(module, "application"):
                app = getattr(module, "app", None) or module.application
            elif module_name == "examples.memo":
                # Its database and secret in a temporary folder, not in the repository's
                # instance folder; the development settings create the schema on first use.
                app = module.create_app(
                    {
                        "MEMO_ENV": "development",
                        "SECRET_KEY": "examples-validator",
                        "DATABASE_URL": f"sqlite:///{database.parent / 'memo.sqlite3'}",
                    }
                )
            else:
                app = module.create_app()
            config = getattr(app, "config", {})
            if "COUNTER_DATABASE" in config:
                config["COUNTER_DATABASE"] = str(database)  # not the shared default file
            loaded[target] = app
        return loaded[target]

    return load


@pytest.mark.parametrize("request_", REQUESTS, ids=[r.source for r in REQUESTS])
def test_documented_curl_command_passes_the_wsgi_validator(
    request_: CurlRequest, load_app: Callable[[str], Any]
) -> None:
    app = load_app(request_.target)
    environ = build_environ(
        None,
        request_.path,
        base_url=f"http://127.0.0.1:5000{request_.prefix}",
        method=request_.method,
        headers=request_.headers,
        data=request_.body,
    )
    status, body = _call_validated(app, environ)
    assert int(status.split()[0]) < 500, f"{request_.source}: {status}\n{body[:500]!r}"


def _call_validated(app: Any, environ: dict[str, Any]) -> tuple[str, bytes]:
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    with warnings.catch_warnings():
        warnings.simplefilter("error", WSGIWarning)
        result = validator(app)(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
    return statuses[-1], body


def test_the_check_fails_an_app_that_breaks_pep_3333():
    def text_body_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[Any]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return ["text, not bytes"]

    with pytest.raises(AssertionError):
        _call_validated(text_body_app, build_environ(None, "/"))


def test_the_reader_understands_the_curl_options_the_readmes_use():
    request = _parse_curl(
        shlex.split(
            "-i -H 'Accept: application/json' -d a=1 --data-urlencode 'op=+' "
            "http://127.0.0.1:8080/calc/post?x=1"
        ),
        "here",
        "examples.calculator",
        "/calc",
    )
    assert (request.method, request.path, request.body) == ("POST", "/post?x=1", b"a=1&op=%2B")
    assert request.headers == {
        "User-Agent": "curl/8.5.0",
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
    }
