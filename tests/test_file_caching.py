"""Response.cache_control, and how long send_file lets a browser keep a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from microwsgi import App, Response, send_file


@pytest.fixture
def file_app(tmp_path: Path) -> App:
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "site.css").write_text("body { color: #222 }")
    return App("files", root_path=str(tmp_path))


def test_cache_control_reads_the_header() -> None:
    response = Response("x", headers={"Cache-Control": "public, max-age=60"})
    assert response.cache_control.max_age == 60
    assert response.cache_control.public is True
    assert response.cache_control.no_store is False


def test_changing_cache_control_rewrites_the_header() -> None:
    response = Response("x")
    response.cache_control.max_age = 300
    response.cache_control.immutable = True
    assert response.headers["Cache-Control"] in ("max-age=300, immutable", "immutable, max-age=300")
    response.cache_control.max_age = None
    response.cache_control.immutable = False
    assert "Cache-Control" not in response.headers


def test_send_file_asks_the_app_how_long_a_file_may_be_kept(file_app: App) -> None:
    class Fingerprinted(App):
        def get_send_file_max_age(self, filename: str | None) -> int | None:
            return 31_536_000 if filename and filename.endswith(".css") else None

    app = Fingerprinted("files", root_path=file_app.root_path)
    with app.test_request_context():
        response = send_file("static/site.css")
        assert response.cache_control.max_age == 31_536_000
        response.close()
        response = app.send_static_file("site.css")
        assert response.cache_control.max_age == 31_536_000
        response.close()


def test_send_file_without_a_max_age_says_no_cache(file_app: App) -> None:
    with file_app.test_request_context():
        response = send_file("static/site.css")
        assert response.cache_control.no_cache
        assert response.cache_control.max_age is None
        response.close()


def test_send_static_file_takes_a_path_object(file_app: App) -> None:
    with file_app.test_request_context():
        response = file_app.send_static_file(Path("site.css"))  # type: ignore[arg-type]
        response.direct_passthrough = False
        assert response.get_data() == b"body { color: #222 }"
        response.close()


def test_direct_passthrough_off_makes_a_file_response_a_plain_one(file_app: App) -> None:
    class FileWrapper:
        def __init__(self, file, block_size=8192):  # type: ignore[no-untyped-def]
            self.file = file

        def __iter__(self):  # type: ignore[no-untyped-def]
            return iter([self.file.read()])

        def close(self) -> None:
            self.file.close()

    @file_app.route("/css")
    def css() -> Response:
        response = send_file("static/site.css")
        response.direct_passthrough = False
        return response

    @file_app.route("/css-passthrough")
    def css_passthrough() -> Response:
        return send_file("static/site.css")

    from microwsgi.testing import build_environ

    for path, wrapped in (("/css", False), ("/css-passthrough", True)):
        environ = build_environ(file_app, path)
        environ["wsgi.file_wrapper"] = FileWrapper
        body = file_app(environ, lambda status, headers, exc_info=None: None)
        assert isinstance(body, FileWrapper) is wrapped
        assert b"".join(body) == b"body { color: #222 }"
        body.close()
