"""Static files and send_file: headers, 304, 206/416, HEAD, file_wrapper, and path traversal."""

from __future__ import annotations

import io
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from microwsgi import App
from microwsgi.blueprints import Blueprint
from microwsgi.files import safe_join, send_file, send_from_directory
from microwsgi.http import http_date
from microwsgi.testing import TestClient, build_environ

CSS = b"body { color: red; }\n"
SECRET = b"TOP SECRET"
MTIME = 1_700_000_000  # Tue, 14 Nov 2023 22:13:20 GMT


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site folder with a static folder, and secrets beside it that must never be served."""
    site = tmp_path / "site"
    static = site / "static"
    (static / "sub").mkdir(parents=True)
    (static / "site.css").write_bytes(CSS)
    os.utime(static / "site.css", (MTIME, MTIME))
    (static / "data.bin").write_bytes(bytes(range(256)) * 4)
    (static / "sub" / "page.txt").write_bytes(b"sub page")
    (site / "secret.txt").write_bytes(SECRET)
    (site / "private").mkdir()
    (site / "private" / "secret.txt").write_bytes(SECRET)
    if hasattr(os, "symlink"):
        os.symlink(static / "site.css", static / "alias.css")
        os.symlink(site / "secret.txt", static / "link_out.txt")
        os.symlink(site / "private", static / "linkdir")
    return site


@pytest.fixture
def app(site: Path) -> App:
    return App(__name__, root_path=str(site))


@pytest.fixture
def client(app: App) -> TestClient:
    return app.test_client()


# -- serving a file --------------------------------------------------------------


def test_static_file_is_served_with_its_content(client: TestClient) -> None:
    response = client.get("/static/site.css")
    assert response.status_code == 200
    assert response.data == CSS


def test_content_type_comes_from_the_name(client: TestClient) -> None:
    assert client.get("/static/site.css").headers["Content-Type"] == "text/css; charset=utf-8"
    assert client.get("/static/data.bin").headers["Content-Type"] == "application/octet-stream"


def test_content_length_last_modified_and_etag_are_sent(client: TestClient) -> None:
    headers = client.get("/static/site.css").headers
    assert headers["Content-Length"] == str(len(CSS))
    assert headers["Last-Modified"] == "Tue, 14 Nov 2023 22:13:20 GMT"
    assert headers["ETag"].startswith('"') and headers["ETag"].endswith('"')


def test_etag_changes_when_the_file_changes(client: TestClient, site: Path) -> None:
    before = client.get("/static/site.css").headers["ETag"]
    (site / "static" / "site.css").write_bytes(CSS + b"p {}\n")
    assert client.get("/static/site.css").headers["ETag"] != before


def test_file_in_a_subfolder_is_served(client: TestClient) -> None:
    assert client.get("/static/sub/page.txt").data == b"sub page"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_to_a_file_inside_the_folder_is_served(client: TestClient) -> None:
    assert client.get("/static/alias.css").data == CSS


def test_missing_file_is_404(client: TestClient) -> None:
    assert client.get("/static/nope.css").status_code == 404


def test_url_for_static_builds_the_file_url(app: App) -> None:
    with app.test_request_context("/"):
        assert app.url_for("static", filename="sub/page.txt") == "/static/sub/page.txt"


def test_blueprint_static_folder_is_served_under_its_prefix(app: App, site: Path) -> None:
    (site / "shop_static").mkdir()
    (site / "shop_static" / "shop.css").write_bytes(b"shop")
    shop = Blueprint("shop", __name__, static_folder="shop_static", root_path=str(site))
    app.register_blueprint(shop, url_prefix="/shop")
    assert app.test_client().get("/shop/shop_static/shop.css").data == b"shop"


# -- caching ---------------------------------------------------------------------


def test_without_max_age_the_client_must_revalidate(client: TestClient) -> None:
    assert client.get("/static/site.css").headers["Cache-Control"] == "no-cache"


def test_send_file_max_age_default_sets_max_age(app: App, client: TestClient) -> None:
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = timedelta(hours=1)
    assert client.get("/static/site.css").headers["Cache-Control"] == "public, max-age=3600"


def test_max_age_argument_wins_over_the_default(app: App, client: TestClient) -> None:
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3600
    app.add_url_rule("/css", "css", lambda: send_file("static/site.css", max_age=60))
    assert client.get("/css").headers["Cache-Control"] == "public, max-age=60"


def test_get_send_file_max_age_can_be_chosen_per_file(site: Path) -> None:
    class FingerprintedApp(App):
        def get_send_file_max_age(self, filename: str | None) -> int | None:
            return 31_536_000 if filename and filename.endswith(".css") else None

    client = FingerprintedApp(__name__, root_path=str(site)).test_client()
    assert client.get("/static/site.css").headers["Cache-Control"] == "public, max-age=31536000"
    assert client.get("/static/sub/page.txt").headers["Cache-Control"] == "no-cache"


def test_a_blueprint_chooses_the_max_age_of_its_own_static_files(app: App, site: Path) -> None:
    class LongLived(Blueprint):
        def get_send_file_max_age(self, filename: str | None) -> int | None:
            return 100

    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3600
    app.register_blueprint(LongLived("shop", __name__, static_folder="static", root_path=str(site)))
    client = app.test_client()
    assert client.get("/static/site.css").headers["Cache-Control"] == "public, max-age=3600"
    shop = app.blueprints["shop"]
    with app.test_request_context():
        assert shop.send_static_file("site.css").headers["Cache-Control"] == ("public, max-age=100")


def test_a_static_folder_written_with_a_trailing_slash(site: Path) -> None:
    app = App(__name__, root_path=str(site), static_folder="static/")
    shop = Blueprint("shop", __name__, static_folder="static/", root_path=str(site))
    app.register_blueprint(shop, url_prefix="/shop")
    client = app.test_client()
    assert client.get("/static/site.css").data == CSS
    assert client.get("/shop/static/site.css").data == CSS


# -- conditional requests ----------------------------------------------------------


def test_matching_if_none_match_gives_304_without_body(client: TestClient) -> None:
    etag = client.get("/static/site.css").headers["ETag"]
    response = client.get("/static/site.css", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag


def test_if_none_match_with_a_list_and_weak_tags_matches(client: TestClient) -> None:
    etag = client.get("/static/site.css").headers["ETag"]
    header = f'"other", W/{etag}'
    assert client.get("/static/site.css", headers={"If-None-Match": header}).status_code == 304


def test_if_none_match_star_matches_any_version(client: TestClient) -> None:
    assert client.get("/static/site.css", headers={"If-None-Match": "*"}).status_code == 304


def test_other_etag_gives_the_full_file(client: TestClient) -> None:
    response = client.get("/static/site.css", headers={"If-None-Match": '"old"'})
    assert response.status_code == 200
    assert response.data == CSS


def test_if_modified_since_the_file_time_gives_304(client: TestClient) -> None:
    since = http_date(MTIME)
    assert client.get("/static/site.css", headers={"If-Modified-Since": since}).status_code == 304


def test_if_modified_since_an_older_time_gives_the_file(client: TestClient) -> None:
    since = http_date(MTIME - 60)
    assert client.get("/static/site.css", headers={"If-Modified-Since": since}).status_code == 200


def test_garbled_if_modified_since_is_ignored(client: TestClient) -> None:
    headers = {"If-Modified-Since": "yesterday-ish"}
    assert client.get("/static/site.css", headers=headers).status_code == 200


def test_if_none_match_wins_over_if_modified_since(client: TestClient) -> None:
    headers = {"If-None-Match": '"old"', "If-Modified-Since": http_date(MTIME + 60)}
    assert client.get("/static/site.css", headers=headers).status_code == 200


def test_304_keeps_the_cache_headers(app: App, client: TestClient) -> None:
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 60
    etag = client.get("/static/site.css").headers["ETag"]
    response = client.get("/static/site.css", headers={"If-None-Match": etag})
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Content-Length" not in response.headers


# -- ranges --------------------------------------------------------------------------


def test_range_gives_206_with_those_bytes(client: TestClient) -> None:
    response = client.get("/static/site.css", headers={"Range": "bytes=0-3"})
    assert response.status_code == 206
    assert response.data == CSS[:4]
    assert response.headers["Content-Range"] == f"bytes 0-3/{len(CSS)}"
    assert response.headers["Content-Length"] == "4"


def test_open_ended_range_runs_to_the_end(client: TestClient) -> None:
    response = client.get("/static/site.css", headers={"Range": "bytes=5-"})
    assert response.data == CSS[5:]


def test_suffix_range_gives_the_last_bytes(client: TestClient) -> None:
    response = client.get("/static/site.css", headers={"Range": "bytes=-6"})
    assert response.data == CSS[-6:]
    assert response.headers["Content-Range"] == f"bytes {len(CSS) - 6}-{len(CSS) - 1}/{len(CSS)}"


def test_range_past_the_end_is_clamped(client: TestClient) -> None:
    response = client.get("/static/site.css", headers={"Range": "bytes=10-9999"})
    assert response.data == CSS[10:]


def test_range_starting_past_the_end_is_416(client: TestClient) -> None:
    response = client.get("/static/site.css", headers={"Range": "bytes=9999-"})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{len(CSS)}"


def test_zero_length_suffix_range_is_416(client: TestClient) -> None:
    assert client.get("/static/site.css", headers={"Range": "bytes=-0"}).status_code == 416


@pytest.mark.parametrize("header", ["bytes=0-1,4-5", "bytes=5-2", "items=0-1", "bytes=x-y"])
def test_multiple_or_malformed_ranges_give_the_whole_file(client: TestClient, header: str) -> None:
    response = client.get("/static/site.css", headers={"Range": header})
    assert response.status_code == 200
    assert response.data == CSS


def test_range_with_a_current_if_range_gives_206(client: TestClient) -> None:
    etag = client.get("/static/site.css").headers["ETag"]
    headers = {"Range": "bytes=0-3", "If-Range": etag}
    assert client.get("/static/site.css", headers=headers).status_code == 206


def test_range_with_a_stale_if_range_gives_the_whole_file(client: TestClient) -> None:
    headers = {"Range": "bytes=0-3", "If-Range": '"old"'}
    response = client.get("/static/site.css", headers=headers)
    assert response.status_code == 200
    assert response.data == CSS


def test_accept_ranges_is_announced(client: TestClient) -> None:
    assert client.get("/static/site.css").headers["Accept-Ranges"] == "bytes"


# -- HEAD and the server's file wrapper ----------------------------------------------------


def test_head_sends_the_headers_without_the_body(client: TestClient) -> None:
    response = client.head("/static/site.css")
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(len(CSS))
    assert response.data == b""


class RecordingFileWrapper:
    """Stands in for a server's ``wsgi.file_wrapper`` (uWSGI's sendfile)."""

    def __init__(self, file: Any, block_size: int = 8192) -> None:
        self.file = file
        self.block_size = block_size

    def __iter__(self) -> Any:
        return iter(lambda: self.file.read(self.block_size), b"")

    def close(self) -> None:
        self.file.close()


def _call_app(app: App, path: str, **kwargs: Any) -> tuple[str, Any]:
    environ = build_environ(
        app, path, environ_overrides={"wsgi.file_wrapper": RecordingFileWrapper}, **kwargs
    )
    started: list[str] = []
    body = app(environ, lambda status, headers, exc_info=None: started.append(status))
    return started[0], body


def test_the_server_file_wrapper_is_returned_when_offered(app: App) -> None:
    status, body = _call_app(app, "/static/site.css")
    try:
        assert status == "200 OK"
        assert isinstance(body, RecordingFileWrapper)
        assert b"".join(body) == CSS
    finally:
        body.close()


def test_a_range_is_not_sent_through_the_file_wrapper(app: App) -> None:
    status, body = _call_app(app, "/static/site.css", headers={"Range": "bytes=0-3"})
    try:
        assert status.startswith("206")
        assert not isinstance(body, RecordingFileWrapper)
        assert b"".join(body) == CSS[:4]
    finally:
        body.close()


def test_a_replaced_body_is_not_sent_through_the_file_wrapper(app: App) -> None:
    @app.after_request
    def replace(response: Any) -> Any:
        response.set_data(b"replaced")
        return response

    _, body = _call_app(app, "/static/site.css")
    assert not isinstance(body, RecordingFileWrapper)
    assert b"".join(body) == b"replaced"


# -- send_file ------------------------------------------------------------------------------


def test_send_file_closes_a_file_object_once_sent(app: App) -> None:
    buffer = io.BytesIO(b"report")
    app.add_url_rule("/report", "report", lambda: send_file(buffer, mimetype="text/plain"))
    assert app.test_client().get("/report").data == b"report"
    assert buffer.closed


def test_send_file_with_a_file_object_needs_a_type_or_a_name(app: App) -> None:
    with app.test_request_context("/"), pytest.raises(TypeError, match="mimetype"):
        send_file(io.BytesIO(b"x"))


def test_send_file_refuses_a_text_file(app: App) -> None:
    with app.test_request_context("/"), pytest.raises(TypeError, match="binary"):
        send_file(io.StringIO("x"))


def test_download_name_gives_the_type(app: App) -> None:
    with app.test_request_context("/"):
        response = send_file(io.BytesIO(b"%PDF"), download_name="report.pdf")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "inline; filename=report.pdf"


def test_as_attachment_asks_the_browser_to_save_the_file(app: App) -> None:
    with app.test_request_context("/"):
        response = send_file("static/site.css", as_attachment=True)
    assert response.headers["Content-Disposition"] == "attachment; filename=site.css"
    response.close()


def test_a_file_sent_from_a_path_keeps_its_name_inline_as_in_werkzeug(
    app: App, tmp_path: Path
) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF")
    app.add_url_rule("/download/<int:n>", "download", lambda n: send_file(tmp_path / "report.pdf"))
    app.add_url_rule(
        "/uploads/<path:name>", "uploads", lambda name: send_from_directory(tmp_path, name)
    )
    # A file object has no name to give, unless download_name gives one.
    app.add_url_rule("/bytes", "bytes", lambda: send_file(io.BytesIO(b"x"), mimetype="text/plain"))
    client = app.test_client()
    for url in ("/download/42", "/uploads/report.pdf"):
        response = client.get(url)
        assert response.headers["Content-Disposition"] == "inline; filename=report.pdf"
    assert client.get("/static/site.css").headers["Content-Disposition"] == (
        "inline; filename=site.css"
    )
    assert "Content-Disposition" not in client.get("/bytes").headers


@pytest.mark.parametrize(
    "name",
    [
        "report.pdf",
        "a b.pdf",
        'say "hi".txt',
        "a;b=c.txt",
        "back\\slash.txt",
        "Résumé €.pdf",
        "이름.txt",
        "x,y(1).csv",
        "~!#$%&'*+-.^_`|.txt",
    ],
)
@pytest.mark.parametrize("as_attachment", [False, True])
def test_content_disposition_is_written_as_werkzeug_writes_it(
    app: App, name: str, as_attachment: bool
) -> None:
    from werkzeug.test import EnvironBuilder
    from werkzeug.utils import send_file as werkzeug_send_file

    environ = EnvironBuilder("/").get_environ()
    expected = werkzeug_send_file(
        io.BytesIO(b"x"), environ, download_name=name, as_attachment=as_attachment
    ).headers["Content-Disposition"]
    with app.test_request_context("/"):
        response = send_file(io.BytesIO(b"x"), download_name=name, as_attachment=as_attachment)
    assert response.headers["Content-Disposition"] == expected


def test_non_ascii_download_name_uses_filename_star(app: App) -> None:
    with app.test_request_context("/"):
        response = send_file(io.BytesIO(b"x"), download_name="Résumé €.pdf", as_attachment=True)
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"Resume .pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E2%82%AC.pdf"
    )


def test_quotes_and_newlines_cannot_break_the_disposition_header(app: App) -> None:
    with app.test_request_context("/"):
        response = send_file(io.BytesIO(b"x"), download_name='a"b\r\nX: y.txt', as_attachment=True)
    value = response.headers["Content-Disposition"]
    assert "\r" not in value and "\n" not in value
    assert value.startswith('attachment; filename="a\\"bX: y.txt"')


def test_compressed_file_is_sent_as_the_archive_type(app: App) -> None:
    with app.test_request_context("/"):
        response = send_file(io.BytesIO(b"x"), download_name="backup.tar.gz")
    assert response.mimetype == "application/gzip"
    assert "Content-Encoding" not in response.headers


def test_last_modified_argument_overrides_the_file_time(app: App) -> None:
    moment = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    with app.test_request_context("/"):
        response = send_file("static/site.css", last_modified=moment)
    assert response.headers["Last-Modified"] == "Thu, 02 Jan 2020 03:04:05 GMT"
    response.close()


def test_etag_argument_is_used_as_given(app: App) -> None:
    with app.test_request_context("/"):
        response = send_file("static/site.css", etag="v1")
    assert response.headers["ETag"] == '"v1"'
    response.close()


def test_send_from_directory_serves_a_file_relative_to_the_root_path(app: App) -> None:
    app.add_url_rule(
        "/files/<path:name>", "files", lambda name: send_from_directory("static/sub", name)
    )
    assert app.test_client().get("/files/page.txt").data == b"sub page"


# -- paths that try to leave the folder --------------------------------------------------------

HOSTILE_PATHS = [
    "/static/../secret.txt",
    "/static/..%2Fsecret.txt",
    "/static/%2e%2e/secret.txt",
    "/static/%2E%2E%2Fsecret.txt",
    "/static/.%2e/secret.txt",
    "/static/sub/../../secret.txt",
    "/static/sub/..%2F..%2Fsecret.txt",
    "/static/sub%2F..%2F..%2Fsecret.txt",
    "/static/%252e%252e/secret.txt",
    "/static/..%5Csecret.txt",
    "/static/sub%5C..%5C..%5Csecret.txt",
    "/static//etc/passwd",
    "/static/%2Fetc%2Fpasswd",
    "/static/site.css%00.txt",
    "/static/%00",
    "/static/C:/Windows/win.ini",
    "/static/C:%5CWindows%5Cwin.ini",
    "/static/CON",
    "/static/nul.txt",
    "/static/sub",
    "/static/.",
    "/static/%2e",
    "/static/link_out.txt",
    "/static/linkdir/secret.txt",
    "/static/..%2Fprivate%2Fsecret.txt",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_path_that_escapes_the_static_folder_is_404(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 404
    assert SECRET not in response.data


def test_absolute_path_of_a_real_file_is_404(client: TestClient, site: Path) -> None:
    secret = quote(str(site / "secret.txt"), safe="")
    response = client.get(f"/static/{secret}")
    assert response.status_code == 404


def test_hostile_path_list_is_long_enough() -> None:
    assert len(HOSTILE_PATHS) >= 15


def test_path_that_is_not_utf8_is_a_400_not_a_file(client: TestClient) -> None:
    response = client.get("/static/%c0%ae%c0%ae/secret.txt")
    assert response.status_code == 400
    assert SECRET not in response.data


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_in_the_folder_is_404_without_hanging(client: TestClient, site: Path) -> None:
    os.mkfifo(site / "static" / "pipe")
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(client.get("/static/pipe").status_code))
    worker.daemon = True
    worker.start()
    worker.join(timeout=5)
    assert result == [404]


def test_safe_join_returns_the_real_path_inside(site: Path) -> None:
    expected = os.path.realpath(site / "static" / "sub" / "page.txt")
    assert safe_join(site / "static", "sub/page.txt") == expected


@pytest.mark.parametrize("untrusted", ["", "../x", "/abs", "a\\b", "a\x00b", "C:x", "sub/../../x"])
def test_safe_join_refuses(site: Path, untrusted: str) -> None:
    assert safe_join(site / "static", untrusted) is None


# -- static_url_path="" (a single-page app served from the root) ----------------------


def test_an_empty_static_url_path_serves_the_folder_at_the_root(site: Path) -> None:
    app = App(__name__, root_path=str(site), static_folder="static", static_url_path="")

    @app.route("/api/items")
    def items() -> dict[str, list[int]]:
        return {"items": [1]}

    client = app.test_client()
    assert client.get("/site.css").data == CSS
    assert client.get("/api/items").get_json() == {"items": [1]}
    assert client.get("/static/site.css").status_code == 404
    assert app.static_url_path == ""
    with app.test_request_context():
        assert app.url_for("static", filename="site.css") == "/site.css"


@pytest.mark.parametrize(
    ("static_url_path", "url"), [("/assets/", "/assets/site.css"), (None, "/static/site.css")]
)
def test_static_url_path_loses_its_trailing_slash(
    site: Path, static_url_path: str | None, url: str
) -> None:
    app = App(__name__, root_path=str(site), static_url_path=static_url_path)
    assert app.test_client().get(url).data == CSS
    with app.test_request_context():
        assert app.url_for("static", filename="site.css") == url


@pytest.mark.parametrize(
    ("static_url_path", "url"),
    [
        ("", "/admin/site.css"),
        ("/files/", "/admin/files/site.css"),
        (None, "/admin/static/site.css"),
    ],
)
def test_a_blueprints_static_url_path_as_in_flask(
    app: App, site: Path, static_url_path: str | None, url: str
) -> None:
    admin = Blueprint(
        "admin",
        __name__,
        static_folder=str(site / "static"),
        static_url_path=static_url_path,
        url_prefix="/admin",
    )
    app.register_blueprint(admin)
    assert app.test_client().get(url).data == CSS
    with app.test_request_context():
        assert app.url_for("admin.static", filename="site.css") == url
