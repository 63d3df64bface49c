"""The debug error page: escaped, informative, no secrets; and the plain page without DEBUG."""

from __future__ import annotations

import logging

import pytest

from microwsgi import App, request
from microwsgi.debug import render_debug_page


def _fail_with(message: str) -> None:
    raise ValueError(message)


def _page_for(app: App, exc: Exception, **request_args: object) -> str:
    with app.test_request_context("/orders/7", **request_args):  # type: ignore[arg-type]
        return render_debug_page(exc, request._get_current_object()).text  # type: ignore[attr-defined]


def _raised(message: str) -> Exception:
    try:
        _fail_with(message)
    except ValueError as exc:
        return exc
    raise AssertionError("unreachable")


def test_debug_page_is_a_500_html_page(app: App) -> None:
    with app.test_request_context("/"):
        response = render_debug_page(_raised("boom"), request._get_current_object())  # type: ignore[attr-defined]
    assert response.status_code == 500
    assert response.mimetype == "text/html"


def test_traceback_is_shown(app: App) -> None:
    page = _page_for(app, _raised("boom"))
    assert "Traceback (most recent call last)" in page
    assert "_fail_with" in page
    assert "ValueError: boom" in page


def test_script_in_the_exception_message_is_escaped(app: App) -> None:
    page = _page_for(app, _raised("<script>alert(1)</script>"))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_method_and_path_are_shown(app: App) -> None:
    page = _page_for(app, _raised("boom"), method="POST")
    assert "<td>POST</td>" in page
    assert "<td>/orders/7</td>" in page


def test_headers_are_shown_escaped(app: App) -> None:
    page = _page_for(app, _raised("boom"), headers={"User-Agent": "probe/<1.0>"})
    assert "<th>User-Agent</th><td>probe/&lt;1.0&gt;</td>" in page


@pytest.mark.parametrize(
    "header", ["Cookie", "Authorization", "Proxy-Authorization", "X-Api-Key", "X-CSRF-Token"]
)
def test_credential_header_values_are_hidden(app: App, header: str) -> None:
    page = _page_for(app, _raised("boom"), headers={header: "s3cr3t-value"})
    assert "s3cr3t-value" not in page
    assert f"<th>{header.title()}</th><td>[hidden]</td>" in page


def test_page_forbids_scripts_even_if_something_slipped_through(app: App) -> None:
    with app.test_request_context("/"):
        response = render_debug_page(_raised("boom"), request._get_current_object())  # type: ignore[attr-defined]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert "<script" not in response.text


def test_exception_whose_message_fails_still_renders(app: App) -> None:
    class Unprintable(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no")

    page = _page_for(app, Unprintable())
    assert "Unprintable" in page


def test_page_renders_without_a_request() -> None:
    page = render_debug_page(_raised("boom"), None).text
    assert "ValueError: boom" in page


# -- through the application ---------------------------------------------------------


@pytest.fixture
def failing_app(app: App) -> App:
    @app.route("/fail")
    def fail() -> str:
        raise ValueError("<script>secret-detail</script>")

    return app


def test_debug_mode_shows_the_debug_page_for_an_unhandled_error(failing_app: App) -> None:
    failing_app.debug = True
    response = failing_app.test_client().get("/fail", headers={"Cookie": "session=abc123"})
    assert response.status_code == 500
    assert "Traceback (most recent call last)" in response.text
    assert "&lt;script&gt;secret-detail&lt;/script&gt;" in response.text
    assert "abc123" not in response.text


def test_without_debug_users_see_the_plain_500_page(
    failing_app: App, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        response = failing_app.test_client().get("/fail")
    assert response.status_code == 500
    assert "secret-detail" not in response.text
    assert "Traceback" not in response.text
    assert "secret-detail" in caplog.text  # the traceback went to the log instead


def test_a_file_field_sent_without_multipart_is_explained_in_debug_mode() -> None:
    from microwsgi.debug import DebugFilesKeyError

    app = App(__name__)
    app.config.update(DEBUG=True, TESTING=True)
    app.post("/upload")(lambda: request.files["photo"].filename)
    client = app.test_client()

    with pytest.raises(DebugFilesKeyError) as caught:
        client.post("/upload", data={"photo": "cat.jpg"})  # urlencoded: no file at all
    message = str(caught.value)
    assert "no file contents were transmitted" in message
    assert 'enctype="multipart/form-data"' in message
    assert "This was submitted: 'cat.jpg'" in message
    assert isinstance(caught.value, KeyError)


def test_without_debug_a_missing_file_is_a_plain_400() -> None:
    app = App(__name__)
    app.post("/upload")(lambda: request.files["photo"].filename)
    response = app.test_client().post("/upload", data={"photo": "cat.jpg"})
    assert response.status_code == 400
