"""The calculator (examples/calculator/): the seed's cases, the arithmetic, the API, the form."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from examples.calculator import SECRET_KEY_VARIABLE, create_app
from examples.calculator.arithmetic import (
    MAX_DIGITS,
    CalculationError,
    calculate,
    compute,
    format_number,
    json_number,
    parse_number,
)
from examples.calculator.views import RECENT_LIMIT
from microwsgi.sessions import SecureCookieSessionInterface, derive_key, dump_signed


@pytest.fixture
def app():
    return create_app({"SECRET_KEY": "a key for tests only"})


@pytest.fixture
def client(app):
    return app.test_client()


def form(input1: str, operator: str, input2: str) -> dict[str, str]:
    return {"input1": input1, "operator": operator, "input2": input2}


def shown_result(html: str) -> str:
    match = re.search(r"<output>(.*?)</output>", html)
    assert match, "the page shows no result"
    return match.group(1)


# -- the seed's cases ---------------------------------------------------------------


def test_seed_get_12_times_5_is_60(client):
    response = client.get("/12/*/5")
    assert response.status_code == 200
    assert response.json == {"num1": 12, "op": "*", "num2": 5, "result": 60}


def test_seed_get_double_star_is_400(client):
    response = client.get("/12/**/5")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    assert response.json["field"] == "op"


def test_seed_empty_form_is_400(client):
    response = client.post("/post", data=form("", "", ""))
    assert response.status_code == 400
    assert 'role="alert"' in response.text


def test_seed_form_without_the_fields_is_400(client):
    assert client.post("/post", data={}).status_code == 400


def test_seed_bad_form_is_400(client):
    response = client.post("/post", data=form("12", "**", "5"))
    assert response.status_code == 400
    assert "is not an operator" in response.text


def test_seed_good_form_shows_the_result(client):
    response = client.post("/post", data=form("12", "*", "5"))
    assert response.status_code == 200
    assert shown_result(response.text) == "12 * 5 = 60"


# -- every operator --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "result"),
    [
        ("/7/+/5", 12),
        ("/7/-/5", 2),
        ("/7/*/5", 35),
        ("/7/div/2", 3.5),
        ("/7/%2F/2", 3.5),
        ("/7/%25/5", 2),
        ("/7/mod/5", 2),
        ("/7/%C3%B7/2", 3.5),  # the division sign
        ("/7/%C3%97/5", 35),  # the multiplication sign
    ],
)
def test_every_operator_and_spelling(client, path, result):
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.json["result"] == result


def test_answer_names_the_operator_by_its_symbol(client):
    assert client.get("/12/div/5").json["op"] == "/"
    assert client.get("/12/mod/5").json["op"] == "%"


def test_encoded_slash_is_one_segment_not_a_separator(client):
    assert client.get("/12/%2F/5").json == {"num1": 12, "op": "/", "num2": 5, "result": 2.4}


def test_bare_slash_is_not_an_operator_but_a_404(client):
    assert client.get("/12///5").status_code == 404


def test_remainder_follows_the_sign_of_the_divisor_as_in_python(client):
    assert client.get("/-7/mod/3").json["result"] == -7 % 3 == 2
    assert client.get("/7/mod/-3").json["result"] == 7 % -3 == -2


def test_remainder_of_decimals(client):
    assert client.get("/5.5/mod/2").json["result"] == 1.5


@pytest.mark.parametrize("op", ["div", "mod"])
def test_division_by_zero_is_400_in_korean_and_english(client, op):
    response = client.get(f"/1/{op}/0")
    assert response.status_code == 400
    assert response.json == {
        "error": "0으로 나눌 수 없습니다.",
        "error_en": "Cannot divide by zero: the second number of / and % must not be 0.",
        "field": "num2",
    }


def test_division_by_negative_zero_is_400(client):
    assert client.get("/1/div/-0.0").status_code == 400


# -- numbers and formatting ---------------------------------------------------------------


def test_decimals_add_without_float_noise(client):
    assert client.get("/0.1/+/0.2").json["result"] == 0.3


def test_negative_numbers(client):
    assert client.get("/-7/-/2.5").json == {"num1": -7, "op": "-", "num2": 2.5, "result": -9.5}


def test_explicit_plus_sign_and_bare_decimal_point(client):
    assert client.get("/+7/*/.5").json["result"] == 3.5
    assert client.get("/12./+/1").json["result"] == 13


def test_whole_results_are_integers_in_json(client):
    response = client.get("/2.5/*/4")
    assert response.json["result"] == 10
    assert b'"result":10}' in response.data


def test_one_third_is_rounded_to_fifteen_digits(client):
    assert client.get("/1/div/3").data.endswith(b'"result":0.333333333333333}\n')


def test_two_thirds_rounds_half_even_at_the_last_digit(client):
    assert client.get("/2/div/3").json["result"] == 0.666666666666667


def test_negative_zero_is_shown_as_zero(client):
    assert client.get("/-0/*/5").json == {"num1": 0, "op": "*", "num2": 5, "result": 0}


def test_format_number_never_uses_an_exponent():
    assert format_number(Decimal("6E+1")) == "60"
    assert format_number(Decimal("2.500")) == "2.5"
    assert format_number(Decimal("0.0000001")) == "0.0000001"
    assert format_number(Decimal("-0")) == "0"


def test_json_number_keeps_the_digits_shown():
    for text in ("0.333333333333333", "123456789.012345", "-0.000001", "999999999999999"):
        number = Decimal(text)
        assert Decimal(repr(json_number(number))) == number


# -- limits ----------------------------------------------------------------------------------------


def test_fifteen_digits_are_accepted(client):
    assert client.get("/999999999999999/+/0").json["result"] == 999999999999999


def test_sixteen_digits_are_400(client):
    response = client.get("/1234567890123456/+/1")
    assert response.status_code == 400
    assert response.json["field"] == "num1"
    assert "16 digits" in response.json["error_en"]
    assert "15자리" in response.json["error"]


def test_leading_zeros_count_as_digits():
    with pytest.raises(CalculationError):
        parse_number("0" * MAX_DIGITS + "1", "num1")


def test_second_number_is_checked_too(client):
    response = client.get("/1/+/1234567890123456")
    assert (response.status_code, response.json["field"]) == (400, "num2")


def test_a_result_longer_than_fifteen_digits_is_rounded_with_the_exact_value_beside(client):
    response = client.get("/99999999999999/*/99999999999999")
    assert response.status_code == 200
    # The number survives any JSON client: 15 significant digits, sent as a float.
    assert response.text.count("9.9999999999998e+27") == 1
    assert response.json["result"] == 9.9999999999998e27
    assert response.json["result_exact"] == str(99999999999999**2)
    assert int(response.json["result_exact"]) == 9999999999999800000000000001


def test_product_of_the_largest_numbers_is_exact_in_result_exact(client):
    answer = client.get("/999999999999999/*/999999999999999").json
    assert answer["result_exact"] == str(999999999999999**2)
    assert Decimal(repr(answer["result"])) == Decimal("9.99999999999998E+29")


def test_a_short_result_has_no_result_exact(client):
    assert "result_exact" not in client.get("/12/*/5").json
    assert "result_exact" not in client.get("/2/div/3").json  # 2/3 has no exact decimal


def test_every_json_result_has_at_most_fifteen_significant_digits(client):
    for path in ("/999999999999999/+/999999999999999", "/123456789012345/*/0.1",
                 "/999999999999999/-/-999999999999999", "/1/div/7"):  # fmt: skip
        result = client.get(path).json["result"]
        digits = Decimal(repr(result)).normalize().as_tuple().digits
        assert len(digits) <= MAX_DIGITS, (path, result)


def test_the_page_shows_the_exact_result(client):
    page = client.post(
        "/post", data={"input1": "99999999999999", "operator": "*", "input2": "99999999999999"}
    ).text
    assert "9999999999999800000000000001" in page


def test_a_json_float_with_too_many_digits_is_named_as_sent(client):
    response = client.post("/post", json={"input1": 1e-20, "operator": "+", "input2": 1})
    assert response.status_code == 400
    assert response.json["field"] == "num1"
    assert "1e-20, written out 0.00000000000000000001, has 21 digits" in response.json["error_en"]
    assert "1e-20" in response.json["error"]


def test_a_form_that_is_not_utf8_answers_in_the_calculators_shape(client):
    response = client.post(
        "/post",
        data=b"input1=%FF&operator=%2B&input2=1",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
    )
    assert response.status_code == 400
    assert set(response.json) == {"error", "error_en", "field"}
    assert response.json["field"] is None
    assert "UTF-8" in response.json["error_en"]


def test_a_browser_form_that_is_not_utf8_gets_the_page_with_the_error(client):
    response = client.post(
        "/post",
        data=b"input1=%FF&operator=%2B&input2=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert (response.status_code, response.mimetype) == (400, "text/html")
    assert 'id="error"' in response.text
    assert "UTF-8" in response.text


def test_a_path_that_is_not_utf8_answers_in_the_calculators_shape(client):
    response = client.get("/%FF/*/1")
    assert response.status_code == 400
    assert response.json["field"] is None


def test_quotient_of_extreme_numbers_keeps_fifteen_digits():
    result = calculate(Decimal("999999999999999"), "/", Decimal("0.00000000000001"))
    assert result == Decimal("99999999999999900000000000000")


@pytest.mark.parametrize(
    "number", ["abc", "1e5", "NaN", "Infinity", "1_000", "0x10", "1.2.3", "--1", "١٢", " ", "."]
)
def test_things_that_are_not_numbers_are_400(client, number):
    response = client.get(f"/{number}/+/1")
    assert response.status_code == 400
    assert response.json["field"] == "num1"


def test_a_long_bad_number_is_cut_in_the_message(client):
    response = client.get("/" + "x" * 500 + "/+/1")
    assert response.status_code == 400
    assert len(response.json["error_en"]) < 300


@pytest.mark.parametrize("op", ["**", "x", "^", "plus", "%2B%2B"])
def test_unknown_operators_are_400_in_korean_and_english(client, op):
    response = client.get(f"/12/{op}/5")
    assert response.status_code == 400
    assert response.json["field"] == "op"
    assert "지원하지 않는 연산자" in response.json["error"]
    assert "is not an operator" in response.json["error_en"]


def test_compute_reads_json_numbers_as_written():
    assert compute(0.1, "+", 0.2).result == Decimal("0.3")
    assert compute(12, "*", 5).result == 60


def test_compute_reads_small_json_floats_that_repr_writes_with_an_exponent():
    assert compute(0.00001, "*", 2).result == Decimal("0.00002")


def test_compute_refuses_json_infinity_and_nan():
    for value in (float("inf"), float("nan")):
        with pytest.raises(CalculationError):
            compute(value, "+", 1)


def test_compute_refuses_booleans_and_other_json_types():
    for value in (True, None, [1], {"a": 1}):
        with pytest.raises(CalculationError):
            compute(value, "+", 1)


# -- the form ---------------------------------------------------------------------------------


def test_form_page_posts_to_the_post_url(client):
    page = client.get("/").text
    assert '<form action="/post" method="post"' in page
    assert 'name="input1"' in page and 'name="operator"' in page and 'name="input2"' in page


def test_form_page_links_its_style_sheet(client):
    page = client.get("/").text
    assert 'href="/static/calculator.css"' in page
    css = client.get("/static/calculator.css")
    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")


def test_form_page_loads_nothing_from_other_sites(client):
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", client.get("/").text)


def test_form_error_reshows_what_was_typed(client):
    response = client.post("/post", data=form("12", "*", "abc"))
    assert response.status_code == 400
    assert 'value="12"' in response.text
    assert 'value="*"' in response.text
    assert 'value="abc"' in response.text


def test_form_error_is_in_korean_and_english(client):
    response = client.post("/post", data=form("12", "/", "0"))
    assert "0으로 나눌 수 없습니다." in response.text
    assert "Cannot divide by zero" in response.text


def test_form_error_marks_the_wrong_field(client):
    page = client.post("/post", data=form("12", "*", "abc")).text
    field = re.search(r'<input[^>]*id="input2"[^>]*>', page, re.S)
    assert field and 'aria-invalid="true"' in field.group(0)


def test_form_error_is_a_page_not_json(client):
    response = client.post("/post", data=form("", "", ""))
    assert response.headers["Content-Type"].startswith("text/html")


def test_form_reshown_input_is_escaped(client):
    response = client.post("/post", data=form('"><script>x</script>', "+", "1"))
    assert "<script>x</script>" not in response.text
    assert "&#34;&gt;&lt;script&gt;" in response.text or "&quot;&gt;&lt;script&gt;" in (
        response.text
    )


def test_form_accepts_spaces_around_the_input(client):
    response = client.post("/post", data=form(" 1.5 ", " * ", " 2 "))
    assert shown_result(response.text) == "1.5 * 2 = 3"


def test_form_client_asking_for_json_gets_json(client):
    response = client.post(
        "/post", data=form("1", "+", "2"), headers={"Accept": "application/json"}
    )
    assert response.json == {"num1": 1, "op": "+", "num2": 2, "result": 3}


def test_form_client_asking_for_json_gets_json_errors(client):
    response = client.post(
        "/post", data=form("1", "?", "2"), headers={"Accept": "application/json"}
    )
    assert (response.status_code, response.json["field"]) == (400, "op")


def test_browser_accept_header_gets_the_page(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.post("/post", data=form("1", "+", "2"), headers={"Accept": accept})
    assert response.headers["Content-Type"].startswith("text/html")


def test_json_body_gets_json(client):
    response = client.post("/post", json={"input1": 12, "operator": "/", "input2": 5})
    assert response.json == {"num1": 12, "op": "/", "num2": 5, "result": 2.4}


def test_json_body_with_strings_gets_json(client):
    response = client.post("/post", json={"input1": "0.1", "operator": "+", "input2": "0.2"})
    assert response.json["result"] == 0.3


def test_json_body_with_a_bad_field_is_400_json(client):
    response = client.post("/post", json={"input1": "abc", "operator": "+", "input2": 1})
    assert response.status_code == 400
    assert response.json["field"] == "num1"


def test_json_body_missing_a_field_is_400_json(client):
    response = client.post("/post", json={"input1": 1, "input2": 2})
    assert (response.status_code, response.json["field"]) == (400, "op")


@pytest.mark.parametrize("body", ["{broken", "[1, 2]", "null", "7"])
def test_json_body_that_is_not_an_object_is_400_json(client, body):
    response = client.post("/post", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json["error_en"].startswith("The body must be a JSON object")


@pytest.mark.parametrize(
    "body", ["[" * 1000 + "]" * 1000, '{"input1": NaN, "operator": "+", "input2": 1}']
)
def test_json_body_nested_too_deeply_or_with_nan_is_400_json(client, body):
    response = client.post("/post", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json["error_en"].startswith("The body must be a JSON object")


def test_get_on_the_post_url_is_405(client):
    assert client.get("/post").status_code == 405


# -- recent calculations in the session ---------------------------------------------------------


def test_recent_list_starts_empty(client):
    assert "None yet." in client.get("/").text


def test_form_calculation_is_added_to_the_recent_list(client):
    client.post("/post", data=form("12", "*", "5"))
    page = client.get("/").text
    assert '<li><a href="/12/*/5" title="JSON">12 * 5 = 60</a></li>' in page


def test_recent_list_links_division_with_its_alias(client):
    client.post("/post", data=form("12", "/", "5"))
    assert 'href="/12/div/5"' in client.get("/").text


def test_recent_list_is_newest_first_and_bounded(client):
    for number in range(RECENT_LIMIT + 3):
        client.post("/post", data=form(str(number), "+", "1"))
    items = re.findall(r"<li><a [^>]*>(.*?)</a></li>", client.get("/").text)
    assert len(items) == RECENT_LIMIT
    assert items[0] == f"{RECENT_LIMIT + 2} + 1 = {RECENT_LIMIT + 3}"


def test_repeating_a_calculation_moves_it_to_the_top(client):
    client.post("/post", data=form("1", "+", "1"))
    client.post("/post", data=form("2", "+", "2"))
    client.post("/post", data=form("1", "+", "1"))
    items = re.findall(r"<li><a [^>]*>(.*?)</a></li>", client.get("/").text)
    assert items == ["1 + 1 = 2", "2 + 2 = 4"]


def test_errors_and_the_api_do_not_change_the_list(client):
    client.post("/post", data=form("1", "?", "1"))
    client.get("/3/*/3")
    client.post("/post", json={"input1": 2, "operator": "*", "input2": 2})
    assert "None yet." in client.get("/").text


def test_recent_list_ignores_a_session_of_another_shape(app, client):
    # A session an older version might have written: a list of plain strings.
    key = derive_key(app.secret_key, SecureCookieSessionInterface.salt)
    client.set_cookie("session", dump_signed({"recent": ["1 + 1 = 2", 5]}, key))
    response = client.get("/")
    assert response.status_code == 200
    assert "None yet." in response.text


# -- the app and its secret key ------------------------------------------------------------


def test_secret_key_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(SECRET_KEY_VARIABLE, "from-the-environment")
    assert create_app().config["SECRET_KEY"] == "from-the-environment"


def test_without_the_variable_a_random_key_is_made_and_a_warning_logged(monkeypatch, caplog):
    monkeypatch.delenv(SECRET_KEY_VARIABLE, raising=False)
    first, second = create_app(), create_app()
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] != second.config["SECRET_KEY"]
    assert SECRET_KEY_VARIABLE in caplog.text


def test_a_configured_key_logs_no_warning(monkeypatch, caplog):
    monkeypatch.delenv(SECRET_KEY_VARIABLE, raising=False)
    create_app({"SECRET_KEY": "configured"})
    assert SECRET_KEY_VARIABLE not in caplog.text


def test_the_package_offers_app_for_servers():
    import examples.calculator

    assert examples.calculator.app.name == "examples.calculator"


# -- mounted under a prefix ------------------------------------------------------------------------


def test_every_url_on_the_page_carries_the_mount_prefix(client):
    client.post("/post", data=form("1", "/", "4"), base_url="http://localhost/calc")
    page = client.get("/", base_url="http://localhost/calc").text
    urls = re.findall(r'(?:href|action)="(/[^"]*)"', page)
    assert urls, "the page has no links"
    assert all(url.startswith("/calc/") for url in urls), urls


def test_api_works_under_the_mount_prefix(client):
    response = client.get("/12/%2F/5", base_url="http://localhost/calc")
    assert response.json["result"] == 2.4
