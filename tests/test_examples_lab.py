"""Seed 002's lab, Tests #1-#9 (examples/lab/), each module through the test client."""

from __future__ import annotations

from examples.lab import (
    headers,
    json_in,
    json_out,
    methods,
    request_object,
    routes,
    status,
    template,
    variables,
)

BROWSER = {"User-Agent": "Excalibur/1.0"}


def test_routes_serves_three_pages():  # Test #1
    client = routes.app.test_client()
    assert client.get("/").text == "Hello, World!"
    assert client.get("/bad").text == "Bad World!"
    assert client.get("/good").text == "Good World!"


def test_routes_refuse_post_by_default():  # Test #1
    assert routes.app.test_client().post("/bad").status_code == 405


def test_methods_lets_bad_take_a_post():  # Test #2
    response = methods.app.test_client().post("/bad")
    assert (response.status_code, response.text) == (200, "Bad World!")


def test_methods_leaves_good_get_only():  # Test #2
    response = methods.app.test_client().post("/good")
    assert response.status_code == 405
    assert "POST" not in response.headers["Allow"]


def test_variables_are_passed_by_name():  # Test #3
    assert variables.app.test_client().get("/Hello/Kim").text == "Hello, Kim!"


def test_variables_are_escaped_in_the_page():  # Test #3
    response = variables.app.test_client().get("/Hi/<b>Kim<b>")
    assert response.text == "Hi, &lt;b&gt;Kim&lt;b&gt;!"


def test_status_sends_the_page_with_status_404():  # Test #4
    response = status.app.test_client().get("/Hello/Kim")
    assert response.status_code == 404
    assert response.status == "404 NOT FOUND"
    assert response.text == "Hello, Kim!"


def test_headers_adds_my_header_as_text():  # Test #5
    response = headers.app.test_client().get("/Hello/Kim")
    assert response.status_code == 404
    assert response.headers["MY_HEADER"] == "1234"


def test_request_object_reports_method_name_and_client():  # Test #6
    response = request_object.app.test_client().post("/?name=Kim", headers=BROWSER)
    assert response.text == "Kim, 그대는 POST 로 호출하였구나. 그대는 Excalibur/1.0 검을 쓰는군."


def test_request_object_has_a_default_name():  # Test #6
    response = request_object.app.test_client().get("/", headers=BROWSER)
    assert response.text.startswith("이름이 없는 자, 그대는 GET 로")


def test_request_object_escapes_the_user_agent():  # Test #6
    response = request_object.app.test_client().get("/", headers={"User-Agent": "<script>"})
    assert "<script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_request_object_without_user_agent_is_400():  # Test #6
    client = request_object.app.test_client()
    del client.environ_base["HTTP_USER_AGENT"]  # the client sends Flask's by default
    assert client.get("/").status_code == 400


def test_json_out_answers_a_dict_as_json():  # Test #7
    response = json_out.app.test_client().get("/?name=Kim", headers=BROWSER)
    assert response.headers["Content-Type"] == "application/json"
    assert response.json == {"method": "GET", "name": "Kim", "client": "Excalibur/1.0"}


def test_json_out_keeps_korean_readable():  # Test #7
    response = json_out.app.test_client().get("/", headers=BROWSER)
    assert "이름이 없는 자".encode() in response.data


def test_json_in_reads_key1_from_the_body():  # Test #8
    response = json_in.app.test_client().post("/", json={"key1": "value1"}, headers=BROWSER)
    assert response.json["key1"] == "value1"


def test_json_in_answers_no_key_when_key1_is_missing():  # Test #8
    response = json_in.app.test_client().post("/", json={}, headers=BROWSER)
    assert response.json["key1"] == "No key"


def test_json_in_without_json_content_type_is_415():  # Test #8
    response = json_in.app.test_client().post("/", data={"key1": "v"}, headers=BROWSER)
    assert response.status_code == 415


def test_json_in_with_broken_json_is_400():  # Test #8
    response = json_in.app.test_client().post(
        "/", data="{broken", content_type="application/json", headers=BROWSER
    )
    assert response.status_code == 400


def test_json_in_with_a_json_array_is_400_not_a_crash():  # Test #8
    response = json_in.app.test_client().post("/", json=[1, 2], headers=BROWSER)
    assert response.status_code == 400
    assert "must be an object" in response.text


def test_json_in_with_json_null_is_400():  # Test #8
    response = json_in.app.test_client().post(
        "/", data="null", content_type="application/json", headers=BROWSER
    )
    assert response.status_code == 400


def test_template_greets_the_named_mortal():  # Test #9
    response = template.app.test_client().get("/?name=Kim")
    assert "<h1> Hi, 필멸자 Kim!</h1>" in response.text


def test_template_has_a_branch_for_no_name():  # Test #9
    assert "<h1> Hi, 이름없는 용사!</h1>" in template.app.test_client().get("/").text


def test_template_escapes_the_name():  # Test #9
    response = template.app.test_client().get("/?name=<b>Kim</b>")
    assert "&lt;b&gt;Kim&lt;/b&gt;" in response.text
