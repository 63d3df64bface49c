"""JSON out (jsonify, dict returns) and in (get_json), with the app's settings."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import uuid

import pytest

from microwsgi import json as mjson
from microwsgi import jsonify, request


def test_jsonify_keyword_arguments(app):
    with app.app_context():
        response = jsonify(ok=True, count=2)
    assert response.mimetype == "application/json"
    assert response.get_json() == {"ok": True, "count": 2}


def test_jsonify_several_positional_arguments_make_a_list(app):
    with app.app_context():
        assert jsonify(1, 2, 3).get_json() == [1, 2, 3]


def test_jsonify_without_arguments_is_null_as_in_flask(app, client):
    @app.route("/nothing")
    def nothing():
        return jsonify()

    response = client.get("/nothing")
    assert response.mimetype == "application/json"
    assert response.data == b"null\n"
    assert response.get_json() is None


def test_jsonify_refuses_positional_and_keyword_together(app):
    with app.app_context(), pytest.raises(TypeError):
        jsonify({"a": 1}, b=2)


def test_jsonify_works_without_an_app():
    assert jsonify(a=1).get_json() == {"a": 1}


def test_jsonify_keeps_non_ascii_readable_once_not_escaped_twice(app):
    with app.app_context():
        body = jsonify(name="이름이 없는 자").get_data(as_text=True)
    assert "이름이 없는 자" in body
    assert "\\u" not in body


def test_json_as_ascii_switch(app):
    app.config["JSON_AS_ASCII"] = True
    with app.app_context():
        body = jsonify(name="이름").get_data(as_text=True)
    assert "\\uc774\\ub984" in body


def test_sort_keys_switch(app):
    app.config["JSON_SORT_KEYS"] = True
    with app.app_context():
        assert jsonify(b=1, a=2).get_data(as_text=True).strip() == '{"a":2,"b":1}'


def test_keys_keep_their_order_by_default(app):
    with app.app_context():
        assert jsonify(b=1, a=2).get_data(as_text=True).strip() == '{"b":1,"a":2}'


@dataclasses.dataclass
class Memo:
    title: str
    tags: list[str]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.datetime(2026, 11, 24, 9, 30, tzinfo=datetime.UTC), "2026-11-24T09:30:00+00:00"),
        (datetime.date(2026, 11, 24), "2026-11-24"),
        (decimal.Decimal("12.50"), "12.50"),
        (uuid.UUID("12345678-1234-5678-1234-567812345678"), "12345678-1234-5678-1234-567812345678"),
        (Memo("todo", ["a"]), {"title": "todo", "tags": ["a"]}),
    ],
    ids=["datetime", "date", "decimal", "uuid", "dataclass"],
)
def test_common_types_serialize(app, value, expected):
    with app.app_context():
        assert jsonify(value=value).get_json() == {"value": expected}


def test_unknown_type_raises_a_clear_type_error(app):
    with app.app_context(), pytest.raises(TypeError, match="object is not JSON serializable"):
        mjson.dumps(object())


def test_dumps_and_loads_outside_an_app():
    assert mjson.loads(mjson.dumps({"이": datetime.date(2020, 1, 2)})) == {"이": "2020-01-02"}


def test_get_json_reads_the_body(app, client):
    app.route("/", methods=["POST"])(lambda: {"got": request.get_json()})
    response = client.post("/", json={"key1": "value"})
    assert response.get_json() == {"got": {"key1": "value"}}


def test_invalid_json_is_400(app, client):
    app.route("/", methods=["POST"])(lambda: {"got": request.get_json()})
    response = client.post("/", data="{not json", content_type="application/json")
    assert response.status_code == 400


def test_invalid_json_with_silent_is_none(app, client):
    app.route("/", methods=["POST"])(lambda: {"got": request.get_json(silent=True)})
    response = client.post("/", data="{not json", content_type="application/json")
    assert response.get_json() == {"got": None}


def test_wrong_content_type_is_415(app, client):
    app.route("/", methods=["POST"])(lambda: {"got": request.get_json()})
    assert client.post("/", data='{"a": 1}', content_type="text/plain").status_code == 415


def test_missing_content_type_is_415(app, client):
    app.route("/", methods=["POST"])(lambda: {"got": request.get_json()})
    assert client.post("/", data='{"a": 1}').status_code == 415


def test_force_ignores_the_content_type(app, client):
    app.route("/", methods=["POST"])(lambda: {"got": request.get_json(force=True)})
    assert client.post("/", data='{"a": 1}').get_json() == {"got": {"a": 1}}


def test_json_plus_suffix_types_count_as_json(app, client):
    app.route("/", methods=["POST"])(lambda: {"got": request.get_json()})
    response = client.post("/", data='{"a": 1}', content_type="application/merge-patch+json")
    assert response.get_json() == {"got": {"a": 1}}


# -- the provider: swappable as Flask's ----------------------------------------


def test_the_app_makes_its_provider_from_json_provider_class():
    from microwsgi import App
    from microwsgi.json import DefaultJSONProvider

    class Provider(DefaultJSONProvider):
        sort_keys = True

    class SortingApp(App):
        json_provider_class = Provider

    app = SortingApp(__name__)
    assert isinstance(app.json, Provider)
    with app.app_context():
        assert jsonify(b=1, a=2).get_data(as_text=True) == '{"a":2,"b":1}\n'


def test_a_provider_of_another_json_library_is_used_everywhere(app, client):
    from microwsgi.json import JSONProvider

    class Shouting(JSONProvider):
        def dumps(self, obj, **kwargs):
            return '"' + str(obj).upper() + '"'

        def loads(self, s, **kwargs):
            return {"parsed": s}

    app.json = Shouting(app)

    @app.route("/", methods=["POST"])
    def echo():
        return jsonify(request.get_json()["parsed"])

    response = client.post("/", data="hi", content_type="application/json")
    assert response.get_data() == b'"HI"\n'
    assert response.mimetype == "application/json"
    with app.app_context():
        assert mjson.dumps("x") == '"X"'


def test_provider_settings_are_attributes_that_default_to_the_config(app):
    assert app.json.ensure_ascii is False
    assert app.json.sort_keys is False
    app.config["JSON_AS_ASCII"] = True
    assert app.json.ensure_ascii is True
    app.json.ensure_ascii = False  # the attribute wins over the config
    assert app.json.dumps("é") == '"é"'
    app.json.sort_keys = True
    assert app.json.dumps({"b": 1, "a": 2}) == '{"a": 2, "b": 1}'


def test_an_instance_default_extends_the_types_written(app):
    class Point:
        def __init__(self, x):
            self.x = x

    def default(value):
        if isinstance(value, Point):
            return {"x": value.x}
        return type(app.json).default(value)

    app.json.default = default
    assert app.json.dumps([Point(1), datetime.date(2020, 1, 2)]) == '[{"x": 1}, "2020-01-02"]'


def test_dumps_uses_the_standard_separators_and_responses_are_compact(app):
    assert app.json.dumps({"a": [1, 2]}) == '{"a": [1, 2]}'
    with app.app_context():
        assert jsonify(a=[1, 2]).get_data() == b'{"a":[1,2]}\n'


@pytest.mark.parametrize(("compact", "debug", "indented"), [
    (None, False, False), (None, True, True), (True, True, False), (False, False, True),
])  # fmt: skip
def test_compact_decides_how_responses_are_written(app, compact, debug, indented):
    app.json.compact = compact
    app.debug = debug
    body = app.json.response({"a": 1}).get_data(as_text=True)
    assert body == ('{\n  "a": 1\n}\n' if indented else '{"a":1}\n')


def test_the_mimetype_of_responses_is_the_providers(app):
    app.json.mimetype = "application/vnd.api+json"
    with app.app_context():
        assert jsonify(a=1).mimetype == "application/vnd.api+json"


def test_dump_and_load_use_files(app):
    import io

    out = io.StringIO()
    with app.app_context():
        mjson.dump({"이": [1]}, out)
        out.seek(0)
        assert mjson.load(out) == {"이": [1]}
        assert mjson.load(io.BytesIO(b'{"a": 1}')) == {"a": 1}


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "[1e999]"])
def test_loads_refuses_what_is_not_json(text):
    with pytest.raises(ValueError):
        mjson.loads(text)


def test_tojson_filter_uses_the_apps_provider(app):
    from microwsgi import render_template_string

    app.json.sort_keys = True
    with app.test_request_context():
        text = render_template_string(
            "{{ data|tojson }}", data={"b": "</script>", "a": datetime.date(2021, 2, 1)}
        )
    assert text == '{"a": "2021-02-01", "b": "\\u003c/script\\u003e"}'


def test_a_subclass_may_set_the_settings_as_plain_class_attributes(app):
    from microwsgi.json import DefaultJSONProvider

    class AsciiSorted(DefaultJSONProvider):
        ensure_ascii = True
        sort_keys = True

    provider = AsciiSorted(app)
    assert (provider.ensure_ascii, provider.sort_keys) == (True, True)
    assert provider.response(b="é", a=1).get_data() == b'{"a":1,"b":"\\u00e9"}\n'
    provider.sort_keys = False  # an instance setting still wins
    assert provider.dumps({"b": 1, "a": 2}) == '{"b": 1, "a": 2}'
