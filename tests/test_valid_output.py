"""Only valid HTTP and valid JSON go out, whatever the input.

JSON: a lone surrogate is escaped instead of failing to encode; NaN and
Infinity are refused in both directions (RFC 8259 has neither). Headers: every
control character but HTAB is refused with an error naming the header (RFC 9110
5.5), and so is text outside Latin-1, except a ``Content-Disposition`` file
name, which is sent in its RFC 8187 form.
"""

from __future__ import annotations

import json
import math
from wsgiref.validate import validator

import pytest

from microwsgi import Response, jsonify, request, send_file
from microwsgi.datastructures import Headers
from microwsgi.http import dump_cookie
from microwsgi.testing import build_environ, run_wsgi_app


def call(app, path="/", **kwargs):
    status, headers, body = run_wsgi_app(validator(app), build_environ(app, path, **kwargs))
    return int(status.split()[0]), dict(headers), body


def test_a_lone_surrogate_from_the_client_is_echoed_as_an_escape(app):
    app.route("/echo", methods=["POST"])(lambda: request.get_json())
    status, _, body = call(
        app, "/echo", method="POST", data='{"\\ud800": 1}', content_type="application/json"
    )
    assert status == 200
    body.decode("utf-8")  # valid UTF-8
    assert json.loads(body) == {"\ud800": 1}
    assert b"\\ud800" in body


def test_jsonify_escapes_lone_surrogates_but_keeps_other_text_readable(app):
    with app.app_context():
        body = jsonify(a="\udfff é 이름").get_data()
    assert body == '{"a":"\\udfff é 이름"}\n'.encode()


def test_dumps_escapes_lone_surrogates_outside_an_app():
    from microwsgi import json as mjson

    assert mjson.dumps("\ud83d") == '"\\ud83d"'
    assert mjson.dumps("\U0001f600") == '"\U0001f600"'  # a real pair stays a character


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_jsonify_refuses_nan_and_infinity_with_a_clear_error(app, value):
    with app.app_context(), pytest.raises(ValueError, match="not JSON"):
        jsonify(a=value)


def test_a_view_returning_nan_is_a_500_not_invalid_json(app):
    app.route("/")(lambda: {"a": math.nan})
    status, _, body = call(app, "/")
    assert status == 500
    assert b"NaN" not in body


def test_json_dumps_may_still_write_nan_when_asked(app):
    from microwsgi import json as mjson

    with app.app_context():
        assert mjson.dumps(math.nan, allow_nan=True) == "NaN"


@pytest.mark.parametrize("char", [chr(c) for c in [*range(0, 9), *range(10, 32), 127]])
def test_every_control_character_but_tab_is_refused_in_a_header_value(char):
    with pytest.raises(ValueError, match="'X-Note'") as error:
        Headers()["X-Note"] = f"a{char}b"
    assert "control character" in str(error.value)


def test_a_tab_is_allowed_in_a_header_value():
    headers = Headers()
    headers["X-Note"] = "a\tb"
    assert headers["X-Note"] == "a\tb"


def test_obs_text_is_allowed_and_text_outside_latin1_is_refused_naming_the_header():
    headers = Headers()
    headers["X-Name"] = "café"  # Latin-1: sent as the byte E9
    with pytest.raises(ValueError, match=r"'X-Name'.*outside Latin-1"):
        headers["X-Name"] = "이름"


def test_a_header_value_from_user_input_with_a_vertical_tab_is_refused_in_a_view(app):
    @app.route("/")
    def reflect():
        return "x", {"X-Reflect": request.args["v"]}

    assert call(app, "/?v=a%0Bb")[0] == 500  # the app's bug, not sent to the wire
    assert call(app, "/?v=ab")[1]["X-Reflect"] == "ab"


def test_cookie_attributes_refuse_control_characters():
    with pytest.raises(ValueError, match="control character"):
        dump_cookie("a", "b", path="/\x0bx")
    with pytest.raises(ValueError, match="control character"):
        dump_cookie("a", "b", domain="example.com\x01")


def test_a_status_reason_with_a_line_break_is_refused():
    with pytest.raises(ValueError, match="reason phrase"):
        Response("x", status="200 OK\r\nX-Injected: 1")


def test_a_download_name_outside_latin1_is_sent_in_its_rfc_8187_form(app, tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"data")
    app.route("/")(lambda: send_file(path, as_attachment=True, download_name="이름 \x01.txt"))
    status, headers, _ = call(app, "/")
    assert status == 200
    assert headers["Content-Disposition"] == (
        "attachment; filename=\" .txt\"; filename*=UTF-8''%EC%9D%B4%EB%A6%84%20.txt"
    )


def test_a_text_body_with_a_lone_surrogate_is_sent_with_a_replacement_character(app):
    app.route("/")(lambda: "a\ud800b")
    status, headers, body = call(app, "/")
    assert (status, body) == (200, "a\ufffdb".encode())
    assert headers["Content-Length"] == str(len(body))


def test_an_error_page_describing_client_text_with_a_lone_surrogate_is_valid(app):
    @app.route("/echo", methods=["POST"])
    def echo():
        from microwsgi import abort

        abort(422, f"unknown field {next(iter(request.get_json()))}")

    for accept in ("text/html", "application/json"):
        status, _, body = call(
            app,
            "/echo",
            method="POST",
            data='{"\\ud800x": 1}',
            content_type="application/json",
            headers={"Accept": accept},
        )
        assert status == 422
        assert "unknown field \ufffdx" in body.decode("utf-8")


def test_a_streamed_chunk_with_a_split_pair_is_sent_as_its_character(app):
    app.route("/")(lambda: iter(["\ud83d\ude00", "\udfff"]))
    assert call(app, "/")[2] == "\U0001f600\ufffd".encode()
